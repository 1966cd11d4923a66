// The plan as a person reads it: regions, stacks, ranges, what flows between stages, and what it costs.
import type { Plan, ParamValue } from "../steps/plan-types.js";

// `plan` lists every parameter; `deploy` shows the short form before asking to go ahead.
export function planLines(plan: Plan, options: { parameters: boolean } = { parameters: true }): string[] {
  const { answers } = plan;
  const lines = [
    `Deployment "${answers.name}"`,
    `  API VPC     ${plan.api.cidr.padEnd(18)} ${answers.apiRegion}  subnets ${plan.api.subnets.map((s) => s.cidr).join(", ")}`,
    `  Client VPC  ${plan.client.cidr.padEnd(18)} ${answers.clientRegion}  subnets ${plan.client.subnets.map((s) => s.cidr).join(", ")}`,
    "",
  ];
  for (const stage of plan.stages) {
    lines.push(`Stage ${stage.number}/3  ${stage.title}  →  stack ${stage.stackName} in ${stage.region} (templates/${stage.template})`);
    if (!options.parameters) continue;
    for (const [key, value] of Object.entries(stage.parameters)) {
      lines.push(`    ${key.padEnd(24)} ${describe(value, plan)}`);
    }
  }
  lines.push("", "Cost while deployed (approximate):", ...plan.cost.lines.map((l) => `  • ${l}`));
  if (plan.warnings.length > 0) lines.push("", ...plan.warnings.map((w) => `warning: ${w}`));
  return lines;
}

function describe(value: ParamValue, plan: Plan): string {
  if (value.kind === "value") return value.value;
  const source = plan.stages[value.stage - 1];
  return `← output ${value.output} of stage ${value.stage} (${source?.stackName ?? "?"})`;
}
