// The plan as a person reads it: regions, stacks, ranges, what flows between stages, and what it costs.
import type { ProgressEvent } from "../steps/events.js";
import type { Plan, ParamValue, VpcPlan, Zone } from "../steps/plan.js";

/** `plan` lists every parameter; `deploy` shows the short form before asking to go ahead. */
export function planLines(plan: Plan, options: { parameters: boolean } = { parameters: true }): string[] {
  const { answers } = plan;
  const lines = [
    `Deployment "${answers.name}"`,
    `  API VPC     ${plan.api.cidr.padEnd(18)} ${answers.apiRegion}  subnets ${plan.api.subnets.map((s) => s.cidr).join(", ")}`,
    `  Client VPC  ${plan.client.cidr.padEnd(18)} ${answers.clientRegion}  subnets ${plan.client.subnets.map((s) => s.cidr).join(", ")}`,
    `  Zones       ${plan.api.zones || plan.client.zones ? `API ${zonesText(plan.api)}; client ${zonesText(plan.client)}` : ZONES_LATER}`,
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

/** A zone as people compare it across accounts: its name here and its id everywhere, us-east-1a (use1-az6). */
export function zoneText(zone: Zone): string {
  return zone.id ? `${zone.name} (${zone.id})` : zone.name;
}

/** Preflight's zones for one VPC, one line for every renderer: which, with ids, and why these. */
export function zonesEventText(event: Extract<ProgressEvent, { kind: "zones" }>): string {
  const why = { chosen: "chosen by preflight", flags: `from ${event.role === "api" ? "--api-azs" : "--client-azs"}`, "existing stack": "kept from the existing stack" }[event.source];
  return `zones of the ${event.role === "api" ? "API" : "client"} VPC in ${event.region}: ${event.zones.map(zoneText).join(", ")} (${why})`;
}

const ZONES_LATER = "are chosen at deploy time (or pass --api-azs, --client-azs)";

function zonesText(vpc: VpcPlan): string {
  return vpc.zones ? vpc.zones.map(zoneText).join(", ") : "chosen at deploy time";
}

function describe(value: ParamValue, plan: Plan): string {
  if (value.kind === "value") return value.value;
  if (value.kind === "zone") return `zone ${value.index + 1} of ${value.role === "api" ? plan.api.region : plan.client.region}, chosen at deploy time`;
  const source = plan.stages[value.stage - 1];
  return `← output ${value.output} of stage ${value.stage} (${source?.stackName ?? "?"})`;
}
