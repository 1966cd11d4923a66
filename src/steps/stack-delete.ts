// Deleting one stack and following it to the end, as teardown, a replace and a Ctrl-C do it. The client
// stack first has its function's network interfaces released (release-interfaces.ts); a delete that
// still fails on a subnet or security group they hold (DependencyViolation) is retried once after
// cleaning them again.
import type { PollStats, RootCause, StackEventPoller, WatchResult } from "../aws/event-poller.js";
import { deleteStack, newToken } from "../aws/stack.js";
import { info, type EngineContext } from "./engine-context.js";
import type { StageRef } from "./events.js";
import { followStack } from "./follow-stack.js";
import { releaseClientInterfaces, waitNote, type ReleaseOutcome } from "./release-interfaces.js";

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

export type DeleteResult =
  | { readonly kind: "followed"; readonly poller: StackEventPoller; readonly watched: WatchResult }
  // Ctrl-C while the interfaces were being released: the stack was not deleted.
  | { readonly kind: "aborted-before-delete" };

const HELD_BY_INTERFACES = /DependencyViolation|has dependencies and cannot be deleted|has a dependent object/i;
const HOLDERS = new Set(["AWS::EC2::Subnet", "AWS::EC2::SecurityGroup"]);

/** Deletes a stack (the client stack once its interfaces are released) and follows it until it settles. */
export async function deleteAndFollow(ctx: EngineContext, ref: StageRef, request: DeleteRequest): Promise<DeleteResult> {
  if (ref.key !== "client") return { kind: "followed", ...(await follow(ctx, ref, request)) };
  const released = await (request.release ?? releaseClientInterfaces(ctx, ref, ctx.signal));
  if (released.kind === "aborted") return { kind: "aborted-before-delete" };
  if (released.kind === "left-to-lambda") info(ctx, ref, waitNote(ref.stackName, released.why));
  const first = await follow(ctx, ref, request);
  const cause = first.poller.rootCause;
  if (first.watched.aborted || first.watched.status !== "DELETE_FAILED" || !heldByInterfaces(cause)) return { kind: "followed", ...first };
  info(ctx, ref,
    `${ref.stackName} could not delete ${cause.logicalId} (${cause.reason}); ` +
      "releasing the client function's network interfaces and deleting the stack once more.");
  const again = await releaseClientInterfaces(ctx, ref, ctx.signal);
  if (again.kind === "aborted") return { kind: "followed", ...first };
  if (again.kind === "left-to-lambda") info(ctx, ref, waitNote(ref.stackName, again.why));
  return { kind: "followed", ...(await follow(ctx, ref, request)) };
}

function heldByInterfaces(cause: RootCause | undefined): cause is RootCause {
  return cause !== undefined && HOLDERS.has(cause.resourceType) && HELD_BY_INTERFACES.test(cause.reason);
}

function follow(ctx: EngineContext, ref: StageRef, request: DeleteRequest): Promise<{ poller: StackEventPoller; watched: WatchResult }> {
  const token = newToken(request.operation);
  const cfn = ctx.clients.cloudFormation(ref.region);
  return followStack(ctx, ref, {
    stack: request.stackId,
    tokens: [token],
    since: ctx.clock.now(),
    stats: request.stats,
    descriptions: request.descriptions,
    start: () => deleteStack(cfn, request.stackId, token),
  });
}
