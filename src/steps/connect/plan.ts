// `connect` plans from doctor's reading of the path: what each hop lacks becomes a resource in a stack we own,
// and what we cannot add safely becomes a refusal, before anything is created. Pure: the snapshot, the quota
// counts and our stacks' current parameters in (aws/connect-reads.ts reads them), the plan out.
//
// Ownership rules (README, "connect"), and why:
// - We never modify, import or replace a resource we did not create. What we add hangs off the user's
//   resources as objects of its own (a route in their table, a rule on their group, a peering and a private
//   zone naming their VPC), in two stacks of ours, so that deleting the stacks removes exactly our additions
//   and every user resource is as it was. Importing would make us own (and delete) the user's resources.
// - We add only what doctor finds missing: a duplicate route or rule fails on AWS (RouteAlreadyExists,
//   InvalidPermission.Duplicate), and deleting "ours" later would remove the user's identical one.
// - Settings of user resources (VPC DNS attributes, NACLs, the endpoint's and the API's policies, the
//   API's stages) are theirs: when one would still stop the call, we refuse and print the change instead.
// - A route of ours never takes over traffic the user routes elsewhere (a broader route to a transit
//   gateway, a more specific route anywhere): refused, named.
// - What our stacks already hold stays ours on a re-run (kept slots, our peering, our zone): the path then
//   passes doctor because of them, and a plan made from "what is missing" alone would remove them.
// - The plan is proved on paper: the snapshot with our additions is judged by doctor's own judges, and a hop
//   that would still fail is refused with doctor's evidence and fix.
//
// What it reads of both sides is sides.ts; its choices among what exists (peering, zone, probe, quotas) are
// choices.ts; the words people read of it (hop actions, resources, carriers, what is untouched) presentation.ts.
import type { PathSnapshot } from "../../aws/path-facts.js";
import { overlapOf, parseCidr } from "../../net/cidr.js";
import { normalName, zoneFor } from "../../net/private-zones.js";
import { judgePath, type HopName } from "../doctor/doctor.js";
import { connectStackNames, TAG_CONNECTION, TAG_DEPLOYMENT } from "../stages.js";
import { choosePeering, chooseProbePath, chooseZone, probeSubnetsOf, quotaRefusals } from "./choices.js";
import { overQuota, PEERINGS_PER_VPC, routeNeeds, ruleNeeds, tablesOf, type RouteNeed, type RuleNeed } from "./needs.js";
import { carriersOf, driftNotes, hopPlan, nothing, slotHop, slotResources, unplanned, untouched } from "./presentation.js";
import { readSides } from "./sides.js";
import { afterConnect, NEW_PEERING } from "./simulate.js";
import { assignSlots, filledSlots, slotParameters, SLOTS, type Slot, type SlotFamily } from "./slots.js";
import { CONNECT_TEMPLATES } from "./templates.js";
import type { ConnectOptions, ConnectPlan, HopPlan, OwnedStack, OwnedStacks, PlannedResource, QuotaCounts, Refusal, RefusalReason, StackPlan } from "./types.js";

/** The probe group's egress slots (connect-client.yaml EndpointCidr1..4). */
const PROBE_DESTINATIONS = 4;

/** What the planner reads: doctor's snapshot, the quota counts, and our stacks as they stand. */
export interface ConnectFacts {
  readonly snapshot: PathSnapshot;
  readonly counts: QuotaCounts;
  readonly owned: OwnedStacks;
}

/** The API side's parameters once the client stack has given its peering connection's id. */
export function apiStackParameters(plan: ConnectPlan, clientOutputs: Readonly<Record<string, string>>): Record<string, string> {
  const given = plan.api.parameters["PeeringConnectionId"];
  const pcx = given || clientOutputs["PeeringConnectionId"];
  if (!pcx) throw new Error(`${plan.client.stackName} gave no PeeringConnectionId output`);
  return { ...plan.api.parameters, PeeringConnectionId: pcx };
}

/** The plan: doctor's verdicts, what each hop gets and who owns it, both stacks, and what stops it. */
export function planConnect(options: ConnectOptions, facts: ConnectFacts): ConnectPlan {
  const { snapshot, counts } = facts;
  const owned = { client: holding(facts.owned.client), api: holding(facts.owned.api) };
  const now = judgePath(snapshot);
  const sides = readSides(options, snapshot, now);
  if ("refusals" in sides) return unplanned(options, snapshot, now, sides.refusals);
  const { client, api, endpoint } = sides;
  const refusals: Refusal[] = [];
  const refuse = (reason: RefusalReason, hop: HopName | undefined, message: string) => refusals.push({ reason, hop, message });

  for (const c of sides.client.vpc.ok ? sides.client.vpc.value.cidrs : []) {
    for (const a of api.vpc.ok ? api.vpc.value.cidrs : []) {
      const [x, y] = [parseCidr(c), parseCidr(a)];
      if (x && y && overlapOf(x, y)) {
        refuse("overlap", "peering", `${client.vpcId}'s range ${c} (${client.region}) overlaps ${api.vpcId}'s ${a} (${api.region}): peering cannot join VPCs whose IPv4 ranges overlap, even in part; connect a client VPC whose ranges are disjoint from ${api.vpcId}'s (for overlapping networks AWS offers cross-Region PrivateLink instead).`);
      }
    }
  }
  const attributes = client.vpc.ok ? ([["support", client.vpc.value.dnsSupport], ["hostnames", client.vpc.value.dnsHostnames]] as const) : [];
  const off = attributes.filter(([, read]) => read.ok && !read.value).map(([name]) => name);
  if (off.length > 0) {
    const commands = off.map((name) => `aws ec2 modify-vpc-attribute --vpc-id ${client.vpcId} --enable-dns-${name} "{\\"Value\\":true}" --region ${client.region}`);
    refuse("dns-off", "dns", `${client.vpcId} has DNS ${off.join(" and DNS ")} off, and a private zone answers only with both on (connect does not change a VPC's settings): run ${commands.join(" && ")}, then run connect again.`);
  }

  const peering = choosePeering(options, owned, sides, refuse);
  if (peering.plan.kind === "create" && !peering.plan.kept) {
    for (const side of [client, api]) {
      const q = overQuota(`${side.vpcId} (${side.region}), in active peering connections,`, counts.peerings[side.vpcId] ?? 0, 1, PEERINGS_PER_VPC, "L-7E9ECCDB", "active VPC peering connections per VPC", "peering");
      if (q) refusals.push(q);
    }
  }

  const via = peering.via;
  const clientTables = client.routeTables.ok ? tablesOf(client.routeTables.value, sides.clientSubnets) : [];
  const apiTables = api.routeTables.ok ? tablesOf(api.routeTables.value, endpoint.subnetIds) : [];
  const clientRoutes = routeNeeds(client, clientTables, sides.endpointBlocks.blocks, sides.toEndpoint, via, "client-route");
  const returnRoutes = routeNeeds(api, apiTables, sides.clientBlocks.blocks, sides.clientBlocks.set, via, "return-route");
  refusals.push(...clientRoutes.refusals, ...returnRoutes.refusals);
  const egress: RuleNeed[] =
    options.client.kind === "function"
      ? ruleNeeds(sides.clientGroups, sides.clientGroups[0]?.id ?? "", "egress", sides.toEndpoint, sides.endpointBlocks.blocks)
      : sides.clientGroups.flatMap((g) => ruleNeeds([g], g.id, "egress", sides.toEndpoint, sides.endpointBlocks.blocks));
  const ingress = ruleNeeds(sides.endpointGroups, endpoint.securityGroupIds[0] ?? "", "ingress", sides.clientBlocks.set, sides.clientBlocks.blocks);

  const slot = (family: SlotFamily, stack: "client" | "api", wanted: readonly (RouteNeed | RuleNeed)[], hop: HopName): Slot[] => {
    const pairs = wanted.map((w) => ("table" in w ? { on: w.table, cidr: w.destination } : { on: w.group, cidr: w.cidr }));
    const { slots, overflow } = assignSlots(family, filledSlots(family, owned[stack]?.parameters), pairs);
    if (overflow > 0) {
      refuse("slots", hop, `this connection needs ${slots.length + overflow} ${family === "ClientRoute" || family === "ReturnRoute" ? "routes" : "rules"} of the kind ${family}, and its template holds ${SLOTS[family].count}: connect fewer client subnets (--client-subnets), then run connect again.`);
    }
    return slots;
  };
  const slots = {
    ClientRoute: slot("ClientRoute", "client", clientRoutes.needs, "client-route"),
    ClientEgress: slot("ClientEgress", "client", egress, "client-egress"),
    ReturnRoute: slot("ReturnRoute", "api", returnRoutes.needs, "return-route"),
    EndpointIngress: slot("EndpointIngress", "api", ingress, "endpoint-ingress"),
  };
  refusals.push(...quotaRefusals(slots, sides, counts));

  const zone = chooseZone(owned, snapshot, sides, now, refuse);
  const notes: string[] = [];
  if (options.probe && sides.endpointBlocks.blocks.length > PROBE_DESTINATIONS) {
    refuse("slots", undefined, `the endpoint's subnets make ${sides.endpointBlocks.blocks.length} blocks and the probe's security group holds ${PROBE_DESTINATIONS}: run connect with --no-probe.`);
  }
  const probePath = chooseProbePath(snapshot, notes);
  const probeSubnets = options.probe ? probeSubnetsOf(sides, notes, refuse) : [];

  // A refused peering is judged as if made, so that its refusal alone speaks for the hops that hang on it.
  const createPeering = peering.plan.kind === "none" || (peering.plan.kind === "create" && !peering.plan.kept);
  const additions = { via: via ?? NEW_PEERING, createPeering, clientRoutes: clientRoutes.needs, returnRoutes: returnRoutes.needs, egress, ingress, zone: zone.create && !zone.kept };
  const after = judgePath(afterConnect(snapshot, additions));
  for (const verdict of after) {
    if (verdict.ok === true || refusals.some((r) => r.hop === verdict.hop)) continue;
    refuse(
      verdict.ok === null ? "unreadable" : REASON_BY_HOP[verdict.hop],
      verdict.hop,
      verdict.ok === null
        ? `${verdict.hop} could not be checked, so connect cannot prove the path: ${verdict.detail}`
        : `${verdict.hop} would still fail after connect, which does not change it: ${verdict.detail}${verdict.fix ? `. The change that would admit the call: ${verdict.fix}` : ""}`,
    );
  }

  const viaText = peering.plan.kind === "reuse" ? peering.plan.id : peering.plan.kind === "create" && peering.plan.kept ? via! : "the new peering connection";
  notes.push(...driftNotes(slots, [...clientRoutes.needs, ...returnRoutes.needs], [...egress, ...ingress]));
  for (const id of endpoint.securityGroupIds.slice(0, 1)) {
    const others = counts.otherInterfaces[id] ?? 0;
    if (slots.EndpointIngress.some((s) => !s.kept) && others > 0) notes.push(`${id} is also on ${others} other network interface${others === 1 ? "" : "s"}: ${others === 1 ? "it gets" : "they get"} the same HTTPS rule from the client subnets.`);
  }
  const broader = zone.create ? (snapshot.zones?.ok ? zoneFor(snapshot.zones.value, snapshot.hostname) : undefined) : undefined;
  if (broader && !zone.kept) notes.push(`zone ${broader.id} (${normalName(broader.name)}) on ${client.vpcId} also covers ${snapshot.hostname}; the new zone, named after the hostname itself, is more specific and answers for it.`);
  if (probeSubnets.length > 0) {
    notes.push(`the probe function runs in ${probeSubnets.join(", ")} and takes a network interface per subnet there (Lambda's Hyperplane interfaces), released when disconnect deletes it.`);
  }

  const names = connectStackNames(options.name, options.clientRegion);
  const tags = { [TAG_DEPLOYMENT]: options.name, [TAG_CONNECTION]: "true" };
  const pcxResource: PlannedResource[] = peering.plan.kind === "create" ? [{ logicalId: "PeeringConnection", on: client.vpcId, text: `peering connection ${client.vpcId} (${client.region}) ↔ ${api.vpcId} (${api.region})`, kept: peering.plan.kept }] : [];
  const zoneResources: PlannedResource[] = zone.create
    ? [
        { logicalId: "HostedZone", on: client.vpcId, text: `private zone ${snapshot.hostname}, associated with ${client.vpcId}`, kept: zone.kept },
        { logicalId: "ApiAliasRecord", on: client.vpcId, text: `alias A ${snapshot.hostname} → ${sides.dnsTarget.name}`, kept: zone.kept },
      ]
    : [];
  const probeResources: PlannedResource[] = options.probe ? [{ logicalId: "ProbeFunction", on: client.vpcId, text: `probe function ${options.name}-probe (its own role, log group and security group) in ${probeSubnets.join(", ")}`, kept: false }] : [];
  const clientResources = [...pcxResource, ...slotResources(slots.ClientRoute, "ClientRoute", (s) => `route ${s.cidr} → ${viaText}`), ...slotResources(slots.ClientEgress, "ClientEgress", (s) => `TCP 443 egress to ${s.cidr}`), ...zoneResources, ...probeResources];
  const apiResources = [...slotResources(slots.ReturnRoute, "ReturnRoute", (s) => `route ${s.cidr} → ${viaText}`), ...slotResources(slots.EndpointIngress, "EndpointIngress", (s) => `TCP 443 ingress from ${s.cidr}`)];
  const endpointCidrs = Object.fromEntries(Array.from({ length: PROBE_DESTINATIONS }, (_, i) => [`EndpointCidr${i + 1}`, sides.endpointBlocks.blocks[i] ?? ""]));
  const clientStack: StackPlan = {
    key: "client",
    stackName: names.client,
    region: options.clientRegion,
    template: CONNECT_TEMPLATES.client,
    needed: clientResources.length > 0,
    parameters: {
      DeploymentName: options.name,
      ClientVpcId: client.vpcId,
      PeeringConnectionId: peering.plan.kind === "reuse" ? peering.plan.id : "",
      CreateZone: String(zone.create),
      ApiRegion: options.apiRegion,
      ApiVpcId: api.vpcId,
      ApiId: options.apiId,
      ApiStageName: sides.stage,
      ApiEndpointDnsName: sides.dnsTarget.name,
      ApiEndpointHostedZoneId: sides.dnsTarget.hostedZoneId,
      Probe: String(options.probe),
      ProbeSubnetIds: probeSubnets.join(","),
      ProbePath: probePath,
      ...endpointCidrs,
      ...slotParameters("ClientRoute", slots.ClientRoute),
      ...slotParameters("ClientEgress", slots.ClientEgress),
    },
    resources: clientResources,
    tags,
  };
  const apiStack: StackPlan = {
    key: "api",
    stackName: names.api,
    region: options.apiRegion,
    template: CONNECT_TEMPLATES.api,
    needed: apiResources.length > 0,
    parameters: {
      DeploymentName: options.name,
      ClientRegion: options.clientRegion,
      // A peering made by the client stack has its id only once that stack exists (apiStackParameters).
      PeeringConnectionId: peering.plan.kind === "create" && !peering.plan.kept ? "" : (via ?? ""),
      ...slotParameters("ReturnRoute", slots.ReturnRoute),
      ...slotParameters("EndpointIngress", slots.EndpointIngress),
    },
    resources: apiResources,
    tags,
  };

  const hops = now.map((verdict): HopPlan => {
    switch (verdict.hop) {
      case "dns":
        return zone.create ? hopPlan(verdict, zone.kept ? "keep our private zone and its alias record" : `create the private zone ${snapshot.hostname} with an alias A record → ${sides.dnsTarget.name}, associated with ${client.vpcId}`, `us${zone.kept ? " (already)" : ""}: zone and record`) : nothing(verdict);
      case "client-egress":
        return slotHop(verdict, slots.ClientEgress, "rule", (s) => `TCP 443 → ${s.cidr} on ${s.on}`);
      case "client-route":
        return slotHop(verdict, slots.ClientRoute, "route", (s) => `${s.on} ${s.cidr} → ${viaText}`);
      case "peering":
        if (peering.plan.kind === "reuse") return hopPlan(verdict, `reuse ${peering.plan.id} (left in place by disconnect)`, "—: nothing");
        if (peering.plan.kind === "create") return hopPlan(verdict, peering.plan.kept ? `keep ours (${via})` : `create a peering connection ${client.vpcId} (${client.region}) ↔ ${api.vpcId} (${api.region}) in ${names.client}`, `us${peering.plan.kept ? " (already)" : ""}: peering`);
        return nothing(verdict);
      case "return-route":
        return slotHop(verdict, slots.ReturnRoute, "route", (s) => `${s.on} ${s.cidr} → ${viaText}`);
      case "endpoint-ingress":
        return slotHop(verdict, slots.EndpointIngress, "rule", (s) => `TCP 443 ← ${s.cidr} on ${s.on}`);
      default:
        return nothing(verdict);
    }
  });

  return {
    options,
    hostname: snapshot.hostname,
    hops,
    peering: peering.plan,
    client: clientStack,
    api: apiStack,
    carriers: carriersOf(options, client, api, slots, zone.create && !zone.kept, peering.plan),
    clientBlocks: sides.clientBlocks.blocks,
    untouched: untouched(options, snapshot, client, api, endpoint, peering.plan),
    notes,
    refusals,
  };
}

// A stack whose creation never completed (rolled back, failed, waiting for its first change set) holds nothing,
// whatever parameters it was given; the deploy engine deletes and re-creates it.
function holding(stack: OwnedStack | undefined): OwnedStack | undefined {
  return stack && !/^(ROLLBACK_|REVIEW_IN_PROGRESS|CREATE_(IN_PROGRESS|FAILED))/.test(stack.status) ? stack : undefined;
}

const REASON_BY_HOP: Record<HopName, RefusalReason> = {
  function: "client",
  dns: "zone-exists",
  "client-egress": "nacl",
  "client-route": "route-elsewhere",
  peering: "peering-mismatch",
  "return-route": "route-elsewhere",
  "endpoint-ingress": "nacl",
  endpoint: "endpoint-policy",
  "api-policy": "api-policy",
  "api-stage": "stage",
};
