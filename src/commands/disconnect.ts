// `disconnect`: connect's two stacks deleted, the API side first, then the client side once the probe's
// network interfaces are released (as teardown releases the client function's). Found by name in both
// regions, so it works on a half-made connection and a second run finds nothing to do. A peering connection
// connect reused is not ours and stays.
import { connectionPlace, saveAnswersFile } from "../config/answers.js";
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import { type CommandContext, type LoadedAnswers, loadAnswers, stopOnCredentials } from "./context.js";
import { nextCommands } from "./next-steps.js";

/** `disconnect`: deletes the connection's stacks after confirmation or --yes. */
export async function runDisconnect(ctx: CommandContext): Promise<number> {
  if (!ctx.interactive && !ctx.flags.yes) {
    throw new UsageError("disconnect deletes a connection's two stacks and there is no terminal to confirm on: pass --yes");
  }
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  // A connection has one client region.
  const answers = connectionPlace(loaded.answers);
  const [{ withSession }, { teardownInOrder }, { lookupStack }, { connectStageRefs }] = await Promise.all([
    import("./session.js"),
    import("../steps/teardown.js"),
    import("../steps/stacks.js"),
    import("../steps/stages.js"),
  ]);
  return withSession(ctx, answers, "disconnect", async (session) => {
    const [client, api] = connectStageRefs(answers);
    const order = [api, client];
    // Looked up first, so that a second disconnect neither asks about stacks that are gone nor deletes anything.
    const states = await Promise.all(order.map((ref) => lookupStack(session.clients, ref)));
    const present = states.flatMap((s) => (s.present ? [`${s.ref.stackName} (${s.ref.region})`] : []));
    if (present.length === 0) {
      forgetVerification(loaded);
      session.emit({ kind: "result", operation: "disconnect", ok: true, summary: `Nothing to delete: no stack of connection "${answers.name}" exists.`, next: [], at: Date.now() });
      return 0;
    }
    const clientState = states[1]!;
    const reused = clientState.present ? clientState.parameters["PeeringConnectionId"] : undefined;
    if (!ctx.flags.yes) {
      const { askConfirm } = await import("../ui/prompts.js");
      if (!(await askConfirm(`Delete ${present.join(" and ")}? Your own resources stay as they were before connect.`, false))) {
        session.emit({ kind: "result", operation: "disconnect", ok: true, summary: "Nothing deleted.", next: [], at: Date.now() });
        return 0;
      }
    }
    await session.goLive();
    const result = await teardownInOrder(session, { stacks: order, command: "disconnect" });
    if (result.kind === "cancelled") {
      session.emit({ kind: "result", operation: "disconnect", ok: false, summary: "Disconnect cancelled.", next: nextCommands(ctx.invocation, answers, ["disconnect"]), at: Date.now() });
      throw new InterruptedError(`Disconnect cancelled. ${result.message}`, true);
    }
    if (result.kind === "failed") {
      const next = nextCommands(ctx.invocation, answers, ["disconnect"]);
      session.emit({ kind: "result", operation: "disconnect", ok: false, summary: result.message, next, at: Date.now() });
      throw new FailureError(`deleting stage ${result.stage}/2 failed: ${result.message}`, [`after fixing the cause, run again: ${next[0]}`]);
    }
    forgetVerification(loaded);
    const deleted = result.stages.filter((s) => s.outcome === "deleted").length;
    if (reused) session.emit({ kind: "info", message: `${reused} was there before connect (reused, not ours): it stays.`, at: Date.now() });
    session.emit({
      kind: "result",
      operation: "disconnect",
      ok: true,
      summary: `Deleted ${deleted} stack${deleted === 1 ? "" : "s"} of connection "${answers.name}": every route, rule, zone${reused ? "" : ", peering"} and probe it added is gone.`,
      next: [],
      at: Date.now(),
    });
    return 0;
  });
}

// The last verification was of a connection that no longer exists: `status` must not report it as passed.
function forgetVerification(loaded: LoadedAnswers): void {
  const { file, answers, path } = loaded;
  if (!file?.lastVerify || file.answers.name !== answers.name) return;
  saveAnswersFile(path, { ...file, lastVerify: undefined });
}
