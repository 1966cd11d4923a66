// Shared by `deploy` and `verify`: invoke the client N times and remember whether the path worked, so
// `status` can tell later.
import { loadAnswersFile, saveAnswersFile, type LastVerify } from "../config/file.js";
import { UsageError } from "../errors.js";
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
