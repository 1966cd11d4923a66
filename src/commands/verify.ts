import { FailureError } from "../errors.js";
import type { CommandContext } from "./context.js";

export async function runVerify(_ctx: CommandContext): Promise<number> {
  throw new FailureError("`verify` is not available in this version yet: its engine is still being built; `plan` works offline");
}
