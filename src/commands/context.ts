// What every command receives from the CLI: the parsed flags and the facts about this process that
// decide interactivity and rendering. Commands return an exit code; they never exit themselves.
import type { Flags } from "../cli/flags.js";

export interface CommandContext {
  readonly flags: Flags;
  readonly interactive: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}
