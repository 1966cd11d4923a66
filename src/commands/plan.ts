// `plan`: offline. Validates, lays out the two VPCs and writes what `deploy` would send to CloudFormation.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { renderTemplate } from "../steps/deploy/deployment-id.js";
import type { Plan, StagePlan } from "../steps/plan.js";
import { answerText, type AnswerText } from "../config/answers.js";
import { loadTemplateFacts, templatesDir } from "../aws/templates.js";
import { planLines } from "../ui/plan-text.js";
import { terminalColumns, wrapCommand, wrapLines } from "../ui/format.js";
import { type CommandContext, loadAnswers } from "./context.js";
import { equivalentCommand } from "./next-steps.js";

/** Where `plan` writes the templates and parameters when --out is not given. */
export const DEFAULT_PLAN_DIR = "xregion-plan";

/** `plan`: what a deploy would create, with no AWS call. */
export async function runPlan(ctx: CommandContext): Promise<number> {
  const { answers, asked } = await loadAnswers(ctx, "all", false);
  // As deploy's: the plan and the range parser load after the questions.
  const { buildPlan } = await import("../steps/plan.js");
  const plan = buildPlan(answers);
  const out = resolve(ctx.cwd, ctx.flags.out ?? DEFAULT_PLAN_DIR);
  const written = await writePlan(plan, out);

  if (ctx.flags.progress === "json") {
    ctx.stdout.write(`${JSON.stringify({ kind: "plan", plan: planDocument(plan), files: written })}\n`);
    return 0;
  }
  const shown = (path: string) => relative(ctx.cwd, path) || ".";
  const columns = terminalColumns(ctx.stdout);
  const lines = wrapLines(
    [...planLines(plan), "", `Wrote ${written.length} files to ${shown(out)}/: ${written.map((f) => relative(out, f)).join(", ")}`],
    columns,
  );
  if (asked.length > 0) lines.push("", "The same plan without questions:", ...wrapCommand(equivalentCommand(ctx.invocation, answers, "plan"), 2, columns));
  ctx.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

async function writePlan(plan: Plan, out: string): Promise<string[]> {
  const source = templatesDir();
  // Every template read and rendered first, so a broken install or a refused edit writes nothing rather
  // than half a plan.
  const bodies = await Promise.all(plan.stages.map((stage) => templateToDeploy(join(source, stage.template), stage)));
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  for (const [i, stage] of plan.stages.entries()) {
    const template = join(out, stage.template);
    await writeFile(template, bodies[i]!);
    const params = join(out, stage.template.replace(/\.yaml$/, ".parameters.json"));
    await writeFile(params, `${JSON.stringify(templateConfiguration(stage, plan), null, 2)}\n`);
    files.push(template, params);
  }
  const planFile = join(out, "plan.json");
  await writeFile(planFile, `${JSON.stringify(planDocument(plan), null, 2)}\n`);
  files.push(planFile);
  return files;
}

/**
 * The plan as plan.json and --json give it: the answers as flags and the answers file spell them (a list of
 * client regions comma-separated), every client region's network under `clients`, and the first one's
 * under `client` too, where readers of a one-region plan found it.
 */
export function planDocument(plan: Plan): Omit<Plan, "answers"> & { readonly answers: Partial<AnswerText>; readonly client: Plan["clients"][number] } {
  return { ...plan, answers: answerText(plan.answers), client: plan.clients[0]! };
}

// CloudFormation's template configuration shape ({Parameters, Tags}), which CodePipeline and
// `aws cloudformation deploy --parameter-overrides file://…` read. Values known only after an earlier
// stage are spelled as the output to copy, and zones nobody chose yet as such, so the file never pretends
// to hold a value it cannot know.
function templateConfiguration(stage: StagePlan, plan: Plan) {
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(stage.parameters)) {
    parameters[key] =
      value.kind === "value"
        ? value.value
        : value.kind === "zone"
          ? `<zone ${value.index + 1} of ${stage.region}, chosen at deploy time (or pass ${value.role === "api" ? "--api-azs" : "--client-azs"})>`
          : `<output ${value.output} of stack ${plan.stages[value.stage - 1]?.stackName} in ${plan.stages[value.stage - 1]?.region}>`;
  }
  return { Parameters: parameters, Tags: stage.tags };
}

// The template as `deploy` sends it: its API Deployment's logical id hashes the parameter values, all
// known when planning for a stage that reads no earlier stage's outputs (stage 1, the one with the API).
async function templateToDeploy(path: string, stage: StagePlan): Promise<string> {
  const source = await readFile(path, "utf8");
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(stage.parameters)) {
    if (value.kind !== "value") return source;
    values[key] = value.value;
  }
  return renderTemplate(source, values, await loadTemplateFacts(source), path).body;
}
