// `status`: the stacks in their regions (stage 1, and each client region's two), their state and outputs,
// and the last verification; or, for a connection, its two stacks, its probe and whether each of its additions
// is still on the user's resources.
import { type ConnectAnswers, connectionPlaces } from "../config/answers.js";
import { type AnswersFile } from "../config/answers-file.js";
import { type CommandContext, loadAnswers, stopOnCredentials, writeOutputsFile } from "./context.js";
import type { StackState } from "../steps/stacks.js";
import { type Locatable, nextCommands } from "./next-steps.js";
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
    const connected = connectionPlaces(answers);
    if (file?.kind === "connection") return (await connectionStatus(ctx, session, connected, file, true)) ?? 0;
    const { allStacks, lookupStacks } = await import("../steps/stacks.js");
    const stacks = await lookupStacks(session.clients, answers);
    // A name with no deployment may be a connection's.
    if (!allStacks(stacks).some((s) => s.present)) {
      const found = await connectionStatus(ctx, session, connected, file, false);
      if (found !== undefined) return found;
    }
    const report = await status(session, { deployment: answers, lastVerify: file?.lastVerify, stacks });
    return finish(ctx, session, answers, allStacks(report.stacks), {
      kind: "Deployment",
      done: report.deployed ? "deployed" : report.absent ? "absent" : "partly",
      next: report.deployed ? ["verify", "teardown"] : report.absent ? ["deploy"] : ["deploy", "teardown"],
    });
  });
}

// A connection's status, each client region's in turn; undefined when `known` is false and the name is no connection.
async function connectionStatus(
  ctx: CommandContext,
  session: Session,
  places: readonly Pick<ConnectAnswers, "name" | "apiRegion" | "clientRegion" | "profile">[],
  file: AnswersFile | undefined,
  known: boolean,
): Promise<number | undefined> {
  const [{ lookupConnection }, { connectionStatus: report }, { connectStageRefs }, { lookupStack }] = await Promise.all([
    import("../steps/connect/locate.js"),
    import("../steps/connect/status.js"),
    import("../steps/stages.js"),
    import("../steps/stacks.js"),
  ]);
  const several = places.length > 1;
  const found = await Promise.all(places.map((place) => lookupConnection(session.clients, place, several)));
  if (found.every((stacks) => !stacks) && !known) return undefined;
  const name = places[0]!.name;
  const lastVerify = file?.kind === "connection" && file.answers.name === name ? file.lastVerify : undefined;
  const reports: Awaited<ReturnType<typeof report>>[] = [];
  const all: StackState[] = [];
  for (const [i, place] of places.entries()) {
    let stacks = found[i];
    if (!stacks) {
      const [client, api] = connectStageRefs(place, several);
      stacks = { client: await lookupStack(session.clients, client), api: await lookupStack(session.clients, api) };
    }
    if (several) session.emit({ kind: "info", message: `Client region ${place.clientRegion} → ${place.apiRegion}:`, at: Date.now() });
    reports.push(await report(session, { connection: place, stacks, lastVerify }));
    all.push(stacks.client, stacks.api);
  }
  const connected = reports.every((r) => r.connected);
  const absent = reports.every((r) => r.absent);
  const locate = { name, apiRegion: places[0]!.apiRegion, clientRegion: places.map((p) => p.clientRegion).join(","), profile: places[0]!.profile };
  const partly = several && !connected && !absent ? ` (connected: ${places.filter((_, i) => reports[i]!.connected).map((p) => p.clientRegion).join(", ") || "none"})` : "";
  return finish(ctx, session, locate, all, {
    kind: "Connection",
    done: connected ? "deployed" : absent ? "absent" : "partly",
    partly,
    next: connected ? ["verify", "disconnect"] : absent ? [] : ["doctor", "disconnect"],
  });
}

// What status ends with, for a deployment and a connection alike: the stacks' outputs in --outputs-file,
// and the result with the commands that come next (`partly`: what a part-connected result adds).
function finish(
  ctx: CommandContext,
  session: Session,
  answers: Locatable,
  stacks: readonly StackState[],
  found: { readonly kind: "Deployment" | "Connection"; readonly done: "deployed" | "partly" | "absent"; readonly partly?: string; readonly next: readonly string[] },
): number {
  if (ctx.flags.outputsFile) {
    writeOutputsFile(ctx.flags.outputsFile, ctx.cwd, answers.name, stacks.map((s) => ({ ref: s.ref, outputs: s.present ? s.outputs : undefined })));
  }
  const word = found.kind === "Deployment" ? "deployed" : "connected";
  const state = { deployed: word, absent: `not ${word}`, partly: `not fully ${word}${found.partly ?? ""}` }[found.done];
  session.emit({
    kind: "result",
    operation: "status",
    ok: true,
    // Nothing deployed is what status found, not a success to mark.
    neutral: found.done === "absent",
    summary: `${found.kind} "${answers.name}" is ${state}.`,
    next: nextCommands(ctx.invocation, answers, found.next),
    at: Date.now(),
  });
  return 0;
}
