// `disconnect`: connect's two stacks deleted per client region, the API side first, then the client side once
// the probe's network interfaces are released (as teardown releases the client function's); the regions side
// by side (--max-parallel). Found by name in both regions, so it works on a half-made connection and a second
// run finds nothing to do. --client-region naming some of the connection's regions removes only theirs and
// leaves the answers file listing the rest; one the file does not list is refused (exit 2). A peering connection connect reused is not ours and stays.
import { connectionPlaces, listItems } from "../config/answers.js";
import { type AnswersFile, saveAnswersFile } from "../config/answers-file.js";
import { withoutConnectionRegions } from "../config/connection-regions.js";
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import { type CommandContext, type LoadedAnswers, loadAnswers, stopOnCredentials } from "./context.js";
import { nextCommands } from "./next-steps.js";

/** `disconnect`: deletes the connection's stacks (of every client region named) after confirmation or --yes. */
export async function runDisconnect(ctx: CommandContext): Promise<number> {
  if (!ctx.interactive && !ctx.flags.yes) {
    throw new UsageError("disconnect deletes a connection's two stacks and there is no terminal to confirm on: pass --yes");
  }
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  refuseUnlisted(loaded, ctx.flags.clientRegion);
  const places = connectionPlaces(answers);
  const several = places.length > 1;
  const [{ withSession }, { teardownLanes }, { lookupStack }, { connectStageRefs }] = await Promise.all([
    import("./session.js"),
    import("../steps/teardown/teardown.js"),
    import("../steps/stacks.js"),
    import("../steps/stages.js"),
  ]);
  return withSession(ctx, answers, "disconnect", async (session) => {
    // Each region's API side, then its client side.
    const lanes = places.map((place) => {
      const [client, api] = connectStageRefs(place, several);
      return [api, client] as const;
    });
    // Looked up first, so that a second disconnect neither asks about stacks that are gone nor deletes anything.
    const states = await Promise.all(lanes.map((lane) => Promise.all(lane.map((ref) => lookupStack(session.clients, ref)))));
    const present = states.flat().flatMap((s) => (s.present ? [`${s.ref.stackName} (${s.ref.region})`] : []));
    const regions = places.map((p) => p.clientRegion);
    if (present.length === 0) {
      forget(loaded, regions);
      session.emit({ kind: "result", operation: "disconnect", ok: true, summary: `Nothing to delete: no stack of connection "${answers.name}" exists${several ? ` in ${regions.join(", ")}` : ""}.`, next: [], at: Date.now() });
      return 0;
    }
    // Each region's peering connect reused (not ours: it stays), by the client side's parameter.
    const removals = states.map(([api, client], i): RegionRemoval => ({
      region: regions[i]!,
      present: api!.present || client!.present,
      reused: client!.present ? client!.parameters["PeeringConnectionId"] || undefined : undefined,
    }));
    if (!ctx.flags.yes) {
      const { askConfirm } = await import("../ui/prompts.js");
      if (!(await askConfirm(`Delete ${present.join(" and ")}? Your own resources stay as they were before connect.`, false))) {
        session.emit({ kind: "result", operation: "disconnect", ok: true, summary: "Nothing deleted.", next: [], at: Date.now() });
        return 0;
      }
    }
    await session.goLive();
    const result = await teardownLanes(session, lanes, { maxParallel: ctx.flags.maxParallel, command: "disconnect" });
    if (result.kind === "cancelled") {
      session.emit({ kind: "result", operation: "disconnect", ok: false, summary: "Disconnect cancelled.", next: nextCommands(ctx.invocation, answers, ["disconnect"]), at: Date.now() });
      throw new InterruptedError(`Disconnect cancelled. ${result.message}`, true);
    }
    if (result.kind === "failed") {
      const next = nextCommands(ctx.invocation, answers, ["disconnect"]);
      session.emit({ kind: "result", operation: "disconnect", ok: false, summary: result.message, next, at: Date.now() });
      throw new FailureError(`deleting stage ${result.stage}/2${several && result.clientRegion ? ` (${result.clientRegion})` : ""} failed: ${result.message}`, [`after fixing the cause, run again: ${next[0]}`]);
    }
    const left = forget(loaded, regions);
    const deleted = result.stages.filter((s) => s.outcome === "deleted").length;
    if (!several) for (const { reused } of removals) if (reused) session.emit({ kind: "info", message: `${reused} was there before connect (reused, not ours): it stays.`, at: Date.now() });
    session.emit({
      kind: "result",
      operation: "disconnect",
      ok: true,
      summary: disconnectedSummary(answers.name, deleted, removals, left),
      next: left.length > 0 ? nextCommands(ctx.invocation, { ...answers, clients: left.map((region) => ({ region })) }, ["status"]) : [],
      at: Date.now(),
    });
    return 0;
  });
}

/** What disconnect found of one client region: whether any of its stacks stood, and the peering it reused. */
export interface RegionRemoval {
  readonly region: string;
  readonly present: boolean;
  readonly reused: string | undefined;
}

/**
 * The sentence a finished disconnect ends with. One region: what is gone (its reused peering said on a line
 * of its own). Several: each region's, so a peering one region reused does not hide the others' deleted ones.
 * `left`: the regions the answers file still lists.
 */
export function disconnectedSummary(name: string, deleted: number, removals: readonly RegionRemoval[], left: readonly string[]): string {
  const gone = (reused: string | undefined, who: string) => `every route, rule, zone${reused ? "" : ", peering"} and probe ${who} added is gone`;
  const stacks = `Deleted ${deleted} stack${deleted === 1 ? "" : "s"} of connection "${name}"`;
  const rest = left.length > 0 ? ` ${left.join(", ")} stay${left.length === 1 ? "s" : ""} connected.` : "";
  if (removals.length === 1) return `${stacks}${left.length > 0 ? ` (${removals[0]!.region})` : ""}: ${gone(removals[0]!.reused, "it")}.${rest}`;
  const each = removals.map(({ region, present, reused }) =>
    !present ? `${region}: no stack was there` : `${region}: ${gone(reused, "connect")}${reused ? `; ${reused} stays (reused, not ours)` : ""}`,
  );
  return `${stacks}. ${each.join(". ")}.${rest}`;
}

/**
 * --client-region naming a region the connection's answers file does not list is a mistake (a typo, or
 * another file's region): it would find no stack and say there is nothing to delete. Without the file, or
 * for another connection's name, the regions given are the whole connection.
 */
function refuseUnlisted(loaded: LoadedAnswers, named: string | undefined): void {
  const { file, answers, path } = loaded;
  if (named === undefined || file?.kind !== "connection" || file.answers.name !== answers.name) return;
  const listed = savedRegions(file);
  const unlisted = listItems(named).filter((region) => !listed.includes(region));
  if (unlisted.length === 0) return;
  const these = unlisted.length === 1 ? `client region ${unlisted[0]}` : `client regions ${unlisted.join(", ")}`;
  throw new UsageError(
    `${path} does not list ${these} for connection "${answers.name}": it lists ${listed.join(", ")}; name those with --client-region, or pass --config with the answers file that lists ${unlisted.length === 1 ? "it" : "them"}`,
  );
}

// The client regions a connection's answers file lists.
function savedRegions(file: AnswersFile): string[] {
  return listItems(file.connection?.clientRegion ?? file.answers.clientRegion ?? "").filter(Boolean);
}

/**
 * The answers file once these client regions are gone: a connection listing others keeps them (its lists
 * without these regions, its last verification no longer true); otherwise the verification of a connection
 * that no longer exists is forgotten, so `status` does not report it as passed. Answers the regions left.
 */
function forget(loaded: LoadedAnswers, removed: readonly string[]): string[] {
  const { file, answers, path } = loaded;
  if (!file || file.kind !== "connection" || file.answers.name !== answers.name) return [];
  const listed = savedRegions(file);
  const left = listed.filter((region) => !removed.includes(region));
  if (left.length === 0 || left.length === listed.length) {
    if (file.lastVerify && left.length === 0) saveAnswersFile(path, { ...file, lastVerify: undefined });
    return left.length === listed.length ? [] : left;
  }
  const connection = withoutConnectionRegions(file.connection ?? {}, removed);
  saveAnswersFile(path, { ...file, answers: { ...file.answers, clientRegion: left.join(",") }, connection, lastVerify: undefined });
  return left;
}
