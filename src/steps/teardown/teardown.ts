// Deletes each client region's stage 3 (A), then its 2 (B), then stage 1 (A): each later stage depends on
// the earlier one's resources. Stacks are found as status finds them (stacks.ts), so this works on a
// half-deployed system and a second run finds nothing to do.
import { explainError, onlyServiceError } from "../../aws/errors.js";
import type { RootCause } from "../../aws/event-poller.js";
import { describeStack, isBusy } from "../../aws/stack.js";
import { readTemplate } from "../../aws/templates.js";
import { runLanes } from "../scheduler.js";
import { deleteAndFollow } from "../stack-operations/delete.js";
import { failureMessage } from "../stack-operations/failure.js";
import { followStack } from "../stack-operations/follow.js";
import { describeLeft, describeLeftText, type LeftStack, otherRoutesStacks, type StackStates } from "../stacks.js";
import { loadStageTemplate } from "../deploy/deployment-id.js";
import { type EngineContext, info } from "../context.js";
import type { StageNumber, StageRef } from "../events.js";
import { clientPlace, leftoverInterfaces, leftoverText, releaseClientInterfaces, type ReleaseOutcome } from "./release-interfaces.js";
import { loadConnectTemplate } from "../connect/templates.js";
import { holdsVpcFunction, STAGES } from "../stages.js";

/** One stage's outcome in a teardown. */
export interface TeardownStageReport extends StageRef {
  readonly outcome: "deleted" | "absent";
  readonly describeStackEventsCalls: number;
}

/** How a teardown ended: done (stage 1 deleted, or kept for the client regions that stay), failed at a stage, or cancelled. */
export type TeardownResult =
  | { readonly kind: "done"; readonly stages: readonly TeardownStageReport[]; readonly apiKept: ApiKept | undefined }
  | {
      readonly kind: "failed";
      readonly stages: readonly TeardownStageReport[];
      readonly stage: StageNumber;
      readonly clientRegion: string | undefined;
      readonly status: string;
      readonly rootCause: RootCause | undefined;
      readonly message: string;
      readonly left: readonly LeftStack[];
    }
  | { readonly kind: "cancelled"; readonly stages: readonly TeardownStageReport[]; readonly message: string; readonly left: readonly LeftStack[] };

/** Why stage 1 stays: asked to (some client regions stay), or other client regions' routes stacks were found in region A. */
export type ApiKept = { readonly why: "asked" } | { readonly why: "others"; readonly stacks: readonly string[] };

/** Which stacks to delete, how many client regions at once, and whether stage 1 goes too. */
export interface TeardownOptions {
  readonly maxParallel: number;
  // False for `teardown --client-region` naming some of the deployment's regions: stage 1 serves the others.
  readonly removeApi: boolean;
}

type StageOutcome =
  | { readonly kind: "deleted"; readonly calls: number }
  | { readonly kind: "absent"; readonly calls: number }
  | { readonly kind: "failed"; readonly status: string; readonly rootCause: RootCause | undefined; readonly message: string }
  | { readonly kind: "cancelled"; readonly message: string };

/** The command that deletes the stacks: its messages name it to run again. */
type TeardownCommand = "teardown" | "disconnect";

type Ended = Extract<StageOutcome, { kind: "failed" | "cancelled" }> & { readonly ref: StageRef };

/**
 * Deletes each client region's stage 3, then its stage 2 (the regions side by side, at most maxParallel at
 * once), then stage 1 once every region is gone; a stack already gone counts as deleted. A region that
 * fails stops no region already running and starts no new one, and stage 1 then stays.
 */
export async function teardownAll(ctx: EngineContext, stacks: StackStates, options: TeardownOptions): Promise<TeardownResult> {
  const lanes = stacks.clients.map((c) => ({ key: c.region, refs: [c.routes.ref, c.client.ref] }));
  const order = [...lanes.flatMap((lane) => lane.refs), ...(options.removeApi ? [stacks.api.ref] : [])];
  ctx.emit({ kind: "stages-queued", stages: order, at: ctx.clock.now() });
  const stages: TeardownStageReport[] = [];
  const ran = await runLanes(
    lanes.map(({ key, refs }) => ({
      key,
      run: async (): Promise<Ended | undefined> => {
        const [routes, client] = refs as [StageRef, StageRef];
        // Region B frees the client function's network interfaces while region A deletes the routes: by
        // the time stage 2's turn comes, its stack has nothing left to wait for (DESIGN §11).
        const release = settled(releaseClientInterfaces(ctx, client, ctx.signal));
        for (const ref of [routes, client]) {
          const outcome = await teardownStage(ctx, ref, "teardown", ref === client ? release : undefined);
          if (outcome.kind === "deleted" || outcome.kind === "absent") {
            stages.push({ ...ref, outcome: outcome.kind, describeStackEventsCalls: outcome.calls });
            continue;
          }
          // Whatever the release was doing finishes (or stops, on Ctrl-C) before the lane ends.
          await release.catch(() => undefined);
          return { ...outcome, ref };
        }
        return undefined;
      },
    })),
    { width: options.maxParallel, signal: ctx.signal, stops: (ended) => ended !== undefined },
  );
  const ended = ran.flatMap((lane) => (lane.kind === "ran" && lane.value ? [lane.value] : []));
  const notStarted = ran.some((lane) => lane.kind === "not-started");
  if (ended.length > 0 || notStarted || ctx.signal.aborted) return stopped(ctx, order, stages, ended);
  if (!options.removeApi) return { kind: "done", stages, apiKept: { why: "asked" } };

  // Another client region's routes stack still hangs off stage 1 (a region the answers no longer list).
  const others = await otherRoutesStacks(ctx.clients, stacks);
  if (others.length > 0) {
    info(ctx, stacks.api.ref, `${stacks.api.ref.stackName} stays: ${others.join(", ")} in ${stacks.api.ref.region} still use${others.length === 1 ? "s" : ""} it.`);
    return { kind: "done", stages, apiKept: { why: "others", stacks: others } };
  }
  const api = await teardownStage(ctx, stacks.api.ref, "teardown", undefined);
  if (api.kind === "deleted" || api.kind === "absent") {
    stages.push({ ...stacks.api.ref, outcome: api.kind, describeStackEventsCalls: api.calls });
    return { kind: "done", stages, apiKept: undefined };
  }
  return stopped(ctx, order, stages, [{ ...api, ref: stacks.api.ref }]);
}

/**
 * Several lanes of stacks (a connection's client regions, each its API side then its client side), each
 * lane in its order, the lanes side by side (at most maxParallel at once); a stack already gone counts as
 * deleted, and a lane that fails stops none running and starts no new one.
 */
export async function teardownLanes(
  ctx: EngineContext,
  lanes: readonly (readonly StageRef[])[],
  options: { readonly maxParallel: number; readonly command: TeardownCommand },
): Promise<TeardownResult> {
  const order = lanes.flat();
  ctx.emit({ kind: "stages-queued", stages: order, at: ctx.clock.now() });
  const stages: TeardownStageReport[] = [];
  const ran = await runLanes(
    lanes.map((refs, i) => ({
      key: refs[0]?.clientRegion ?? String(i),
      run: async (): Promise<Ended | undefined> => {
        // Region B frees the client function's network interfaces while region A deletes the routes: by the
        // time the client stack's turn comes, it has nothing left to wait for (DESIGN §11).
        const client = refs.find((ref) => holdsVpcFunction(ref.key));
        const release = client && settled(releaseClientInterfaces(ctx, client, ctx.signal));
        for (const ref of refs) {
          const outcome = await teardownStage(ctx, ref, options.command, ref === client ? release : undefined);
          if (outcome.kind === "deleted" || outcome.kind === "absent") {
            stages.push({ ...ref, outcome: outcome.kind, describeStackEventsCalls: outcome.calls });
            continue;
          }
          // Whatever the release was doing finishes (or stops, on Ctrl-C) before the lane ends.
          await release?.catch(() => undefined);
          return { ...outcome, ref };
        }
        return undefined;
      },
    })),
    { width: options.maxParallel, signal: ctx.signal, stops: (ended) => ended !== undefined },
  );
  const ended = ran.flatMap((lane) => (lane.kind === "ran" && lane.value ? [lane.value] : []));
  if (ended.length > 0 || ran.some((lane) => lane.kind === "not-started") || ctx.signal.aborted) return stopped(ctx, order, stages, ended);
  return { kind: "done", stages, apiKept: undefined };
}

// The run ends short of its end: what is left, said once, and the first failure (or the cancel).
async function stopped(ctx: EngineContext, order: readonly StageRef[], stages: readonly TeardownStageReport[], ended: readonly Ended[]): Promise<TeardownResult> {
  const left = await describeLeft(ctx, order);
  ctx.emit({ kind: "info", message: describeLeftText(left), at: ctx.clock.now() });
  const failed = ended.find((e): e is Extract<Ended, { kind: "failed" }> => e.kind === "failed");
  if (failed && !ctx.signal.aborted) {
    const { ref } = failed;
    return { kind: "failed", stages, stage: ref.stage, clientRegion: ref.clientRegion, status: failed.status, rootCause: failed.rootCause, message: failed.message, left };
  }
  const cancelled = ended.find((e) => e.kind === "cancelled");
  return { kind: "cancelled", stages, message: cancelled?.kind === "cancelled" ? cancelled.message : "Cancelled before every client region was removed.", left };
}

// Started before anyone awaits it: a rejection is held (not unhandled) until stage 2 reads it.
function settled(promise: Promise<ReleaseOutcome>): Promise<ReleaseOutcome> {
  promise.catch(() => undefined);
  return promise;
}

async function teardownStage(ctx: EngineContext, ref: StageRef, command: TeardownCommand, release: Promise<ReleaseOutcome> | undefined): Promise<StageOutcome> {
  try {
    return await deleteOne(ctx, ref, command, release);
  } catch (error) {
    onlyServiceError(error, ctx.clients.profile);
    const message = `${ref.stackName}: ${explainError(error, ctx.clients.profile)}`;
    ctx.emit({ kind: "stage-failed", ...ref, status: "UNKNOWN", rootCause: undefined, message, at: ctx.clock.now() });
    return { kind: "failed", status: "UNKNOWN", rootCause: undefined, message };
  }
}

async function deleteOne(ctx: EngineContext, ref: StageRef, command: TeardownCommand, release: Promise<ReleaseOutcome> | undefined): Promise<StageOutcome> {
  const cfn = ctx.clients.cloudFormation(ref.region);
  const stats = { describeStackEventsCalls: 0 };
  let stack = await describeStack(cfn, ref.stackName);
  if (!stack) {
    ctx.emit({ kind: "stage-finished", ...ref, outcome: "absent", outputs: {}, at: ctx.clock.now() });
    return { kind: "absent", calls: 0 };
  }
  ctx.emit({ kind: "stage-started", ...ref, action: "delete", at: ctx.clock.now() });
  // Another operation (often an earlier teardown's delete) must finish before DeleteStack is accepted.
  // Neither can be cancelled: on Ctrl-C we stop following it and say so.
  if (isBusy(stack.status)) {
    info(ctx, ref, `${ref.stackName} is ${stack.status}; waiting for that to finish.`);
    const { watched } = await followStack(ctx, ref, { stack: stack.stackId, tokens: [], since: stack.operationStartedAt, stats });
    if (watched.aborted) return stopFollowing(ctx, ref, command);
    stack = await describeStack(cfn, stack.stackId);
  }
  if (stack) {
    const descriptions = await descriptionsOf(ref, stack.parameters);
    const deleted = await deleteAndFollow(ctx, ref, { stackId: stack.stackId, stats, operation: command, release, descriptions });
    if (deleted.kind === "aborted-before-delete") {
      const message = `Cancelled before deleting ${ref.stackName}; it is still there. Run ${command} again to delete it.`;
      ctx.emit({ kind: "stage-cancelled", ...ref, status: stack.status, message, at: ctx.clock.now() });
      return { kind: "cancelled", message };
    }
    const { poller, watched } = deleted;
    if (watched.aborted) return stopFollowing(ctx, ref, command);
    if (watched.status !== "DELETE_COMPLETE") {
      const status = watched.status ?? "UNKNOWN";
      const failed = failureMessage(ref.stackName, status, poller.rootCause, poller.statusReason);
      const message = status === "DELETE_FAILED" ? `${failed}${/[.!?)]$/.test(failed) ? "" : "."} ${await whatHoldsIt(ctx, ref, command)}` : failed;
      ctx.emit({ kind: "stage-failed", ...ref, status, rootCause: poller.rootCause, message, at: ctx.clock.now() });
      return { kind: "failed", status, rootCause: poller.rootCause, message };
    }
  }
  ctx.emit({ kind: "stage-finished", ...ref, outcome: "deleted", outputs: {}, at: ctx.clock.now() });
  return { kind: "deleted", calls: stats.describeStackEventsCalls };
}

// A DELETE_FAILED stack is kept with what it could not delete, and CloudFormation deletes the rest when
// asked again. What holds the client stack is usually Lambda's interfaces: each is listed with its command.
async function whatHoldsIt(ctx: EngineContext, ref: StageRef, command: TeardownCommand): Promise<string> {
  const again = `run ${command} again: CloudFormation deletes what is left of the stack.`;
  if (!holdsVpcFunction(ref.key)) return `Remove what holds it, then ${again}`;
  try {
    const place = await clientPlace(ctx.clients, ref);
    const left = place ? await leftoverInterfaces(ctx.clients, place) : [];
    if (place && left.length > 0) return `${leftoverText(place, left, command)}\nOnce they are gone, ${again}`;
  } catch (error) {
    onlyServiceError(error, ctx.clients.profile);
  }
  return `Remove what holds it, then ${again}`;
}

// The rows are named as deploy names them: by the shipped template's descriptions, the stack's own
// parameters filled in, its API Deployment under the id it was deployed with. None when the template
// cannot be read: the rows then show the resource types.
async function descriptionsOf(ref: StageRef, parameters: Readonly<Record<string, string>>): Promise<ReadonlyMap<string, string>> {
  try {
    const deployment = STAGES.find((def) => def.key === ref.key);
    const { facts } = deployment ? await loadStageTemplate(deployment.template, parameters) : await loadConnectTemplate(ref.key === "connect-api" ? "api" : "client");
    return readTemplate(facts, { region: ref.region, stackName: ref.stackName, parameters }).descriptions;
  } catch {
    return new Map();
  }
}

function stopFollowing(ctx: EngineContext, ref: StageRef, command: TeardownCommand): StageOutcome {
  const message = `Stopped following the delete of ${ref.stackName}; it continues in AWS. Run ${command} again to follow it to the end.`;
  ctx.emit({ kind: "stage-cancelled", ...ref, status: "DELETE_IN_PROGRESS", message, at: ctx.clock.now() });
  return { kind: "cancelled", message };
}
