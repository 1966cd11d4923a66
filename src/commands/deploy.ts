import { FailureError } from "../errors.js";
import type { CommandContext } from "./context.js";

export async function runDeploy(_ctx: CommandContext): Promise<number> {
  throw new FailureError("`deploy` is not available in this version yet: its engine is still being built; `plan` works offline");
}
