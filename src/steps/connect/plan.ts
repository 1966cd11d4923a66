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
import type { EndpointFacts, PathSnapshot, PeeringFacts, VpcSide } from "../../aws/path-facts.js";
import type { AddressSet } from "../../net/address-set.js";
import { LAMBDA_REFUSED_ZONE_IDS } from "../../aws/ec2-lookups.js";
import { overlapOf, parseCidr } from "../../net/cidr.js";
import { normalName, zoneFor, type ZoneRef } from "../../net/private-zones.js";
import type { SecurityGroup } from "../../net/security-groups.js";
import { HOPS, judgePath, type HopName, type HopVerdict } from "../doctor/doctor.js";
import { pathContext } from "../doctor/path-context.js";
import { connectStackNames, TAG_CONNECTION, TAG_DEPLOYMENT } from "../stages.js";
import { overQuota, PEERINGS_PER_VPC, routeNeeds, ROUTES_PER_TABLE, RULES_PER_GROUP, ruleNeeds, subnetBlocks, tablesOf, type RouteNeed, type RuleNeed } from "./needs.js";
import { afterConnect, NEW_PEERING } from "./simulate.js";
import { assignSlots, filledSlots, slotParameters, SLOTS, type Slot, type SlotFamily } from "./slots.js";
import { CONNECT_TEMPLATES } from "./templates.js";
import type { Carrier, ConnectOptions, ConnectPlan, HopPlan, OwnedStack, OwnedStacks, PeeringPlan, PlannedResource, QuotaCounts, Refusal, RefusalReason, StackPlan } from "./types.js";

/** Lambda's limit on a function's subnets (Lambda API reference, VpcConfig.SubnetIds: 16 items). */
const PROBE_SUBNETS = 16;
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

// The parts of the path the plan needs, once they are known to have been read.
interface Sides {
  readonly client: VpcSide;
  readonly api: VpcSide;
  readonly endpoint: EndpointFacts;
  readonly dnsTarget: { readonly name: string; readonly hostedZoneId: string };
  readonly clientSubnets: readonly string[];
  readonly clientGroups: readonly SecurityGroup[];
  readonly endpointGroups: readonly SecurityGroup[];
  readonly clientBlocks: { readonly blocks: string[]; readonly set: AddressSet };
  readonly endpointBlocks: { readonly blocks: string[]; readonly set: AddressSet };
  /** Where requests go: the endpoint's addresses (else its subnets). */
  readonly toEndpoint: AddressSet;
  readonly peerings: readonly PeeringFacts[];
  readonly zones: readonly ZoneRef[];
  readonly stage: string;
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

// Everything the plan hangs on, read; else the refusals that say what is missing.
function readSides(options: ConnectOptions, snapshot: PathSnapshot, now: readonly HopVerdict[]): Sides | { refusals: Refusal[] } {
  const refusals: Refusal[] = [];
  const refuse = (reason: RefusalReason, hop: HopName | undefined, message: string) => refusals.push({ reason, hop, message });
  const fn = now.find((h) => h.hop === "function")!;
  if (fn.ok === false) refuse("client", "function", `the client cannot be connected: ${fn.detail}${fn.fix ? `. Fix: ${fn.fix}` : ""}`);
  const { clientSide: client, apiSide: api } = snapshot;
  const chosen = snapshot.endpoint?.facts;
  const unreadable = (hop: HopName, read: { ok: boolean; error?: string } | undefined, what: string) => {
    if (read && !read.ok) refuse("unreadable", hop, `connect cannot plan without ${what}: ${read.error}`);
  };
  if (!snapshot.endpoints.ok) unreadable("endpoint", snapshot.endpoints, "the region's execute-api endpoints");
  else if (!chosen) {
    const known = snapshot.endpoints.value.map((e) => `${e.id} (${e.state}, ${e.vpcId})`).join(", ") || "none";
    refuse(
      "no-endpoint",
      "endpoint",
      options.endpointId
        ? `${options.endpointId} is not an execute-api endpoint in ${options.apiRegion} (endpoints there: ${known}): name one of them with --endpoint.`
        : `the private API ${options.apiId} has no usable execute-api endpoint in ${options.apiRegion}: none is named by its endpoint configuration or by its resource policy's aws:SourceVpce (endpoints there: ${known}); name the one it admits with --endpoint vpce-…, or create one and admit it in the API's policy, then run connect again.`,
    );
  }
  if (fn.ok === false || !client || !chosen || !api) return { refusals };
  for (const [read, what] of [[client.vpc, "the client VPC"], [client.subnets, "its subnets"], [client.routeTables, "its route tables"], [client.securityGroups, "its security groups"]] as const) unreadable("client-route", read, `${what} (${client.vpcId})`);
  for (const [read, what] of [[api.vpc, "the endpoint's VPC"], [api.subnets, "its subnets"], [api.routeTables, "its route tables"], [api.securityGroups, "the endpoint's security groups"]] as const) unreadable("return-route", read, `${what} (${api.vpcId})`);
  unreadable("peering", snapshot.peerings, "the peering connections between the two VPCs");
  unreadable("dns", snapshot.zones, "the private zones of the client VPC");
  if (refusals.length > 0) return { refusals };

  const ctx = pathContext(snapshot);
  const clientSubnets = ctx.fn.ok ? ctx.fn.value.subnetIds : [];
  const groupIds = ctx.fn.ok ? ctx.fn.value.securityGroupIds : [];
  const groups = client.securityGroups.ok ? client.securityGroups.value : [];
  const vpcSubnets = client.subnets.ok ? client.subnets.value.map((s) => s.id) : [];
  const strays = clientSubnets.filter((s) => !vpcSubnets.includes(s));
  if (strays.length > 0) refuse("client", "function", `${strays.join(", ")} ${strays.length === 1 ? "is" : "are"} not a subnet of ${client.vpcId}: name the client's subnets in that VPC (--client-subnets).`);
  const missingGroups = groupIds.filter((g) => !groups.some((x) => x.id === g));
  if (missingGroups.length > 0) refuse("client", "client-egress", `${missingGroups.join(", ")} ${missingGroups.length === 1 ? "is" : "are"} not a security group of ${client.vpcId}: name the client's groups (--client-security-groups).`);
  if (client.region === api.region && client.vpcId === api.vpcId) refuse("client", "peering", `the client runs in ${api.vpcId}, the endpoint's own VPC: it reaches the API there without connect.`);
  const stages = snapshot.stages.ok ? snapshot.stages.value.map((s) => s.name) : [];
  const stage = options.stage ?? (stages.length === 1 ? stages[0] : undefined);
  if (!stage) refuse("stage", "api-stage", stages.length === 0 ? `the private API ${options.apiId} has no stage: deploy it to one (aws apigateway create-deployment --rest-api-id ${options.apiId} --stage-name <stage> --region ${options.apiRegion}), then run connect again.` : `the private API ${options.apiId} has the stages ${stages.join(", ")}: name the one to call with --stage.`);
  const dnsTarget = chosen.dnsEntries[0];
  if (!dnsTarget) refuse("unreadable", "dns", `${chosen.id} has no DNS name to point the API hostname at (DescribeVpcEndpoints gave no DnsEntries).`);
  const clientBlocks = subnetBlocks(client, clientSubnets);
  const endpointBlocks = subnetBlocks(api, chosen.subnetIds);
  const toEndpoint = ctx.endpointRange.ok ? ctx.endpointRange.value.set : endpointBlocks?.set;
  if (refusals.length > 0 || !stage || !dnsTarget || !clientBlocks || !endpointBlocks || !toEndpoint) return { refusals };
  const endpointGroups = api.securityGroups.ok ? api.securityGroups.value.filter((g) => chosen.securityGroupIds.includes(g.id)) : [];
  return {
    client,
    api,
    endpoint: chosen,
    dnsTarget,
    clientSubnets,
    clientGroups: groupIds.map((g) => groups.find((x) => x.id === g)!),
    endpointGroups,
    clientBlocks,
    endpointBlocks,
    toEndpoint,
    peerings: snapshot.peerings?.ok ? snapshot.peerings.value : [],
    zones: snapshot.zones?.ok ? snapshot.zones.value : [],
    stage,
  };
}

const WAITING = ["pending-acceptance", "provisioning", "initiating-request"];

// Which peering the path uses, and the refusals that --peering or the peerings there call for.
function choosePeering(
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

// Whether our stack creates the zone (a kept one stays), or a same-name zone of the user's forbids it.
function chooseZone(
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

// The client subnets the probe can run in: not in a zone Lambda refuses functions in (ec2-lookups.ts,
// LAMBDA_REFUSED_ZONE_IDS), at most Lambda's 16. None left: refused, with the two ways out.
function probeSubnetsOf(sides: Sides, notes: string[], refuse: (reason: RefusalReason, hop: HopName | undefined, message: string) => void): string[] {
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

// A GET (or ANY) method without path parameters, so the probe's call reaches an integration.
function chooseProbePath(snapshot: PathSnapshot, notes: string[]): string {
  const methods = snapshot.methods.ok ? snapshot.methods.value : [];
  const usable = methods.filter((m) => (m.method === "GET" || m.method === "ANY") && /^\/[A-Za-z0-9._~/-]*$/.test(m.path));
  const pick = usable.toSorted((a, b) => a.path.length - b.path.length || a.path.localeCompare(b.path))[0];
  if (pick) return pick.path;
  notes.push(`the API has no GET method without path parameters: the probe calls / and verify shows what API Gateway answers there.`);
  return "/";
}

function quotaRefusals(slots: Record<SlotFamily, Slot[]>, sides: Sides, counts: QuotaCounts): Refusal[] {
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

// A kept slot whose route or rule is gone from the user's resource: our stack still lists it, but
// CloudFormation does not put back what someone else removed.
function driftNotes(slots: Record<SlotFamily, Slot[]>, routes: readonly RouteNeed[], rules: readonly RuleNeed[]): string[] {
  const missing = (s: Slot) => routes.some((r) => r.table === s.on && r.destination === s.cidr) || rules.some((r) => r.group === s.on && r.cidr === s.cidr);
  return (Object.keys(slots) as SlotFamily[]).flatMap((family) =>
    slots[family].filter((s) => s.kept && missing(s)).map((s) => `${family}${s.index} (${s.on} ${s.cidr}) is in our stack but no longer on ${s.on}: something removed it (the owner's IaC?); run disconnect, then connect, to put it back.`),
  );
}

function slotResources(slots: readonly Slot[], family: SlotFamily, text: (s: Slot) => string): PlannedResource[] {
  return slots.map((s) => ({ logicalId: `${family}${s.index}`, on: s.on, text: text(s), kept: s.kept }));
}

function count(n: number, noun: string): string {
  return n === 1 ? `one ${noun}` : `${n} ${noun}s`;
}

function hopPlan(now: HopVerdict, action: string, owner: string): HopPlan {
  return { hop: now.hop, now, action, owner };
}

function nothing(now: HopVerdict): HopPlan {
  return hopPlan(now, "nothing", "—: nothing");
}

function slotHop(now: HopVerdict, slots: readonly Slot[], noun: string, text: (s: Slot) => string): HopPlan {
  if (slots.length === 0) return nothing(now);
  const fresh = slots.filter((s) => !s.kept);
  const kept = slots.length - fresh.length;
  const action = [fresh.length > 0 ? `add ${count(fresh.length, noun)}: ${fresh.map(text).join(", ")}` : "", kept > 0 ? `keep ${count(kept, noun)} of ours` : ""].filter(Boolean).join("; ");
  return hopPlan(now, action, `us${fresh.length === 0 ? " (already)" : ""}: ${count(slots.length, noun)}`);
}

function carriersOf(options: ConnectOptions, client: VpcSide, api: VpcSide, slots: Record<SlotFamily, Slot[]>, zone: boolean, peering: PeeringPlan): Carrier[] {
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

function untouched(options: ConnectOptions, snapshot: PathSnapshot, client: VpcSide, api: VpcSide, endpoint: EndpointFacts, peering: PeeringPlan): string[] {
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
function unplanned(options: ConnectOptions, snapshot: PathSnapshot, now: readonly HopVerdict[], refusals: Refusal[]): ConnectPlan {
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
