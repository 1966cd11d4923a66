// `verify`: find the deployed client function by name and prove the path again, N samples; and the
// verification `deploy` ends with, which records its outcome in the answers file for `status`.
import { type Answers, type LastVerify, loadAnswersFile, saveAnswersFile } from "../config/answers.js";
import { FailureError, UsageError } from "../errors.js";
import { type CommandContext, loadAnswers, stopOnCredentials } from "./context.js";
import { locateFlags, nextCommands } from "./next-steps.js";
import type { Session } from "./session.js";

/** `verify`: finds the deployed client function and proves the path again. */
export async function runVerify(ctx: CommandContext): Promise<number> {
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  const [{ withSession }, { lookupStacks }] = await Promise.all([import("./session.js"), import("../steps/stacks.js")]);
  return withSession(ctx, answers, "verify", async (session) => {
    await session.goLive();
    const stacks = await lookupStacks(session.clients, answers);
    const client = stacks.client;
    const functionName = client.present ? client.outputs["FunctionName"] : undefined;
    if (!functionName) {
      throw new FailureError(
        `no client function found: stack ${client.ref.stackName} in ${client.ref.region} is ${client.present ? `${client.status} without a FunctionName output` : "not deployed"}`,
        [`deploy it first: ${ctx.invocation} deploy ${locateFlags(answers)}`],
      );
    }
    // The API range as deployed, not as typed today: it tells whether DNS answered with the endpoint.
    const apiCidr = (stacks.api.present ? stacks.api.outputs["VpcCidr"] : undefined) ?? answers.apiCidr;
    const ok = await runVerification(ctx, session, { ...answers, apiCidr }, functionName, loaded.file ? loaded.path : undefined);
    session.emit({
      kind: "result",
      operation: "verify",
      ok,
      summary: ok ? "The path works." : "The path does not work.",
      // A failed path: doctor names the broken hop.
      next: nextCommands(ctx.invocation, answers, ok ? ["status", "teardown"] : ["doctor", "status", "deploy"]),
      at: Date.now(),
    });
    return ok ? 0 : 1;
  });
}

/**
 * Shared by `deploy` and `verify`: invoke the client N times and remember whether the path worked, so
 * `status` can tell later.
 */
export async function runVerification(
  ctx: CommandContext,
  session: Session,
  answers: Answers,
  functionName: string,
  configFile: string | undefined,
): Promise<boolean> {
  const { verify } = await import("../steps/verify.js");
  const report = await verify(
    session,
    { region: answers.clientRegion, functionName, samples: ctx.flags.samples, apiCidr: answers.apiCidr },
  );
  if (configFile) {
    const passed = report.samples.filter((s) => s.kind === "answer" && s.answer.ok).length;
    const summary = `${passed}/${report.samples.length} samples ok${report.failure ? `; ${report.failure.layer}: ${report.failure.message}` : ""}`;
    const unsaved = recordVerification(configFile, { ok: report.ok, at: new Date().toISOString(), summary });
    if (unsaved) session.emit({ kind: "warning", message: `${unsaved}; status will not show this verification`, at: Date.now() });
  }
  return report.ok;
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
