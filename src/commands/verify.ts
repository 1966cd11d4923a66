// `verify`: find each client region's deployed function (or a connection's probe) by name and prove its path
// again, N samples; and the verification `deploy` ends with, which records its outcome in the answers file
// for `status`.
import { type Answers, type ConnectAnswers, connectionPlaces } from "../config/answers.js";
import { type LastVerify, loadAnswersFile, saveAnswersFile } from "../config/answers-file.js";
import { FailureError, UsageError } from "../errors.js";
import { type CommandContext, loadAnswers, stopOnCredentials } from "./context.js";
import { connectMissing, type Locatable, locateFlags, nextCommands } from "./next-steps.js";
import type { Session } from "./session.js";

/** `verify`: finds each client region's deployed function (or a connection's probe) and proves its path again. */
export async function runVerify(ctx: CommandContext): Promise<number> {
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  const [{ withSession }, { lookupStacks }] = await Promise.all([import("./session.js"), import("../steps/stacks.js")]);
  return withSession(ctx, answers, "verify", async (session) => {
    await session.goLive();
    const configFile = loaded.file ? loaded.path : undefined;
    // A file of a connection's answers names a connection; otherwise a name without a deployment may be one.
    const stacks = loaded.file?.kind === "connection" ? undefined : await lookupStacks(session.clients, answers);
    const targets = (stacks?.clients ?? []).map(({ region, client }) => ({ region, client, functionName: client.present ? client.outputs["FunctionName"] : undefined }));
    if (!stacks || (!stacks.api.present && targets.every((t) => !t.client.present))) {
      // Each client region's probe (a connection's: one per region, side by side with the matrix for several).
      const places = connectionPlaces(answers);
      const probes = await Promise.all(places.map((place) => connectionProbe(ctx, session, place)));
      const missing = places.filter((_, i) => !probes[i]).map((p) => p.clientRegion);
      if (missing.length === 0) return finish(ctx, session, answers, "connection", await verifyFunctions(ctx, session, probes as VerifyTarget[], configFile), probes.length);
      if (!stacks || missing.length < places.length) {
        throw new FailureError(`no connection "${answers.name}" to verify${places.length > 1 ? ` from ${missing.join(", ")}` : ""}: its stacks do not exist in ${missing.join(", ")} and ${answers.apiRegion}`, [`connect it first: ${connectMissing(ctx.invocation, loaded.path, loaded.file?.connection, answers, missing)}`]);
      }
    }
    const missing = targets.filter((t) => !t.functionName);
    if (missing.length > 0) {
      const found = targets.filter((t) => t.functionName).map((t) => t.region);
      throw new FailureError(
        `no client function found: ${missing.map(({ client }) => `stack ${client.ref.stackName} in ${client.ref.region} is ${client.present ? `${client.status} without a FunctionName output` : "not deployed"}`).join("; ")}`,
        [
          `deploy it first: ${ctx.invocation} deploy ${locateFlags(answers)}`,
          ...(found.length > 0 ? [`or verify the others: ${ctx.invocation} verify ${locateFlags({ ...answers, clients: answers.clients.filter((c) => found.includes(c.region)) })}`] : []),
        ],
      );
    }
    // The API range as deployed, not as typed today: it tells whether DNS answered with the endpoint.
    const apiCidr = (stacks?.api.present ? stacks.api.outputs["VpcCidr"] : undefined) ?? answers.apiCidr;
    const ok = await verifyFunctions(ctx, session, targets.map((t) => ({ region: t.region, functionName: t.functionName!, apiCidr })), configFile);
    return finish(ctx, session, answers, "deployment", ok, targets.length);
  });
}

function finish(ctx: CommandContext, session: Session, answers: Locatable, kind: "deployment" | "connection", ok: boolean, regions = 1): number {
  const next = kind === "deployment" ? (ok ? ["status", "teardown"] : ["doctor", "status", "deploy"]) : ok ? ["status", "disconnect"] : ["doctor", "status"];
  session.emit({
    kind: "result",
    operation: "verify",
    ok,
    summary: ok ? `The path works${regions > 1 ? ` from each of the ${regions} client regions` : ""}.` : "The path does not work.",
    // A failed path: doctor names the broken hop.
    next: nextCommands(ctx.invocation, answers, next),
    at: Date.now(),
  });
  return ok ? 0 : 1;
}

// A connection's probe, and the range its answers must come from (the API VPC's, which holds the endpoint's
// subnets); undefined when the name is no connection. A connection without a probe cannot be verified.
async function connectionProbe(ctx: CommandContext, session: Session, answers: Pick<ConnectAnswers, "name" | "apiRegion" | "clientRegion" | "profile">): Promise<VerifyTarget | undefined> {
  const [{ lookupConnection, rangeHolding }, { vpcRanges }] = await Promise.all([import("../steps/connect/locate.js"), import("../aws/connect-reads.js")]);
  const stacks = await lookupConnection(session.clients, answers);
  if (!stacks) return undefined;
  const client = stacks.client.present ? stacks.client : undefined;
  const functionName = client?.outputs["FunctionName"];
  if (!client || !functionName) {
    throw new FailureError(
      client
        ? `connection "${answers.name}" has no probe (it was made with --no-probe): there is no function to invoke`
        : `connection "${answers.name}" has no client stack in ${answers.clientRegion}: there is no probe to invoke`,
      [`doctor judges the path without invoking anything: ${ctx.invocation} doctor ${locateFlags(answers)}`, "or run connect again without --no-probe to add the probe"],
    );
  }
  const ranges = await vpcRanges(session.clients.ec2(answers.apiRegion), client.parameters["ApiVpcId"] ?? "");
  const apiCidr = rangeHolding(ranges, client.parameters["EndpointCidr1"] || undefined) ?? client.parameters["EndpointCidr1"] ?? "";
  return { region: answers.clientRegion, functionName, apiCidr };
}

/** Shared by `deploy` and `verify`: each client region's function, invoked N times, and whether every path worked, so `status` can tell later. */
export async function runVerification(
  ctx: CommandContext,
  session: Session,
  answers: Answers,
  targets: readonly { readonly region: string; readonly functionName: string }[],
  configFile: string | undefined,
): Promise<boolean> {
  return verifyFunctions(ctx, session, targets.map((t) => ({ ...t, apiCidr: answers.apiCidr })), configFile);
}

/** The function to invoke (a client region's, a connection's probe), and the range DNS must answer from. */
export interface VerifyTarget {
  readonly region: string;
  readonly functionName: string;
  readonly apiCidr: string;
}

/** Invokes one function --samples times and records the outcome in the answers file, when there is one. */
export function verifyFunction(ctx: CommandContext, session: Session, target: VerifyTarget, configFile: string | undefined): Promise<boolean> {
  return verifyFunctions(ctx, session, [target], configFile);
}

/**
 * Invokes each function --samples times, the client regions side by side, then (several) the matrix; and
 * records whether every path worked in the answers file, when there is one.
 */
export async function verifyFunctions(ctx: CommandContext, session: Session, targets: readonly VerifyTarget[], configFile: string | undefined): Promise<boolean> {
  const { verify } = await import("../steps/verify/verify.js");
  const reports = await Promise.all(targets.map(async (target) => ({ region: target.region, report: await verify(session, { ...target, samples: ctx.flags.samples }) })));
  // The matrix is of several client regions: a one-region run does not load it.
  if (targets.length > 1) {
    const { verifyMatrix } = await import("../steps/verify/verify-matrix.js");
    session.emit({ kind: "verify-matrix", matrix: verifyMatrix(reports), at: Date.now() });
  }
  const ok = reports.every(({ report }) => report.ok);
  if (configFile) {
    const summary = reports
      .map(({ region, report }) => {
        const passed = report.samples.filter((s) => s.kind === "answer" && s.answer.ok).length;
        const said = `${passed}/${report.samples.length} samples ok${report.failure ? `; ${report.failure.layer}: ${report.failure.message}` : ""}`;
        return reports.length > 1 ? `${region}: ${said}` : said;
      })
      .join(" | ");
    const unsaved = recordVerification(configFile, { ok, at: new Date().toISOString(), summary });
    if (unsaved) session.emit({ kind: "warning", message: `${unsaved}; status will not show this verification`, at: Date.now() });
  }
  return ok;
}

// Read again, not reused: the file may have changed while the stacks deployed. One that no longer parses
// is left as it is.
function recordVerification(configFile: string, lastVerify: LastVerify): string | undefined {
  let file;
  try {
    file = loadAnswersFile(configFile, false);
  } catch (error) {
    if (error instanceof UsageError) return `did not save the verification: ${error.message}`;
    throw error;
  }
  return file ? saveAnswersFile(configFile, { ...file, lastVerify }) : undefined;
}
