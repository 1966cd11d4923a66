// --outputs-file: every stage's outputs as JSON, written whatever the run's outcome, so a CI job can read
// what exists even after a failure.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { StageRef } from "../steps/events.js";

export function writeOutputsFile(
  file: string,
  cwd: string,
  name: string,
  stages: readonly StageRef[],
  outputs: Partial<Record<1 | 2 | 3, Readonly<Record<string, string>> | undefined>>,
): void {
  const byKey: Record<string, unknown> = {};
  for (const stage of stages) {
    byKey[stage.key] = { stackName: stage.stackName, region: stage.region, outputs: outputs[stage.stage] ?? null };
  }
  writeFileSync(resolve(cwd, file), `${JSON.stringify({ name, stages: byKey }, null, 2)}\n`);
}
