// connect's plan as people read it: what each hop gets and who owns it, the resources each stack will hold,
// the user resources that carry our additions, what is not touched, the notes on kept slots someone removed,
// and the plan of a run that stops before planning. Pure.
import type { EndpointFacts, PathSnapshot, VpcSide } from "../../aws/path-facts.js";
import { HOPS, type HopVerdict } from "../doctor/doctor.js";
import { connectStackNames, TAG_CONNECTION, TAG_DEPLOYMENT } from "../stages.js";
import type { RouteNeed, RuleNeed } from "./needs.js";
import type { Slot, SlotFamily } from "./slots.js";
import { CONNECT_TEMPLATES } from "./templates.js";
import type { Carrier, ConnectOptions, ConnectPlan, HopPlan, PeeringPlan, PlannedResource, Refusal, StackPlan } from "./types.js";

/**
 * A kept slot whose route or rule is gone from the user's resource: our stack still lists it, but
 * CloudFormation does not put back what someone else removed.
 */
export function driftNotes(slots: Record<SlotFamily, Slot[]>, routes: readonly RouteNeed[], rules: readonly RuleNeed[]): string[] {
  const missing = (s: Slot) => routes.some((r) => r.table === s.on && r.destination === s.cidr) || rules.some((r) => r.group === s.on && r.cidr === s.cidr);
  return (Object.keys(slots) as SlotFamily[]).flatMap((family) =>
    slots[family].filter((s) => s.kept && missing(s)).map((s) => `${family}${s.index} (${s.on} ${s.cidr}) is in our stack but no longer on ${s.on}: something removed it (the owner's IaC?); run disconnect, then connect, to put it back.`),
  );
}

/** One planned resource per slot of a family, its text from the slot. */
export function slotResources(slots: readonly Slot[], family: SlotFamily, text: (s: Slot) => string): PlannedResource[] {
  return slots.map((s) => ({ logicalId: `${family}${s.index}`, on: s.on, text: text(s), kept: s.kept }));
}

function count(n: number, noun: string): string {
  return n === 1 ? `one ${noun}` : `${n} ${noun}s`;
}

/** A hop's verdict now, what connect does about it, and who owns that. */
export function hopPlan(now: HopVerdict, action: string, owner: string): HopPlan {
  return { hop: now.hop, now, action, owner };
}

/** A hop connect adds nothing to. */
export function nothing(now: HopVerdict): HopPlan {
  return hopPlan(now, "nothing", "—: nothing");
}

/** A hop whose additions are slots: the ones to add, the ones of ours kept, and how many are ours. */
export function slotHop(now: HopVerdict, slots: readonly Slot[], noun: string, text: (s: Slot) => string): HopPlan {
  if (slots.length === 0) return nothing(now);
  const fresh = slots.filter((s) => !s.kept);
  const kept = slots.length - fresh.length;
  const action = [fresh.length > 0 ? `add ${count(fresh.length, noun)}: ${fresh.map(text).join(", ")}` : "", kept > 0 ? `keep ${count(kept, noun)} of ours` : ""].filter(Boolean).join("; ");
  return hopPlan(now, action, `us${fresh.length === 0 ? " (already)" : ""}: ${count(slots.length, noun)}`);
}

/** The user's resources that will carry our additions, each with what it gets. */
export function carriersOf(options: ConnectOptions, client: VpcSide, api: VpcSide, slots: Record<SlotFamily, Slot[]>, zone: boolean, peering: PeeringPlan): Carrier[] {
  const out: Carrier[] = [];
  const add = (id: string, region: string, kind: Carrier["kind"], addition: string) => {
    const found = out.find((c) => c.id === id);
    if (found) (found.additions as string[]).push(addition);
    else out.push({ id, region, kind, additions: [addition] });
  };
  if (peering.kind === "create" && !peering.kept) add(client.vpcId, client.region, "VPC", `a peering connection to ${api.vpcId}`);
  if (zone) add(client.vpcId, client.region, "VPC", `the private zone ${options.apiId}.execute-api.${options.apiRegion}…`);
  if (options.probe) add(client.vpcId, client.region, "VPC", "the probe function's network interfaces and security group");
  for (const s of slots.ClientRoute) add(s.on, client.region, "route table", `route ${s.cidr}`);
  for (const s of slots.ClientEgress) add(s.on, client.region, "security group", `egress TCP 443 → ${s.cidr}`);
  for (const s of slots.ReturnRoute) add(s.on, api.region, "route table", `route ${s.cidr}`);
  for (const s of slots.EndpointIngress) add(s.on, api.region, "security group", `ingress TCP 443 ← ${s.cidr}`);
  return out;
}

/** What connect leaves as it is (named in the plan, so nobody has to guess). */
export function untouched(options: ConnectOptions, snapshot: PathSnapshot, client: VpcSide, api: VpcSide, endpoint: EndpointFacts, peering: PeeringPlan): string[] {
  return [
    `the API ${options.apiId} (${options.apiRegion}), its stages and its resource policy`,
    `the endpoint ${endpoint.id} and its policy`,
    `the VPCs ${client.vpcId} and ${api.vpcId} and their DNS settings`,
    "the network ACLs of both VPCs",
    ...(options.client.kind === "function" && snapshot.fn.ok ? [`the function ${snapshot.fn.value.name}`] : []),
    ...(peering.kind === "reuse" ? [`the peering connection ${peering.id}`] : []),
    "every existing route, rule and private zone (connect only adds beside them)",
  ];
}

/** A plan that stops before planning: the verdicts as they are, nothing to build, and why. */
export function unplanned(options: ConnectOptions, snapshot: PathSnapshot, now: readonly HopVerdict[], refusals: Refusal[]): ConnectPlan {
  const names = connectStackNames(options.name, options.clientRegion);
  const empty = (key: "client" | "api", stackName: string, region: string): StackPlan => ({
    key,
    stackName,
    region,
    template: CONNECT_TEMPLATES[key],
    needed: false,
    parameters: {},
    resources: [],
    tags: { [TAG_DEPLOYMENT]: options.name, [TAG_CONNECTION]: "true" },
  });
  return {
    options,
    hostname: snapshot.hostname,
    hops: HOPS.map((hop) => nothing(now.find((h) => h.hop === hop)!)),
    peering: { kind: "none" },
    client: empty("client", names.client, options.clientRegion),
    api: empty("api", names.api, options.apiRegion),
    carriers: [],
    clientBlocks: [],
    untouched: [],
    notes: [],
    refusals,
  };
}
