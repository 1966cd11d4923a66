// Before anything is created: does the caller hold every permission of ./permissions.ts? Asked of IAM's
// policy simulator, for the caller's user or role (an IAM Identity Center role found under its path), with
// the request context the simulator can be given: the region, who the caller is, and for CloudFormation's
// own calls that they come via CloudFormation. A deny that hinged on a key it still lacks (an organisation's
// guardrail on aws:PrincipalOrgID or a principal tag) is undecided, not denied. A check that cannot run (the
// caller may not simulate, IAM does not answer, a root or federated caller) is skipped with one reason,
// never a failure: it only ever saves a half-built deploy.
import type { AwsClients } from "../../aws/clients.js";
import { describeAwsError, isAwsAnswer, isServiceError, throwIfCredentials } from "../../aws/errors.js";
import {
  type ContextEntry,
  firstKnownPrincipal,
  isIdentityCenterRole,
  isNoSuchEntity,
  simulate,
  simulationPrincipal,
  type SimulatedDecision,
  SSO_ROLE_PATH,
  ssoRegionOf,
  ssoRoleArns,
} from "../../aws/identity.js";
import { type Answers, clientRegions, listItems } from "../../config/answers.js";
import { REGIONS } from "../../config/regions.js";
import { commandPermissions, type Permission, type PermissionScope } from "./permissions.js";
import { GLOBAL } from "./resources.js";

/** One action a scope needs on one resource, that the simulation denied or could not decide. */
export interface PermissionFinding {
  readonly scope: PermissionScope;
  readonly region: string;
  readonly resource: string;
  readonly action: string;
  readonly decision: "explicitDeny" | "implicitDeny";
  // Condition keys the simulation had no value for: set on undecided findings only.
  readonly missingContext: readonly string[];
}

/** What the check found, carried by the `permission-check` event. */
export type PermissionReport =
  | { readonly outcome: "passed"; readonly principal: string; readonly checked: number; readonly undecided: readonly PermissionFinding[] }
  | {
      readonly outcome: "denied";
      readonly principal: string;
      readonly checked: number;
      readonly denied: readonly PermissionFinding[];
      readonly undecided: readonly PermissionFinding[];
    }
  | { readonly outcome: "skipped"; readonly reason: string };

/** What the simulation needs: IAM, the profile (for its IAM Identity Center region), and how long it may take. */
export interface PermissionCheckContext {
  readonly clients: Pick<AwsClients, "iam" | "profile">;
  // How long IAM may take over the whole check before it counts as not answering.
  readonly timeoutMs?: number | undefined;
}

const TIMEOUT_MS = 20_000;
// A handful of calls at once: IAM's request rate is an account-wide quota.
const PARALLEL = 3;

// The region IAM and Route 53 calls are signed for (aws:RequestedRegion of a global service).
const HOME_REGION: Readonly<Record<string, string>> = { aws: "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" };

// CloudFormation calls a resource type's APIs with the caller's credentials as a forward access session,
// which carries these keys ("How to define least-privileged permissions for actions called by AWS
// services", AWS Security Blog; IAM global condition keys aws:CalledVia, aws:ViaAWSService). A guardrail
// such as "deny ec2:* unless called via CloudFormation" is then judged as AWS judges it.
const CLOUDFORMATION = "cloudformation.amazonaws.com";
const VIA_CLOUDFORMATION: readonly ContextEntry[] = [
  { key: "aws:CalledVia", values: [CLOUDFORMATION], type: "stringList" },
  { key: "aws:CalledViaFirst", values: [CLOUDFORMATION], type: "string" },
  { key: "aws:CalledViaLast", values: [CLOUDFORMATION], type: "string" },
  { key: "aws:ViaAWSService", values: ["true"], type: "boolean" },
];
const DIRECT: readonly ContextEntry[] = [{ key: "aws:ViaAWSService", values: ["false"], type: "boolean" }];
// A call the tool makes itself carries no aws:CalledVia*: a policy's test on them is decided, not unknown.
const ABSENT_WHEN_DIRECT = new Set(["aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"]);

/** Who is simulated, as IAM knows them, and what the request context says about them. */
interface Principal {
  readonly arn: string;
  readonly context: readonly ContextEntry[];
}

class UnknownPrincipal extends Error {
  override readonly name = "UnknownPrincipal";
}

/** Whose permissions: a deployment's answers or a connection's (one or more client regions, comma-separated). */
export type PermissionSubject = Pick<Answers, "name" | "apiRegion"> & ({ readonly clients: Answers["clients"] } | { readonly clientRegion: string });

function regionsOfSubject(subject: PermissionSubject): string[] {
  return "clients" in subject ? clientRegions(subject) : listItems(subject.clientRegion);
}

/** Simulates what `deploy` (or `connect`) needs for the caller identified by STS. */
export async function checkPermissions(
  ctx: PermissionCheckContext,
  caller: { readonly arn: string; readonly account: string },
  answers: PermissionSubject,
  command: "deploy" | "connect" = "deploy",
): Promise<PermissionReport> {
  const principal = simulationPrincipal(caller.arn);
  if (principal.kind === "unsupported") return { outcome: "skipped", reason: principal.reason };
  const partition = caller.arn.split(":")[1] ?? "aws";
  const home = HOME_REGION[partition] ?? "us-east-1";
  const iam = ctx.clients.iam(home);
  const permissions = commandPermissions(command, { partition, account: caller.account, name: answers.name, apiRegion: answers.apiRegion, clientRegions: regionsOfSubject(answers) });
  const timeoutMs = ctx.timeoutMs ?? TIMEOUT_MS;
  // The first call that fails, or the deadline, ends the others: one reason is enough to skip.
  const stop = new AbortController();
  const work = (async () => {
    const arn = isIdentityCenterRole(principal.arn)
      ? await firstKnownPrincipal(iam, ssoRoleArns(principal.arn, await ssoRegions(ctx.clients.profile, partition, answers)), PARALLEL, stop.signal)
      : principal.arn;
    if (!arn) throw new UnknownPrincipal(`IAM has no IAM Identity Center role ${principal.arn.split("/").pop() ?? ""} under ${SSO_ROLE_PATH} for any region of ${partition}`);
    const who: Principal = {
      arn,
      context: [
        { key: "aws:PrincipalArn", values: [arn], type: "string" },
        { key: "aws:PrincipalAccount", values: [caller.account], type: "string" },
        { key: "aws:PrincipalType", values: [principal.fromSession ? "AssumedRole" : "User"], type: "string" },
      ],
    };
    const answered = await runGroups(groups(permissions), PARALLEL, async (group) => {
      const region = group.region === GLOBAL ? home : group.region;
      const context = [{ key: "aws:RequestedRegion", values: [region], type: "string" } as const, ...who.context, ...(group.viaCloudFormation ? VIA_CLOUDFORMATION : DIRECT)];
      const decisions = await simulate(iam, { principalArn: arn, actions: group.actions, resources: group.samples, context, signal: stop.signal });
      return decisions.map((d) => [pairKey(group.region, group.viaCloudFormation, d.action, d.resource), d] as const);
    });
    return { arn, decisions: new Map<string, SimulatedDecision>(answered.flat()) };
  })();
  let result: { arn: string; decisions: Map<string, SimulatedDecision> };
  try {
    result = await withDeadline(work, timeoutMs);
  } catch (error) {
    return { outcome: "skipped", reason: skipReason(error, ctx, principal.arn, principal.fromSession, timeoutMs) };
  } finally {
    stop.abort();
  }

  const denied: PermissionFinding[] = [];
  const undecided: PermissionFinding[] = [];
  const seen = new Set<string>();
  const answered = new Set<string>();
  for (const p of permissions) {
    for (const action of p.actions) {
      const key = pairKey(p.region, p.viaCloudFormation, action, p.sample);
      const d = result.decisions.get(key);
      if (d) answered.add(key);
      if (!d || d.decision === "allowed" || seen.has(`${p.scope} ${key}`)) continue;
      seen.add(`${p.scope} ${key}`);
      const finding: PermissionFinding = { scope: p.scope, region: p.region, resource: p.resource, action, decision: d.decision, missingContext: [] };
      // A deny, explicit or not, that hinged on a condition key the simulation could not know is not a
      // verdict: an organisation's guardrail (aws:PrincipalOrgID, aws:PrincipalTag/…) says "deny unless",
      // and with the key absent the "unless" cannot hold in the simulation although it does on AWS.
      const missing = d.missingContext.filter((k) => p.viaCloudFormation || !ABSENT_WHEN_DIRECT.has(k));
      if (missing.length > 0) undecided.push({ ...finding, missingContext: missing });
      else denied.push(finding);
    }
  }
  const checked = answered.size;
  if (checked === 0) return { outcome: "skipped", reason: "IAM's policy simulator answered none of the actions asked about" };
  return denied.length > 0
    ? { outcome: "denied", principal: result.arn, checked, denied, undecided }
    : { outcome: "passed", principal: result.arn, checked, undecided };
}

// The regions whose Identity Center role path to try, most likely first: the profile's sso_region, then
// us-east-1 (the path without a region), the deployment's regions, and every other region of the partition.
async function ssoRegions(profile: string | undefined, partition: string, answers: PermissionSubject): Promise<string[]> {
  const hint = await ssoRegionOf(profile);
  const rest = REGIONS.filter((r) => r.partition === partition).map((r) => r.id);
  return [...new Set([...(hint ? [hint] : []), "us-east-1", answers.apiRegion, ...regionsOfSubject(answers), ...rest])];
}

interface Group {
  readonly region: string;
  readonly viaCloudFormation: boolean;
  readonly actions: string[];
  readonly samples: string[];
}

// One call per region, service and caller (the tool or CloudFormation, whose request contexts differ):
// every action of the group is simulated on every resource of the group, and only the pairs the list names
// are read back.
function groups(permissions: readonly Permission[]): Group[] {
  const byKey = new Map<string, { region: string; viaCloudFormation: boolean; actions: Set<string>; samples: Set<string> }>();
  for (const p of permissions) {
    for (const action of p.actions) {
      const key = `${p.region} ${action.split(":")[0]} ${p.viaCloudFormation}`;
      const group = byKey.get(key) ?? { region: p.region, viaCloudFormation: p.viaCloudFormation, actions: new Set<string>(), samples: new Set<string>() };
      group.actions.add(action);
      group.samples.add(p.sample);
      byKey.set(key, group);
    }
  }
  return [...byKey.values()].map((g) => ({ region: g.region, viaCloudFormation: g.viaCloudFormation, actions: [...g.actions], samples: [...g.samples] }));
}

function pairKey(region: string, viaCloudFormation: boolean, action: string, resource: string): string {
  return `${region} ${viaCloudFormation} ${action} ${resource}`;
}

class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

// A timer of our own rather than the SDK's abort alone, so a call that hangs before its socket opens ends too.
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError()), ms);
    timer.unref?.();
  });
  // Whatever the loser does later (the aborted calls reject) is no longer anyone's concern.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function runGroups<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

function skipReason(error: unknown, ctx: PermissionCheckContext, principal: string, fromSession: boolean, timeoutMs: number): string {
  throwIfCredentials(error, ctx.clients.profile);
  if (error instanceof UnknownPrincipal) return error.message;
  const name = error instanceof Error ? error.name : "";
  if (name === "AccessDenied" || name === "AccessDeniedException") {
    return "you may not call iam:SimulatePrincipalPolicy (AccessDenied)";
  }
  if (isNoSuchEntity(error)) {
    return fromSession
      ? `IAM has no role ${principal}: the session ARN leaves out the role's path, which only iam:GetRole could find`
      : `IAM has no principal ${principal}`;
  }
  if (name === "DeadlineError" || name === "TimeoutError") return `IAM did not answer within ${timeoutMs / 1000} s`;
  if (isAwsAnswer(error)) return `IAM answered ${describeAwsError(error)}`;
  if (isServiceError(error) || typeof (error as { code?: unknown } | null)?.code === "string") return describeAwsError(error);
  throw error;
}
