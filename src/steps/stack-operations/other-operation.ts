// Another run on the same stack (DESIGN §13): seen from the stack's status, or from a change set of ours that
// is being made, or ready and about to run, while the stack is still REVIEW_IN_PROGRESS; then waited out, with
// the other operation's events shown, until the stack takes a new operation again. A change set left ready
// by a run that no longer runs holds nothing: this run's replaces it.
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { pollDelay } from "../../aws/clock.js";
import type { PollStats } from "../../aws/event-poller.js";
import { describeStack, isBusy, listChangeSets, type ChangeSetSummary, type StackInfo } from "../../aws/stack.js";
import { info, type EngineContext } from "../context.js";
import type { StageRef } from "../events.js";
import { followStack } from "./follow.js";

/** An operation on the stack that is not this run's: its status and when it began (AWS's clock). */
export interface OtherOperation {
  readonly status: string;
  readonly since: number;
  // The stack is REVIEW_IN_PROGRESS and held by this change set of another run: being made, or ready
  // and about to be executed. Waited for until `until` (this run's clock), then replaced or named.
  readonly changeSet?: { readonly name: string; readonly state: "making" | "ready"; readonly until: number };
}

// Our change sets are named xregion-<time>. A live run polls its change set every second and executes it
// the moment it is ready (steps/deploy-stage.ts), within seconds even when throttled; so one that stays
// ready and unexecuted for longer than READY_GRACE_MS after this run first saw it, or that was made more
// than ABANDONED_AFTER_MS ago, was left by a run that no longer runs (killed, its terminal closed, a CI
// timeout), and this run's change set replaces it. The grace is measured on this run's clock alone. The
// two minutes compare AWS's CreationTime with this run's clock, so they can only shorten the wait: a clock
// behind AWS's once made a run wait as long as the clocks differ; one ahead may replace a live run's change
// set early, and that run then finds it gone and waits for this one, as after any race it loses.
const OURS = /^xregion-/;
const READY_GRACE_MS = 30_000;
const ABANDONED_AFTER_MS = 2 * 60_000;
// AWS finishes making a change set whether or not its run still runs, in seconds for these templates:
// one still being made this long after this run first saw it is stuck, and is named rather than waited for.
const MAKING_LIMIT_MS = 10 * 60_000;
const MAKING = new Set(["CREATE_PENDING", "CREATE_IN_PROGRESS"]);

/** What one stage's looks at a REVIEW_IN_PROGRESS stack have seen: since when each change set stood as it is. */
export interface ChangeSetLooks {
  readonly seen: Map<string, { readonly state: "making" | "ready"; readonly at: number }>;
  // Ready change sets of runs that no longer run, found at the last look: this run's replaces them.
  left: readonly ChangeSetSummary[];
}

/** A stage's first look. */
export function newLooks(): ChangeSetLooks {
  return { seen: new Map(), left: [] };
}

/** The other operation holding the stack, if any. */
export async function otherOperation(cfn: CloudFormationClient, stack: StackInfo, now: number, looks: ChangeSetLooks = newLooks()): Promise<OtherOperation | undefined> {
  looks.left = [];
  if (isBusy(stack.status)) {
    return { status: stack.status, since: stack.operationStartedAt };
  }
  if (stack.status !== "REVIEW_IN_PROGRESS") return undefined;
  const ours = (await listChangeSets(cfn, stack.stackId)).filter((cs) => OURS.test(cs.name));
  const running = ours.find((cs) => cs.executionStatus === "EXECUTE_IN_PROGRESS");
  if (running) return { status: stack.status, since: running.createdAt };
  let holder: OtherOperation | undefined;
  for (const cs of ours) {
    const state = MAKING.has(cs.status) ? "making" : cs.status === "CREATE_COMPLETE" && cs.executionStatus === "AVAILABLE" ? "ready" : undefined;
    if (!state) continue;
    const before = looks.seen.get(cs.name);
    const seen = before?.state === state ? before.at : now;
    looks.seen.set(cs.name, { state, at: seen });
    const until = seen + (state === "making" ? MAKING_LIMIT_MS : READY_GRACE_MS);
    if (state === "ready" && (now >= until || now - cs.createdAt >= ABANDONED_AFTER_MS)) {
      looks.left = [...looks.left, cs];
      continue;
    }
    holder ??= { status: stack.status, since: cs.createdAt, changeSet: { name: cs.name, state, until } };
  }
  return holder;
}

/** "Another run is updating demo-api (UPDATE_IN_PROGRESS since 12:03:04 UTC)". */
export function otherOperationText(stackName: string, other: OtherOperation): string {
  if (other.changeSet?.state === "ready") {
    return `Another run's change set ${other.changeSet.name} for ${stackName} is ready${clockText(other.since, " (made ", ")")} but not executed yet`;
  }
  return `Another run is ${doing(other.status)} ${stackName} (${other.status}${clockText(other.since, " since ", "")})`;
}

function clockText(at: number, before: string, after: string): string {
  return at > 0 ? `${before}${new Date(at).toISOString().slice(11, 19)} UTC${after}` : "";
}

function doing(status: string): string {
  if (status === "REVIEW_IN_PROGRESS") return "preparing to create";
  if (status.startsWith("DELETE")) return "deleting";
  if (status.includes("ROLLBACK")) return "rolling back";
  return status.startsWith("CREATE") ? "creating" : "updating";
}

/**
 * Why the stage stops after waiting in vain, and what to do: a change set that holds the stack is named
 * with the command that removes it; an operation with where to see it.
 */
export function waitedInVainText(ref: StageRef, other: OtherOperation, limitMs: number): string {
  const held = otherOperationText(ref.stackName, other);
  if (other.changeSet) {
    const remove = `aws cloudformation delete-change-set --stack-name ${ref.stackName} --change-set-name ${other.changeSet.name} --region ${ref.region}`;
    const still = other.changeSet.state === "making" ? `, and its change set ${other.changeSet.name} is still being made` : "";
    return `${held}${still}: wait for it, or remove the change set (${remove}), then deploy again.`;
  }
  return `${held} and it has not finished in ${Math.round(limitMs / 60_000)} minutes: wait for it, or see where it stands with status, then deploy again.`;
}

/** The change sets of runs that no longer run, replaced by this run's: said once, by name. */
export function replacedText(stackName: string, left: readonly ChangeSetSummary[]): string {
  const names = left.map((cs) => `${cs.name}${clockText(cs.createdAt, " (made ", ")")}`).join(", ");
  return `${stackName} is REVIEW_IN_PROGRESS with ${left.length === 1 ? "a change set" : "change sets"} that a run which no longer runs made and never executed: ${names}. This run's change set replaces ${left.length === 1 ? "it" : "them"}.`;
}

/** How waiting out the other operation ended. */
export type WaitOutcome =
  | { readonly kind: "free"; readonly stack: StackInfo | undefined }
  | { readonly kind: "aborted" }
  | { readonly kind: "timed-out"; readonly other: OtherOperation };

/** Waits until no other operation holds the stack, then answers the stack as it is now (by name). */
export async function waitOut(
  ctx: EngineContext,
  ref: StageRef,
  held: { stack: StackInfo; other: OtherOperation },
  deadline: number,
  stats: PollStats,
  looks: ChangeSetLooks,
): Promise<WaitOutcome> {
  const cfn = ctx.clients.cloudFormation(ref.region);
  info(ctx, ref, `${otherOperationText(ref.stackName, held.other)}: ${waitingFor(held.other)}`);
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
    const now = ctx.clock.now();
    if (now >= deadline || (other.changeSet?.state === "making" && now >= other.changeSet.until)) return { kind: "timed-out", other };
    stack = await describeStack(cfn, ref.stackName);
    other = stack && (await otherOperation(cfn, stack, ctx.clock.now(), looks));
  }
  return { kind: "free", stack };
}

function waitingFor(other: OtherOperation): string {
  if (other.changeSet?.state === "ready") {
    return `waiting up to ${Math.round(READY_GRACE_MS / 1000)} s for that run to execute it; one left by a run that no longer runs is replaced then.`;
  }
  return "waiting for it to finish, then deciding again.";
}
