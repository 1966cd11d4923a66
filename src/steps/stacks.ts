// The stacks of a deployment, as steps see them: following one operation, deleting one, what is left
// after a cancel, what exists now, and what a stack that ended badly says (and the command that unblocks it).
//
// Following one operation on a stack, as every stage does it: a poller that counts only this operation's
// events (its tokens, or events since it began), each event turned into a progress event, until the stack
// settles. `start` runs once the poller exists, so that nothing the operation records is missed.
import type { AwsClients } from "../aws/clients.js";
import { type PollStats, type RootCause, StackEventPoller, type WatchResult, watchStack } from "../aws/event-poller.js";
import type { InterfaceOwner } from "../aws/function.js";
import { deleteStack, describeStack, listStackNames, newToken } from "../aws/stack.js";
import { type EngineContext, info, resourceEmitter } from "./context.js";
import type { ProgressEvent, StageRef } from "./events.js";
import type { Deployed } from "./plan.js";
import { type DeploymentRef, holdsVpcFunction, routesStackName, stackName, stageRefs, TAG_CLIENT_REGION } from "./stages.js";
import { interfaceSweeper, releaseClientInterfaces, releaseNote, type ReleaseOutcome } from "./release-interfaces.js";

/** One operation to follow on a stack: its id, tokens, start time, and what to do on Ctrl-C. */
export interface Follow {
  // The stack id (ARN) where known: unlike the name, it still answers after the stack is deleted.
  readonly stack: string;
  readonly tokens: readonly string[];
  readonly since: number;
  readonly stats?: PollStats | undefined;
  // The template's plain-English names for the progress rows.
  readonly descriptions?: ReadonlyMap<string, string> | undefined;
  readonly start?: (() => Promise<void>) | undefined;
  readonly onAbort?: ((poller: StackEventPoller) => Promise<(status: string) => boolean>) | undefined;
  readonly deadline?: number | undefined;
  // Called after every poll (the client stack's delete sweeps Lambda's interfaces from here).
  readonly onPoll?: (() => void) | undefined;
}

/** Starts the operation and follows it, emitting a progress event per stack event, until it settles. */
export async function followStack(ctx: EngineContext, ref: StageRef, follow: Follow): Promise<{ poller: StackEventPoller; watched: WatchResult }> {
  const { onAbort } = follow;
  const poller = new StackEventPoller(ctx.clients.cloudFormation(ref.region), {
    stack: follow.stack,
    stackName: ref.stackName,
    tokens: follow.tokens,
    since: follow.since,
    stats: follow.stats,
  });
  await follow.start?.();
  const emitter = resourceEmitter(ctx, ref, follow.descriptions);
  const watched = await watchStack(poller, {
    clock: ctx.clock,
    signal: ctx.signal,
    random: ctx.random,
    onEvents: (events) => {
      emitter(events);
      follow.onPoll?.();
    },
    onAbort: onAbort && (() => onAbort(poller)),
    deadline: follow.deadline,
  });
  return { poller, watched };
}

/**
 * Deleting one stack and following it to the end, as teardown, a replace and a Ctrl-C do it. The client
 * stack first has its function's network interfaces released (release-interfaces.ts) and swept while the
 * delete runs; a delete that still fails on a subnet or security group they hold (DependencyViolation,
 * DELETE_FAILED: CloudFormation does not wait for a detached function's interfaces) is retried once after
 * waiting for them and cleaning them again.
 */
export interface DeleteRequest {
  readonly stackId: string;
  readonly stats: PollStats;
  // The ClientRequestToken prefix: whose delete this is (teardown, replace).
  readonly operation: string;
  // The client stage's release, when the caller started it earlier (teardown runs it beside stage 3).
  readonly release?: Promise<ReleaseOutcome> | undefined;
  // The template's plain-English names for the progress rows.
  readonly descriptions?: ReadonlyMap<string, string> | undefined;
}

/** How a delete ended: followed to the end, or stopped by Ctrl-C before the stack was deleted. */
export type DeleteResult =
  | { readonly kind: "followed"; readonly poller: StackEventPoller; readonly watched: WatchResult }
  // Ctrl-C while the interfaces were being released: the stack was not deleted.
  | { readonly kind: "aborted-before-delete" };

const HELD_BY_INTERFACES = /DependencyViolation|has dependencies and cannot be deleted|has a dependent object/i;
const HOLDERS = new Set(["AWS::EC2::Subnet", "AWS::EC2::SecurityGroup"]);

/** Deletes a stack (the client stack once its interfaces are released) and follows it until it settles. */
export async function deleteAndFollow(ctx: EngineContext, ref: StageRef, request: DeleteRequest): Promise<DeleteResult> {
  if (!holdsVpcFunction(ref.key)) return { kind: "followed", ...(await follow(ctx, ref, request, undefined)) };
  const released = await (request.release ?? releaseClientInterfaces(ctx, ref, ctx.signal));
  if (released.kind === "aborted") return { kind: "aborted-before-delete" };
  const first = await follow(ctx, ref, request, announce(ctx, ref, released));
  const cause = first.poller.rootCause;
  if (first.watched.aborted || first.watched.status !== "DELETE_FAILED" || !heldByInterfaces(cause)) return { kind: "followed", ...first };
  info(ctx, ref,
    `${ref.stackName} could not delete ${cause.logicalId} (${cause.reason}); ` +
      "waiting for the client function's network interfaces, deleting them and deleting the stack once more.");
  const again = await releaseClientInterfaces(ctx, ref, ctx.signal);
  if (again.kind === "aborted") return { kind: "followed", ...first };
  return { kind: "followed", ...(await follow(ctx, ref, request, announce(ctx, ref, again))) };
}

// Says what the delete will meet; answers where interfaces may still turn up while it runs.
function announce(ctx: EngineContext, ref: StageRef, released: Exclude<ReleaseOutcome, { kind: "aborted" }>): InterfaceOwner | undefined {
  const note = releaseNote(ref.stackName, released);
  if (note) info(ctx, ref, note);
  return released.kind === "left-to-lambda" || released.kind === "held" ? released.owner : undefined;
}

function heldByInterfaces(cause: RootCause | undefined): cause is RootCause {
  return cause !== undefined && HOLDERS.has(cause.resourceType) && HELD_BY_INTERFACES.test(cause.reason);
}

async function follow(
  ctx: EngineContext,
  ref: StageRef,
  request: DeleteRequest,
  sweep: InterfaceOwner | undefined,
): Promise<{ poller: StackEventPoller; watched: WatchResult }> {
  const token = newToken(request.operation);
  const cfn = ctx.clients.cloudFormation(ref.region);
  const sweeper = sweep && interfaceSweeper(ctx, ref, sweep);
  const followed = await followStack(ctx, ref, {
    stack: request.stackId,
    tokens: [token],
    since: ctx.clock.now(),
    stats: request.stats,
    descriptions: request.descriptions,
    start: () => deleteStack(cfn, request.stackId, token),
    onPoll: sweeper?.poll,
  });
  await sweeper?.done();
  return followed;
}

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

/** What a failed stage says: what state the stack is in, the first failure that caused it, and what the next run will do about it. */
export function failureMessage(
  stackName: string,
  status: string,
  rootCause: RootCause | undefined,
  statusReason: string | undefined,
): string {
  const cause = rootCause
    ? ` Cause: ${rootCause.logicalId} (${rootCause.resourceType}): ${rootCause.reason}`
    : statusReason
      ? ` CloudFormation says: ${statusReason}`
      : "";
  switch (status) {
    case "ROLLBACK_COMPLETE":
      return (
        `${stackName} could not be created and was rolled back (ROLLBACK_COMPLETE).${cause} ` +
        "The next run will delete it and create it again (it asks first; pass --yes in CI)."
      );
    case "UPDATE_ROLLBACK_COMPLETE":
      return `The update of ${stackName} failed and was rolled back; the stack is as it was before.${cause}`;
    case "DELETE_FAILED":
      return `${stackName} could not be deleted (DELETE_FAILED).${cause}`;
    default:
      return `${stackName} ended in ${status}.${cause}`;
  }
}

/** States no deploy can move on from by itself: the command that unblocks each one. */
export function manualFix(status: string, stackName: string, region: string): string | undefined {
  const where = `--stack-name ${stackName} --region ${region}`;
  switch (status) {
    case "UPDATE_ROLLBACK_FAILED":
      return `${stackName} is in UPDATE_ROLLBACK_FAILED. Finish its rollback, then run again: aws cloudformation continue-update-rollback ${where}`;
    case "ROLLBACK_FAILED":
    case "CREATE_FAILED":
    case "DELETE_FAILED":
    case "IMPORT_ROLLBACK_FAILED":
      return `${stackName} is in ${status} and must be deleted before it can be deployed: aws cloudformation delete-stack ${where}`;
    default:
      return undefined;
  }
}
