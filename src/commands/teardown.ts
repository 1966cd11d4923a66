import { FailureError, UsageError } from "../errors.js";
import type { CommandContext } from "./context.js";

export async function runTeardown(ctx: CommandContext): Promise<number> {
  if (!ctx.interactive && !ctx.flags.yes) {
    throw new UsageError("teardown deletes three stacks and there is no terminal to confirm on: pass --yes");
  }
  throw new FailureError("`teardown` is not available in this version yet: its engine is still being built; `plan` works offline");
}
