// `doctor`: which hop of the path is broken, from AWS's own answers, for each client region (one table
// each; --client-region picks some). Our deployment is found by its stacks' outputs; any other setup is
// named by --function and --api-id.
import type { AwsClients } from "../aws/clients.js";
import type { PathQuery } from "../aws/path-snapshot.js";
import { type Answers, connectionPlaces } from "../config/answers.js";
import { type AnswersFile } from "../config/answers-file.js";
import { apiIdProblem, functionProblem, stageProblem } from "../config/validate.js";
import { FailureError, UsageError } from "../errors.js";
import type { DoctorReport } from "../steps/doctor/doctor.js";
import { type CommandContext, loadAnswers, stopOnCredentials } from "./context.js";
import { connectMissing, locateFlags, nextCommands } from "./next-steps.js";


/** The flags of a hand-made setup, checked before any AWS call; undefined for our own deployment. */
function handMadeTarget(flags: CommandContext["flags"]): { functionName: string; apiId: string; stage: string | undefined } | undefined {
  const { functionName, apiId, stage } = flags;
  if (functionName === undefined && apiId === undefined) {
    if (stage !== undefined) throw new UsageError("--stage goes with --function and --api-id: our deployment's stage is read from its stack");
    return undefined;
  }
  if (functionName === undefined) throw new UsageError(`--api-id needs --function too: pass --function <name or ARN of the client function> --api-id ${apiId}`);
  if (apiId === undefined) throw new UsageError(`--function needs --api-id too: pass --function ${functionName} --api-id <the private API's id, e.g. a1b2c3d4e5>`);
  const problem = functionProblem(functionName) ?? apiIdProblem(apiId) ?? (stage === undefined ? undefined : stageProblem(stage));
  if (problem) throw new UsageError(problem);
  return { functionName, apiId, stage };
}

/** `doctor`: judges each client region's path hop by hop (one table per region) and names the broken hops. */
export async function runDoctor(ctx: CommandContext): Promise<number> {
  const target = handMadeTarget(ctx.flags);
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  if (target && answers.clients.length > 1) {
    throw new UsageError(`--function names one function: pass the one region it runs in, --client-region ${answers.clients[0]?.region}`);
  }
  const [{ withSession }, { doctorEach }] = await Promise.all([import("./session.js"), import("../steps/doctor/doctor.js")]);
  return withSession(ctx, answers, "doctor", async (session) => {
    await session.goLive();
    const queries: PathQuery[] = target
      ? [{ clientRegion: answers.clients[0]!.region, apiRegion: answers.apiRegion, ...target }]
      : await ourPaths(session.clients, answers, loaded.file, ctx.invocation, loaded.path);
    const several = queries.length > 1;
    const reports = (await doctorEach(session, queries)).map(({ query, report }) => ({ region: query.clientRegion, report }));
    const ok = reports.every((r) => r.report.ok);
    const summaries = reports.map(({ region, report }) => (several ? `${region}: ${verdict(report)}` : verdict(report)));
    session.emit({
      kind: "result",
      operation: "doctor",
      ok,
      summary: several && ok ? `Every hop of every client region's path checks out (${reports.map((r) => r.region).join(", ")}).` : summaries.join(" "),
      // After a fix: doctor again, then verify proves the path with a real call.
      next: target ? [] : nextCommands(ctx.invocation, answers, ok ? ["verify"] : ["doctor", "verify"]),
      at: Date.now(),
    });
    return ok ? 0 : 1;
  });
}

function verdict(report: DoctorReport): string {
  const broken = report.hops.filter((h) => h.ok === false).map((h) => h.hop);
  const open = report.hops.filter((h) => h.ok === null).map((h) => h.hop);
  if (report.ok) return "Every hop of the path checks out.";
  if (broken.length > 0) return `Broken: ${broken.join(", ")}${open.length > 0 ? `; not checked: ${open.join(", ")}` : ""}.`;
  return `Nothing found broken, but not checked: ${open.join(", ")}.`;
}

// Each client region's path of our deployment, from its stacks' outputs; or a connection's path: a file of a
// connection's answers names one, and a name without a deployment may be one.
async function ourPaths(clients: Pick<AwsClients, "cloudFormation" | "ec2">, answers: Answers, file: AnswersFile | undefined, invocation: string, path: string): Promise<PathQuery[]> {
  // A connection's path per client region: undefined for a region whose stacks are not a connection's.
  const places = connectionPlaces(answers);
  const connection = async () => {
    const [{ connectionQuery, lookupConnection }, { savedForRegion }] = await Promise.all([import("../steps/connect/locate.js"), import("../config/connection-regions.js")]);
    const saved = file?.kind === "connection" && file.connection?.name === answers.name ? file.connection : undefined;
    return Promise.all(
      places.map(async (place) => {
        const stacks = await lookupConnection(clients, place);
        return stacks && (await connectionQuery(clients, place, stacks, saved && savedForRegion(saved, place.clientRegion)));
      }),
    );
  };
  if (file?.kind === "connection") {
    const queries = await connection();
    const missing = places.filter((_, i) => !queries[i]).map((p) => p.clientRegion);
    if (missing.length === 0) return queries.filter((q): q is PathQuery => q !== undefined);
    throw new FailureError(`no connection "${answers.name}" to check${places.length > 1 ? ` from ${missing.join(", ")}` : ""}: its stacks do not exist in ${missing.join(", ")} and ${answers.apiRegion}`, [
      `connect it: ${connectMissing(invocation, path, file.connection, answers, missing)}`,
    ]);
  }
  const { lookupStacks } = await import("../steps/stacks.js");
  const stacks = await lookupStacks(clients, answers);
  const api = stacks.api.present ? stacks.api.outputs : {};
  const apiId = api["ApiId"];
  if (!apiId && !stacks.api.present && stacks.clients.every((c) => !c.client.present)) {
    const queries = await connection();
    if (queries.every((q) => q !== undefined)) return queries as PathQuery[];
  }
  return stacks.clients.map(({ region, client }) => {
    const functionName = client.present ? client.outputs["FunctionName"] : undefined;
    if (!functionName || !apiId) {
      const missing = !apiId ? stacks.api : client;
      throw new FailureError(
        `no deployment "${answers.name}" to check: stack ${missing.ref.stackName} in ${missing.ref.region} is ${missing.present ? `${missing.status} without its outputs` : "not deployed"}`,
        [
          `deploy it: ${invocation} deploy ${locateFlags(answers)}`,
          `or check a setup made another way: ${invocation} doctor --function <name|ARN> --client-region <B> --api-id <id> --api-region <A>`,
        ],
      );
    }
    return { clientRegion: region, apiRegion: answers.apiRegion, functionName, apiId, stage: api["StageName"] };
  });
}
