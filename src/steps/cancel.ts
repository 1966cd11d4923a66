// After a cancel or a failure the user needs to know what exists now: each stack's state, read fresh,
// because a stage from an earlier run may exist even when this run never reached it.
import { describeStack } from "../aws/stack.js";
import type { EngineContext } from "./engine-context.js";
import type { StageNumber } from "./events.js";

export interface LeftStack {
  readonly stage: StageNumber;
  readonly stackName: string;
  readonly region: string;
  // A CloudFormation stack status, "absent", or "UNKNOWN" when it could not be read.
  readonly status: string;
}

export async function describeLeft(
  ctx: EngineContext,
  stacks: readonly { readonly number: StageNumber; readonly stackName: string; readonly region: string }[],
): Promise<LeftStack[]> {
  return Promise.all(
    stacks.map(async ({ number, stackName, region }) => {
      let status: string;
      try {
        status = (await describeStack(ctx.clients.cloudFormation(region), stackName))?.status ?? "absent";
      } catch {
        status = "UNKNOWN";
      }
      return { stage: number, stackName, region, status };
    }),
  );
}

export function describeLeftText(left: readonly LeftStack[]): string {
  const present = left.filter((stack) => stack.status !== "absent");
  if (present.length === 0) return "No stacks are left.";
  return `Left: ${present.map((s) => `${s.stackName} (${s.region}) ${s.status}`).join(", ")}.`;
}
