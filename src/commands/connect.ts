// `connect`: answers (flags, the answers file, questions that list what exists) → (AWS from here on) who
// the caller is, the permission check and both sides read as doctor reads them → the plan → its refusals
// stop it before any stack (exit 2) → --dry-run stops there → confirm → the two stacks → the proof: doctor
// on the path, then verify invokes the probe. Exit 0 only when both hold (--no-probe: doctor alone, judged
// but not exercised). With several client regions: a plan per region (any refusal stops them all), each
// region's two stacks side by side, and the proof per region.
import { type ConnectAnswers } from "../config/answers.js";
import { configPath, loadAnswersFile, saveAnswersFile, type AnswersFile } from "../config/answers-file.js";
import { clientOf, resolveConnectAnswers, type ResolvedConnection } from "../config/connect-answers.js";
import { connectionRegions, withSavedRegions } from "../config/connection-regions.js";
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import type { PathQuery } from "../aws/path-snapshot.js";
import type { ConnectPlan, ConnectOptions, PeeringOption } from "../steps/connect/types.js";
import { terminalColumns, wrapCommand } from "../ui/format.js";
import { checkKind, type CommandContext } from "./context.js";
import { connectionNext, equivalentConnect, nextCommands } from "./next-steps.js";
import type { Session } from "./session.js";

/** `connect`: questions (in a terminal), then the AWS half. */
export async function runConnect(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const path = configPath(flags.config, ctx.cwd);
  const file = loadAnswersFile(path, false);
  checkKind("connect", file, path);
  const resolved = await resolveConnection(ctx, path, file);
  const { answers } = resolved;
  const human = flags.progress === "json" ? ctx.stderr : ctx.stdout;
  if (resolved.asked.length > 0) {
    const command = wrapCommand(`${equivalentConnect(ctx.invocation, answers)} --yes`, 2, terminalColumns(human));
    human.write(`\nThe same run without questions:\n${command.join("\n")}\n\n`);
  }
  // A verification recorded for this very connection stays; one of another is no longer true of this file.
  const lastVerify = file?.kind === "connection" && file.answers.name === answers.name ? file.lastVerify : undefined;
  // Regions of this connection the run does not name stay in the file: their stacks still stand.
  const kept = withSavedRegions(answers, file?.kind === "connection" ? file.connection : undefined, path);
  const unsaved = flags.dryRun ? undefined : saveAnswersFile(path, connectionFile(kept, lastVerify));
  if (unsaved) human.write(`warning: ${unsaved}; connect goes on\n\n`);
  else if (kept !== answers && !flags.dryRun) {
    const others = kept.clientRegion.split(",").slice(answers.clientRegion.split(",").length);
    human.write(`${path} keeps ${others.join(", ")} of connection "${answers.name}" too (connected before; disconnect --client-region ${others.join(",")} removes ${others.length === 1 ? "it" : "them"}).\n\n`);
  }
  else if (file === undefined && flags.config !== undefined && !flags.dryRun) human.write(`Created ${flags.config} with these answers (--config); later runs read them from it.\n\n`);
  return connectWithAws(ctx, answers, flags.dryRun ? undefined : path);
}

/** The answers file of a connection: its answers, with the name, regions and profile every command reads. */
export function connectionFile(answers: ConnectAnswers, lastVerify: AnswersFile["lastVerify"]): AnswersFile {
  const { name, apiRegion, clientRegion, profile } = answers;
  return { kind: "connection", answers: { name, apiRegion, clientRegion, ...(profile ? { profile } : {}) }, connection: answers, lastVerify };
}

// Flags, then the file, then (in a terminal) questions that list what exists in the account.
async function resolveConnection(ctx: CommandContext, path: string, file: AnswersFile | undefined): Promise<ResolvedConnection> {
  const { flags } = ctx;
  const given = connectFlagAnswers(flags);
  const sources = { flags: given, file: file?.connection, filePath: path };
  if (!ctx.interactive) return resolveConnectAnswers(sources, undefined, flags.yes);
  // The questions read what they list: the clients live as long as the questions.
  const [{ createClients }, { connectChooser }] = await Promise.all([import("../aws/clients.js"), import("./connect-questions.js")]);
  const clients = createClients({ profile: given.profile ?? file?.connection?.profile });
  try {
    return await resolveConnectAnswers(sources, connectChooser(clients), flags.yes);
  } finally {
    clients.destroy();
  }
}

/** A connection's answers the flags give. */
export function connectFlagAnswers(flags: CommandContext["flags"]): Partial<ConnectAnswers> {
  return Object.fromEntries(
    Object.entries({
      name: flags.name,
      apiRegion: flags.apiRegion,
      clientRegion: flags.clientRegion,
      profile: flags.profile,
      apiId: flags.apiId,
      stage: flags.stage,
      endpoint: flags.endpoint,
      function: flags.functionName,
      clientVpc: flags.clientVpc,
      clientSubnets: flags.clientSubnets,
      clientSecurityGroups: flags.clientSecurityGroups,
      peering: flags.peering,
      probe: flags.probe,
    }).filter(([, value]) => value !== undefined),
  );
}

/** The options the planner takes, from one client region's answers (connectionRegions splits a connection). */
export function connectOptions(answers: ConnectAnswers): ConnectOptions {
  return {
    name: answers.name,
    apiRegion: answers.apiRegion,
    apiId: answers.apiId,
    stage: answers.stage,
    endpointId: answers.endpoint,
    clientRegion: answers.clientRegion,
    client: clientOf(answers),
    peering: answers.peering as PeeringOption,
    probe: answers.probe,
  };
}

/** The AWS half: who, the permission check, the plans, the stacks, the proof. `configFile`: where to record the verification. */
async function connectWithAws(ctx: CommandContext, answers: ConnectAnswers, configFile: string | undefined): Promise<number> {
  const [{ withSession }, { callerIdentity }, { checkPermissions }, { planConnections, buildConnections }] = await Promise.all([
    import("./session.js"),
    import("../aws/identity.js"),
    import("../steps/permissions/permission-check.js"),
    import("../steps/connect/connect.js"),
  ]);
  const { flags } = ctx;
  const regions = connectionRegions(answers);
  return withSession(ctx, answers, "connect", async (session) => {
    // Without a question to ask (--yes, no terminal, a dry run) the live view starts at once and shows the plan too.
    const asks = ctx.interactive && !flags.yes && !flags.dryRun;
    if (!asks) await session.goLive();
    const identity = await callerIdentity(session.clients, answers.apiRegion);
    session.emit({ kind: "identity", account: identity.account, arn: identity.arn, at: Date.now() });
    const permissionCheck =
      flags.permissionCheck === false
        ? Promise.resolve({ outcome: "skipped" as const, reason: "--no-permission-check was given" })
        : checkPermissions({ clients: session.clients }, identity, answers, "connect");
    permissionCheck.catch(() => undefined);
    const planned = await planConnections(session, regions.map(connectOptions), flags.dryRun);
    const plans = planned.map((p) => p.plan);
    if (plans.some((p) => p.refusals.length > 0)) throw refused(session, plans);
    const permissions = await permissionCheck;
    session.emit({ kind: "permission-check", report: permissions, at: Date.now() });
    if (permissions.outcome === "denied") throw denied(session, permissions.denied.length);
    if (flags.dryRun) {
      session.emit({ kind: "result", operation: "connect", ok: true, summary: `Dry run: nothing was created. Run connect without --dry-run to create what the plan${plans.length > 1 ? "s list" : " lists"}.`, next: [], at: Date.now() });
      return 0;
    }
    const rolledBack = planned.some(({ facts }) => [facts.owned.client, facts.owned.api].some((s) => s?.status === "ROLLBACK_COMPLETE"));
    if (asks) {
      const { askConfirm } = await import("../ui/prompts.js");
      const what = plans.length > 1 ? `what the plans list for connection "${answers.name}" (${plans.length} client regions)` : `what the plan lists for connection "${answers.name}"`;
      if (!(await askConfirm(`Create ${what} now?`, true))) {
        session.emit({ kind: "result", operation: "connect", ok: true, summary: "Nothing created.", next: [], at: Date.now() });
        return 0;
      }
      if (rolledBack && !(await askConfirm("A stack of this connection is in ROLLBACK_COMPLETE from a failed first create: delete it and create it again?", true))) {
        session.emit({ kind: "result", operation: "connect", ok: true, summary: "Nothing created.", next: [], at: Date.now() });
        return 0;
      }
      await session.goLive();
    }
    const built = await buildConnections({ ...session, confirmReplace: async () => flags.yes || (asks && rolledBack) }, plans, { maxParallel: flags.maxParallel });
    if (built.kind === "cancelled") {
      const next = connectionNext(ctx.invocation, answers, ["connect", "status", "disconnect"]);
      session.emit({ kind: "result", operation: "connect", ok: false, summary: "Connect cancelled.", next, at: Date.now() });
      throw new InterruptedError(`Connect cancelled. ${built.message}`, true);
    }
    const failed = built.regions.flatMap((r) => (r.kind === "failed" ? [r] : []));
    if (failed.length > 0) {
      const next = connectionNext(ctx.invocation, answers, ["connect", "disconnect"]);
      const up = built.regions.filter((r) => r.kind === "built").map((r) => r.region);
      const notStarted = built.regions.filter((r) => r.kind === "not-started").map((r) => r.region);
      const one = failed[0]!;
      const summary =
        regions.length === 1
          ? one.message
          : `${failed.map((f) => `${f.region} failed at stage ${f.stage}/2`).join("; ")}${up.length > 0 ? `; connected: ${up.join(", ")}` : ""}${notStarted.length > 0 ? `; not started: ${notStarted.join(", ")}` : ""}. ${one.message}`;
      session.emit({ kind: "result", operation: "connect", ok: false, summary, next, at: Date.now() });
      const where = regions.length === 1 ? "" : ` (${one.region})`;
      throw new FailureError(`stage ${one.stage}/2${where} failed: ${one.message}`, [`fix the cause and run connect again to resume, or remove what connect added: ${next[1]}`]);
    }
    const proofs = planned.map((p, i) => {
      const region = built.regions[i]!;
      return { answers: regions[i]!, plan: p.plan, apiRange: p.apiRange, outputs: region.kind === "built" ? region.outputs : {} };
    });
    return prove(ctx, session, answers, proofs, configFile);
  });
}

/** One client region to prove: its one-region answers, its plan, its client stack's outputs and the API range. */
interface RegionProof {
  readonly answers: ConnectAnswers;
  readonly plan: ConnectPlan;
  readonly outputs: Readonly<Record<string, string>>;
  readonly apiRange: string;
}

// Each region: doctor on the path (the user's function, else the probe, else the client's network), then the
// probes invoked --samples times (side by side, with verify's matrix for several). Exit 0 only when every
// region holds both; with --no-probe the path is judged, not exercised.
async function prove(ctx: CommandContext, session: Session, answers: ConnectAnswers, regions: readonly RegionProof[], configFile: string | undefined): Promise<number> {
  const [{ doctorEach }, { resolveClientNetwork }, { verifyFunctions }] = await Promise.all([
    import("../steps/doctor/doctor.js"),
    import("../aws/connect-reads.js"),
    import("./verify.js"),
  ]);
  const several = regions.length > 1;
  const queries = regions.map(async ({ answers: one, plan, outputs }): Promise<PathQuery> => {
    const probe = outputs["FunctionName"];
    const place = { clientRegion: one.clientRegion, apiRegion: one.apiRegion, apiId: one.apiId, stage: one.stage, endpointId: one.endpoint };
    const client = plan.options.client;
    if (client.kind === "function") return { ...place, functionName: client.name };
    if (probe) return { ...place, functionName: probe };
    return { ...place, network: await resolveClientNetwork(session.clients.ec2(one.clientRegion), client.vpcId, client.subnetIds, client.securityGroupIds) };
  });
  const judged = (await doctorEach(session, queries)).map(({ report }, i) => ({ region: regions[i]!, ok: report.ok, broken: report.hops.filter((h) => h.ok !== true).map((h) => h.hop) }));
  const allJudged = judged.every((j) => j.ok);
  const targets = regions.flatMap((r) => (r.outputs["FunctionName"] ? [{ region: r.answers.clientRegion, functionName: r.outputs["FunctionName"], apiCidr: r.apiRange }] : []));
  const exercised = allJudged && targets.length > 0 ? await verifyFunctions(ctx, session, targets, configFile) : undefined;
  const ok = allJudged && exercised !== false;
  const who = (r: RegionProof) => (r.plan.options.client.kind === "function" ? r.plan.options.client.name : r.plan.options.client.vpcId);
  const unexercised = regions.filter((r) => !r.outputs["FunctionName"]).map((r) => r.answers.clientRegion);
  const summary = !allJudged
    ? several
      ? `Connected, but doctor finds the path broken from ${judged.filter((j) => !j.ok).map((j) => `${j.region.answers.clientRegion} (${j.broken.join(", ")})`).join(", ")}.`
      : `Connected, but doctor finds the path broken: ${judged[0]!.broken.join(", ")}.`
    : exercised === false
      ? `Connected and every hop checks out, but the probe's call${several ? "s did" : " did"} not work.`
      : !several
        ? exercised === undefined
          ? `${who(regions[0]!)} in ${answers.clientRegion} is connected to the private API ${answers.apiId} in ${answers.apiRegion}: judged by doctor, not exercised (no probe to invoke).`
          : `${who(regions[0]!)} in ${answers.clientRegion} reaches the private API ${answers.apiId} in ${answers.apiRegion}: doctor passes every hop and the probe's calls work.`
        : `${regions.length} client regions (${regions.map((r) => `${who(r)} in ${r.answers.clientRegion}`).join(", ")}) reach the private API ${answers.apiId} in ${answers.apiRegion}: doctor passes every hop of each${targets.length > 0 ? ` and the probes' calls work` : ""}${unexercised.length > 0 ? `; judged, not exercised (no probe): ${unexercised.join(", ")}` : ""}.`;
  session.emit({
    kind: "result",
    operation: "connect",
    ok,
    summary,
    next: nextCommands(ctx.invocation, answers, ok ? ["status", "disconnect"] : ["doctor", "status", "disconnect"]),
    at: Date.now(),
  });
  return ok ? 0 : 1;
}

// A plan said why it cannot go ahead (each connect-plan event carries its refusals); the run ends with
// exit 2, one line per refusal (of every client region), before anything is created.
function refused(session: Session, plans: readonly ConnectPlan[]): UsageError {
  const refusals = plans.flatMap((p) => p.refusals);
  const count = refusals.length;
  const regions = plans.filter((p) => p.refusals.length > 0).map((p) => p.options.clientRegion);
  const from = plans.length > 1 ? ` for ${regions.join(", ")}` : "";
  session.emit({ kind: "result", operation: "connect", ok: false, summary: `Nothing was created: connect refuses${from} (${count} reason${count === 1 ? "" : "s"}).`, next: [], at: Date.now() });
  return new UsageError(refusals.map((r) => r.message).join("\n"));
}

// The denied actions were listed by the permission-check event; this only ends the run.
function denied(session: Session, count: number): FailureError {
  const actions = `${count} action${count === 1 ? "" : "s"}`;
  session.emit({ kind: "result", operation: "connect", ok: false, summary: `Nothing was created: ${actions} denied (listed above).`, next: [], at: Date.now() });
  return new FailureError(`the permission check denied ${actions}: nothing was created`);
}
