// Deletes stage 3 (A), then 2 (B), then 1 (A): each later stage depends on the earlier one's resources.
// Stacks are found by name, so this works on a half-deployed system and a second run finds nothing to do.
import { asCredentialsError, errorMessage, isServiceError } from "../aws/errors.js";
import type { RootCause } from "../aws/event-poller.js";
import { deleteStack, describeStack, newToken } from "../aws/stack.js";
import { describeLeft, describeLeftText, type LeftStack } from "./cancel.js";
import { info, type EngineContext } from "./engine-context.js";
import type { StageNumber, StageRef } from "./events.js";
import { followStack } from "./follow-stack.js";
import { failureMessage } from "./stage-messages.js";
import { STAGES, stackName } from "./stages.js";

export interface TeardownTarget {
  readonly name: string;
  readonly apiRegion: string;
  readonly clientRegion: string;
}

export interface TeardownStageReport {
  readonly stage: StageNumber;
  readonly stackName: string;
  readonly region: string;
  readonly outcome: "deleted" | "absent";
  readonly describeStackEventsCalls: number;
}

export type TeardownResult =
  | { readonly kind: "done"; readonly stages: readonly TeardownStageReport[] }
  | {
      readonly kind: "failed";
      readonly stages: readonly TeardownStageReport[];
      readonly stage: StageNumber;
      readonly status: string;
      readonly rootCause: RootCause | undefined;
      readonly message: string;
      readonly left: readonly LeftStack[];
    }
  | { readonly kind: "cancelled"; readonly stages: readonly TeardownStageReport[]; readonly message: string; readonly left: readonly LeftStack[] };

type StageOutcome =
  | { readonly kind: "deleted"; readonly calls: number }
  | { readonly kind: "absent"; readonly calls: number }
  | { readonly kind: "failed"; readonly status: string; readonly rootCause: RootCause | undefined; readonly message: string }
  | { readonly kind: "cancelled"; readonly message: string };

const ENI_NOTE =
  "can take many minutes (often 20-40) while Lambda releases the function's network interfaces " +
  "(hyperplane ENIs) in the VPC. This is expected: progress continues below.";

function teardownOrder(target: TeardownTarget): StageRef[] {
  return [...STAGES].reverse().map((def) => ({
    stage: def.number,
    key: def.key,
    stackName: stackName(target.name, def.key),
    region: def.regionRole === "api" ? target.apiRegion : target.clientRegion,
  }));
}

export async function teardownAll(ctx: EngineContext, target: TeardownTarget): Promise<TeardownResult> {
  const order = teardownOrder(target);
  ctx.emit({ kind: "stages-queued", stages: order, at: ctx.clock.now() });
  const stages: TeardownStageReport[] = [];
  for (const ref of order) {
    const outcome = await teardownStage(ctx, ref);
    if (outcome.kind === "deleted" || outcome.kind === "absent") {
      stages.push({ stage: ref.stage, stackName: ref.stackName, region: ref.region, outcome: outcome.kind, describeStackEventsCalls: outcome.calls });
      continue;
    }
    const left = await describeLeft(ctx, order.map((r) => ({ number: r.stage, stackName: r.stackName, region: r.region })));
    ctx.emit({ kind: "info", message: describeLeftText(left), at: ctx.clock.now() });
    if (outcome.kind === "cancelled") return { kind: "cancelled", stages, message: outcome.message, left };
    return { kind: "failed", stages, stage: ref.stage, status: outcome.status, rootCause: outcome.rootCause, message: outcome.message, left };
  }
  return { kind: "done", stages };
}

async function teardownStage(ctx: EngineContext, ref: StageRef): Promise<StageOutcome> {
  try {
    return await deleteOne(ctx, ref);
  } catch (error) {
    const credentials = asCredentialsError(error, ctx.clients.profile);
    if (credentials) throw credentials;
    if (!isServiceError(error)) throw error;
    const message = `${ref.stackName}: ${errorMessage(error)}`;
    ctx.emit({ kind: "stage-failed", ...ref, status: "UNKNOWN", rootCause: undefined, message, at: ctx.clock.now() });
    return { kind: "failed", status: "UNKNOWN", rootCause: undefined, message };
  }
}

async function deleteOne(ctx: EngineContext, ref: StageRef): Promise<StageOutcome> {
  const cfn = ctx.clients.cloudFormation(ref.region);
  const stats = { describeStackEventsCalls: 0 };
  let stack = await describeStack(cfn, ref.stackName);
  if (!stack) {
    ctx.emit({ kind: "stage-finished", ...ref, outcome: "absent", outputs: {}, at: ctx.clock.now() });
    return { kind: "absent", calls: 0 };
  }
  ctx.emit({ kind: "stage-started", ...ref, action: "delete", at: ctx.clock.now() });
  if (ref.key === "client") info(ctx, ref, `Deleting ${ref.stackName} ${ENI_NOTE}`);
  // Another operation (often an earlier teardown's delete) must finish before DeleteStack is accepted.
  // Neither can be cancelled: on Ctrl-C we stop following it and say so.
  if (stack.status.endsWith("_IN_PROGRESS") && stack.status !== "REVIEW_IN_PROGRESS") {
    info(ctx, ref, `${ref.stackName} is ${stack.status}; waiting for that to finish.`);
    const { watched } = await followStack(ctx, ref, { stack: stack.stackId, tokens: [], since: stack.operationStartedAt, stats });
    if (watched.aborted) return stopFollowing(ctx, ref);
    stack = await describeStack(cfn, stack.stackId);
  }
  if (stack) {
    const { stackId } = stack;
    const token = newToken("teardown");
    const { poller, watched } = await followStack(ctx, ref, {
      stack: stackId,
      tokens: [token],
      since: ctx.clock.now(),
      stats,
      start: () => deleteStack(cfn, stackId, token),
    });
    if (watched.aborted) return stopFollowing(ctx, ref);
    if (watched.status !== "DELETE_COMPLETE") {
      const status = watched.status ?? "UNKNOWN";
      const message = failureMessage(ref.stackName, status, poller.rootCause, poller.statusReason);
      ctx.emit({ kind: "stage-failed", ...ref, status, rootCause: poller.rootCause, message, at: ctx.clock.now() });
      return { kind: "failed", status, rootCause: poller.rootCause, message };
    }
  }
  ctx.emit({ kind: "stage-finished", ...ref, outcome: "deleted", outputs: {}, at: ctx.clock.now() });
  return { kind: "deleted", calls: stats.describeStackEventsCalls };
}

function stopFollowing(ctx: EngineContext, ref: StageRef): StageOutcome {
  const message = `Stopped following the delete of ${ref.stackName}; it continues in AWS. Run teardown again to follow it to the end.`;
  ctx.emit({ kind: "stage-cancelled", ...ref, status: "DELETE_IN_PROGRESS", message, at: ctx.clock.now() });
  return { kind: "cancelled", message };
}
