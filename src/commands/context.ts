// What every command receives from the CLI: the parsed flags and the facts about this process that
// decide interactivity and rendering. Commands return an exit code; they never exit themselves.
import type { Flags } from "../config/flags.js";

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
