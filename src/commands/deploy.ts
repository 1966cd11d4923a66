// `deploy`: answers → plan → (AWS from here on) preflight → confirm → three stages → verify. The AWS
// half loads only after the questions, so the first question appears without waiting for the SDK.
import { saveAnswersFile } from "../config/file.js";
import { buildPlan } from "../steps/plan.js";
import { planLines } from "../ui/plan-text.js";
import { terminalColumns, wrapCommand, wrapLines } from "../ui/wrap.js";
import { equivalentCommand, loadAnswers, stopOnCredentials } from "./answers.js";
import type { CommandContext } from "./context.js";

export async function runDeploy(ctx: CommandContext): Promise<number> {
  const loaded = await loadAnswers(ctx);
  const { answers } = loaded;
  const plan = buildPlan(answers);
  const human = ctx.flags.progress === "json" ? ctx.stderr : ctx.stdout;
  const columns = terminalColumns(human);
  // Broken before its flags with " \\" to fit a terminal, so that it still pastes as one command.
  if (loaded.asked.length > 0) {
    const command = wrapCommand(`${equivalentCommand(ctx.invocation, answers, "deploy")} --yes`, 2, columns);
    human.write(`\nThe same run without questions:\n${command.join("\n")}\n\n`);
  }
  // Credentials found unusable while the questions were asked end the run before the plan; the answers
  // are kept for the run after the fix.
  await stopOnCredentials(loaded).catch((error: unknown) => {
    saveAnswersFile(loaded.path, { answers, lastVerify: loaded.file?.lastVerify });
    throw error;
  });
  human.write(`${wrapLines(planLines(plan, { parameters: false }), columns).join("\n")}\n\n`);
  saveAnswersFile(loaded.path, { answers, lastVerify: loaded.file?.lastVerify });
  const { deployPlan } = await import("./deploy-run.js");
  return deployPlan(ctx, plan, loaded.path);
}
