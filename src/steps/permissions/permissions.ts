// The IAM actions each command needs, each with the resource it applies to: one list, read by the
// preflight check (iam:SimulatePrincipalPolicy) and by the table of docs/permissions.md, which is generated
// from it. Pure data: no AWS, no I/O. Each scope's own list is in permissions/commands.ts, what
// CloudFormation's handlers call for each resource type in permissions/resource-types.ts, and the resources
// the calls are authorised on in permissions/resources.ts.
import {
  connectPermissions,
  CONNECT_KEYS,
  disconnectPermissions,
  doctorConnectionPermissions,
  doctorPermissions,
  preflightPermissions,
  stagePermissions,
  statusConnectionPermissions,
  statusPermissions,
  teardownPermissions,
  verifyConnectionPermissions,
  verifyPermissions,
} from "./commands.js";
import { resourceGrants } from "./resource-types.js";
import type { Grant } from "./resources.js";
import { STAGES, type StageKey } from "../stages.js";

/**
 * Which command needs a permission: deploy's preflight, stages and closing verify, the other commands, and
 * connect's reads and proof ("connect") and its two stages.
 */
export type PermissionScope =
  | "preflight"
  | StageKey
  | "verify"
  | "status"
  | "doctor"
  | "teardown"
  | "connect"
  | "disconnect"
  // What verify, status and doctor need beyond a deployment's for a connection (deploy's verify needs none of it).
  | "verify-connection"
  | "status-connection"
  | "doctor-connection";

/** One IAM action the tool needs, for which part, on which resource. */
export interface Permission {
  readonly scope: PermissionScope;
  readonly actions: readonly string[];
  // What to grant: an ARN pattern, or "*" for actions that take no resource (Describe calls, CreateHostedZone).
  readonly resource: string;
  // What the simulation asks about: the pattern with its wildcard made a concrete example. IAM's simulator
  // takes a "*" in a resource ARN as that character, so a policy narrower than our pattern
  // (role/demo-client-ExecutionRole-*) would not match role/demo-client-* although it allows the real role.
  readonly sample: string;
  // The region the request goes to ("global" for IAM and Route 53), for the simulation's aws:RequestedRegion.
  readonly region: string;
  // CloudFormation makes the call with the caller's credentials, rather than the tool itself.
  readonly viaCloudFormation: boolean;
}

/** The deployment the permissions are for: partition, account, regions (region A, and one or more client regions), name. */
export interface PermissionTarget {
  readonly partition: string;
  readonly account: string;
  readonly name: string;
  readonly apiRegion: string;
  readonly clientRegions: readonly string[];
}

/** One client region's side of a deployment: each client region needs the same list, in its own region. */
export interface OneClient extends Omit<PermissionTarget, "clientRegions"> {
  readonly clientRegion: string;
  // The first client region's routes stack is <name>-routes, the others' <name>-routes-<region>.
  readonly first: boolean;
}

/** Calls the tool makes that no scope grants, and why. */
export const UNGRANTED_CALLS: Readonly<Record<string, string>> = {
  "sts:GetCallerIdentity": "AWS answers it for every valid credential: it needs no permission",
  "iam:SimulatePrincipalPolicy":
    "optional: without it the permission check is skipped with one line, and asking the simulator about itself would turn that skip into a denial",
};

/** What each resource type of a stage needs, in the stage's region, as CloudFormation's handlers call it (the first client region's). */
export function stageResourceGrants(target: PermissionTarget, key: StageKey): Map<string, readonly Grant[]> {
  return resourceGrants(clientSides(target)[0]!, key);
}

/**
 * Every permission of every scope, in the order docs/permissions.md lists them: deploy's (preflight, stages 1-3,
 * verify), then status, doctor, teardown, then connect's (its reads and proof, its two stacks) and
 * disconnect. Each client region needs its own, in its own region; what they share (stage 1, region A's
 * reads) is listed once.
 */
export function requiredPermissions(target: PermissionTarget): Permission[] {
  const scopes: ((t: OneClient) => Permission[])[] = [
    preflightPermissions,
    ...STAGES.map((s) => (t: OneClient) => stagePermissions(t, s.key)),
    verifyPermissions,
    statusPermissions,
    doctorPermissions,
    teardownPermissions,
    verifyConnectionPermissions,
    statusConnectionPermissions,
    doctorConnectionPermissions,
    connectPermissions,
    ...CONNECT_KEYS.map((key) => (t: OneClient) => stagePermissions(t, key)),
    disconnectPermissions,
  ];
  const seen = new Set<string>();
  return scopes.flatMap((scope) =>
    clientSides(target).flatMap((t) =>
      scope(t).filter((p) => {
        const key = JSON.stringify([p.scope, p.actions, p.resource, p.sample, p.region, p.viaCloudFormation]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    ),
  );
}

function clientSides(target: PermissionTarget): OneClient[] {
  const { clientRegions, ...rest } = target;
  return clientRegions.map((clientRegion, i) => ({ ...rest, clientRegion, first: i === 0 }));
}

/** The commands that call AWS. */
export type AwsCommand = "deploy" | "verify" | "status" | "doctor" | "teardown" | "connect" | "disconnect";

/** The scopes of each command that calls AWS. */
export const COMMAND_SCOPES: Readonly<Record<AwsCommand, readonly PermissionScope[]>> = {
  deploy: ["preflight", "api", "client", "routes", "verify"],
  verify: ["verify", "verify-connection"],
  status: ["status", "status-connection"],
  doctor: ["doctor", "doctor-connection"],
  teardown: ["teardown"],
  connect: ["connect", "connect-client", "connect-api"],
  disconnect: ["disconnect"],
};

/** What a command needs: deploy's preflight, three stages and closing verification; connect's reads, two stacks and proof. */
export function commandPermissions(command: AwsCommand, t: PermissionTarget): Permission[] {
  return requiredPermissions(t).filter((p) => COMMAND_SCOPES[command].includes(p.scope));
}

/** What `deploy` needs: preflight, the three stages and the verification that ends it. */
export function deployPermissions(t: PermissionTarget): Permission[] {
  return commandPermissions("deploy", t);
}
