// `doctor`: which hop of the path is broken, from AWS's own answers. Our deployment is found by its
// stacks' outputs; any other setup is named by --function and --api-id.
import type { AwsClients } from "../aws/clients.js";
import type { PathQuery } from "../aws/path-snapshot.js";
import type { Answers } from "../config/answers.js";
import { FailureError, UsageError } from "../errors.js";
import { type CommandContext, loadAnswers, stopOnCredentials } from "./context.js";
import { locateFlags, nextCommands } from "./next-steps.js";

const FUNCTION = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
const API_ID = /^[a-z0-9]{10}$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

/** The flags of a hand-made setup, checked before any AWS call; undefined for our own deployment. */
function handMadeTarget(flags: CommandContext["flags"]): { functionName: string; apiId: string; stage: string | undefined } | undefined {
  const { functionName, apiId, stage } = flags;
  if (functionName === undefined && apiId === undefined) {
    if (stage !== undefined) throw new UsageError("--stage goes with --function and --api-id: our deployment's stage is read from its stack");
    return undefined;
  }
  if (functionName === undefined) throw new UsageError(`--api-id needs --function too: pass --function <name or ARN of the client function> --api-id ${apiId}`);
  if (apiId === undefined) throw new UsageError(`--function needs --api-id too: pass --function ${functionName} --api-id <the private API's id, e.g. a1b2c3d4e5>`);
  if (!FUNCTION.test(functionName)) throw new UsageError(`--function "${functionName}" is not a function name or ARN: pass e.g. --function my-client or --function arn:aws:lambda:eu-west-1:123456789012:function:my-client`);
  if (!API_ID.test(apiId)) throw new UsageError(`--api-id "${apiId}" is not a REST API id (10 lower-case letters and digits): pass e.g. --api-id a1b2c3d4e5`);
  if (stage !== undefined && !STAGE.test(stage)) throw new UsageError(`--stage "${stage}" is not a stage name (letters, digits, - and _): pass e.g. --stage v1`);
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
      : await ourDeployment(session.clients, answers, ctx.invocation);
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

async function ourDeployment(clients: Pick<AwsClients, "cloudFormation">, answers: Answers, invocation: string): Promise<PathQuery> {
  const { lookupStacks } = await import("../steps/stacks.js");
  const stacks = await lookupStacks(clients, answers);
  const api = stacks.api.present ? stacks.api.outputs : {};
  const client = stacks.client.present ? stacks.client.outputs : {};
  const functionName = client["FunctionName"];
  const apiId = api["ApiId"];
  if (!functionName || !apiId) {
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
