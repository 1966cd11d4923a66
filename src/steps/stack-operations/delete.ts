// Deleting one stack and following it to the end, as teardown, a replace and a Ctrl-C do it.
import type { PollStats, RootCause, StackEventPoller, WatchResult } from "../../aws/event-poller.js";
import type { InterfaceOwner } from "../../aws/function.js";
import { deleteStack, newToken } from "../../aws/stack.js";
import { type EngineContext, info } from "../context.js";
import type { StageRef } from "../events.js";
import { interfaceSweeper, releaseClientInterfaces, releaseNote, type ReleaseOutcome } from "../teardown/release-interfaces.js";
import { holdsVpcFunction } from "../stages.js";
import { followStack } from "./follow.js";

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
