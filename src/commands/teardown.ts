// `teardown`: stage 3, then 2, then 1, found by name in both regions; safe to run again.
import { saveAnswersFile } from "../config/answers.js";
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import type { StackStates } from "../steps/stacks.js";
import { type CommandContext, type LoadedAnswers, loadAnswers, stopOnCredentials } from "./context.js";
import { nextCommands } from "./next-steps.js";

/** `teardown`: deletes stage 3, 2, then 1, after confirmation or --yes. */
export async function runTeardown(ctx: CommandContext): Promise<number> {
  if (!ctx.interactive && !ctx.flags.yes) {
    throw new UsageError("teardown deletes three stacks and there is no terminal to confirm on: pass --yes");
  }
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  const [{ withSession }, { teardownAll }, { lookupStacks }] = await Promise.all([
    import("./session.js"),
    import("../steps/teardown.js"),
    import("../steps/stacks.js"),
  ]);
  return withSession(ctx, answers, "teardown", async (session) => {
    // Looked up first, so that a second teardown neither asks about stacks that are gone nor deletes anything.
    const present = existing(await lookupStacks(session.clients, answers));
    if (present.length === 0) {
      forgetVerification(loaded);
      session.emit({ kind: "result", operation: "teardown", ok: true, summary: `Nothing to delete: no stack of "${answers.name}" exists.`, next: [], at: Date.now() });
      return 0;
    }
    if (!ctx.flags.yes) {
      const { askConfirm } = await import("../ui/prompts.js");
      if (!(await askConfirm(`Delete ${present.join(" and ")}?`, false))) {
        // A "no" is an answer, not an interruption (exit 130 is Ctrl-C's).
        session.emit({ kind: "result", operation: "teardown", ok: true, summary: "Nothing deleted.", next: [], at: Date.now() });
        return 0;
      }
    }
    await session.goLive();
    const result = await teardownAll(session, answers);
    if (result.kind === "cancelled") {
      session.emit({ kind: "result", operation: "teardown", ok: false, summary: "Teardown cancelled.", next: nextCommands(ctx.invocation, answers, ["teardown"]), at: Date.now() });
      throw new InterruptedError(`Teardown cancelled. ${result.message}`, true);
    }
    if (result.kind === "failed") {
      const next = nextCommands(ctx.invocation, answers, ["teardown"]);
      session.emit({ kind: "result", operation: "teardown", ok: false, summary: result.message, next, at: Date.now() });
      throw new FailureError(`deleting stage ${result.stage}/3 failed: ${result.message}`, [`after fixing the cause, run again: ${next[0]}`]);
    }
    forgetVerification(loaded);
    const deleted = result.stages.filter((s) => s.outcome === "deleted").length;
    session.emit({
      kind: "result",
      operation: "teardown",
      ok: true,
      summary: `Deleted ${deleted} stack${deleted === 1 ? "" : "s"} of "${answers.name}".`,
      next: nextCommands(ctx.invocation, answers, ["deploy"]),
      at: Date.now(),
    });
    return 0;
  });
}

// The stacks that exist, in the order they will be deleted, named with their regions.
function existing(stacks: StackStates): string[] {
  return [stacks.routes, stacks.client, stacks.api].flatMap((s) => (s.present ? [`${s.ref.stackName} (${s.ref.region})`] : []));
}

// The last verification was of a deployment that no longer exists: `status` must not report it as passed.
function forgetVerification(loaded: LoadedAnswers): void {
  const { file, answers, path } = loaded;
  if (!file?.lastVerify || file.answers.name !== answers.name) return;
  saveAnswersFile(path, { answers: file.answers, lastVerify: undefined });
}
