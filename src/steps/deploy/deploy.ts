// A deploy: stage 1, then every client region's stage 2 → its stage 3, the regions side by side (at most
// `maxParallel` at once, scheduler.ts), each stage's outputs feeding the next one's parameters. A region
// that fails stops no region already running and starts no new one; a re-run resumes, because the stages
// already deployed answer an empty change set (no-op).
import { refusedAction, refusedAdvice } from "../../aws/access-denied.js";
import type { RootCause } from "../../aws/event-poller.js";
import type { DeployContext } from "../context.js";
import { stageRef } from "../stages.js";
import { runStage, type StageResult } from "./deploy-stage.js";
import { loadStageTemplate } from "./deployment-id.js";
import type { StageNumber, StageRef } from "../events.js";
import type { Plan, StagePlan } from "../plan.js";
import { runLanes } from "../scheduler.js";
import { describeLeft, describeLeftText, type LeftStack } from "../stacks.js";
import { zoneFailureAdvice } from "./zones.js";

/** One stage's outcome in a deploy's result. */
export interface StageReport extends StageRef {
  readonly result: StageResult;
  // From the previous stage's stack being seen settled to this stage's first AWS call (benchmark: ≤ 1 s).
  readonly handoffMs: number | undefined;
}

/** Where one client region ended: up (both its stages), failed at a stage, cancelled, or never started. */
export type RegionOutcome =
  | { readonly region: string; readonly kind: "up" }
  | { readonly region: string; readonly kind: "failed"; readonly stage: StageNumber; readonly message: string }
  | { readonly region: string; readonly kind: "cancelled" }
  | { readonly region: string; readonly kind: "not-started" };

/** Every stage's outputs known so far: stage 1's, and each client region's stage 2 and 3. */
export interface DeployOutputs {
  readonly api: Readonly<Record<string, string>> | undefined;
  readonly clients: Readonly<Record<string, StageOutputs>>;
}

interface DeployCommon {
  readonly stages: readonly StageReport[];
  // Every stage's outputs known so far, also after a failure: the CLI writes them to --outputs-file.
  readonly outputs: DeployOutputs;
  // Each client region's ending, in the answers' order (none when stage 1 did not finish).
  readonly regions: readonly RegionOutcome[];
}

/** How a deploy ended: deployed (with every stage's outputs), failed at a stage, or cancelled. */
export type DeployResult =
  | ({ readonly kind: "deployed" } & DeployCommon)
  | ({ readonly kind: "failed"; readonly stage: StageNumber; readonly clientRegion: string | undefined; readonly message: string } & DeployCommon)
  | ({ readonly kind: "cancelled"; readonly message: string; readonly left: readonly LeftStack[] } & DeployCommon);

/** How many client regions at once (--max-parallel). */
export interface DeployOptions {
  readonly maxParallel: number;
}

type RegionRun =
  | { readonly kind: "up"; readonly outputs: StageOutputs }
  | { readonly kind: "failed"; readonly stage: StageNumber; readonly message: string; readonly outputs: StageOutputs }
  | { readonly kind: "cancelled"; readonly message: string; readonly outputs: StageOutputs };

/** Deploys stage 1, then every client region's stages 2 and 3, each fed the outputs of the ones before. */
export async function deployAll(deployCtx: DeployContext, plan: Plan, options: DeployOptions): Promise<DeployResult> {
  const ctx: DeployContext = { ...deployCtx, adviseFailure: deployCtx.adviseFailure ?? ((stage, cause) => failureAdvice(plan, stage, cause)) };
  ctx.emit({ kind: "stages-queued", stages: plan.stages.map(stageRef), at: ctx.clock.now() });
  const stages: StageReport[] = [];
  const clients: Record<string, StageOutputs> = {};
  const outputs = (api: Readonly<Record<string, string>> | undefined): DeployOutputs => ({ api, clients: { ...clients } });
  const [apiStage] = plan.stages;
  if (!apiStage) throw new Error("deploy: the plan has no stage 1");
  if (ctx.signal.aborted) return cancelledRun(ctx, plan, stages, outputs(undefined), "Cancelled before stage 1.", []);

  const api = await deployStage(ctx, apiStage, {}, undefined, stages);
  if (api.kind === "cancelled") return cancelledRun(ctx, plan, stages, outputs(undefined), api.message, []);
  if (api.kind === "failed") return failedRun(ctx, plan, { kind: "failed", stage: 1, clientRegion: undefined, message: api.message, stages, outputs: outputs(undefined), regions: [] });
  const apiOutputs = api.outputs;
  const apiSettledAt = api.result.stats.settledAt;

  // One lane per client region: its stage 2, then (fed its peering) its stage 3.
  const lanes = plan.clients.map(({ region }) => ({
    key: region,
    run: async (): Promise<RegionRun> => {
      const known: { -readonly [K in keyof StageOutputs]: StageOutputs[K] } = { 1: apiOutputs };
      clients[region] = known;
      let settledAt = apiSettledAt;
      for (const stage of plan.stages.filter((s) => s.clientRegion === region)) {
        if (ctx.signal.aborted) return { kind: "cancelled", message: `Cancelled before stage ${stage.number} of ${region}.`, outputs: known };
        const run = await deployStage(ctx, stage, known, settledAt, stages);
        if (run.kind === "cancelled") return { kind: "cancelled", message: run.message, outputs: known };
        if (run.kind === "failed") return { kind: "failed", stage: stage.number, message: run.message, outputs: known };
        known[stage.number] = run.outputs;
        settledAt = run.result.stats.settledAt;
      }
      return { kind: "up", outputs: known };
    },
  }));
  const ran = await runLanes(lanes, { width: options.maxParallel, signal: ctx.signal, stops: (run) => run.kind === "failed" });
  const regions: RegionOutcome[] = ran.map((lane): RegionOutcome => {
    if (lane.kind === "not-started") return { region: lane.key, kind: "not-started" };
    const run = lane.value;
    return run.kind === "failed" ? { region: lane.key, kind: "failed", stage: run.stage, message: run.message } : { region: lane.key, kind: run.kind };
  });
  const done = outputs(apiOutputs);
  const cancelled = ran.find((lane) => lane.kind === "ran" && lane.value.kind === "cancelled");
  if (ctx.signal.aborted || cancelled) {
    const message = cancelled?.kind === "ran" && cancelled.value.kind === "cancelled" ? cancelled.value.message : "Cancelled.";
    return cancelledRun(ctx, plan, stages, done, message, regions);
  }
  // The failure that stopped the others: the first to end, as its stage-failed event came first.
  const failed = firstFailure(stages, regions);
  if (failed?.kind === "failed") return failedRun(ctx, plan, { kind: "failed", stage: failed.stage, clientRegion: failed.region, message: failed.message, stages, outputs: done, regions });
  return { kind: "deployed", stages, outputs: done, regions };
}

type StageRun =
  | { readonly kind: "done"; readonly outputs: Record<string, string>; readonly result: StageResult }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "cancelled"; readonly message: string };

// One stage: its parameters from the outputs known so far, its template rendered, then runStage.
async function deployStage(ctx: DeployContext, stage: StagePlan, outputs: StageOutputs, previousSettledAt: number | undefined, reports: StageReport[]): Promise<StageRun> {
  let parameters: Record<string, string>;
  try {
    parameters = resolveParameters(stage, outputs);
  } catch (error) {
    if (!(error instanceof MissingOutputError)) throw error;
    ctx.emit({ kind: "stage-failed", ...stageRef(stage), status: "NOT_STARTED", rootCause: undefined, message: error.message, at: ctx.clock.now() });
    return { kind: "failed", message: error.message };
  }
  const template = await loadStageTemplate(stage.template, parameters, ctx.templatesDir);
  const result = await runStage(ctx, stage, parameters, template.body, template.facts);
  const handoffMs = previousSettledAt === undefined ? undefined : result.stats.firstCallAt - previousSettledAt;
  reports.push({ ...stageRef(stage), result, handoffMs });
  if (result.kind === "cancelled") return { kind: "cancelled", message: result.message };
  if (result.kind === "failed") return { kind: "failed", message: result.message };
  return { kind: "done", outputs: result.outputs, result };
}

function firstFailure(stages: readonly StageReport[], regions: readonly RegionOutcome[]): RegionOutcome | undefined {
  const first = stages.find((s) => s.result.kind === "failed");
  return regions.find((r) => r.kind === "failed" && (first === undefined || r.region === first.clientRegion)) ?? regions.find((r) => r.kind === "failed");
}

// With several client regions a failure leaves stacks in regions the failed stage's own lines never name:
// what stands, read fresh and said once, as after a cancel (one region's failure is told by its stage).
async function failedRun(ctx: DeployContext, plan: Plan, failed: Extract<DeployResult, { kind: "failed" }>): Promise<DeployResult> {
  if (plan.clients.length > 1) ctx.emit({ kind: "info", message: describeLeftText(await describeLeft(ctx, plan.stages.map(stageRef))), at: ctx.clock.now() });
  return failed;
}

async function cancelledRun(
  ctx: DeployContext,
  plan: Plan,
  stages: StageReport[],
  outputs: DeployOutputs,
  message: string,
  regions: readonly RegionOutcome[],
): Promise<DeployResult> {
  const left = await describeLeft(ctx, plan.stages.map(stageRef));
  ctx.emit({ kind: "info", message: describeLeftText(left), at: ctx.clock.now() });
  return { kind: "cancelled", message, left, stages, outputs, regions };
}

// A zone EC2 or Lambda refuses is the one failure a flag of ours fixes: say which.
function failureAdvice(plan: Plan, stage: StagePlan, cause: RootCause): string | undefined {
  const refused = refusedAction(cause.reason);
  if (refused) return refusedAdvice(refused);
  if (stage.key !== "api" && stage.key !== "client") return undefined;
  const vpc = stage.key === "api" ? plan.api : plan.clients.find((c) => c.region === stage.clientRegion);
  return vpc && zoneFailureAdvice(stage.key, vpc.region, vpc.zones, cause.reason);
}

/** The outputs of the stages one chain has deployed: stage 1's, and its client region's stage 2 and 3. */
export type StageOutputs = Partial<Record<1 | 2 | 3, Readonly<Record<string, string>>>>;

/** A stage needs an output an earlier stage did not give. */
export class MissingOutputError extends Error {
  override readonly name = "MissingOutputError";
}

/**
 * Turns a stage's planned parameters into the strings CloudFormation takes, reading the values that only
 * exist once an earlier stage has deployed from that stage's outputs (stage 1's, or its own region's stage 2's).
 */
export function resolveParameters(stage: StagePlan, outputs: StageOutputs): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(stage.parameters)) {
    if (value.kind === "value") {
      resolved[key] = value.value;
      continue;
    }
    // Deploy plans are rebuilt with preflight's zones; an open zone here is a bug, not user input.
    if (value.kind === "zone") throw new Error(`Stage ${stage.number} has no zone chosen for ${key}`);
    const from = outputs[value.stage]?.[value.output];
    if (from === undefined || from === "") {
      throw new MissingOutputError(
        `Stage ${stage.number} needs parameter ${key} from output ${value.output} of stage ${value.stage}, ` +
          `but stage ${value.stage} ${outputs[value.stage] ? "has no such output" : "has not been deployed in this run"}.`,
      );
    }
    resolved[key] = from;
  }
  return resolved;
}
