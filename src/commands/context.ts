// What every command receives from the CLI (the parsed flags and the facts about this process that
// decide interactivity and rendering), and what commands share: loading the answers, --outputs-file.
// Commands return an exit code; they never exit themselves.
import { writeFileSync } from "node:fs";
import type { CredentialsError } from "../aws/errors.js";
import { resolve } from "node:path";
import { ANSWER_KEYS, type AnswerText } from "../config/answers.js";
import { type AnswersFile, configPath, loadAnswersFile } from "../config/answers-file.js";
import type { CommandName, Flags } from "../config/flags.js";
import { type Asker, resolveAnswers, type Resolved, type Scope } from "../config/resolve.js";
import { FailureError, UsageError } from "../errors.js";
import type { StageRef } from "../steps/events.js";
import { terminalColumns, wrapLines } from "../ui/format.js";
import { credentialsCheck, withCredentialsNotice } from "./credentials-check.js";

/** What every command receives from the CLI: flags, interactivity, streams, how it was started. */
export interface CommandContext {
  readonly flags: Flags;
  readonly interactive: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  // How this tool was started (`npx xregion-private-api`, `node dist/cli.js`, …): printed commands start so.
  readonly invocation: string;
  // Only for the second Ctrl-C, which must leave at once; everything else returns an exit code.
  readonly exit: (code: number) => never;
}

/** Flags + answers file (+ prompts in a terminal) → validated Answers, the same way for every command. */
export interface LoadedAnswers extends Resolved {
  readonly path: string;
  readonly file: AnswersFile | undefined;
  // When questions were asked and the command needs AWS: the credentials problem found meanwhile, if any.
  readonly credentials: () => Promise<CredentialsError | undefined>;
}

/**
 * Flags, answers file and (in a terminal) prompts resolved to validated answers. `aws`: the command talks
 * to AWS, so credentials are checked while the questions are on screen.
 */
export async function loadAnswers(ctx: CommandContext, scope: Scope = "all", aws = true): Promise<LoadedAnswers> {
  const { flags } = ctx;
  const path = configPath(flags.config, ctx.cwd);
  // --config names where answers are read and saved: deploy creates a file that is not there yet and plan
  // reads it as empty; the other commands read a deployment's answers, so theirs must exist.
  const file = loadAnswersFile(path, flags.config !== undefined && flags.command !== "deploy" && flags.command !== "plan");
  checkKind(flags.command, file, path);
  // The flags carry each answer under its own name.
  const fromFlags: Partial<AnswerText> = Object.fromEntries(ANSWER_KEYS.flatMap((key) => (flags[key] === undefined ? [] : [[key, flags[key]]])));
  const check = ctx.interactive && aws ? credentialsCheck(fromFlags.profile ?? file?.answers.profile, fromFlags.apiRegion ?? file?.answers.apiRegion) : undefined;
  const asker = ctx.interactive ? lazyAsker(() => check?.start()) : undefined;
  const columns = terminalColumns(ctx.stdout);
  const notice = (line: string) => ctx.stdout.write(`${wrapLines([line], columns).join("\n")}\n`);
  const resolved = await resolveAnswers(
    { flags: fromFlags, file: file?.answers, filePath: path },
    asker && check ? withCredentialsNotice(asker, check, notice) : asker,
    scope,
    flags.yes,
  );
  return { ...resolved, path, file, credentials: async () => check?.verdict(resolved.answers.apiRegion) };
}

const DEPLOYMENT_ONLY = new Set<CommandName>(["deploy", "plan", "teardown"]);
const CONNECTION_ONLY = new Set<CommandName>(["connect", "disconnect"]);

/**
 * A file holds a deployment's answers or a connection's, never both: a command of the one refuses a file of
 * the other (exit 2) rather than overwrite it or act on the wrong stacks. status, verify and doctor take either.
 */
export function checkKind(command: CommandName, file: AnswersFile | undefined, path: string): void {
  if (!file) return;
  const name = file.answers.name ?? "(unnamed)";
  if (file.kind === "connection" && DEPLOYMENT_ONLY.has(command)) {
    throw new UsageError(
      command === "teardown"
        ? `${path} holds the answers of connection "${name}": disconnect removes a connection (teardown removes a deployment)`
        : `${path} holds the answers of connection "${name}" (connect's): pass --config with another file for a deployment, e.g. --config ${name}-deployment.json`,
    );
  }
  if (file.kind !== "connection" && Object.keys(file.answers).length > 0 && CONNECTION_ONLY.has(command)) {
    throw new UsageError(
      command === "disconnect"
        ? `${path} holds the answers of deployment "${name}": teardown removes a deployment; for a connection pass --config with the connection's answers file`
        : `${path} holds the answers of deployment "${name}" (deploy's): pass --config with another file for the connection, e.g. --config ${name}-connection.json`,
    );
  }
}

/** Ends the run (exit 1, with the fix) when the check during the questions found the credentials unusable. */
export async function stopOnCredentials(loaded: LoadedAnswers): Promise<void> {
  const problem = await loaded.credentials();
  if (problem) throw new FailureError(problem.message, [`fix: ${problem.fix}`]);
}

/**
 * The terminal's questions, inquirer loaded only when one is really asked (a terminal run given every
 * answer never needs it). `shown` runs once a question is on screen: inquirer draws it as it is called,
 * so whatever `shown` starts (the credentials check, which loads the SDK) cannot delay it.
 */
export function lazyAsker(shown: () => void = () => {}, load = async () => (await import("../ui/prompts.js")).terminalAsker()): Asker {
  const ask = async <T>(question: (asker: Asker) => Promise<T>): Promise<T> => {
    const answer = question(await load());
    setImmediate(shown);
    return answer;
  };
  return {
    name: (...args) => ask((asker) => asker.name(...args)),
    region: (...args) => ask((asker) => asker.region(...args)),
    moreClients: (...args) => ask((asker) => asker.moreClients(...args)),
    cidr: (...args) => ask((asker) => asker.cidr(...args)),
  };
}

/** One stack's outputs for --outputs-file: where it is, and what it answered (undefined when not known). */
export interface StackOutputs {
  readonly ref: StageRef;
  readonly outputs: Readonly<Record<string, string>> | undefined;
}

/**
 * --outputs-file: every stage's outputs as JSON, written whatever the run's outcome, so a CI job can read
 * what exists even after a failure. `stages` holds stage 1 and the first client region's stacks (the shape
 * a one-region deployment has always had); with several client regions, `clientRegions` holds each one's.
 */
export function writeOutputsFile(file: string, cwd: string, name: string, stacks: readonly StackOutputs[]): void {
  const entry = ({ ref, outputs }: StackOutputs) => ({ stackName: ref.stackName, region: ref.region, outputs: outputs ?? null });
  const regions = [...new Set(stacks.flatMap((s) => (s.ref.clientRegion ? [s.ref.clientRegion] : [])))];
  const byKey: Record<string, unknown> = {};
  for (const stack of stacks) {
    if (stack.ref.clientRegion === undefined || stack.ref.clientRegion === regions[0]) byKey[stack.ref.key] = entry(stack);
  }
  const clientRegions =
    regions.length > 1
      ? Object.fromEntries(regions.map((region) => [region, Object.fromEntries(stacks.filter((s) => s.ref.clientRegion === region).map((s) => [s.ref.key, entry(s)]))]))
      : undefined;
  writeFileSync(resolve(cwd, file), `${JSON.stringify({ name, stages: byKey, ...(clientRegions ? { clientRegions } : {}) }, null, 2)}\n`);
}
