// Turns a stage's planned parameters into the strings CloudFormation takes, reading the values that only
// exist once an earlier stage has deployed from that stage's outputs.
import type { StagePlan } from "./plan-types.js";

export type StageOutputs = Partial<Record<1 | 2 | 3, Readonly<Record<string, string>>>>;

export class MissingOutputError extends Error {
  override readonly name = "MissingOutputError";
}

export function resolveParameters(stage: StagePlan, outputs: StageOutputs): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(stage.parameters)) {
    if (value.kind === "value") {
      resolved[key] = value.value;
      continue;
    }
    // Deploy plans are rebuilt with preflight's zones; an open zone here is a bug, not user input.
    if (value.kind === "zone") throw new Error(`Stage ${stage.number} has no zone chosen for ${key}`);
    const from = outputs[value.stage]?.[value.output];
    if (from === undefined || from === "") {
      throw new MissingOutputError(
        `Stage ${stage.number} needs parameter ${key} from output ${value.output} of stage ${value.stage}, ` +
          `but stage ${value.stage} ${outputs[value.stage] ? "has no such output" : "has not been deployed in this run"}.`,
      );
    }
    resolved[key] = from;
  }
  return resolved;
}
