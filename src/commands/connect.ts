// `connect`: answers (flags, the answers file, questions that list what exists) → (AWS from here on) who
// the caller is, the permission check and both sides read as doctor reads them → the plan → its refusals
// stop it before any stack (exit 2) → --dry-run stops there → confirm → the two stacks → the proof: doctor
// on the path, then verify invokes the probe. Exit 0 only when both hold (--no-probe: doctor alone, judged
// but not exercised).
import { configPath, loadAnswersFile, saveAnswersFile, type AnswersFile, type ConnectAnswers } from "../config/answers.js";
import { clientOf, resolveConnectAnswers, type ResolvedConnection } from "../config/connect-answers.js";
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import type { PathQuery } from "../aws/path-snapshot.js";
import type { ConnectPlan, ConnectOptions, PeeringOption } from "../steps/connect/types.js";
import { terminalColumns, wrapCommand } from "../ui/format.js";
import { checkKind, type CommandContext } from "./context.js";
import { equivalentConnect, nextCommands } from "./next-steps.js";
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
  const unsaved = flags.dryRun ? undefined : saveAnswersFile(path, connectionFile(answers, lastVerify));
  if (unsaved) human.write(`warning: ${unsaved}; connect goes on\n\n`);
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
  const given: Partial<ConnectAnswers> = Object.fromEntries(
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

/** The options the planner takes, from a connection's answers. */
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

/** The AWS half: who, the permission check, the plan, the stacks, the proof. `configFile`: where to record the verification. */
async function connectWithAws(ctx: CommandContext, answers: ConnectAnswers, configFile: string | undefined): Promise<number> {
  const [{ withSession }, { callerIdentity }, { checkPermissions }, { planConnection, buildConnection }] = await Promise.all([
    import("./session.js"),
    import("../aws/identity.js"),
    import("../steps/permission-check.js"),
    import("../steps/connect/connect.js"),
  ]);
  const { flags } = ctx;
  const options = connectOptions(answers);
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
    const { plan, facts, apiRange } = await planConnection(session, options, flags.dryRun);
    if (plan.refusals.length > 0) throw refused(session, plan);
    const permissions = await permissionCheck;
    session.emit({ kind: "permission-check", report: permissions, at: Date.now() });
    if (permissions.outcome === "denied") throw denied(session, permissions.denied.length);
    if (flags.dryRun) {
      session.emit({ kind: "result", operation: "connect", ok: true, summary: `Dry run: nothing was created. Run connect without --dry-run to create what the plan lists.`, next: [], at: Date.now() });
      return 0;
    }
    const rolledBack = [facts.owned.client, facts.owned.api].some((s) => s?.status === "ROLLBACK_COMPLETE");
    if (asks) {
      const { askConfirm } = await import("../ui/prompts.js");
      if (!(await askConfirm(`Create what the plan lists for connection "${answers.name}" now?`, true))) {
        session.emit({ kind: "result", operation: "connect", ok: true, summary: "Nothing created.", next: [], at: Date.now() });
        return 0;
      }
      if (rolledBack && !(await askConfirm("A stack of this connection is in ROLLBACK_COMPLETE from a failed first create: delete it and create it again?", true))) {
        session.emit({ kind: "result", operation: "connect", ok: true, summary: "Nothing created.", next: [], at: Date.now() });
        return 0;
      }
      await session.goLive();
    }
    const built = await buildConnection({ ...session, confirmReplace: async () => flags.yes || (asks && rolledBack) }, plan);
    if (built.kind === "cancelled") {
      const next = nextCommands(ctx.invocation, answers, ["connect", "status", "disconnect"]);
      session.emit({ kind: "result", operation: "connect", ok: false, summary: "Connect cancelled.", next, at: Date.now() });
      throw new InterruptedError(`Connect cancelled. ${built.message}`, true);
    }
    if (built.kind === "failed") {
      const next = nextCommands(ctx.invocation, answers, ["connect", "disconnect"]);
      session.emit({ kind: "result", operation: "connect", ok: false, summary: built.message, next, at: Date.now() });
      throw new FailureError(`stage ${built.stage}/2 failed: ${built.message}`, [`fix the cause and run connect again to resume, or remove what connect added: ${next[1]}`]);
    }
    return prove(ctx, session, answers, plan, built.outputs, apiRange, configFile);
  });
}

// doctor on the path (the user's function, else the probe, else the client's network), then the probe
// invoked --samples times. Exit 0 only when both hold; with --no-probe the path is judged, not exercised.
async function prove(
  ctx: CommandContext,
  session: Session,
  answers: ConnectAnswers,
  plan: ConnectPlan,
  outputs: Readonly<Record<string, string>>,
  apiRange: string,
  configFile: string | undefined,
): Promise<number> {
  const [{ doctor }, { resolveClientNetwork }, { verifyFunction }] = await Promise.all([
    import("../steps/doctor/doctor.js"),
    import("../aws/connect-reads.js"),
    import("./verify.js"),
  ]);
  const probe = outputs["FunctionName"];
  const place = { clientRegion: answers.clientRegion, apiRegion: answers.apiRegion, apiId: answers.apiId, stage: answers.stage, endpointId: answers.endpoint };
  const client = plan.options.client;
  const query: PathQuery =
    client.kind === "function"
      ? { ...place, functionName: client.name }
      : probe
        ? { ...place, functionName: probe }
        : { ...place, network: await resolveClientNetwork(session.clients.ec2(answers.clientRegion), client.vpcId, client.subnetIds, client.securityGroupIds) };
  const report = await doctor(session, query);
  const judged = report.ok;
  const exercised = judged && probe ? await verifyFunction(ctx, session, { region: answers.clientRegion, functionName: probe, apiCidr: apiRange }, configFile) : undefined;
  const ok = judged && exercised !== false;
  const who = client.kind === "function" ? client.name : `${client.vpcId}`;
  const summary = !judged
    ? `Connected, but doctor finds the path broken: ${report.hops.filter((h) => h.ok !== true).map((h) => h.hop).join(", ")}.`
    : exercised === false
      ? "Connected and every hop checks out, but the probe's call did not work."
      : exercised === undefined
        ? `${who} in ${answers.clientRegion} is connected to the private API ${answers.apiId} in ${answers.apiRegion}: judged by doctor, not exercised (no probe to invoke).`
        : `${who} in ${answers.clientRegion} reaches the private API ${answers.apiId} in ${answers.apiRegion}: doctor passes every hop and the probe's calls work.`;
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

// The plan said why it cannot go ahead (the connect-plan event carries each refusal); the run ends with
// exit 2, one line per refusal, before anything is created.
function refused(session: Session, plan: ConnectPlan): UsageError {
  const count = plan.refusals.length;
  session.emit({ kind: "result", operation: "connect", ok: false, summary: `Nothing was created: connect refuses (${count} reason${count === 1 ? "" : "s"}).`, next: [], at: Date.now() });
  return new UsageError(plan.refusals.map((r) => r.message).join("\n"));
}

// The denied actions were listed by the permission-check event; this only ends the run.
function denied(session: Session, count: number): FailureError {
  const actions = `${count} action${count === 1 ? "" : "s"}`;
  session.emit({ kind: "result", operation: "connect", ok: false, summary: `Nothing was created: ${actions} denied (listed above).`, next: [], at: Date.now() });
  return new FailureError(`the permission check denied ${actions}: nothing was created`);
}
