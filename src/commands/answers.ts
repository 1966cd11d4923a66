// Flags + answers file (+ prompts in a terminal) → validated Answers, the same way for every command.
import { configPath, loadAnswersFile, type Answers, type AnswersFile } from "../config/answers.js";
import { resolveAnswers, type Resolved, type Scope } from "../config/resolve.js";
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
  // Inquirer loads only when a question will really be asked.
  const asker = ctx.interactive ? (await import("../ui/prompts.js")).terminalAsker() : undefined;
  const resolved = await resolveAnswers({ flags: fromFlags, file: file?.answers, filePath: path }, asker, scope, flags.yes);
  return { ...resolved, path, file };
}
