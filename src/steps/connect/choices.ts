// The choices connect's plan makes among what exists: which peering the path uses (reuse, create, keep ours,
// or refuse what --peering names), whether our stack creates the private zone, the subnets the probe runs in
// and the path it calls, and the quotas the additions would exceed. Pure.
import type { PathSnapshot, PeeringFacts } from "../../aws/path-facts.js";
import { LAMBDA_REFUSED_ZONE_IDS } from "../../aws/ec2-lookups.js";
import { normalName } from "../../net/private-zones.js";
import type { HopName, HopVerdict } from "../doctor/doctor.js";
import { overQuota, ROUTES_PER_TABLE, RULES_PER_GROUP } from "./needs.js";
import type { Sides } from "./sides.js";
import type { Slot, SlotFamily } from "./slots.js";
import type { ConnectOptions, OwnedStacks, PeeringPlan, QuotaCounts, Refusal, RefusalReason } from "./types.js";

/** Lambda's limit on a function's subnets (Lambda API reference, VpcConfig.SubnetIds: 16 items). */
const PROBE_SUBNETS = 16;

const WAITING = ["pending-acceptance", "provisioning", "initiating-request"];

/** Which peering the path uses, and the refusals that --peering or the peerings there call for. */
export function choosePeering(
  options: ConnectOptions,
  owned: OwnedStacks,
  sides: Sides,
  refuse: (reason: RefusalReason, hop: HopName, message: string) => void,
): { plan: PeeringPlan; via: string | undefined } {
  const ours = owned.client?.parameters["PeeringConnectionId"] === "" ? owned.client.outputs["PeeringConnectionId"] : undefined;
  if (ours) return { plan: { kind: "create", kept: true }, via: ours };
  const { client, api, peerings } = sides;
  const between = `${client.vpcId} (${client.region}) and ${api.vpcId} (${api.region})`;
  const active = peerings.find((p) => p.status === "active");
  const waiting = peerings.find((p) => WAITING.includes(p.status));
  const accept = (p: PeeringFacts) => `aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id ${p.id} --region ${p.accepter.region ?? api.region}`;
  const pending = (p: PeeringFacts) => refuse("peering-pending", "peering", `${p.id} between ${between} is ${p.status}: accept it (${accept(p)}) or delete it, then run connect again.`);
  if (options.peering === "auto") {
    if (active) return { plan: { kind: "reuse", id: active.id }, via: active.id };
    if (waiting) {
      pending(waiting);
      return { plan: { kind: "none" }, via: undefined };
    }
    return { plan: { kind: "create", kept: false }, via: undefined };
  }
  if (options.peering === "new") {
    const existing = active ?? waiting;
    if (!existing) return { plan: { kind: "create", kept: false }, via: undefined };
    refuse("peering-exists", "peering", `${existing.id} (${existing.status}) already joins ${between}, and AWS allows one peering connection per pair of VPCs: use --peering auto or --peering ${existing.id} to reuse it.`);
    return { plan: { kind: "none" }, via: undefined };
  }
  const named = peerings.find((p) => p.id === options.peering);
  if (!named) {
    const there = peerings.map((p) => `${p.id} (${p.status})`).join(", ") || "none";
    refuse("peering-mismatch", "peering", `${options.peering} does not join ${between} (peering connections between them: ${there}): name one that does, or use --peering auto.`);
    return { plan: { kind: "none" }, via: undefined };
  }
  if (named.status === "active") return { plan: { kind: "reuse", id: named.id }, via: named.id };
  if (WAITING.includes(named.status)) pending(named);
  else refuse("peering-mismatch", "peering", `${named.id} between ${between} is ${named.status}, not active: use --peering auto to create a new one.`);
  return { plan: { kind: "none" }, via: undefined };
}

/** Whether our stack creates the zone (a kept one stays), or a same-name zone of the user's forbids it. */
export function chooseZone(
  owned: OwnedStacks,
  snapshot: PathSnapshot,
  sides: Sides,
  now: readonly HopVerdict[],
  refuse: (reason: RefusalReason, hop: HopName, message: string) => void,
): { create: boolean; kept: boolean } {
  if (owned.client?.parameters["CreateZone"] === "true") return { create: true, kept: true };
  const dns = now.find((h) => h.hop === "dns")!;
  if (dns.ok === true) return { create: false, kept: false };
  const same = sides.zones.find((z) => normalName(z.name) === normalName(snapshot.hostname));
  if (same) {
    refuse("zone-exists", "dns", `the private zone ${same.id} (${snapshot.hostname}) is already associated with ${sides.client.vpcId} and does not answer with the endpoint: ${dns.detail}. Route 53 allows one zone of a name per VPC, so connect cannot add its own: fix that zone${dns.fix ? ` (${dns.fix})` : ""} or disassociate it, then run connect again.`);
    return { create: false, kept: false };
  }
  return { create: true, kept: false };
}

/**
 * The client subnets the probe can run in: not in a zone Lambda refuses functions in (ec2-lookups.ts,
 * LAMBDA_REFUSED_ZONE_IDS), at most Lambda's 16. None left: refused, with the two ways out.
 */
export function probeSubnetsOf(sides: Sides, notes: string[], refuse: (reason: RefusalReason, hop: HopName | undefined, message: string) => void): string[] {
  const facts = sides.client.subnets.ok ? sides.client.subnets.value : [];
  const refused = sides.clientSubnets.filter((id) => LAMBDA_REFUSED_ZONE_IDS.has(facts.find((s) => s.id === id)?.zoneId ?? ""));
  const usable = sides.clientSubnets.filter((id) => !refused.includes(id));
  const zoneOf = (id: string) => {
    const f = facts.find((s) => s.id === id);
    return f?.zone ? `${f.zone}, ${f.zoneId}` : `${f?.zoneId}`;
  };
  if (refused.length > 0 && usable.length === 0) {
    refuse("probe-zone", undefined, `the probe cannot run in the client's subnets (${refused.map((id) => `${id} in ${zoneOf(id)}`).join("; ")}): Lambda refuses functions in that zone; run connect with --no-probe, or name subnets of other zones with --client-subnets.`);
    return [];
  }
  if (refused.length > 0) notes.push(`the probe leaves out ${refused.map((id) => `${id} (${zoneOf(id)})`).join(", ")}: Lambda refuses functions in that zone.`);
  if (usable.length > PROBE_SUBNETS) notes.push(`a function takes at most ${PROBE_SUBNETS} subnets: the probe runs in the first ${PROBE_SUBNETS} of the client's ${usable.length}.`);
  return usable.slice(0, PROBE_SUBNETS);
}

/** A GET (or ANY) method without path parameters, so the probe's call reaches an integration. */
export function chooseProbePath(snapshot: PathSnapshot, notes: string[]): string {
  const methods = snapshot.methods.ok ? snapshot.methods.value : [];
  const usable = methods.filter((m) => (m.method === "GET" || m.method === "ANY") && /^\/[A-Za-z0-9._~/-]*$/.test(m.path));
  const pick = usable.toSorted((a, b) => a.path.length - b.path.length || a.path.localeCompare(b.path))[0];
  if (pick) return pick.path;
  notes.push(`the API has no GET method without path parameters: the probe calls / and verify shows what API Gateway answers there.`);
  return "/";
}

/** The quotas our new routes and rules would exceed, each a refusal naming the count, the limit and its code. */
export function quotaRefusals(slots: Record<SlotFamily, Slot[]>, sides: Sides, counts: QuotaCounts): Refusal[] {
  const out: (Refusal | undefined)[] = [];
  const added = (list: readonly Slot[], on: string) => list.filter((s) => s.on === on && !s.kept).length;
  for (const [family, side, hop] of [["ClientRoute", sides.client, "client-route"], ["ReturnRoute", sides.api, "return-route"]] as const) {
    for (const table of new Set(slots[family].map((s) => s.on))) {
      const have = counts.routes[table] ?? (side.routeTables.ok ? side.routeTables.value.find((t) => t.id === table)?.routes.length ?? 0 : 0);
      out.push(overQuota(`route table ${table} (${side.region})`, have, added(slots[family], table), ROUTES_PER_TABLE, "L-93826ACB", "routes per route table", hop));
    }
  }
  for (const [family, direction, side, hop] of [["ClientEgress", "egress", sides.client, "client-egress"], ["EndpointIngress", "ingress", sides.api, "endpoint-ingress"]] as const) {
    for (const group of new Set(slots[family].map((s) => s.on))) {
      const known = side.securityGroups.ok ? side.securityGroups.value.find((g) => g.id === group) : undefined;
      const have = counts.rules[group]?.[direction] ?? (known ? known[direction].reduce((n, r) => n + r.cidrs.length + r.groupIds.length + r.prefixListIds.length, 0) : 0);
      out.push(overQuota(`security group ${group} (${side.region}), in ${direction === "ingress" ? "inbound" : "outbound"} rules,`, have, added(slots[family], group), RULES_PER_GROUP, "L-0EA8095F", "inbound or outbound rules per security group", hop));
    }
  }
  return out.filter((r): r is Refusal => r !== undefined);
}
