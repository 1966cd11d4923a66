// What the API VPC already holds that a quota counts (Amazon VPC quotas, research/connect.md §4.1): its
// active peering connections, the routes of its route tables and the inbound rules of the endpoint's
// group. Read before a deploy adds client regions, so a quota is named before anything is created.
import {
  DescribeManagedPrefixListsCommand,
  type EC2Client,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroupRules,
  paginateDescribeVpcPeeringConnections,
} from "@aws-sdk/client-ec2";
import type { AwsClients } from "./clients.js";

/** The counts on the API VPC. */
export interface HubCounts {
  readonly activePeerings: number;
  // Per route table id: its IPv4 routes that are not propagated (propagated ones have their own quota).
  readonly routes: Readonly<Record<string, number>>;
  // The endpoint group's inbound rules, when its id is known.
  readonly ingressRules: number | undefined;
}

/** Where to count: the API VPC in its region, its route tables and the endpoint's group. */
export interface HubPlace {
  readonly region: string;
  readonly vpcId: string;
  readonly routeTableIds: readonly string[];
  readonly endpointGroupId: string | undefined;
}

/** Reads the counts, each call read-only. */
export async function readHubCounts(clients: Pick<AwsClients, "ec2">, place: HubPlace): Promise<HubCounts> {
  const ec2 = clients.ec2(place.region);
  const [activePeerings, tables, rules] = await Promise.all([
    countActivePeerings(ec2, place.vpcId),
    place.routeTableIds.length === 0 ? [] : all(paginateDescribeRouteTables({ client: ec2 }, { RouteTableIds: [...place.routeTableIds] }), (p) => p.RouteTables),
    place.endpointGroupId === undefined
      ? undefined
      : all(paginateDescribeSecurityGroupRules({ client: ec2 }, { Filters: [{ Name: "group-id", Values: [place.endpointGroupId] }] }), (p) => p.SecurityGroupRules),
  ]);
  const lists = [
    ...tables.flatMap((t) => (t.Routes ?? []).map((r) => r.DestinationPrefixListId)),
    ...(rules ?? []).map((r) => r.PrefixListId),
  ].filter((id): id is string => id !== undefined);
  const entries = await prefixListSizes(ec2, lists);
  const routes: Record<string, number> = {};
  for (const table of tables) {
    const counted = (table.Routes ?? []).filter((r) => r.Origin !== "EnableVgwRoutePropagation" && !r.DestinationIpv6CidrBlock);
    routes[table.RouteTableId ?? ""] = counted.reduce((n, r) => n + (r.DestinationPrefixListId ? (entries.get(r.DestinationPrefixListId) ?? 1) : 1), 0);
  }
  const inbound = rules?.filter((r) => r.IsEgress !== true);
  const ingressRules = inbound?.reduce((n, r) => n + (r.PrefixListId ? (entries.get(r.PrefixListId) ?? 1) : 1), 0);
  return { activePeerings, routes, ingressRules };
}

// Active peerings with the VPC on either side: one call per side (EC2 ANDs filters of different names).
async function countActivePeerings(ec2: EC2Client, vpcId: string): Promise<number> {
  const active = { Name: "status-code", Values: ["active"] };
  const sides = await Promise.all(
    ["requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id"].map((name) =>
      all(paginateDescribeVpcPeeringConnections({ client: ec2 }, { Filters: [active, { Name: name, Values: [vpcId] }] }), (p) => p.VpcPeeringConnections),
    ),
  );
  return new Set(sides.flat().map((p) => p.VpcPeeringConnectionId)).size;
}

// A prefix list counts against a route table's or a group's quota as its maximum entries ("if you create a
// prefix list with 20 maximum entries and you reference that prefix list in a security group rule, this
// counts as 20 security group rules": Amazon VPC quotas, awsdocs/amazon-vpc-user-guide amazon-vpc-limits.md).
async function prefixListSizes(ec2: EC2Client, ids: readonly string[]): Promise<Map<string, number>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const answer = await ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: unique }));
  return new Map((answer.PrefixLists ?? []).flatMap((l) => (l.PrefixListId && l.MaxEntries !== undefined ? [[l.PrefixListId, l.MaxEntries] as const] : [])));
}

async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}
