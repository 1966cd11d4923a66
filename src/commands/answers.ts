// Flags + answers file (+ prompts in a terminal) → validated Answers, the same way for every command.
import type { Answers } from "../config/answers.js";
import { configPath, loadAnswersFile, type AnswersFile } from "../config/file.js";
import { resolveAnswers, type Asker, type Resolved, type Scope } from "../config/resolve.js";
import type { CommandContext } from "./context.js";

export interface LoadedAnswers extends Resolved {
  readonly path: string;
  readonly file: AnswersFile | undefined;
}

export async function loadAnswers(ctx: CommandContext, scope: Scope = "all"): Promise<LoadedAnswers> {
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
  const resolved = await resolveAnswers({ flags: fromFlags, file: file?.answers, filePath: path }, asker, scope, flags.yes);
  return { ...resolved, path, file };
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
