// Another run on the same stack (DESIGN §13): seen from the stack's status, or from a change set of ours that
// is being created or executed while the stack is still REVIEW_IN_PROGRESS; then waited out, with the other
// operation's events shown, until the stack takes a new operation again.
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { pollDelay } from "../aws/clock.js";
import type { PollStats } from "../aws/event-poller.js";
import { describeStack, isBusy, listChangeSets, type ChangeSetSummary, type StackInfo } from "../aws/stack.js";
import { info, type EngineContext } from "./context.js";
import type { StageRef } from "./events.js";
import { followStack } from "./stacks.js";

/** An operation on the stack that is not this run's: its status and when it began (AWS's clock). */
export interface OtherOperation {
  readonly status: string;
  readonly since: number;
}

// Our change sets are named xregion-<time>; a run executes its own the moment it is ready, so one left ready
// and unexecuted for longer than this belongs to a run that was stopped, and no longer holds the stack.
const OURS = /^xregion-/;
const ABANDONED_AFTER_MS = 2 * 60_000;

/** The other operation holding the stack, if any. */
export async function otherOperation(cfn: CloudFormationClient, stack: StackInfo, now: number): Promise<OtherOperation | undefined> {
  if (isBusy(stack.status)) {
    return { status: stack.status, since: stack.operationStartedAt };
  }
  if (stack.status !== "REVIEW_IN_PROGRESS") return undefined;
  const active = (await listChangeSets(cfn, stack.stackId)).find((cs) => OURS.test(cs.name) && isActive(cs, now));
  return active && { status: stack.status, since: active.createdAt };
}

function isActive(cs: ChangeSetSummary, now: number): boolean {
  if (cs.executionStatus === "EXECUTE_IN_PROGRESS") return true;
  if (cs.status === "CREATE_PENDING" || cs.status === "CREATE_IN_PROGRESS") return true;
  return cs.status === "CREATE_COMPLETE" && cs.executionStatus === "AVAILABLE" && now - cs.createdAt < ABANDONED_AFTER_MS;
}

/** "Another run is updating demo-api (UPDATE_IN_PROGRESS since 12:03:04 UTC)". */
export function otherOperationText(stackName: string, other: OtherOperation): string {
  const since = other.since > 0 ? ` since ${new Date(other.since).toISOString().slice(11, 19)} UTC` : "";
  return `Another run is ${doing(other.status)} ${stackName} (${other.status}${since})`;
}

function doing(status: string): string {
  if (status === "REVIEW_IN_PROGRESS") return "preparing to create";
  if (status.startsWith("DELETE")) return "deleting";
  if (status.includes("ROLLBACK")) return "rolling back";
  return status.startsWith("CREATE") ? "creating" : "updating";
}

/** How waiting out the other operation ended. */
export type WaitOutcome =
  | { readonly kind: "free"; readonly stack: StackInfo | undefined }
  | { readonly kind: "aborted" }
  | { readonly kind: "timed-out"; readonly other: OtherOperation };

/** Waits until no other operation holds the stack, then answers the stack as it is now (by name). */
export async function waitOut(ctx: EngineContext, ref: StageRef, held: { stack: StackInfo; other: OtherOperation }, deadline: number, stats: PollStats): Promise<WaitOutcome> {
  const cfn = ctx.clients.cloudFormation(ref.region);
  info(ctx, ref, `${otherOperationText(ref.stackName, held.other)}: waiting for it to finish, then deciding again.`);
  let other: OtherOperation | undefined = held.other;
  let stack: StackInfo | undefined = held.stack;
  for (let round = 0; stack && other; round++) {
    // No stack events come while a change set is being made, and DescribeStacks may lag the events a
    // little: look again every few seconds.
    if (round > 0 || other.status === "REVIEW_IN_PROGRESS") {
      await ctx.clock.sleep(pollDelay(round, ctx.random), ctx.signal);
      if (ctx.signal.aborted) return { kind: "aborted" };
    }
    if (other.status !== "REVIEW_IN_PROGRESS") {
      const { watched } = await followStack(ctx, ref, { stack: stack.stackId, tokens: [], since: other.since, stats, deadline });
      if (watched.aborted) return { kind: "aborted" };
    }
    if (ctx.clock.now() >= deadline) return { kind: "timed-out", other };
    stack = await describeStack(cfn, ref.stackName);
    other = stack && (await otherOperation(cfn, stack, ctx.clock.now()));
  }
  return { kind: "free", stack };
}
