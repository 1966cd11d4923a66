// The plan as a person reads it: regions, stacks, ranges, what flows between stages, and what it costs.
import type { ProgressEvent } from "../steps/events.js";
import { DEFAULT_MAX_PARALLEL } from "../config/flags.js";
import type { Plan, ParamValue, StagePlan, VpcPlan, Zone } from "../steps/plan.js";

/** `plan` lists every parameter; `deploy` shows the short form before asking to go ahead. */
export function planLines(plan: Plan, options: { readonly parameters: boolean; readonly maxParallel?: number } = { parameters: true }): string[] {
  const { answers } = plan;
  const several = plan.clients.length > 1;
  const vpcLine = (label: string, vpc: VpcPlan) => `  ${label.padEnd(11)} ${vpc.cidr.padEnd(18)} ${vpc.region}  subnets ${vpc.subnets.map((s) => s.cidr).join(", ")}`;
  const anyZones = plan.api.zones || plan.clients.some((c) => c.zones);
  const lines = [
    `Deployment "${answers.name}"${several ? `: ${plan.clients.length} client regions, up to ${Math.min(plan.clients.length, options.maxParallel ?? DEFAULT_MAX_PARALLEL)} at a time after stage 1` : ""}`,
    vpcLine("API VPC", plan.api),
    ...plan.clients.map((client) => vpcLine("Client VPC", client)),
    `  Zones       ${anyZones ? [`API ${zonesText(plan.api)}`, ...plan.clients.map((c) => `${several ? c.region : "client"} ${zonesText(c)}`)].join("; ") : ZONES_LATER}`,
    "",
  ];
  for (const stage of plan.stages) {
    const whose = several && stage.clientRegion ? ` for ${stage.clientRegion}` : "";
    lines.push(`Stage ${stage.number}/3  ${stage.title}${whose}  →  stack ${stage.stackName} in ${stage.region} (templates/${stage.template})`);
    if (!options.parameters) continue;
    for (const [key, value] of Object.entries(stage.parameters)) {
      lines.push(`    ${key.padEnd(24)} ${describe(value, plan, stage)}`);
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

function describe(value: ParamValue, plan: Plan, stage: StagePlan): string {
  if (value.kind === "value") return value.value;
  if (value.kind === "zone") return `zone ${value.index + 1} of ${value.region}, chosen at deploy time`;
  const source = sourceStage(plan, stage, value.stage);
  return `← output ${value.output} of stage ${value.stage} (${source?.stackName ?? "?"}${plan.clients.length > 1 && source?.clientRegion ? ` in ${source.region}` : ""})`;
}

/** The stage an output comes from: stage 1, or the stage of the same client region. */
export function sourceStage(plan: Pick<Plan, "stages">, stage: Pick<StagePlan, "clientRegion">, number: number): StagePlan | undefined {
  return plan.stages.find((s) => s.number === number && (number === 1 || s.clientRegion === stage.clientRegion));
}
