// `doctor`: which hop of the path is broken, from AWS's own answers. Our deployment is found by its
// stacks' outputs; any other setup is named by --function and --api-id.
import type { AwsClients } from "../aws/clients.js";
import type { PathQuery } from "../aws/path-snapshot.js";
import type { Answers, AnswersFile } from "../config/answers.js";
import { apiIdProblem, functionProblem, stageProblem } from "../config/validate.js";
import { FailureError, UsageError } from "../errors.js";
import { type CommandContext, loadAnswers, stopOnCredentials } from "./context.js";
import { locateFlags, nextCommands } from "./next-steps.js";


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

/** `doctor`: judges the path hop by hop and names the first broken one. */
export async function runDoctor(ctx: CommandContext): Promise<number> {
  const target = handMadeTarget(ctx.flags);
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  const [{ withSession }, { doctor }] = await Promise.all([import("./session.js"), import("../steps/doctor/doctor.js")]);
  return withSession(ctx, answers, "doctor", async (session) => {
    await session.goLive();
    const query: PathQuery = target
      ? { clientRegion: answers.clientRegion, apiRegion: answers.apiRegion, ...target }
      : await ourPath(session.clients, answers, loaded.file, ctx.invocation);
    const report = await doctor(session, query);
    const broken = report.hops.filter((h) => h.ok === false).map((h) => h.hop);
    const open = report.hops.filter((h) => h.ok === null).map((h) => h.hop);
    const summary = report.ok
      ? "Every hop of the path checks out."
      : broken.length > 0
        ? `Broken: ${broken.join(", ")}${open.length > 0 ? `; not checked: ${open.join(", ")}` : ""}.`
        : `Nothing found broken, but not checked: ${open.join(", ")}.`;
    session.emit({
      kind: "result",
      operation: "doctor",
      ok: report.ok,
      summary,
      // After a fix: doctor again, then verify proves the path with a real call.
      next: target ? [] : nextCommands(ctx.invocation, answers, report.ok ? ["verify"] : ["doctor", "verify"]),
      at: Date.now(),
    });
    return report.ok ? 0 : 1;
  });
}

// Our deployment's path, or a connection's: a file of a connection's answers names one, and a name without
// a deployment may be one.
async function ourPath(clients: Pick<AwsClients, "cloudFormation" | "ec2">, answers: Answers, file: AnswersFile | undefined, invocation: string): Promise<PathQuery> {
  const connection = async () => {
    const { connectionQuery, lookupConnection } = await import("../steps/connect/locate.js");
    const stacks = await lookupConnection(clients, answers);
    const saved = file?.kind === "connection" && file.connection?.name === answers.name ? file.connection : undefined;
    return stacks && (await connectionQuery(clients, answers, stacks, saved));
  };
  if (file?.kind === "connection") {
    const query = await connection();
    if (query) return query;
    throw new FailureError(`no connection "${answers.name}" to check: its stacks do not exist in ${answers.clientRegion} and ${answers.apiRegion}`, [
      `connect it: ${invocation} connect ${locateFlags(answers)} --api-id <id> --function <name|ARN>`,
    ]);
  }
  const { lookupStacks } = await import("../steps/stacks.js");
  const stacks = await lookupStacks(clients, answers);
  const api = stacks.api.present ? stacks.api.outputs : {};
  const client = stacks.client.present ? stacks.client.outputs : {};
  const functionName = client["FunctionName"];
  const apiId = api["ApiId"];
  if (!functionName || !apiId) {
    const query = !stacks.api.present && !stacks.client.present ? await connection() : undefined;
    if (query) return query;
    const missing = !apiId ? stacks.api : stacks.client;
    throw new FailureError(
      `no deployment "${answers.name}" to check: stack ${missing.ref.stackName} in ${missing.ref.region} is ${missing.present ? `${missing.status} without its outputs` : "not deployed"}`,
      [
        `deploy it: ${invocation} deploy ${locateFlags(answers)}`,
        `or check a setup made another way: ${invocation} doctor --function <name|ARN> --client-region <B> --api-id <id> --api-region <A>`,
      ],
    );
  }
  return { clientRegion: answers.clientRegion, apiRegion: answers.apiRegion, functionName, apiId, stage: api["StageName"] };
}
