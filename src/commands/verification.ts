// Shared by `deploy` and `verify`: invoke the client N times and remember whether the path worked, so
// `status` can tell later.
import { saveAnswersFile, loadAnswersFile } from "../config/answers.js";
import type { Answers } from "../config/answers.js";
import { verify } from "../steps/verify.js";
import type { CommandContext } from "./context.js";
import type { Session } from "./session.js";

export async function runVerification(
  ctx: CommandContext,
  session: Session,
  answers: Answers,
  functionName: string,
  configFile: string | undefined,
): Promise<boolean> {
  const report = await verify(
    { clients: session.clients, emit: session.emit, clock: session.clock, signal: session.signal },
    { region: answers.clientRegion, functionName, samples: ctx.flags.samples, apiCidr: answers.apiCidr },
  );
  if (configFile) {
    const file = loadAnswersFile(configFile, false);
    if (file) {
      const passed = report.samples.filter((s) => s.kind === "answer" && s.answer.ok).length;
      const summary = `${passed}/${report.samples.length} samples ok${report.failure ? `; ${report.failure.layer}: ${report.failure.message}` : ""}`;
      saveAnswersFile(configFile, { ...file, lastVerify: { ok: report.ok, at: new Date().toISOString(), summary } });
    }
  }
  return report.ok;
}
