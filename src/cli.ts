// The entry point and the only place that ends the process: parse flags once, decide interactivity,
// run one command, and turn whatever happened into an exit code and at most a line or two on stderr.
import { writeSync } from "node:fs";
import { parseFlags, type CommandName } from "./config/flags.js";
import type { CommandContext } from "./commands/context.js";
import { EXIT, FailureError, InterruptedError, UsageError } from "./errors.js";
import { isInteractive } from "./ui/renderer.js";

type Runner = (ctx: CommandContext) => Promise<number>;

// Commands load lazily: `--help` and `plan` never pay for the AWS SDK or Ink.
const RUNNERS: Record<CommandName, () => Promise<Runner>> = {
  deploy: async () => (await import("./commands/deploy.js")).runDeploy,
  plan: async () => (await import("./commands/plan.js")).runPlan,
  status: async () => (await import("./commands/status.js")).runStatus,
  verify: async () => (await import("./commands/verify.js")).runVerify,
  teardown: async () => (await import("./commands/teardown.js")).runTeardown,
  doctor: async () => (await import("./commands/doctor.js")).runDoctor,
  connect: async () => (await import("./commands/connect.js")).runConnect,
  disconnect: async () => (await import("./commands/disconnect.js")).runDisconnect,
};

/** Runs one command from argv and returns its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const flags = parseFlags(argv, writeHelp);
    if (flags === "exit-ok") return EXIT.ok;
    leaveQuietlyOnEpipe();
    keepYoungGenerationSmall();
    // How the tool was started (for the commands it prints) loads with the command: --help never needs it.
    const [{ invocation }, run] = await Promise.all([import("./commands/next-steps.js"), RUNNERS[flags.command]()]);
    const ctx: CommandContext = {
      flags,
      interactive: isInteractive(process.stdin, process.env),
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      invocation: invocation(process.argv[1], process.env, process.cwd()),
      exit: (code) => process.exit(code),
    };
    return await run(ctx);
  } catch (error) {
    return report(error, await errorWrapper());
  }
}

// In a terminal an error is wrapped at whole words (an id or URL kept whole); the wrapping code loads only
// when there is an error to show, so that --help does not pay for it.
async function errorWrapper(): Promise<(lines: string[]) => string> {
  const { terminalColumns, wrapLines } = await import("./ui/format.js");
  return (lines) => wrapLines(lines, terminalColumns(process.stderr)).map((line) => `${line}\n`).join("");
}

function report(error: unknown, shown: (lines: string[]) => string): number {
  leaveQuietlyOnEpipe();
  if (error instanceof UsageError) {
    // One line per problem (connect's refusals come several at once).
    process.stderr.write(shown(error.message.split("\n").map((line) => `error: ${line}`)));
    return error.exitCode;
  }
  if (error instanceof FailureError) {
    process.stderr.write(shown([`error: ${error.message}`, ...error.details.map((d) => `  ${d}`)]));
    return error.exitCode;
  }
  if (error instanceof InterruptedError || isPromptCancel(error)) {
    if (!(error instanceof InterruptedError && error.told)) process.stderr.write(`${error instanceof InterruptedError ? error.message : "cancelled"}\n`);
    return EXIT.interrupted;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(shown([`error: unexpected failure: ${message}`]));
  if (process.env["XREGION_DEBUG"] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT.failure;
}

// Inquirer rejects with ExitPromptError when the user presses Ctrl-C at a question.
function isPromptCancel(error: unknown): boolean {
  return error instanceof Error && error.name === "ExitPromptError";
}

// Help and the version in one write(2), without building process.stdout: its stream machinery is a fifth
// of `--help`'s time (npm run bench). A reader that stops early (`--help | head`) has what it wanted.
function writeHelp(text: string): void {
  const bytes = Buffer.from(text);
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(1, bytes, done);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
}

// V8 doubles its young generation when much of it outlives collections, and loading the SDK's and Ink's
// chunks is enough: a live-view deploy had 16 MB of new space where 2 MB do, about 10 MB of its peak RSS,
// for a run that then mostly waits on AWS. With growth factor 1 the new space stayed at 2 MB through
// every deploy sampled (docs/performance.md); scavenges come more often, which cost no measurable time.
// Set now, before the command loads: V8 reads this flag at each growth, so it takes effect at run time
// (--max-semi-space-size would not, and a shebang cannot carry it where `env` has no -S).
function keepYoungGenerationSmall(): void {
  process.getBuiltinModule("node:v8").setFlagsFromString("--semi-space-growth-factor=1");
}

// The same for a command's output: leave quietly instead of a stack trace.
function leaveQuietlyOnEpipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount("error") > 0) continue;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(EXIT.ok);
    });
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
