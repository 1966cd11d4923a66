// The one yes/no question a run may ask; only ever shown with a terminal on stdin.
import { confirm } from "@inquirer/prompts";

export function askConfirm(message: string, initial = false): Promise<boolean> {
  return confirm({ message, default: initial });
}
