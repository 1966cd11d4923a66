// The read-only calls behind `doctor`, each turned into the plain shapes of path-facts.ts. One call per
// resource kind and region, filtered to the VPC or ids concerned (never one call per item), every list
// paginated. A refused call becomes a Read that says so; a credentials problem still ends the run.
import {
  DescribeNetworkInterfacesCommand,
  DescribeVpcAttributeCommand,
  paginateDescribeNetworkAcls,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
  type EC2Client,
  type Filter,
  type IpPermission,
  type VpcPeeringConnectionVpcInfo,
} from "@aws-sdk/client-ec2";
import type { NetworkAcl } from "../net/network-acls.js";
import type { RouteTable } from "../net/route-match.js";
import type { SecurityGroup, SgRule } from "../net/security-groups.js";
import { executeApiServiceName } from "./ec2-lookups.js";
import { asCredentialsError } from "./errors.js";
import type { EndpointFacts, PeerVpc, PeeringFacts, Read, SubnetFacts, VpcFacts, VpcSide } from "./path-facts.js";

/** Runs one read; AWS's refusal becomes the Read's error, naming the action. */
export async function attempt<T>(action: string, read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (asCredentialsError(error, undefined)) throw error;
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `${action} failed: ${name}: ${message}` };
  }
}

async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

const byVpc = (vpcId: string): Filter[] => [{ Name: "vpc-id", Values: [vpcId] }];

/** The VPC, its subnets, route tables, network ACLs and the given security groups: one call each. */
export async function readVpcSide(ec2: EC2Client, region: string, vpcId: string, groupIds: readonly string[]): Promise<VpcSide> {
  const [vpc, subnets, routeTables, securityGroups, acls] = await Promise.all([
    attempt("ec2:DescribeVpcs", () => readVpc(ec2, vpcId)),
    attempt("ec2:DescribeSubnets", () => all(paginateDescribeSubnets({ client: ec2 }, { Filters: byVpc(vpcId) }), (p) => p.Subnets).then((list) =>
      list.map((s): SubnetFacts => ({ id: s.SubnetId ?? "", cidr: s.CidrBlock ?? "", zone: s.AvailabilityZone, zoneId: s.AvailabilityZoneId })))),
    attempt("ec2:DescribeRouteTables", () => all(paginateDescribeRouteTables({ client: ec2 }, { Filters: byVpc(vpcId) }), (p) => p.RouteTables).then((list) =>
      list.map((t): RouteTable => ({
        id: t.RouteTableId ?? "",
        main: (t.Associations ?? []).some((a) => a.Main === true),
        subnetIds: (t.Associations ?? []).flatMap((a) => (a.SubnetId && a.AssociationState?.State !== "disassociated" ? [a.SubnetId] : [])),
        routes: (t.Routes ?? []).flatMap((r) => {
          const destination = r.DestinationCidrBlock ?? r.DestinationPrefixListId;
          if (!destination) return [];
          const target = r.VpcPeeringConnectionId ?? r.GatewayId ?? r.NatGatewayId ?? r.TransitGatewayId ?? r.NetworkInterfaceId ?? r.InstanceId ?? r.LocalGatewayId ?? r.CarrierGatewayId ?? r.CoreNetworkArn ?? "unknown";
          return [{ destination, target, state: r.State === "blackhole" ? "blackhole" as const : "active" as const }];
        }),
      })))),
    groupIds.length === 0
      ? Promise.resolve({ ok: true as const, value: [] })
      : attempt("ec2:DescribeSecurityGroups", () => all(paginateDescribeSecurityGroups({ client: ec2 }, { GroupIds: [...groupIds] }), (p) => p.SecurityGroups).then((list) =>
          list.map((g): SecurityGroup => ({ id: g.GroupId ?? "", ingress: (g.IpPermissions ?? []).map(sgRule), egress: (g.IpPermissionsEgress ?? []).map(sgRule) })))),
    attempt("ec2:DescribeNetworkAcls", () => all(paginateDescribeNetworkAcls({ client: ec2 }, { Filters: byVpc(vpcId) }), (p) => p.NetworkAcls).then((list) =>
      list.map((a): NetworkAcl => ({
        id: a.NetworkAclId ?? "",
        isDefault: a.IsDefault === true,
        subnetIds: (a.Associations ?? []).flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])),
        entries: (a.Entries ?? []).flatMap((e) =>
          e.CidrBlock === undefined
            ? []
            : [{
                ruleNumber: e.RuleNumber ?? 0,
                egress: e.Egress === true,
                action: e.RuleAction === "allow" ? "allow" as const : "deny" as const,
                protocol: e.Protocol ?? "-1",
                cidr: e.CidrBlock,
                ports: e.PortRange ? { from: e.PortRange.From ?? 0, to: e.PortRange.To ?? 65535 } : undefined,
              }]),
      })))),
  ]);
  return { region, vpcId, vpc, subnets, routeTables, securityGroups, acls };
}

function sgRule(p: IpPermission): SgRule {
  return {
    protocol: p.IpProtocol ?? "-1",
    fromPort: p.FromPort,
    toPort: p.ToPort,
    cidrs: (p.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [r.CidrIp] : [])),
    prefixListIds: (p.PrefixListIds ?? []).flatMap((r) => (r.PrefixListId ? [r.PrefixListId] : [])),
    groupIds: (p.UserIdGroupPairs ?? []).flatMap((r) => (r.GroupId ? [r.GroupId] : [])),
  };
}

// DescribeVpcs has no DNS attributes: DescribeVpcAttribute answers one attribute per call.
async function readVpc(ec2: EC2Client, vpcId: string): Promise<VpcFacts> {
  const [vpcs, dnsSupport, dnsHostnames] = await Promise.all([
    all(paginateDescribeVpcs({ client: ec2 }, { VpcIds: [vpcId] }), (p) => p.Vpcs),
    attempt("ec2:DescribeVpcAttribute", async () => (await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsSupport" }))).EnableDnsSupport?.Value === true),
    attempt("ec2:DescribeVpcAttribute", async () => (await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }))).EnableDnsHostnames?.Value === true),
  ]);
  const vpc = vpcs[0];
  const associated = (vpc?.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === "associated").flatMap((a) => (a.CidrBlock ? [a.CidrBlock] : []));
  return { id: vpcId, cidrs: associated.length > 0 ? associated : vpc?.CidrBlock ? [vpc.CidrBlock] : [], dnsSupport, dnsHostnames };
}

/** Every execute-api interface endpoint of the region (one call; the API's own is chosen later). */
export async function readEndpoints(ec2: EC2Client, region: string): Promise<EndpointFacts[]> {
  const list = await all(paginateDescribeVpcEndpoints({ client: ec2 }, { Filters: [{ Name: "service-name", Values: [executeApiServiceName(region)] }] }), (p) => p.VpcEndpoints);
  return list.map((e) => ({
    id: e.VpcEndpointId ?? "",
    vpcId: e.VpcId ?? "",
    state: (e.State ?? "unknown").toLowerCase(),
    ownerId: e.OwnerId,
    subnetIds: e.SubnetIds ?? [],
    securityGroupIds: (e.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
    networkInterfaceIds: e.NetworkInterfaceIds ?? [],
    dnsEntries: (e.DnsEntries ?? []).flatMap((d) => (d.DnsName ? [{ name: d.DnsName, hostedZoneId: d.HostedZoneId ?? "" }] : [])),
    policy: e.PolicyDocument,
  }));
}

/** The private addresses of the endpoint's network interfaces: what its DNS names resolve to. */
export async function readAddresses(ec2: EC2Client, interfaceIds: readonly string[]): Promise<string[]> {
  if (interfaceIds.length === 0) return [];
  const answer = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [...interfaceIds] }));
  return (answer.NetworkInterfaces ?? []).flatMap((n) => (n.PrivateIpAddress ? [n.PrivateIpAddress] : []));
}

/** Peering connections that either VPC requested (so, in any direction, every one between them). */
export async function readPeerings(ec2: EC2Client, vpcIds: readonly string[]): Promise<PeeringFacts[]> {
  const filters: Filter[] = [{ Name: "requester-vpc-info.vpc-id", Values: [...vpcIds] }];
  const list = await all(paginateDescribeVpcPeeringConnections({ client: ec2 }, { Filters: filters }), (p) => p.VpcPeeringConnections);
  const peer = (info: VpcPeeringConnectionVpcInfo | undefined): PeerVpc => ({
    vpcId: info?.VpcId ?? "",
    region: info?.Region,
    cidrs: (info?.CidrBlockSet ?? []).flatMap((c) => (c.CidrBlock ? [c.CidrBlock] : [])).concat(info?.CidrBlockSet?.length ? [] : info?.CidrBlock ? [info.CidrBlock] : []),
  });
  return list.map((p) => ({
    id: p.VpcPeeringConnectionId ?? "",
    status: p.Status?.Code ?? "unknown",
    message: p.Status?.Message,
    requester: peer(p.RequesterVpcInfo),
    accepter: peer(p.AccepterVpcInfo),
  }));
}
