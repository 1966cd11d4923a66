// One stage, one stack: settle whatever state the stack is in, make a change set, execute it, follow its
// events, and answer with a tagged result whose outputs feed the next stage.
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { asCredentialsError, describeAwsError, explainError, isConcurrentChange, isNoUpdates, isServiceError, onlyServiceError } from "../../aws/errors.js";
import type { PollStats, RootCause, StackEventPoller } from "../../aws/event-poller.js";
import { cancelUpdate, createChangeSet, deleteChangeSet, deleteStack, describeStack, executeChangeSet, newToken, type StackInfo, waitForChangeSet } from "../../aws/stack.js";
import { loadTemplateFacts, readTemplate } from "../../aws/templates.js";
import type { TemplateFacts } from "../../aws/template-facts.js";
import { type DeployContext, info } from "../context.js";
import { holdsVpcFunction, stageRef } from "../stages.js";
import { noteOf, type StageRef } from "../events.js";
import { deleteAndFollow } from "../stack-operations/delete.js";
import { failureMessage, manualFix } from "../stack-operations/failure.js";
import { followStack } from "../stack-operations/follow.js";
import { newLooks, otherOperation, otherOperationText, replacedText, waitedInVainText, waitOut } from "../stack-operations/other-operation.js";
import type { StagePlan } from "../plan.js";
import { reattachClientFunction } from "../teardown/reattach-function.js";
import { releaseClientInterfaces, releaseNote } from "../teardown/release-interfaces.js";

/** A stage's poll counts, and the clock readings the benchmark reads. */
export interface StageStats extends PollStats {
  // Clock readings for the benchmark: this stage's first AWS call, and when its stack was seen settled.
  readonly firstCallAt: number;
  settledAt: number | undefined;
}

/** How a stage ended: created, updated, no-op, failed or cancelled, with its outputs. */
export type StageResult =
  | { readonly kind: "deployed"; readonly outcome: "created" | "updated"; readonly outputs: Record<string, string>; readonly stats: StageStats }
  | { readonly kind: "no-op"; readonly outputs: Record<string, string>; readonly stats: StageStats }
  | {
      readonly kind: "failed";
      readonly status: string;
      readonly rootCause: RootCause | undefined;
      readonly message: string;
      readonly stats: StageStats;
    }
  | { readonly kind: "cancelled"; readonly status: string | undefined; readonly message: string; readonly stats: StageStats };

const DEFAULT_WAIT_LIMIT_MS = 60 * 60_000;

interface Run {
  readonly ctx: DeployContext;
  readonly stage: StagePlan;
  readonly ref: StageRef;
  readonly cfn: CloudFormationClient;
  readonly stats: StageStats;
  status: string | undefined;
}

/** Deploys one stage through a change set and follows it until the stack settles. */
export async function runStage(
  ctx: DeployContext,
  stage: StagePlan,
  parameters: Record<string, string>,
  templateBody: string,
  // Given when the body was rendered from a shipped template, whose hash the facts file knows.
  facts?: TemplateFacts,
): Promise<StageResult> {
  const run: Run = {
    ctx,
    stage,
    ref: stageRef(stage),
    cfn: ctx.clients.cloudFormation(stage.region),
    stats: { describeStackEventsCalls: 0, firstCallAt: ctx.clock.now(), settledAt: undefined },
    status: undefined,
  };
  try {
    return await deploy(run, parameters, templateBody, facts);
  } catch (error) {
    onlyServiceError(error, ctx.clients.profile);
    return fail(run, run.status ?? "NOT_STARTED", undefined, `${stage.stackName}: ${explainError(error, ctx.clients.profile)}`);
  }
}

// A run that finds the stack changed under it looks again this often before it stops, naming the other run.
const MAX_LOOKS = 3;
const RACED = { kind: "raced" } as const;

async function deploy(run: Run, parameters: Record<string, string>, templateBody: string, facts: TemplateFacts | undefined): Promise<StageResult> {
  const { ctx, stage, ref, cfn } = run;
  for (let look = 1; ; look++) {
    const attempt = await deployOnce(run, parameters, templateBody, facts);
    if (attempt.kind !== "raced") return attempt;
    if (look >= MAX_LOOKS) {
      const stack = await describeStack(cfn, stage.stackName);
      const other = stack && (await otherOperation(cfn, stack, ctx.clock.now()));
      const who = other ? otherOperationText(stage.stackName, other) : `Another run keeps changing ${stage.stackName}`;
      return fail(run, stack?.status ?? "NOT_STARTED", undefined, `${who}: wait for it, or see where it stands with status, then deploy again.`);
    }
    info(ctx, ref, `Another run changed ${stage.stackName} while this one was preparing its change; looking at it again.`);
  }
}

// One look at the stack and one change set. "raced" when another run changed the stack in between.
async function deployOnce(
  run: Run,
  parameters: Record<string, string>,
  templateBody: string,
  facts: TemplateFacts | undefined,
): Promise<StageResult | typeof RACED> {
  const { ctx, stage, ref, cfn } = run;
  let stack = await describeStack(cfn, stage.stackName);
  const looks = newLooks();
  const other = stack && (await otherOperation(cfn, stack, ctx.clock.now(), looks));
  if (stack && other) {
    ctx.emit({ kind: "stage-started", ...ref, action: "check", at: ctx.clock.now() });
    const limit = ctx.waitLimitMs ?? DEFAULT_WAIT_LIMIT_MS;
    const waited = await waitOut(ctx, ref, { stack, other }, ctx.clock.now() + limit, run.stats, looks);
    if (waited.kind === "aborted") return cancelled(run, `Stopped waiting; the other run's operation on ${stage.stackName} continues.`);
    if (waited.kind === "timed-out") return fail(run, waited.other.status, undefined, waitedInVainText(ref, waited.other, limit));
    stack = waited.stack;
  }
  run.status = stack?.status;
  const fix = stack ? manualFix(stack.status, stage.stackName, stage.region) : undefined;
  if (stack && fix) return fail(run, stack.status, undefined, fix);

  // A REVIEW_IN_PROGRESS stack here was left by a run that stopped before executing: it takes a CREATE,
  // whose execution deletes the change sets that run left.
  const replace = stack?.status === "ROLLBACK_COMPLETE";
  const type = !stack || replace || stack.status === "REVIEW_IN_PROGRESS" ? "CREATE" : "UPDATE";
  ctx.emit({ kind: "stage-started", ...ref, action: type === "CREATE" ? "create" : "update", at: ctx.clock.now() });
  if (stack?.status === "REVIEW_IN_PROGRESS" && looks.left.length > 0) info(ctx, ref, replacedText(stage.stackName, looks.left));
  if (stack && replace) {
    const replaced = await replaceRolledBack(run, stack);
    if (replaced) return replaced;
  }
  if (ctx.signal.aborted) {
    return cancelled(run, replace ? `Cancelled after deleting the rolled-back ${stage.stackName}; nothing was created.` : "Cancelled before any change was made.");
  }

  const template = readTemplate(facts ?? (await loadTemplateFacts(templateBody)), { region: stage.region, stackName: stage.stackName, parameters });
  let changeSet;
  let state;
  try {
    changeSet = await createChangeSet(cfn, {
      stackName: stage.stackName,
      type,
      templateBody,
      parameters,
      tags: stage.tags,
      capabilities: template.capabilities,
      now: ctx.clock.now(),
    });
    state = await waitForChangeSet(cfn, changeSet.id, ctx.clock, ctx.signal, ctx.random);
  } catch (error) {
    if (isNoUpdates(error)) return noOp(run, stack?.outputs ?? {});
    if (isConcurrentChange(error)) return RACED;
    throw error;
  }
  if (state.kind === "empty") {
    await deleteChangeSet(cfn, changeSet.id).catch(() => undefined);
    return noOp(run, stack?.outputs ?? {});
  }
  if (state.kind === "failed") {
    return fail(run, run.status ?? "REVIEW_IN_PROGRESS", undefined, `The change set for ${stage.stackName} failed: ${state.reason}`);
  }
  if (state.kind === "aborted" || ctx.signal.aborted) {
    // A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS behind; remove that too.
    if (type === "CREATE") await deleteStack(cfn, changeSet.stackId, newToken("cancel"));
    else await deleteChangeSet(cfn, changeSet.id);
    return cancelled(run, "Cancelled before the change set was executed; nothing was changed.");
  }

  // An update that changes only outputs or parameters has no resource changes to list.
  if (type === "UPDATE" && state.changes.length > 0) {
    const changes = state.changes.map((c) => ({ ...c, description: template.descriptions.get(c.logicalId) }));
    ctx.emit({ kind: "change-set", ...ref, changes, at: ctx.clock.now() });
  }

  const token = newToken("deploy");
  const id = changeSet.id;
  let followed;
  try {
    followed = await followStack(ctx, ref, {
      stack: changeSet.stackId,
      tokens: [token],
      // AWS's clock, when it is ahead of ours, keeps the previous operation's events out.
      since: Math.max(ctx.clock.now(), state.createdAt),
      stats: run.stats,
      descriptions: template.descriptions,
      start: () => executeChangeSet(cfn, id, token),
      onAbort: (poller) => cancelOperation(run, type, changeSet.stackId, poller),
    });
  } catch (error) {
    // Executing found our change set gone or obsolete: another run executed its own first.
    if (isConcurrentChange(error)) return RACED;
    throw error;
  }
  const { poller, watched } = followed;
  run.status = watched.status;
  run.stats.settledAt = watched.settledAt;
  const status = watched.status ?? "UNKNOWN";
  if (watched.aborted && status !== "CREATE_COMPLETE" && status !== "UPDATE_COMPLETE") {
    return cancelled(run, cancelledMessage(stage.stackName, type, status));
  }
  if (status === "CREATE_COMPLETE" || status === "UPDATE_COMPLETE") {
    const outputs = (await describeStack(cfn, changeSet.stackId))?.outputs ?? {};
    const outcome = type === "CREATE" ? "created" : "updated";
    ctx.emit({ kind: "stage-finished", ...ref, outcome, outputs, at: ctx.clock.now() });
    return { kind: "deployed", outcome, outputs, stats: run.stats };
  }
  const message = failureMessage(stage.stackName, status, poller.rootCause, poller.statusReason);
  return fail(run, status, poller.rootCause, message);
}

async function replaceRolledBack(run: Run, stack: StackInfo): Promise<StageResult | undefined> {
  const { ctx, stage, ref } = run;
  const deleteCommand = `aws cloudformation delete-stack --stack-name ${stage.stackName} --region ${stage.region}`;
  if (!(await ctx.confirmReplace(stage.stackName, stage.region))) {
    return fail(run, stack.status, undefined,
      `${stage.stackName} is in ROLLBACK_COMPLETE from an earlier failed create and can only be deleted and created again. ` +
        `Rerun with --yes to allow that, or delete it yourself: ${deleteCommand}`);
  }
  info(ctx, ref, `Deleting ${stage.stackName} (ROLLBACK_COMPLETE from an earlier failed create) to create it again.`);
  const deleted = await deleteAndFollow(ctx, ref, { stackId: stack.stackId, stats: run.stats, operation: "replace" });
  if (deleted.kind === "aborted-before-delete") return cancelled(run, `Cancelled before deleting the rolled-back ${stage.stackName}; nothing was changed.`);
  const { poller, watched } = deleted;
  run.status = watched.status;
  if (watched.aborted) return cancelled(run, `Stopped waiting; the delete of ${stage.stackName} continues in AWS.`);
  if (watched.status !== "DELETE_COMPLETE") {
    const status = watched.status ?? "UNKNOWN";
    return fail(run, status, poller.rootCause, failureMessage(stage.stackName, status, poller.rootCause, poller.statusReason));
  }
  return undefined;
}

// First Ctrl-C: a create still running is deleted (that also stops it); an update is cancelled, which
// rolls it back. Returns which statuses end the watch from then on.
async function cancelOperation(
  run: Run,
  type: "CREATE" | "UPDATE",
  stackId: string,
  poller: StackEventPoller,
): Promise<(status: string) => boolean> {
  const { ctx, stage, ref, cfn } = run;
  const token = newToken("cancel");
  poller.addToken(token);
  if (type === "CREATE") {
    info(ctx, ref, `Cancelling: deleting ${stage.stackName}, which was still being created.`);
    // The first Ctrl-C asked for this delete, so the release is not cut short by it; a second press is the CLI's.
    if (holdsVpcFunction(ref.key)) {
      const note = releaseNote(stage.stackName, await releaseClientInterfaces(ctx, ref, undefined));
      if (note) info(ctx, ref, note);
    }
    await deleteStack(cfn, stackId, token);
    // CREATE_COMPLETE here means the create won the race and the delete has not shown up yet.
    return (status) => status !== "CREATE_COMPLETE";
  }
  info(ctx, ref, `Cancelling the update of ${stage.stackName}; CloudFormation rolls it back.`);
  try {
    await cancelUpdate(cfn, stackId, token);
  } catch (error) {
    if (asCredentialsError(error, ctx.clients.profile) || !isServiceError(error)) throw error;
    // The update got past the point where it can be cancelled: it finishes on its own.
    info(ctx, ref, `The update of ${stage.stackName} can no longer be cancelled (${describeAwsError(error)}); waiting for it to finish.`);
  }
  return () => true;
}

function cancelledMessage(stackName: string, type: "CREATE" | "UPDATE", status: string): string {
  if (status === "DELETE_COMPLETE") return `Cancelled: ${stackName} was still being created and has been deleted.`;
  if (type === "UPDATE" && status === "UPDATE_ROLLBACK_COMPLETE") {
    return `Cancelled: the update of ${stackName} was rolled back; the stack is as it was before.`;
  }
  return `Cancelled: ${stackName} is now ${status}.`;
}

async function noOp(run: Run, outputs: Record<string, string>): Promise<StageResult> {
  const { ctx, ref } = run;
  // CloudFormation sees no change in a client function a stopped teardown took out of its VPC: put it back.
  if (holdsVpcFunction(ref.key)) {
    const reattached = await reattachClientFunction(ctx, ref);
    if (reattached.kind === "failed") return fail(run, run.status ?? "UNKNOWN", undefined, reattached.message);
    if (reattached.kind === "unchecked") ctx.emit({ kind: "warning", ...noteOf(ref), message: reattached.message, at: ctx.clock.now() });
  }
  run.stats.settledAt = ctx.clock.now();
  ctx.emit({ kind: "stage-finished", ...ref, outcome: "no-op", outputs, at: ctx.clock.now() });
  return { kind: "no-op", outputs, stats: run.stats };
}

function fail(run: Run, status: string, rootCause: RootCause | undefined, cause: string): StageResult {
  const { ctx, ref } = run;
  const advice = rootCause ? ctx.adviseFailure?.(run.stage, rootCause) : undefined;
  const message = advice ? `${cause} ${advice}` : cause;
  ctx.emit({ kind: "stage-failed", ...ref, status, rootCause, message, at: ctx.clock.now() });
  return { kind: "failed", status, rootCause, message, stats: run.stats };
}

// Ctrl-C stopped the stage: its row ends as cancelled (not failed), with what CloudFormation did about it.
function cancelled(run: Run, message: string): StageResult {
  const { ctx, ref } = run;
  const status = run.status ?? "NOT_STARTED";
  ctx.emit({ kind: "stage-cancelled", ...ref, status, message, at: ctx.clock.now() });
  return { kind: "cancelled", status: run.status, message, stats: run.stats };
}
