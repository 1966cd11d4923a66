// client-route, peering and return-route: each end's subnets must send the other end's addresses to the
// peering connection (longest prefix, the subnet's own table or the main one, no blackhole), and that
// connection must be active between the two VPCs.
import type { PeeringFacts, VpcSide } from "../../aws/path-facts.js";
import type { AddressSet } from "../../net/address-set.js";
import { routeRange, tableOfSubnet } from "../../net/route-match.js";
import { combine, fail, pass, unknown, type Judgement } from "./hops.js";
import { describeSet, type PathContext } from "./path-context.js";

export function judgeClientRoute(ctx: PathContext): Judgement {
  if (!ctx.fn.ok) return unknown(ctx.fn.why);
  if (!ctx.clientSide.ok) return unknown(ctx.clientSide.why);
  if (!ctx.endpointRange.ok) return unknown(`where requests go is not known: ${ctx.endpointRange.why}`);
  const apiCidr = ctx.apiSide.ok && ctx.apiSide.value.vpc.ok ? ctx.apiSide.value.vpc.value.cidrs[0] : undefined;
  return routesOf(ctx, ctx.clientSide.value, ctx.fn.value.subnetIds, ctx.endpointRange.value.set, apiCidr);
}

export function judgeReturnRoute(ctx: PathContext): Judgement {
  const endpoint = ctx.snapshot.endpoint?.facts;
  if (!endpoint) return unknown("the API's endpoint is not known (see the endpoint hop)");
  if (!ctx.apiSide.ok) return unknown(ctx.apiSide.why);
  if (!ctx.functionRange.ok) return unknown(`where requests come from is not known: ${ctx.functionRange.why}`);
  const clientCidr = ctx.clientSide.ok && ctx.clientSide.value.vpc.ok ? ctx.clientSide.value.vpc.value.cidrs[0] : undefined;
  return routesOf(ctx, ctx.apiSide.value, endpoint.subnetIds, ctx.functionRange.value, clientCidr);
}

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
  return fail(`${shown}${p.message ? ` (${p.message})` : ""}`, `${create}; then point both sides' routes at the new connection`);
}

function end(vpc: PeeringFacts["requester"]): string {
  return `${vpc.vpcId} ${vpc.cidrs.join(", ")}${vpc.region ? ` (${vpc.region})` : ""}`;
}

function routesOf(ctx: PathContext, side: VpcSide, subnetIds: readonly string[], destination: AddressSet, destinationCidr: string | undefined): Judgement {
  if (!side.routeTables.ok) return unknown(side.routeTables.error);
  const tables = side.routeTables.value;
  const pcx = ctx.peering.ok ? ctx.peering.value.id : undefined;
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
