// `status`: the three stacks in their regions, their state and outputs, and the last verification.
import { type CommandContext, loadAnswers, stopOnCredentials, writeOutputsFile } from "./context.js";
import { nextCommands } from "./next-steps.js";

/** `status`: the three stacks, the client function and the last verification. */
export async function runStatus(ctx: CommandContext): Promise<number> {
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers, file } = loaded;
  const [{ withSession }, { status }] = await Promise.all([
    import("./session.js"),
    import("../steps/status.js"),
  ]);
  return withSession(ctx, answers, "status", async (session) => {
    await session.goLive();
    const report = await status(session, { deployment: answers, lastVerify: file?.lastVerify });
    if (ctx.flags.outputsFile) {
      const stacks = [report.stacks.api, report.stacks.client, report.stacks.routes];
      const outputs = Object.fromEntries(stacks.map((s) => [s.ref.stage, s.present ? s.outputs : undefined]));
      writeOutputsFile(ctx.flags.outputsFile, ctx.cwd, answers.name, stacks.map((s) => s.ref), outputs);
    }
    session.emit({
      kind: "result",
      operation: "status",
      ok: true,
      // Nothing deployed is what status found, not a success to mark.
      neutral: report.absent,
      summary: report.deployed
        ? `Deployment "${answers.name}" is deployed.`
        : report.absent
          ? `Deployment "${answers.name}" is not deployed.`
          : `Deployment "${answers.name}" is not fully deployed.`,
      next: nextCommands(ctx.invocation, answers, report.deployed ? ["verify", "teardown"] : report.absent ? ["deploy"] : ["deploy", "teardown"]),
      at: Date.now(),
    });
    return 0;
  });
}
