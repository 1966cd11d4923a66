// `teardown`: each client region's stage 3, then 2 (the regions side by side), then stage 1, found as
// status finds them; safe to run again. `--client-region` naming some of the answers file's regions
// removes only theirs: stage 1 and the other regions stay, and the file keeps the others.
import { clientRegions, listItems, withoutClientRegions } from "../config/answers.js";
import { saveAnswersFile } from "../config/answers-file.js";
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import type { StackStates } from "../steps/stacks.js";
import { type CommandContext, type LoadedAnswers, loadAnswers, stopOnCredentials } from "./context.js";
import { nextCommands } from "./next-steps.js";

/** `teardown`: deletes the client regions' stages 3 and 2, then stage 1, after confirmation or --yes. */
export async function runTeardown(ctx: CommandContext): Promise<number> {
  if (!ctx.interactive && !ctx.flags.yes) {
    throw new UsageError("teardown deletes the deployment's stacks and there is no terminal to confirm on: pass --yes");
  }
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  const staying = stayingRegions(loaded);
  const [{ withSession }, { teardownAll }, { lookupStacks }] = await Promise.all([
    import("./session.js"),
    import("../steps/teardown/teardown.js"),
    import("../steps/stacks.js"),
  ]);
  return withSession(ctx, answers, "teardown", async (session) => {
    // Looked up first, so that a second teardown neither asks about stacks that are gone nor deletes anything.
    const stacks = await lookupStacks(session.clients, answers);
    const present = existing(stacks, staying.length === 0);
    const regions = clientRegions(answers);
    if (present.length === 0) {
      if (staying.length > 0) forgetRegions(loaded, regions);
      else forgetVerification(loaded);
      const what = staying.length > 0 ? `no stack of client region${regions.length === 1 ? "" : "s"} ${regions.join(", ")} exists` : `no stack of "${answers.name}" exists`;
      session.emit({ kind: "result", operation: "teardown", ok: true, summary: `Nothing to delete: ${what}.`, next: [], at: Date.now() });
      return 0;
    }
    if (!ctx.flags.yes) {
      const { askConfirm } = await import("../ui/prompts.js");
      const keep = staying.length > 0 ? ` (${stacks.api.ref.stackName} and client region${staying.length === 1 ? "" : "s"} ${staying.join(", ")} stay)` : "";
      if (!(await askConfirm(`Delete ${present.join(" and ")}${keep}?`, false))) {
        // A "no" is an answer, not an interruption (exit 130 is Ctrl-C's).
        session.emit({ kind: "result", operation: "teardown", ok: true, summary: "Nothing deleted.", next: [], at: Date.now() });
        return 0;
      }
    }
    await session.goLive();
    const result = await teardownAll(session, stacks, { maxParallel: ctx.flags.maxParallel, removeApi: staying.length === 0 });
    if (result.kind === "cancelled") {
      session.emit({ kind: "result", operation: "teardown", ok: false, summary: "Teardown cancelled.", next: nextCommands(ctx.invocation, answers, ["teardown"]), at: Date.now() });
      throw new InterruptedError(`Teardown cancelled. ${result.message}`, true);
    }
    if (result.kind === "failed") {
      const next = nextCommands(ctx.invocation, answers, ["teardown"]);
      const where = regions.length > 1 && result.clientRegion ? ` (${result.clientRegion})` : "";
      session.emit({ kind: "result", operation: "teardown", ok: false, summary: result.message, next, at: Date.now() });
      throw new FailureError(`deleting stage ${result.stage}/3${where} failed: ${result.message}`, [`after fixing the cause, run again: ${next[0]}`]);
    }
    const deleted = result.stages.filter((s) => s.outcome === "deleted").length;
    const stacksText = `${deleted} stack${deleted === 1 ? "" : "s"}`;
    if (staying.length > 0) {
      forgetRegions(loaded, regions);
      const remaining = { ...answers, clients: staying.map((region) => ({ region, cidr: "" })) };
      session.emit({
        kind: "result",
        operation: "teardown",
        ok: true,
        summary: `Deleted ${stacksText} of client region${regions.length === 1 ? "" : "s"} ${regions.join(", ")}; ${stacks.api.ref.stackName} and ${staying.join(", ")} stay.`,
        next: nextCommands(ctx.invocation, remaining, ["verify", "status"]),
        at: Date.now(),
      });
      return 0;
    }
    forgetVerification(loaded);
    const kept = result.apiKept?.why === "others" ? result.apiKept.stacks : [];
    session.emit({
      kind: "result",
      operation: "teardown",
      ok: true,
      summary:
        kept.length > 0
          ? `Deleted ${stacksText} of "${answers.name}"; ${stacks.api.ref.stackName} stays for ${kept.join(", ")}: name their client regions with --client-region to remove them too.`
          : `Deleted ${stacksText} of "${answers.name}".`,
      next: nextCommands(ctx.invocation, answers, kept.length > 0 ? ["status"] : ["deploy"]),
      at: Date.now(),
    });
    return 0;
  });
}

// The answers file's client regions this run leaves in place: --client-region naming some of them (of the
// same deployment) is a part teardown. Without a file, the regions given are the whole deployment.
function stayingRegions(loaded: LoadedAnswers): string[] {
  const saved = loaded.file?.answers;
  if (!saved?.clientRegion || saved.name !== loaded.answers.name) return [];
  const named = clientRegions(loaded.answers);
  return listItems(saved.clientRegion).filter((region) => !named.includes(region));
}

// The stacks that exist, in the order they will be deleted, named with their regions; stage 1 only when it goes too.
function existing(stacks: StackStates, withApi: boolean): string[] {
  const states = [...stacks.clients.flatMap((c) => [c.routes, c.client]), ...(withApi ? [stacks.api] : [])];
  return states.flatMap((s) => (s.present ? [`${s.ref.stackName} (${s.ref.region})`] : []));
}

// The last verification was of a deployment that no longer exists: `status` must not report it as passed.
function forgetVerification(loaded: LoadedAnswers): void {
  const { file, answers, path } = loaded;
  if (!file?.lastVerify || file.answers.name !== answers.name) return;
  saveAnswersFile(path, { answers: file.answers, lastVerify: undefined });
}

// The regions torn down leave the answers file, so later runs work on the ones that stay; the last
// verification was of a set of regions that no longer stands.
function forgetRegions(loaded: LoadedAnswers, removed: readonly string[]): void {
  const { file, path } = loaded;
  if (!file) return;
  saveAnswersFile(path, { answers: withoutClientRegions(file.answers, removed), lastVerify: undefined });
}
