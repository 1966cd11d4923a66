// The stacks of a deployment as they are now: each stack's state, what exists after a cancel or a failure,
// and the routes stacks of client regions the answers do not name. Operations on a stack (following one,
// deleting one, what one that ended badly says) are in stack-operations/.
import type { AwsClients } from "../aws/clients.js";
import { describeStack, listStackNames } from "../aws/stack.js";
import type { EngineContext } from "./context.js";
import type { ProgressEvent, StageRef } from "./events.js";
import type { Deployed } from "./plan.js";
import { type DeploymentRef, routesStackName, stackName, stageRefs, TAG_CLIENT_REGION } from "./stages.js";

/**
 * After a cancel or a failure the user needs to know what exists now: each stack's state, read fresh,
 * because a stage from an earlier run may exist even when this run never reached it.
 */
export interface LeftStack extends StageRef {
  // A CloudFormation stack status, "absent", or "UNKNOWN" when it could not be read.
  readonly status: string;
}

/** Each stack's status now, read fresh, for the message after a cancel or a failure. */
export async function describeLeft(ctx: EngineContext, stacks: readonly StageRef[]): Promise<LeftStack[]> {
  return Promise.all(
    stacks.map(async (ref) => {
      let status: string;
      try {
        status = (await describeStack(ctx.clients.cloudFormation(ref.region), ref.stackName))?.status ?? "absent";
      } catch {
        status = "UNKNOWN";
      }
      return { ...ref, status };
    }),
  );
}

/** The stacks that still exist, in one sentence; grouped by client region when there are several. */
export function describeLeftText(left: readonly LeftStack[]): string {
  const present = left.filter((stack) => stack.status !== "absent");
  if (present.length === 0) return "No stacks are left.";
  const named = (stacks: readonly LeftStack[]) => stacks.map((s) => `${s.stackName} (${s.region}) ${s.status}`).join(", ");
  const regions = [...new Set(left.flatMap((s) => (s.clientRegion ? [s.clientRegion] : [])))];
  if (regions.length <= 1) return `Left: ${named(present)}.`;
  const shared = present.filter((s) => !s.clientRegion);
  const perRegion = regions.map((region) => {
    const mine = present.filter((s) => s.clientRegion === region);
    return `${region}: ${mine.length > 0 ? named(mine) : "nothing"}`;
  });
  return `Left: ${[...(shared.length > 0 ? [named(shared)] : []), ...perRegion].join("; ")}.`;
}

/**
 * The stacks as they are now, each in its own region. Preflight and `status` share the look-up, so
 * "what exists" is answered the same way before a deploy and in `status`.
 */
export type StackState =
  | { readonly ref: StageRef; readonly present: false }
  | {
      readonly ref: StageRef;
      readonly present: true;
      readonly status: string;
      readonly reason: string | undefined;
      readonly lastChange: string;
      readonly outputs: Readonly<Record<string, string>>;
      readonly parameters: Readonly<Record<string, string>>;
      readonly tags: Readonly<Record<string, string>>;
    };

/** One client region's two stacks: its client stack (in the region) and its routes stack (in region A). */
export interface ClientStacks {
  readonly region: string;
  readonly client: StackState;
  readonly routes: StackState;
}

/** Stage 1, and each client region's two stacks, in the answers' order. */
export interface StackStates {
  // The deployment's name.
  readonly name: string;
  readonly api: StackState;
  readonly clients: readonly ClientStacks[];
}

/** What finds a deployment: its name, region A and its client regions. */
export type Deployment = DeploymentRef;

/** Every stack of the states, in deploy order (stage 1, then each client region's 2 and 3). */
export function allStacks(states: StackStates): StackState[] {
  return [states.api, ...states.clients.flatMap((c) => [c.client, c.routes])];
}

/**
 * The stacks as they are now, read in parallel. A client region's routes stack is looked for under both
 * name forms (`<name>-routes`, `<name>-routes-<region>`): the list may have been reordered or shortened
 * since it was deployed. `<name>-routes` is a region's when its client-region tag names it, or, untagged
 * (made before the tag existed, by a one-region deployment), when its ClientVpcCidr is the region's range.
 */
export async function lookupStacks(clients: Pick<AwsClients, "cloudFormation">, deployment: Deployment): Promise<StackStates> {
  const expected = stageRefs(deployment);
  const first = routesStackName(deployment.name, "", true);
  const read = (ref: StageRef) => lookupStack(clients, ref);
  const [api, shared, ...perRegion] = await Promise.all([
    read(expected[0]!),
    read({ stage: 3, key: "routes", stackName: first, region: deployment.apiRegion }),
    ...deployment.clients.map(async ({ region }) => {
      const [client, own] = await Promise.all([
        read(stageRefOf(expected, 2, region)),
        read({ ...stageRefOf(expected, 3, region), stackName: routesStackName(deployment.name, region, false) }),
      ]);
      return { client, own };
    }),
  ]);
  return {
    name: deployment.name,
    api: api!,
    clients: deployment.clients.map(({ region, cidr }, i) => {
      const { client, own } = perRegion[i]!;
      const range = (client.present ? client.parameters["VpcCidr"] : undefined) ?? cidr;
      const ref = stageRefOf(expected, 3, region);
      const sharedIsOurs = shared!.present && routesOf(shared!, region, range, i === 0);
      const routes: StackState = sharedIsOurs
        ? { ...shared!, ref: { ...ref, stackName: first } }
        : own.present
          ? own
          : // Absent: created under its expected name, unless another region's stack holds that name.
            { ref: { ...ref, stackName: shared!.present && ref.stackName === first ? own.ref.stackName : ref.stackName }, present: false };
      return { region, client, routes };
    }),
  };
}

// Whether `<name>-routes` is this client region's routes stack.
function routesOf(stack: Extract<StackState, { present: true }>, region: string, range: string | undefined, first: boolean): boolean {
  const tagged = stack.tags[TAG_CLIENT_REGION];
  if (tagged !== undefined) return tagged === region;
  const deployedFor = stack.parameters["ClientVpcCidr"];
  return range !== undefined && deployedFor !== undefined ? deployedFor === range : first;
}

function stageRefOf(refs: readonly StageRef[], stage: 2 | 3, region: string): StageRef {
  const ref = refs.find((r) => r.stage === stage && r.clientRegion === region);
  if (!ref) throw new Error(`no stage ${stage} for ${region}`);
  return ref;
}

/** One stack as it is now. */
export async function lookupStack(clients: Pick<AwsClients, "cloudFormation">, ref: StageRef): Promise<StackState> {
  const info = await describeStack(clients.cloudFormation(ref.region), ref.stackName);
  if (!info) return { ref, present: false };
  return {
    ref,
    present: true,
    status: info.status,
    reason: info.statusReason,
    lastChange: info.operationStartedAt ? new Date(info.operationStartedAt).toISOString() : "",
    outputs: info.outputs,
    parameters: info.parameters,
    tags: info.tags,
  };
}

/**
 * The routes stacks in region A of client regions these states do not name (a region dropped from the
 * answers, or named by no flag): stage 1 must stay while they hang off it. Found by name, as teardown runs
 * without the answers file too.
 */
export async function otherRoutesStacks(clients: Pick<AwsClients, "cloudFormation">, states: StackStates): Promise<string[]> {
  const shared = stackName(states.name, "routes");
  const named = new Set(states.clients.flatMap((c) => (c.routes.present ? [c.routes.ref.stackName] : [])));
  const found = await listStackNames(clients.cloudFormation(states.api.ref.region), shared);
  return found.filter((name) => (name === shared || name.startsWith(`${shared}-`)) && !named.has(name)).sort();
}

/** What the plan must keep of a deployment as it stands (plan.ts, Deployed). */
export function deployedFacts(states: StackStates): Deployed {
  const api = states.api;
  // A stack about to be deleted and created again (ROLLBACK_COMPLETE) keeps nothing.
  const admittedCidr = api.present && api.status !== "ROLLBACK_COMPLETE" ? api.parameters["ClientVpcCidr"] : undefined;
  return {
    ...(admittedCidr ? { admittedCidr } : {}),
    routesStacks: Object.fromEntries(states.clients.map((c) => [c.region, c.routes.ref.stackName])),
  };
}

/** Stable states in which the stack serves its current or previous template. */
export const READY = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE"]);

/** The stack-state event that tells a stack as it is now (status of a deployment or a connection). */
export function stackStateEvent(state: StackState, at: number): Extract<ProgressEvent, { kind: "stack-state" }> {
  return {
    kind: "stack-state",
    ...state.ref,
    status: state.present ? state.status : null,
    lastChange: state.present ? state.lastChange : null,
    outputs: state.present ? state.outputs : {},
    summary: stackSummary(state),
    at,
  };
}

/** One line on a stack as it is now: where, its status, its last change, and why when it is not ready. */
export function stackSummary(state: StackState): string {
  const where = `${state.ref.stackName} (${state.ref.region})`;
  if (!state.present) return `${where}: not deployed`;
  const reason = state.reason && !READY.has(state.status) ? ` — ${state.reason}` : "";
  return `${where}: ${state.status}, last change ${state.lastChange}${reason}`;
}
