// `verify`: find the deployed client function by name and prove the path again, N samples.
import { FailureError } from "../errors.js";
import { loadAnswers, stopOnCredentials } from "./answers.js";
import type { CommandContext } from "./context.js";
import { locateFlags, nextCommands } from "./next-steps.js";

export async function runVerify(ctx: CommandContext): Promise<number> {
  const loaded = await loadAnswers(ctx, "locate");
  await stopOnCredentials(loaded);
  const { answers } = loaded;
  const [{ withSession }, { lookupStacks }, { runVerification }] = await Promise.all([
    import("./session.js"),
    import("../steps/status.js"),
    import("./verification.js"),
  ]);
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
