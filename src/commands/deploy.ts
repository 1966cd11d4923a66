// `deploy`: answers → plan → (AWS from here on) preflight → confirm → three stages → verify. The AWS
// half loads only after the questions, so the first question appears without waiting for the SDK.
import { saveAnswersFile } from "../config/file.js";
import { buildPlan } from "../steps/plan.js";
import { planLines } from "../ui/plan-text.js";
import { terminalColumns, wrapLines } from "../ui/wrap.js";
import { equivalentCommand, loadAnswers } from "./answers.js";
import type { CommandContext } from "./context.js";

export async function runDeploy(ctx: CommandContext): Promise<number> {
  const loaded = await loadAnswers(ctx);
  const { answers } = loaded;
  const plan = buildPlan(answers);
  const human = ctx.flags.progress === "json" ? ctx.stderr : ctx.stdout;
  const columns = terminalColumns(human);
  // One line, however wide: the terminal folds it without breaking a copy, in any shell.
  if (loaded.asked.length > 0) human.write(`\nThe same run without questions:\n  ${equivalentCommand(ctx.invocation, answers, "deploy")} --yes\n\n`);
  human.write(`${wrapLines(planLines(plan, { parameters: false }), columns).join("\n")}\n\n`);
  const unsaved = saveAnswersFile(loaded.path, { answers, lastVerify: loaded.file?.lastVerify });
  if (unsaved) human.write(`warning: ${unsaved}; the deploy goes on\n\n`);
  const { deployPlan } = await import("./deploy-run.js");
  return deployPlan(ctx, plan, loaded.path);
}
