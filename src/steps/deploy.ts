// A deploy: stages 1 → 2 → 3, each one's outputs feeding the next one's parameters. Stops at the first failure;
// a re-run resumes, because the stages already deployed answer an empty change set (no-op).
import { refusedAction, refusedAdvice } from "../aws/access-denied.js";
import type { RootCause } from "../aws/event-poller.js";
import type { DeployContext } from "./context.js";
import { stageRef } from "./stages.js";
import { runStage, type StageResult } from "./deploy-stage.js";
import { loadStageTemplate } from "./deployment-id.js";
import type { StageNumber, StageRef } from "./events.js";
import type { Plan, StagePlan } from "./plan.js";
import { describeLeft, describeLeftText, type LeftStack } from "./stacks.js";
import { zoneFailureAdvice } from "./zones.js";

/** One stage's outcome in a deploy's result. */
export interface StageReport extends StageRef {
  readonly result: StageResult;
  // From the previous stage's stack being seen settled to this stage's first AWS call (benchmark: ≤ 1 s).
  readonly handoffMs: number | undefined;
}

interface DeployCommon {
  readonly stages: readonly StageReport[];
  // Every stage's outputs known so far, also after a failure: the CLI writes them to --outputs-file.
  readonly outputs: StageOutputs;
}

/** How a deploy ended: deployed (with every stage's outputs), failed at a stage, or cancelled. */
export type DeployResult =
  | ({ readonly kind: "deployed" } & DeployCommon)
  | ({ readonly kind: "failed"; readonly stage: StageNumber; readonly message: string } & DeployCommon)
  | ({ readonly kind: "cancelled"; readonly message: string; readonly left: readonly LeftStack[] } & DeployCommon);

/** Deploys the three stages in order, each fed the outputs of the ones before. */
export async function deployAll(deployCtx: DeployContext, plan: Plan): Promise<DeployResult> {
  const ctx: DeployContext = { ...deployCtx, adviseFailure: deployCtx.adviseFailure ?? ((stage, cause) => failureAdvice(plan, stage, cause)) };
  ctx.emit({ kind: "stages-queued", stages: plan.stages.map(stageRef), at: ctx.clock.now() });
  const stages: StageReport[] = [];
  const outputs: { -readonly [K in keyof StageOutputs]: StageOutputs[K] } = {};
  let previousSettledAt: number | undefined;
  for (const stage of plan.stages) {
    if (ctx.signal.aborted) return cancelledRun(ctx, plan, stages, outputs, `Cancelled before stage ${stage.number}.`);
    let parameters: Record<string, string>;
    try {
      parameters = resolveParameters(stage, outputs);
    } catch (error) {
      if (!(error instanceof MissingOutputError)) throw error;
      ctx.emit({ kind: "stage-failed", ...stageRef(stage), status: "NOT_STARTED", rootCause: undefined, message: error.message, at: ctx.clock.now() });
      return { kind: "failed", stage: stage.number, message: error.message, stages, outputs };
    }
    const template = await loadStageTemplate(stage.template, parameters, ctx.templatesDir);
    const result = await runStage(ctx, stage, parameters, template.body, template.facts);
    const handoffMs = previousSettledAt === undefined ? undefined : result.stats.firstCallAt - previousSettledAt;
    stages.push({ ...stageRef(stage), result, handoffMs });
    previousSettledAt = result.stats.settledAt;
    if (result.kind === "cancelled") return cancelledRun(ctx, plan, stages, outputs, result.message);
    if (result.kind === "failed") return { kind: "failed", stage: stage.number, message: result.message, stages, outputs };
    outputs[stage.number] = result.outputs;
  }
  return { kind: "deployed", stages, outputs };
}

async function cancelledRun(
  ctx: DeployContext,
  plan: Plan,
  stages: StageReport[],
  outputs: StageOutputs,
  message: string,
): Promise<DeployResult> {
  const left = await describeLeft(ctx, plan.stages.map(stageRef));
  ctx.emit({ kind: "info", message: describeLeftText(left), at: ctx.clock.now() });
  return { kind: "cancelled", message, left, stages, outputs };
}

// A zone EC2 or Lambda refuses is the one failure a flag of ours fixes: say which.
function failureAdvice(plan: Plan, stage: StagePlan, cause: RootCause): string | undefined {
  const refused = refusedAction(cause.reason);
  if (refused) return refusedAdvice(refused);
  if (stage.key !== "api" && stage.key !== "client") return undefined;
  const vpc = plan[stage.key];
  return zoneFailureAdvice(stage.key, vpc.region, vpc.zones, cause.reason);
}

/**
 * Turns a stage's planned parameters into the strings CloudFormation takes, reading the values that only
 * exist once an earlier stage has deployed from that stage's outputs.
 */
export type StageOutputs = Partial<Record<1 | 2 | 3, Readonly<Record<string, string>>>>;

/** A stage needs an output an earlier stage did not give. */
export class MissingOutputError extends Error {
  override readonly name = "MissingOutputError";
}

/** A stage's parameters, with the earlier stages' outputs filled in. */
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
