// The network hops doctor judges: routes, peering, security groups and network ACLs.
//
// client-route, peering and return-route: each end's subnets must send the other end's addresses to the
// peering connection (longest prefix, the subnet's own table or the main one, no blackhole), and that
// connection must be active between the two VPCs.
import type { EndpointFacts, FunctionFacts, PeeringFacts, VpcSide } from "../../aws/path-facts.js";
import type { AddressSet } from "../../net/address-set.js";
import { aclDecision, type AclDecision, aclOfSubnet, type PortRange } from "../../net/network-acls.js";
import { routeRange, tableOfSubnet } from "../../net/route-match.js";
import { sgAdmits, type SgRule } from "../../net/security-groups.js";
import { combine, fail, type Judgement, pass, unknown } from "./doctor.js";
import { describeSet, isLive, type PathContext } from "./path-context.js";

/** The client subnets route the API range to the peering. */
export function judgeClientRoute(ctx: PathContext): Judgement {
  const end = clientEnd(ctx);
  if ("ok" in end) return end;
  return routesOf(ctx, end.side, end.fn.subnetIds, end.to.set, end.apiCidr);
}

/** The API subnets route the client range back through the peering. */
export function judgeReturnRoute(ctx: PathContext): Judgement {
  const end = apiEnd(ctx);
  if ("ok" in end) return end;
  return routesOf(ctx, end.side, end.endpoint.subnetIds, end.from, end.clientCidr);
}

/** The peering connection is active between the two VPCs. */
export function judgePeering(ctx: PathContext): Judgement {
  const { snapshot } = ctx;
  if (!ctx.clientSide.ok) return unknown(ctx.clientSide.why);
  if (!ctx.apiSide.ok) return unknown(ctx.apiSide.why);
  const [client, api] = [ctx.clientSide.value, ctx.apiSide.value];
  const create =
    `aws ec2 create-vpc-peering-connection --vpc-id ${client.vpcId} --peer-vpc-id ${api.vpcId} --peer-region ${api.region} --region ${client.region}, ` +
    `then aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id <pcx> --region ${api.region}`;
  if (!ctx.peering.ok) {
    return snapshot.peerings?.ok ? fail(`no peering connection joins ${client.vpcId} (${client.region}) and ${api.vpcId} (${api.region})`, create) : unknown(ctx.peering.why);
  }
  const p = ctx.peering.value;
  const shown = `${p.id}: ${p.status}, ${end(p.requester)} ↔ ${end(p.accepter)}`;
  if (p.status === "active") return pass(shown);
  if (p.status === "pending-acceptance") {
    return fail(`${shown}: the accepter has not accepted it`, `aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id ${p.id} --region ${p.accepter.region ?? api.region}`);
  }
  // Accepted but not ready: AWS shows "provisioning" for a while after the acceptance (EC2 API reference,
  // VpcPeeringConnectionStateReason: initiating-request → pending-acceptance → provisioning → active).
  if (p.status === "provisioning" || p.status === "initiating-request") {
    return fail(`${shown}: AWS has not finished setting it up`, `wait a minute for ${p.id} to become active, then run doctor again`);
  }
  return fail(`${shown}${p.message ? ` (${p.message})` : ""}`, `${create}; then point both sides' routes at the new connection`);
}

function end(vpc: PeeringFacts["requester"]): string {
  return `${vpc.vpcId} ${vpc.cidrs.join(", ")}${vpc.region ? ` (${vpc.region})` : ""}`;
}

function routesOf(ctx: PathContext, side: VpcSide, subnetIds: readonly string[], destination: AddressSet, destinationCidr: string | undefined): Judgement {
  if (!side.routeTables.ok) return unknown(side.routeTables.error);
  const tables = side.routeTables.value;
  // A route's fix names the peering only while it can carry traffic: a deleted or failed one gets replaced.
  const pcx = ctx.peering.ok && isLive(ctx.peering.value.status) ? ctx.peering.value.id : undefined;
  const joining = ctx.snapshot.peerings?.ok ? new Set(ctx.snapshot.peerings.value.map((p) => p.id)) : undefined;
  const cidr = destinationCidr ?? describeSet(destination);
  const bySubnet = new Map<string, { via: string; subnets: string[] }>();
  for (const subnetId of subnetIds) {
    const found = tableOfSubnet(tables, subnetId);
    if (!found) return fail(`${subnetId} has no route table and ${side.vpcId} no main table`, `aws ec2 associate-route-table --route-table-id <rtb> --subnet-id ${subnetId} --region ${side.region}`);
    const entry = bySubnet.get(found.table.id) ?? { via: found.via, subnets: [] };
    entry.subnets.push(subnetId);
    bySubnet.set(found.table.id, entry);
  }
  return combine(
    [...bySubnet].map(([tableId, { via, subnets }]) => {
      const table = tables.find((t) => t.id === tableId)!;
      const where = `${tableId} (${via === "main" ? "main table of " : ""}${subnets.join(", ")})`;
      const { parts } = routeRange(table.routes, destination);
      const shown = parts.map((p) => (p.route ? `${p.route.destination} → ${p.route.target} (${p.route.state})` : `${describeSet(p.addresses)} → no route`));
      const create = `aws ec2 create-route --route-table-id ${tableId} --destination-cidr-block ${cidr} --vpc-peering-connection-id ${pcx ?? "<pcx>"} --region ${side.region}`;
      for (const part of parts) {
        const route = part.route;
        if (!route) return fail(`${where}: ${describeSet(part.addresses)} has no route`, create);
        const replace = `aws ec2 replace-route --route-table-id ${tableId} --destination-cidr-block ${route.destination} --vpc-peering-connection-id ${pcx ?? "<pcx>"} --region ${side.region}`;
        if (route.state === "blackhole") return fail(`${where}: ${route.destination} → ${route.target} (blackhole: its target is gone)`, replace);
        const toPeering = route.target.startsWith("pcx-") && (joining === undefined || joining.has(route.target));
        if (!toPeering) return fail(`${where}: ${route.destination} → ${route.target}, not the peering connection${pcx ? ` ${pcx}` : ""}`, route.destination === cidr ? replace : create);
      }
      return pass(`${where}: ${shown.join(", ")}`);
    }),
  );
}

// client-egress and endpoint-ingress: the security groups (stateful: one direction is enough) and the
// subnets' network ACLs (stateless: the request on 443 and the answer on the client's ephemeral ports,
// 1024-65535, are both checked) at each end of the path.
const HTTPS: PortRange = { from: 443, to: 443 };
const EPHEMERAL: PortRange = { from: 1024, to: 65535 };

interface End {
  readonly side: VpcSide;
  readonly groupIds: readonly string[];
  readonly subnetIds: readonly string[];
  /** The other end: where requests go (client) or come from (endpoint). */
  readonly peers: AddressSet;
  readonly peersText: string;
  /** A range to name in a fix: the other VPC's range. */
  readonly peerCidr: string;
  readonly role: "client" | "endpoint";
}

/** The client's security groups and network ACLs let HTTPS out to the endpoint. */
export function judgeClientEgress(ctx: PathContext): Judgement {
  const end = clientEnd(ctx);
  if ("ok" in end) return end;
  return judgeEnd({
    side: end.side,
    groupIds: end.fn.securityGroupIds,
    subnetIds: end.fn.subnetIds,
    peers: end.to.set,
    peersText: end.to.text,
    peerCidr: end.apiCidr ?? end.to.text.split(", ")[0] ?? "",
    role: "client",
  });
}

/** The endpoint's security groups and network ACLs let HTTPS in from the client. */
export function judgeEndpointIngress(ctx: PathContext): Judgement {
  const end = apiEnd(ctx);
  if ("ok" in end) return end;
  return judgeEnd({
    side: end.side,
    groupIds: end.endpoint.securityGroupIds,
    subnetIds: end.endpoint.subnetIds,
    peers: end.from,
    peersText: describeSet(end.from),
    peerCidr: end.clientCidr ?? describeSet(end.from),
    role: "endpoint",
  });
}

// The client end as both of its hops need it (the function, its VPC, where requests go and the API
// VPC's range), or why it cannot be judged.
function clientEnd(ctx: PathContext): Judgement | { fn: FunctionFacts; side: VpcSide; to: { set: AddressSet; text: string }; apiCidr: string | undefined } {
  if (!ctx.fn.ok) return unknown(ctx.fn.why);
  if (!ctx.clientSide.ok) return unknown(ctx.clientSide.why);
  if (!ctx.endpointRange.ok) return unknown(`where requests go is not known: ${ctx.endpointRange.why}`);
  const apiCidr = ctx.apiSide.ok && ctx.apiSide.value.vpc.ok ? ctx.apiSide.value.vpc.value.cidrs[0] : undefined;
  return { fn: ctx.fn.value, side: ctx.clientSide.value, to: ctx.endpointRange.value, apiCidr };
}

// The API end as both of its hops need it (the endpoint, its VPC, where requests come from and the
// client VPC's range), or why it cannot be judged.
function apiEnd(ctx: PathContext): Judgement | { endpoint: EndpointFacts; side: VpcSide; from: AddressSet; clientCidr: string | undefined } {
  const endpoint = ctx.snapshot.endpoint?.facts;
  if (!endpoint) return unknown("the API's endpoint is not known (see the endpoint hop)");
  if (!ctx.apiSide.ok) return unknown(ctx.apiSide.why);
  if (!ctx.functionRange.ok) return unknown(`where requests come from is not known: ${ctx.functionRange.why}`);
  const clientCidr = ctx.clientSide.ok && ctx.clientSide.value.vpc.ok ? ctx.clientSide.value.vpc.value.cidrs[0] : undefined;
  return { endpoint, side: ctx.apiSide.value, from: ctx.functionRange.value, clientCidr };
}

function judgeEnd(end: End): Judgement {
  return combine([securityGroups(end), ...networkAcls(end)]);
}

function securityGroups(end: End): Judgement {
  const { side, role } = end;
  const reads = side.securityGroups;
  if (!reads.ok) return unknown(reads.error);
  const groups = reads.value.filter((g) => end.groupIds.includes(g.id));
  const direction = role === "client" ? "egress" : "ingress";
  const arrow = role === "client" ? "→" : "←";
  const decision = sgAdmits(groups, direction, { protocol: "tcp", port: 443, peers: end.peers });
  const rules = decision.matched.map((m) => `${m.groupId} ${direction} ${ruleText(m.rule)} ${arrow} ${m.rule.cidrs.join(", ")}`);
  if (decision.allowed === true) return pass(`${rules.join("; ")} (${end.peersText})`);
  if (decision.allowed === null) {
    return unknown(`${end.groupIds.join(", ")}: ${describeSet(decision.missing)} on 443 only through prefix lists ${decision.prefixLists.join(", ")}, whose ranges are not read`);
  }
  const refs = decision.groupRefs.length > 0 ? `; rules naming groups (${decision.groupRefs.join(", ")}) cannot match a VPC in another region` : "";
  const group = end.groupIds[0] ?? "<security group>";
  const fix =
    role === "client"
      ? `aws ec2 authorize-security-group-egress --group-id ${group} --protocol tcp --port 443 --cidr ${end.peerCidr} --region ${side.region}`
      : `aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 443 --cidr ${end.peerCidr} --region ${side.region}`;
  return fail(`${end.groupIds.join(", ") || "no security group"}: no ${direction} rule admits TCP 443 ${arrow} ${describeSet(decision.missing)}${refs}`, fix);
}

function ruleText(rule: SgRule): string {
  if (rule.protocol === "-1") return "all traffic";
  return rule.fromPort === rule.toPort ? `${rule.protocol} ${rule.fromPort}` : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
}

function networkAcls(end: End): Judgement[] {
  const { side } = end;
  if (!side.acls.ok) return [unknown(side.acls.error)];
  const acls = side.acls.value;
  // Requests leave the client on 443 and answers come back to its ephemeral ports; the endpoint mirrors it.
  const checks: readonly { direction: "inbound" | "outbound"; ports: PortRange }[] =
    end.role === "client"
      ? [{ direction: "outbound", ports: HTTPS }, { direction: "inbound", ports: EPHEMERAL }]
      : [{ direction: "inbound", ports: HTTPS }, { direction: "outbound", ports: EPHEMERAL }];
  const bySubnet = new Map<string, string[]>();
  for (const subnetId of end.subnetIds) {
    const acl = aclOfSubnet(acls, subnetId);
    if (!acl) return [unknown(`no network ACL found for ${subnetId}`)];
    bySubnet.set(acl.id, [...(bySubnet.get(acl.id) ?? []), subnetId]);
  }
  return [...bySubnet].map(([aclId, subnets]) => {
    const acl = acls.find((a) => a.id === aclId)!;
    const parts: string[] = [];
    for (const check of checks) {
      const decision = aclDecision(acl, check.direction, { protocol: "6", ports: check.ports, peers: end.peers });
      if (!decision.allowed) return aclFailure(end, aclId, subnets, check.direction, decision);
      const rules = decision.by.map((e) => e.ruleNumber).join(", ");
      parts.push(`${check.direction === "inbound" ? "in" : "out"} tcp ${portText(check.ports)} rule ${rules} allow`);
    }
    return pass(`${aclId} (${subnets.join(", ")}): ${parts.join(", ")}`);
  });
}

function aclFailure(end: End, aclId: string, subnets: readonly string[], direction: "inbound" | "outbound", d: Extract<AclDecision, { allowed: false }>): Judgement {
  const rule = d.rule ? `rule ${d.rule.ruleNumber} (${d.rule.action} ${d.rule.cidr})` : "the final * rule (deny)";
  const egress = direction === "outbound" ? " --egress" : " --ingress";
  const number = d.rule ? Math.max(1, d.rule.ruleNumber - 1) : 100;
  const fix = `aws ec2 create-network-acl-entry --network-acl-id ${aclId} --rule-number ${number} --protocol tcp --port-range From=${d.ports.from},To=${d.ports.to} --cidr-block ${end.peerCidr} --rule-action allow${egress} --region ${end.side.region}`;
  const what = direction === "outbound" ? `to ${describeSet(d.addresses)}` : `from ${describeSet(d.addresses)}`;
  const answer = (end.role === "client") === (direction === "inbound") ? " (the answers, stateless)" : "";
  return fail(`${aclId} (${subnets.join(", ")}): ${direction} tcp ${portText(d.ports)} ${what} is denied by ${rule}${answer}`, fix);
}

function portText(p: PortRange): string {
  return p.from === p.to ? String(p.from) : `${p.from}-${p.to}`;
}
