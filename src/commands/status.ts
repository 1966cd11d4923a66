// `status`: the stacks in their regions (stage 1, and each client region's two), their state and outputs,
// and the last verification; or, for a connection, its two stacks, its probe and whether each of its additions
// is still on the user's resources.
import { type AnswersFile, type ConnectAnswers, connectionPlace } from "../config/answers.js";
import { type CommandContext, loadAnswers, stopOnCredentials, writeOutputsFile } from "./context.js";
import { nextCommands } from "./next-steps.js";
import type { Session } from "./session.js";

/** `status`: the stacks, each client region's function and the last verification (or a connection's). */
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
    // A connection has one client region.
    const connected = connectionPlace(answers);
    if (file?.kind === "connection") return (await connectionStatus(ctx, session, connected, file, true)) ?? 0;
    const { lookupStacks } = await import("../steps/stacks.js");
    const stacks = await lookupStacks(session.clients, answers);
    // A name with no deployment may be a connection's.
    if (![stacks.api, ...stacks.clients.flatMap((c) => [c.client, c.routes])].some((s) => s.present)) {
      const found = await connectionStatus(ctx, session, connected, file, false);
      if (found !== undefined) return found;
    }
    const report = await status(session, { deployment: answers, lastVerify: file?.lastVerify, stacks });
    if (ctx.flags.outputsFile) {
      const all = [report.stacks.api, ...report.stacks.clients.flatMap((c) => [c.client, c.routes])];
      writeOutputsFile(ctx.flags.outputsFile, ctx.cwd, answers.name, all.map((s) => ({ ref: s.ref, outputs: s.present ? s.outputs : undefined })));
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

// A connection's status; undefined when `known` is false and the name is no connection.
async function connectionStatus(
  ctx: CommandContext,
  session: Session,
  answers: Pick<ConnectAnswers, "name" | "apiRegion" | "clientRegion" | "profile">,
  file: AnswersFile | undefined,
  known: boolean,
): Promise<number | undefined> {
  const [{ lookupConnection }, { connectionStatus: report }, { connectStageRefs }, { lookupStack }] = await Promise.all([
    import("../steps/connect/locate.js"),
    import("../steps/connect/status.js"),
    import("../steps/stages.js"),
    import("../steps/stacks.js"),
  ]);
  let stacks = await lookupConnection(session.clients, answers);
  if (!stacks && !known) return undefined;
  if (!stacks) {
    const [client, api] = connectStageRefs(answers);
    stacks = { client: await lookupStack(session.clients, client), api: await lookupStack(session.clients, api) };
  }
  const lastVerify = file?.kind === "connection" && file.answers.name === answers.name ? file.lastVerify : undefined;
  const found = await report(session, { connection: answers, stacks, lastVerify });
  if (ctx.flags.outputsFile) {
    writeOutputsFile(ctx.flags.outputsFile, ctx.cwd, answers.name, [stacks.client, stacks.api].map((s) => ({ ref: s.ref, outputs: s.present ? s.outputs : undefined })));
  }
  session.emit({
    kind: "result",
    operation: "status",
    ok: true,
    neutral: found.absent,
    summary: found.connected
      ? `Connection "${answers.name}" is connected.`
      : found.absent
        ? `Connection "${answers.name}" is not connected.`
        : `Connection "${answers.name}" is not fully connected.`,
    next: nextCommands(ctx.invocation, answers, found.connected ? ["verify", "disconnect"] : found.absent ? [] : ["doctor", "disconnect"]),
    at: Date.now(),
  });
  return 0;
}
