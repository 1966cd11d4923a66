// `teardown`: stage 3, then 2, then 1, found by name in both regions; safe to run again.
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import { type CommandContext, loadAnswers } from "./context.js";
import { nextCommands } from "./next-steps.js";

/** `teardown`: deletes stage 3, 2, then 1, after confirmation or --yes. */
export async function runTeardown(ctx: CommandContext): Promise<number> {
  if (!ctx.interactive && !ctx.flags.yes) {
    throw new UsageError("teardown deletes three stacks and there is no terminal to confirm on: pass --yes");
  }
  const { answers } = await loadAnswers(ctx, "locate");
  if (!ctx.flags.yes) {
    const { askConfirm } = await import("../ui/prompts.js");
    const question = `Delete ${answers.name}-routes and ${answers.name}-api (${answers.apiRegion}) and ${answers.name}-client (${answers.clientRegion})?`;
    if (!(await askConfirm(question, false))) {
      // A "no" is an answer, not an interruption (exit 130 is Ctrl-C's).
      (ctx.flags.progress === "json" ? ctx.stderr : ctx.stdout).write("Nothing deleted.\n");
      return 0;
    }
  }
  const [{ withSession }, { teardownAll }] = await Promise.all([
    import("./session.js"),
    import("../steps/teardown.js"),
  ]);
  return withSession(ctx, answers, "teardown", async (session) => {
    await session.goLive();
    const result = await teardownAll(session, answers);
    if (result.kind === "cancelled") {
      session.emit({ kind: "result", operation: "teardown", ok: false, summary: "Teardown cancelled.", next: nextCommands(ctx.invocation, answers, ["teardown"]), at: Date.now() });
      throw new InterruptedError(`Teardown cancelled. ${result.message}`);
    }
    if (result.kind === "failed") {
      const next = nextCommands(ctx.invocation, answers, ["teardown"]);
      session.emit({ kind: "result", operation: "teardown", ok: false, summary: result.message, next, at: Date.now() });
      throw new FailureError(`deleting stage ${result.stage}/3 failed: ${result.message}`, [`after fixing the cause, run again: ${next[0]}`]);
    }
    const deleted = result.stages.filter((s) => s.outcome === "deleted").length;
    session.emit({
      kind: "result",
      operation: "teardown",
      ok: true,
      summary: deleted === 0 ? `Nothing to delete: no stack of "${answers.name}" exists.` : `Deleted ${deleted} stack${deleted === 1 ? "" : "s"} of "${answers.name}".`,
      next: [],
      at: Date.now(),
    });
    return 0;
  });
}
