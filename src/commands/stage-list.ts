import type { Answers } from "../config/answers.js";
import { STAGES, stackName, type StageKey } from "../steps/stages.js";

export interface StageLocation {
  readonly number: 1 | 2 | 3;
  readonly key: StageKey;
  readonly stackName: string;
  readonly region: string;
}

// Where each stage lives, from the name and regions alone: enough to find a deployment without a plan.
export function buildStageList(answers: Pick<Answers, "name" | "apiRegion" | "clientRegion">): StageLocation[] {
  return STAGES.map((def) => ({
    number: def.number,
    key: def.key,
    stackName: stackName(answers.name, def.key),
    region: def.regionRole === "api" ? answers.apiRegion : answers.clientRegion,
  }));
}
