// What `connect` reads beyond doctor's snapshot (path-snapshot.ts): what the wizard offers to choose from
// (the private APIs of region A with their stages, the execute-api endpoints there marked by what admits
// them, the VPC-attached functions of region B; listVpcs in ec2-lookups.ts gives B's VPCs), a client given
// as a network made concrete, the counts AWS's quotas are checked against, and our own stacks as they stand.
// Read-only calls, one per resource kind and region, filtered and paginated as path-reads.ts does.
import { paginateGetRestApis, GetStagesCommand, type APIGatewayClient } from "@aws-sdk/client-api-gateway";
import {
  paginateDescribeManagedPrefixLists,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { paginateListFunctions } from "@aws-sdk/client-lambda";
import { evaluatePolicy } from "../policy/resource-policy.js";
import type { AwsClients } from "./clients.js";
import { executeApiServiceName } from "./ec2-lookups.js";
import type { ClientNetwork } from "./path-snapshot.js";
import { readEach, type ReadOnce } from "./read-once.js";
import { describeStack, type StackInfo } from "./stack.js";

/** A private REST API of the region: what the wizard lists, and what its endpoint marks are judged by. */
export interface PrivateApi {
  readonly id: string;
  readonly name: string | undefined;
  /** The endpoints its configuration names (vpcEndpointIds). */
  readonly vpcEndpointIds: readonly string[];
  /** Its resource policy, as JSON text. */
  readonly policy: string | undefined;
  readonly stages: readonly { readonly name: string; readonly deploymentId: string | undefined }[];
}

/** An execute-api endpoint of the region, marked by what makes it the API's. */
export interface EndpointChoice {
  readonly id: string;
  readonly vpcId: string;
  readonly state: string;
  readonly subnetIds: readonly string[];
  readonly privateDns: boolean;
  /** The API's endpoint configuration names it. */
  readonly namedByApi: boolean;
  /** The API's resource policy allows an unsigned call through it (null: the policy cannot be decided here). */
  readonly admittedByPolicy: boolean | null;
}

/** A function of the region attached to a VPC. */
export interface VpcFunction {
  readonly name: string;
  readonly arn: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/** Counts against AWS's quotas that the snapshot does not carry. */
export interface QuotaCounts {
  /** Active peering connections per VPC id. */
  readonly peerings: Readonly<Record<string, number>>;
  /** IPv4 non-propagated routes per route table id (a prefix list counts as its maximum entries). */
  readonly routes: Readonly<Record<string, number>>;
  /** IPv4 rules per security group id, each direction apart (a prefix list counts as its maximum entries). */
  readonly rules: Readonly<Record<string, { readonly ingress: number; readonly egress: number }>>;
  /** Network interfaces per security group id other than the endpoint's: they get any rule we add too. */
  readonly otherInterfaces: Readonly<Record<string, number>>;
}

/** A stack of ours as it stands: what it runs with and gives back. */
export type OwnedStack = Pick<StackInfo, "status" | "parameters" | "outputs">;

/** Our two stacks of a connection, where they exist. */
export interface OwnedStacks {
  readonly client: OwnedStack | undefined;
  readonly api: OwnedStack | undefined;
}

async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

// API Gateway answers a policy as JSON text with its quotes escaped once more (path-snapshot.ts reads it so).
const unescape = (policy: string | undefined) => policy?.replace(/\\"/g, '"').replace(/\\\\/g, "\\");

/** The PRIVATE REST APIs of a region with their stages (one GetStages per private API, four at a time). */
export async function listPrivateApis(gateway: APIGatewayClient): Promise<PrivateApi[]> {
  const apis = (await all(paginateGetRestApis({ client: gateway, pageSize: 500 }, {}), (p) => p.items)).filter((a) => a.endpointConfiguration?.types?.includes("PRIVATE"));
  const out: PrivateApi[] = [];
  for (let i = 0; i < apis.length; i += 4) {
    out.push(...(await Promise.all(apis.slice(i, i + 4).map(async (a): Promise<PrivateApi> => {
      const stages = await gateway.send(new GetStagesCommand({ restApiId: a.id }));
      return {
        id: a.id ?? "",
        name: a.name,
        vpcEndpointIds: a.endpointConfiguration?.vpcEndpointIds ?? [],
        policy: unescape(a.policy),
        stages: (stages.item ?? []).map((s) => ({ name: s.stageName ?? "", deploymentId: s.deploymentId })),
      };
    }))));
  }
  return out;
}

/** The execute-api endpoints of the region, each marked: named by the API, admitted by its policy, private DNS. */
export async function listEndpointChoices(ec2: EC2Client, region: string, partition: string, api: PrivateApi): Promise<EndpointChoice[]> {
  const endpoints = await all(paginateDescribeVpcEndpoints({ client: ec2 }, { Filters: [{ Name: "service-name", Values: [executeApiServiceName(region)] }] }), (p) => p.VpcEndpoints);
  return endpoints.map((e) => {
    const id = e.VpcEndpointId ?? "";
    const values: Record<string, string> = { "aws:sourcevpce": id, "aws:sourcevpc": e.VpcId ?? "" };
    if (e.OwnerId) values["aws:vpceaccount"] = e.OwnerId;
    // An unsigned call (the probe's, and most clients'), to any stage and method: what the policy says of it.
    const decision = api.policy
      ? evaluatePolicy(api.policy, { arn: `arn:${partition}:execute-api:${region}:${e.OwnerId ?? "*"}:${api.id}/*/GET/`, action: "execute-api:Invoke", principals: [], request: { values, known: new Set(Object.keys(values)) } })
      : undefined;
    return {
      id,
      vpcId: e.VpcId ?? "",
      state: (e.State ?? "unknown").toLowerCase(),
      subnetIds: e.SubnetIds ?? [],
      privateDns: e.PrivateDnsEnabled === true,
      namedByApi: api.vpcEndpointIds.includes(id),
      admittedByPolicy: decision ? decision.allowed : false,
    };
  });
}

/** The region's functions that are attached to a VPC. */
export async function listVpcFunctions(clients: Pick<AwsClients, "lambda">, region: string): Promise<VpcFunction[]> {
  const functions = await all(paginateListFunctions({ client: clients.lambda(region) }, {}), (p) => p.Functions);
  return functions.flatMap((f) =>
    f.VpcConfig?.VpcId
      ? [{ name: f.FunctionName ?? "", arn: f.FunctionArn ?? "", vpcId: f.VpcConfig.VpcId, subnetIds: f.VpcConfig.SubnetIds ?? [], securityGroupIds: f.VpcConfig.SecurityGroupIds ?? [] }]
      : [],
  );
}

/**
 * A client given as a network, made concrete: no subnets named means every subnet of the VPC; no groups
 * named means the VPC's default group, the one EC2 gives an instance launched without any.
 */
export async function resolveClientNetwork(ec2: EC2Client, vpcId: string, subnetIds: readonly string[], securityGroupIds: readonly string[]): Promise<ClientNetwork> {
  const byVpc = [{ Name: "vpc-id", Values: [vpcId] }];
  const [subnets, groups] = await Promise.all([
    subnetIds.length > 0 ? subnetIds : all(paginateDescribeSubnets({ client: ec2 }, { Filters: byVpc }), (p) => p.Subnets).then((list) => list.map((s) => s.SubnetId ?? "")),
    securityGroupIds.length > 0
      ? securityGroupIds
      : all(paginateDescribeSecurityGroups({ client: ec2 }, { Filters: [...byVpc, { Name: "group-name", Values: ["default"] }] }), (p) => p.SecurityGroups).then((list) => list.map((g) => g.GroupId ?? "")),
  ]);
  return { vpcId, subnetIds: subnets, securityGroupIds: groups };
}

/** Where the quota counts are read: each side's region, VPC, route tables and groups, and the endpoint's interfaces. */
export interface QuotaPlaces {
  readonly sides: readonly { readonly region: string; readonly vpcId: string; readonly tableIds: readonly string[]; readonly groupIds: readonly string[] }[];
  /** The endpoint's region, groups and own interfaces: other interfaces in its groups get our rules too. */
  readonly endpoint: { readonly region: string; readonly groupIds: readonly string[]; readonly interfaceIds: readonly string[] };
}

/** What the quotas are counted against now, on both sides. `once`: the API side's counts shared with other readers (connect's client regions). */
export async function readQuotaCounts(clients: Pick<AwsClients, "ec2">, places: QuotaPlaces, once: ReadOnce = readEach): Promise<QuotaCounts> {
  const counts = { peerings: {} as Record<string, number>, routes: {} as Record<string, number>, rules: {} as Record<string, { ingress: number; egress: number }>, otherInterfaces: {} as Record<string, number> };
  await Promise.all([
    ...places.sides.map(async (side) => {
      const ec2 = clients.ec2(side.region);
      const key = `${side.region} ${side.vpcId} ${side.tableIds.join()} ${side.groupIds.join()}`;
      const [peerings, tables, rules] = await Promise.all([
        once(`peerings ${key}`, () => activePeerings(ec2, side.vpcId)),
        side.tableIds.length === 0 ? [] : once(`tables ${key}`, () => all(paginateDescribeRouteTables({ client: ec2 }, { RouteTableIds: [...side.tableIds] }), (p) => p.RouteTables)),
        side.groupIds.length === 0 ? [] : once(`rules ${key}`, () => all(paginateDescribeSecurityGroupRules({ client: ec2 }, { Filters: [{ Name: "group-id", Values: [...side.groupIds] }] }), (p) => p.SecurityGroupRules)),
      ]);
      const lists = [...tables.flatMap((t) => (t.Routes ?? []).map((r) => r.DestinationPrefixListId)), ...rules.map((r) => r.PrefixListId)].filter((id): id is string => id !== undefined);
      const entries = await once(`entries ${key}`, () => maxEntries(ec2, [...new Set(lists)]));
      counts.peerings[side.vpcId] = peerings;
      for (const table of tables) {
        // Propagated routes have their own quota; IPv6 routes are counted apart from IPv4 ones.
        const routes = (table.Routes ?? []).filter((r) => r.Origin !== "EnableVgwRoutePropagation" && !r.DestinationIpv6CidrBlock);
        counts.routes[table.RouteTableId ?? ""] = routes.reduce((n, r) => n + (r.DestinationPrefixListId ? (entries.get(r.DestinationPrefixListId) ?? 1) : 1), 0);
      }
      for (const groupId of side.groupIds) {
        const own = rules.filter((r) => r.GroupId === groupId && !r.CidrIpv6);
        const weight = (r: (typeof own)[number]) => (r.PrefixListId ? (entries.get(r.PrefixListId) ?? 1) : 1);
        counts.rules[groupId] = {
          ingress: own.filter((r) => !r.IsEgress).reduce((n, r) => n + weight(r), 0),
          egress: own.filter((r) => r.IsEgress).reduce((n, r) => n + weight(r), 0),
        };
      }
    }),
    (async () => {
      const { region, groupIds, interfaceIds } = places.endpoint;
      if (groupIds.length === 0) return;
      const interfaces = await once(`interfaces ${region} ${groupIds.join()}`, () => all(paginateDescribeNetworkInterfaces({ client: clients.ec2(region) }, { Filters: [{ Name: "group-id", Values: [...groupIds] }] }), (p) => p.NetworkInterfaces));
      for (const groupId of groupIds) {
        counts.otherInterfaces[groupId] = interfaces.filter((n) => !interfaceIds.includes(n.NetworkInterfaceId ?? "") && (n.Groups ?? []).some((g) => g.GroupId === groupId)).length;
      }
    })(),
  ]);
  return counts;
}

// Active peerings with the VPC on either side: one call per side (EC2 filters are ANDed across names).
async function activePeerings(ec2: EC2Client, vpcId: string): Promise<number> {
  const active = { Name: "status-code", Values: ["active"] };
  const [asRequester, asAccepter] = await Promise.all(
    ["requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id"].map((name) =>
      all(paginateDescribeVpcPeeringConnections({ client: ec2 }, { Filters: [active, { Name: name, Values: [vpcId] }] }), (p) => p.VpcPeeringConnections),
    ),
  );
  return new Set([...asRequester!, ...asAccepter!].map((p) => p.VpcPeeringConnectionId)).size;
}

// A prefix list counts against a route table's or group's quota as its maximum entries (Amazon VPC quotas,
// "Maximum number of entries per prefix list").
async function maxEntries(ec2: EC2Client, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const lists = await all(paginateDescribeManagedPrefixLists({ client: ec2 }, { PrefixListIds: [...ids] }), (p) => p.PrefixLists);
  return new Map(lists.flatMap((l) => (l.PrefixListId && l.MaxEntries !== undefined ? [[l.PrefixListId, l.MaxEntries] as const] : [])));
}

/** Our two stacks of the connection as they stand (undefined where one does not exist). */
export async function readOwnedStacks(clients: Pick<AwsClients, "cloudFormation">, stacks: { readonly client: { readonly name: string; readonly region: string }; readonly api: { readonly name: string; readonly region: string } }): Promise<OwnedStacks> {
  const [client, api] = await Promise.all([stacks.client, stacks.api].map(async ({ name, region }) => {
    const found = await describeStack(clients.cloudFormation(region), name);
    return found && { status: found.status, parameters: found.parameters, outputs: found.outputs };
  }));
  return { client, api };
}

/** A route of a table: its IPv4 destination, its target's id and its state. */
export interface RouteFact {
  readonly destination: string;
  readonly target: string;
  readonly state: string;
}

/** A security group rule: the group, its direction, protocol and ports, and its IPv4 range. */
export interface RuleFact {
  readonly groupId: string;
  readonly egress: boolean;
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidr: string | undefined;
}

/** The routes of some tables and the rules of some groups of a region, as they are now (status of a connection). */
export async function readRoutesAndRules(ec2: EC2Client, tableIds: readonly string[], groupIds: readonly string[]): Promise<{ routes: Map<string, RouteFact[]>; rules: RuleFact[] }> {
  const [tables, rules] = await Promise.all([
    tableIds.length === 0 ? [] : all(paginateDescribeRouteTables({ client: ec2 }, { RouteTableIds: [...tableIds] }), (p) => p.RouteTables),
    groupIds.length === 0 ? [] : all(paginateDescribeSecurityGroupRules({ client: ec2 }, { Filters: [{ Name: "group-id", Values: [...groupIds] }] }), (p) => p.SecurityGroupRules),
  ]);
  const target = (r: NonNullable<(typeof tables)[number]["Routes"]>[number]) =>
    r.VpcPeeringConnectionId ?? r.TransitGatewayId ?? r.GatewayId ?? r.NatGatewayId ?? r.NetworkInterfaceId ?? r.InstanceId ?? "";
  return {
    routes: new Map(tables.map((t) => [t.RouteTableId ?? "", (t.Routes ?? []).filter((r) => r.DestinationCidrBlock).map((r) => ({ destination: r.DestinationCidrBlock!, target: target(r), state: r.State ?? "" }))])),
    rules: rules.map((r) => ({ groupId: r.GroupId ?? "", egress: r.IsEgress === true, protocol: r.IpProtocol ?? "", fromPort: r.FromPort, toPort: r.ToPort, cidr: r.CidrIpv4 })),
  };
}

/** A VPC's IPv4 ranges (verify of a connection: the range the API hostname must resolve into). */
export async function vpcRanges(ec2: EC2Client, vpcId: string): Promise<string[]> {
  const vpcs = await all(paginateDescribeVpcs({ client: ec2 }, { VpcIds: [vpcId] }), (p) => p.Vpcs);
  return (vpcs[0]?.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === "associated" && a.CidrBlock).map((a) => a.CidrBlock!);
}

/** A subnet of a VPC, as the wizard lists it. */
export interface SubnetChoice {
  readonly id: string;
  readonly cidr: string;
  readonly zone: string;
  readonly name: string | undefined;
}

/** The subnets of a VPC (connect's client given as a VPC: which ones it calls from). */
export async function listSubnets(ec2: EC2Client, vpcId: string): Promise<SubnetChoice[]> {
  const subnets = await all(paginateDescribeSubnets({ client: ec2 }, { Filters: [{ Name: "vpc-id", Values: [vpcId] }] }), (p) => p.Subnets);
  return subnets.map((s) => ({ id: s.SubnetId ?? "", cidr: s.CidrBlock ?? "", zone: s.AvailabilityZone ?? "", name: s.Tags?.find((t) => t.Key === "Name")?.Value }));
}
