// Stages 1 → 2 → 3, each one's outputs feeding the next one's parameters. Stops at the first failure;
// a re-run resumes, because the stages already deployed answer an empty change set (no-op).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { refusedAction, refusedAdvice } from "../aws/access-denied.js";
import { loadTemplateFacts } from "../aws/template-facts-file.js";
import type { RootCause } from "../aws/event-poller.js";
import { isLambdaZoneRefusal } from "../aws/lambda-zones.js";
import { templatesDir } from "../templates-dir.js";
import { describeLeft, describeLeftText, type LeftStack } from "./cancel.js";
import { runStage, type StageResult } from "./deploy-stage.js";
import { renameInFacts, renderTemplate } from "./deployment-id.js";
import { stageRef, type DeployContext } from "./engine-context.js";
import type { StageNumber } from "./events.js";
import type { Plan, StagePlan } from "./plan-types.js";
import { MissingOutputError, resolveParameters, type StageOutputs } from "./params.js";
import { lambdaZoneAdvice } from "./zones.js";

export interface StageReport {
  readonly stage: StageNumber;
  readonly stackName: string;
  readonly region: string;
  readonly result: StageResult;
  // From the previous stage's stack being seen settled to this stage's first AWS call (benchmark: ≤ 1 s).
  readonly handoffMs: number | undefined;
}

interface DeployCommon {
  readonly stages: readonly StageReport[];
  // Every stage's outputs known so far, also after a failure: the CLI writes them to --outputs-file.
  readonly outputs: StageOutputs;
}

export type DeployResult =
  | ({ readonly kind: "deployed" } & DeployCommon)
  | ({ readonly kind: "failed"; readonly stage: StageNumber; readonly message: string } & DeployCommon)
  | ({ readonly kind: "cancelled"; readonly message: string; readonly left: readonly LeftStack[] } & DeployCommon);

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
    // The shipped text's facts (looked up by its hash, no YAML parser), carried over to the rendered body.
    const source = await readFile(resolve(ctx.templatesDir ?? templatesDir(), stage.template), "utf8");
    const template = renderTemplate(source, parameters);
    const facts = renameInFacts(await loadTemplateFacts(source), template.renamed);
    const result = await runStage(ctx, stage, parameters, template.body, facts);
    const handoffMs = previousSettledAt === undefined ? undefined : result.stats.firstCallAt - previousSettledAt;
    stages.push({ stage: stage.number, stackName: stage.stackName, region: stage.region, result, handoffMs });
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
  const left = await describeLeft(ctx, plan.stages as readonly StagePlan[]);
  ctx.emit({ kind: "info", message: describeLeftText(left), at: ctx.clock.now() });
  return { kind: "cancelled", message, left, stages, outputs };
}

// Lambda refusing a subnet's zone is the one failure a flag of ours fixes: say which.
function failureAdvice(plan: Plan, stage: StagePlan, cause: RootCause): string | undefined {
  const refused = refusedAction(cause.reason);
  if (refused) return refusedAdvice(refused);
  if (stage.key !== "client" || !isLambdaZoneRefusal(cause.reason)) return undefined;
  return lambdaZoneAdvice(plan.client.region, plan.client.zones);
}
