// Flags + answers file (+ prompts in a terminal) → validated Answers, the same way for every command.
import type { CredentialsError } from "../aws/errors.js";
import type { Answers } from "../config/answers.js";
import { configPath, loadAnswersFile, type AnswersFile } from "../config/file.js";
import { resolveAnswers, type Asker, type Resolved, type Scope } from "../config/resolve.js";
import { FailureError } from "../errors.js";
import { terminalColumns, wrapLines } from "../ui/wrap.js";
import type { CommandContext } from "./context.js";
import { credentialsCheck, withCredentialsNotice } from "./credentials-check.js";

export interface LoadedAnswers extends Resolved {
  readonly path: string;
  readonly file: AnswersFile | undefined;
  // When questions were asked and the command needs AWS: the credentials problem found meanwhile, if any.
  readonly credentials: () => Promise<CredentialsError | undefined>;
}

// `aws`: the command talks to AWS, so credentials are checked while the questions are on screen.
export async function loadAnswers(ctx: CommandContext, scope: Scope = "all", aws = true): Promise<LoadedAnswers> {
  const { flags } = ctx;
  const path = configPath(flags.config, ctx.cwd);
  const file = loadAnswersFile(path, flags.config !== undefined);
  const fromFlags: Partial<Answers> = {
    ...(flags.name !== undefined && { name: flags.name }),
    ...(flags.apiRegion !== undefined && { apiRegion: flags.apiRegion }),
    ...(flags.clientRegion !== undefined && { clientRegion: flags.clientRegion }),
    ...(flags.apiCidr !== undefined && { apiCidr: flags.apiCidr }),
    ...(flags.clientCidr !== undefined && { clientCidr: flags.clientCidr }),
    ...(flags.profile !== undefined && { profile: flags.profile }),
    ...(flags.apiAzs !== undefined && { apiAzs: flags.apiAzs }),
    ...(flags.clientAzs !== undefined && { clientAzs: flags.clientAzs }),
  };
  const asker = ctx.interactive ? lazyAsker() : undefined;
  const check = asker && aws ? credentialsCheck(fromFlags.profile ?? file?.answers.profile, fromFlags.apiRegion ?? file?.answers.apiRegion) : undefined;
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

/** Ends the run (exit 1, with the fix) when the check during the questions found the credentials unusable. */
export async function stopOnCredentials(loaded: LoadedAnswers): Promise<void> {
  const problem = await loaded.credentials();
  if (problem) throw new FailureError(problem.message, [`fix: ${problem.fix}`]);
}

// Inquirer loads only when a question is really asked: a terminal run given every answer never needs it.
function lazyAsker(): Asker {
  const load = async () => (await import("../ui/prompts.js")).terminalAsker();
  return {
    name: async (...args) => (await load()).name(...args),
    region: async (...args) => (await load()).region(...args),
    cidr: async (...args) => (await load()).cidr(...args),
  };
}

// The non-interactive command that repeats this run, printed after a guided run (like create-vite).
export function equivalentCommand(invocation: string, answers: Answers, command: string): string {
  const parts = [
    `${invocation} ${command}`,
    `--name ${answers.name}`,
    `--api-region ${answers.apiRegion}`,
    `--client-region ${answers.clientRegion}`,
    `--api-cidr ${answers.apiCidr}`,
    `--client-cidr ${answers.clientCidr}`,
    ...(answers.profile ? [`--profile ${answers.profile}`] : []),
    ...(answers.apiAzs ? [`--api-azs ${answers.apiAzs}`] : []),
    ...(answers.clientAzs ? [`--client-azs ${answers.clientAzs}`] : []),
  ];
  return parts.join(" ");
}
