// A "half path" built call by call with the SDK, as hand-made-path.ts builds a whole one: an API side in region
// A (VPC with DNS attributes, a subnet, an execute-api endpoint with private DNS, a private API whose policy
// admits that endpoint for Principal "*", a stage) and a client side in region B (VPC, a subnet on its own
// route table, a function with its own group that lets HTTPS out only inside its VPC) that cannot reach each
// other: no peering, no routes between them, no private zone, no ingress rule for the client on the endpoint.
// Each variant changes it the way one of connect's refusals (or its reuse of a peering) needs, and undoes it.
// Also: what "every user resource exactly as before" means, read from both regions.
import {
  APIGatewayClient,
  GetRestApiCommand,
  GetStagesCommand,
  UpdateRestApiCommand,
} from "@aws-sdk/client-api-gateway";
import {
  AssociateRouteTableCommand,
  AssociateVpcCidrBlockCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteNetworkAclEntryCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { CreateHostedZoneCommand, DeleteHostedZoneCommand, ListHostedZonesByVPCCommand, ListResourceRecordSetsCommand, type VPCRegion } from "@aws-sdk/client-route-53";
import type { RefusalReason } from "../../src/steps/connect/types.js";
import { acceptedPeering, callerFunction, callerGroup, handMadeEndpoint, handMadeVpc, ordersApi } from "./hand-made-path.js";
import type { MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";

export const API_CIDR = "10.50.0.0/16";
export const CLIENT_CIDR = "10.60.0.0/16";

/** The half path's ids, as a test needs them. */
export interface HalfPathIds {
  readonly apiRegion: string;
  readonly clientRegion: string;
  readonly apiId: string;
  readonly apiVpcId: string;
  readonly endpointId: string;
  readonly endpointGroupId: string;
  readonly clientVpcId: string;
  readonly clientSubnetId: string;
  readonly clientTableId: string;
  readonly clientGroupId: string;
  readonly functionName: string;
  readonly hostname: string;
}

/** Builds the half path in A (the API) and B (the client). */
export async function buildHalfPath(moto: MotoServer, aws: MotoAws, A: string, B: string): Promise<HalfPathIds> {
  const ec2A = aws.ec2(A);
  const api = new APIGatewayClient(moto.clientConfig(A));
  try {
    // The emulated account's us-east-1a (use1-az3) offers no execute-api endpoint, as some real accounts' do not.
    const [sideA, client] = await Promise.all([handMadeVpc(ec2A, API_CIDR, "10.50.8.0/24", `${A}b`), buildClientSide(moto, aws, B, { cidr: CLIENT_CIDR, subnet: "10.60.4.0/24", functionName: "orders-caller" })]);

    const { endpoint, groupId: endpointGroupId } = await handMadeEndpoint(ec2A, A, sideA, "https from inside", API_CIDR);
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": endpoint.VpcEndpointId } } }],
    });
    const apiId = await ordersApi(api, policy);
    return {
      apiRegion: A, apiId, apiVpcId: sideA.vpcId, endpointId: endpoint.VpcEndpointId!, endpointGroupId, ...client,
      hostname: `${apiId}.execute-api.${A}.amazonaws.com`,
    };
  } finally {
    api.destroy();
  }
}

/** The client half of a half path: what a client region adds to HalfPathIds. */
export type ClientSideIds = Pick<HalfPathIds, "clientRegion" | "clientVpcId" | "clientSubnetId" | "clientTableId" | "clientGroupId" | "functionName">;

/**
 * A client side in region B (a VPC of `cidr` with DNS attributes, a subnet on its own route table, a function
 * with its own group that lets HTTPS out only inside its VPC): the half path's, or another client region's
 * against the same API side (connect with several client regions).
 */
export async function buildClientSide(moto: MotoServer, aws: MotoAws, B: string, made: { readonly cidr: string; readonly subnet: string; readonly functionName: string }): Promise<ClientSideIds> {
  const ec2B = aws.ec2(B);
  const iam = new IAMClient(moto.clientConfig(B));
  try {
    const sideB = await handMadeVpc(ec2B, made.cidr, made.subnet, `${B}b`);
    const clientTableId = (await ec2B.send(new CreateRouteTableCommand({ VpcId: sideB.vpcId }))).RouteTable!.RouteTableId!;
    await ec2B.send(new AssociateRouteTableCommand({ RouteTableId: clientTableId, SubnetId: sideB.subnetId }));
    const clientGroupId = await callerGroup(ec2B, sideB.vpcId, made.cidr, made.functionName);
    await callerFunction(aws, iam, B, sideB.subnetId, clientGroupId, made.functionName);
    return { clientRegion: B, clientVpcId: sideB.vpcId, clientSubnetId: sideB.subnetId, clientTableId, clientGroupId, functionName: made.functionName };
  } finally {
    iam.destroy();
  }
}

/** One change of the half path: made, and undone (the path exactly as before). */
export interface Variant {
  readonly name: string;
  /** The refusal connect must give on it; undefined: none (a peering it reuses). */
  readonly refusal: RefusalReason | undefined;
  /** Options it is connected with (--peering …). */
  readonly peering?: (ids: HalfPathIds, made: string | undefined) => "auto" | "new" | `pcx-${string}`;
  /** Makes the change; gives back what the undo needs (an id it made). */
  make(moto: MotoServer, aws: MotoAws, ids: HalfPathIds): Promise<{ id?: string; undo: () => Promise<void> }>;
}

async function peer(aws: MotoAws, ids: HalfPathIds, accept: boolean): Promise<string> {
  const pcx = (await aws.ec2(ids.clientRegion).send(new CreateVpcPeeringConnectionCommand({ VpcId: ids.clientVpcId, PeerVpcId: ids.apiVpcId, PeerRegion: ids.apiRegion }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  if (accept) await acceptedPeering(aws.ec2(ids.apiRegion), pcx);
  return pcx;
}

async function withApi<T>(moto: MotoServer, region: string, use: (api: APIGatewayClient) => Promise<T>): Promise<T> {
  const api = new APIGatewayClient(moto.clientConfig(region));
  try {
    return await use(api);
  } finally {
    api.destroy();
  }
}

async function withPolicy(moto: MotoServer, ids: HalfPathIds, policy: (original: string) => string): Promise<{ undo: () => Promise<void> }> {
  return withApi(moto, ids.apiRegion, async (api) => {
    const original = (await api.send(new GetRestApiCommand({ restApiId: ids.apiId }))).policy!.replace(/\\"/g, '"');
    const set = (text: string) => withApi(moto, ids.apiRegion, (a) => a.send(new UpdateRestApiCommand({ restApiId: ids.apiId, patchOperations: [{ op: "replace", path: "/policy", value: text }] })));
    await set(policy(original));
    return { undo: async () => void (await set(original)) };
  });
}

/** The variants of the half path, one per refusal of connect's, and one with a peering it reuses. */
export const VARIANTS: readonly Variant[] = [
  {
    name: "an active peering between the two VPCs already",
    refusal: undefined,
    async make(_moto, aws, ids) {
      const id = await peer(aws, ids, true);
      return { id, undo: async () => void (await aws.ec2(ids.clientRegion).send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }))) };
    },
  },
  {
    name: "overlapping ranges (a secondary block of the client VPC inside the API VPC's)",
    refusal: "overlap",
    async make(_moto, aws, ids) {
      const ec2 = aws.ec2(ids.clientRegion);
      const association = (await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: ids.clientVpcId, CidrBlock: "10.50.128.0/20" }))).CidrBlockAssociation!.AssociationId!;
      return { undo: async () => void (await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: association }))) };
    },
  },
  {
    name: "a client route for the endpoint's addresses to another VPC's peering",
    refusal: "route-elsewhere",
    async make(_moto, aws, ids) {
      const ec2 = aws.ec2(ids.clientRegion);
      const third = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16" }))).Vpc!.VpcId!;
      const pcx = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: ids.clientVpcId, PeerVpcId: third }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
      await acceptedPeering(ec2, pcx);
      await ec2.send(new CreateRouteCommand({ RouteTableId: ids.clientTableId, DestinationCidrBlock: "10.50.0.0/16", VpcPeeringConnectionId: pcx }));
      return {
        undo: async () => {
          await ec2.send(new DeleteRouteCommand({ RouteTableId: ids.clientTableId, DestinationCidrBlock: "10.50.0.0/16" }));
          await ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
        },
      };
    },
  },
  {
    name: "DNS hostnames off in the client VPC",
    refusal: "dns-off",
    async make(_moto, aws, ids) {
      const ec2 = aws.ec2(ids.clientRegion);
      await ec2.send(new ModifyVpcAttributeCommand({ VpcId: ids.clientVpcId, EnableDnsHostnames: { Value: false } }));
      return { undo: async () => void (await ec2.send(new ModifyVpcAttributeCommand({ VpcId: ids.clientVpcId, EnableDnsHostnames: { Value: true } }))) };
    },
  },
  {
    name: "a private zone of the API hostname's name on the client VPC already, without its record",
    refusal: "zone-exists",
    async make(_moto, aws, ids) {
      const zone = (await aws.route53.send(new CreateHostedZoneCommand({
        Name: ids.hostname, CallerReference: `user-zone-${Date.now()}`, VPC: { VPCId: ids.clientVpcId, VPCRegion: ids.clientRegion as VPCRegion }, HostedZoneConfig: { PrivateZone: true },
      }))).HostedZone!.Id!;
      return { undo: async () => void (await aws.route53.send(new DeleteHostedZoneCommand({ Id: zone }))) };
    },
  },
  {
    name: "an endpoint policy that admits only another VPC's callers",
    refusal: "endpoint-policy",
    async make(_moto, aws, ids) {
      const ec2 = aws.ec2(ids.apiRegion);
      const original = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ids.endpointId] }))).VpcEndpoints![0]!.PolicyDocument!;
      const only = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*", Condition: { StringEquals: { "aws:SourceVpc": "vpc-0fffffffffffffff0" } } }] });
      await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ids.endpointId, PolicyDocument: only }));
      return { undo: async () => void (await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ids.endpointId, PolicyDocument: original }))) };
    },
  },
  {
    name: "a network ACL of the client subnet that denies HTTPS to the API VPC",
    refusal: "nacl",
    async make(_moto, aws, ids) {
      const ec2 = aws.ec2(ids.clientRegion);
      const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [ids.clientVpcId] }, { Name: "default", Values: ["true"] }] }))).NetworkAcls![0]!.NetworkAclId!;
      await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 50, Protocol: "6", RuleAction: "deny", Egress: true, CidrBlock: API_CIDR, PortRange: { From: 443, To: 443 } }));
      return { undo: async () => void (await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 50, Egress: true }))) };
    },
  },
  {
    name: "an API policy that denies calls from the endpoint's VPC",
    refusal: "api-policy",
    make: (moto, _aws, ids) => withPolicy(moto, ids, (original) => {
      const doc = JSON.parse(original) as { Statement: unknown[] };
      doc.Statement.push({ Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpc": "vpc-0fffffffffffffff0" } } });
      return JSON.stringify(doc);
    }),
  },
  {
    name: "the endpoint's group at AWS's 60 inbound rules already",
    refusal: "quota",
    async make(_moto, aws, ids) {
      const ec2 = aws.ec2(ids.apiRegion);
      const ranges = Array.from({ length: 59 }, (_, i) => ({ CidrIp: `172.16.${i}.0/24` }));
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: ids.endpointGroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: ranges }] }));
      return { undo: async () => void (await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: ids.endpointGroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: ranges }] }))) };
    },
  },
  {
    name: "a private API whose policy names no endpoint of the region",
    refusal: "no-endpoint",
    make: (moto, _aws, ids) => withPolicy(moto, ids, (original) => original.replace(ids.endpointId, "vpce-0fffffffffffffff0")),
  },
  {
    name: "--peering new while an active peering joins the two VPCs",
    refusal: "peering-exists",
    peering: () => "new",
    async make(_moto, aws, ids) {
      const id = await peer(aws, ids, true);
      return { id, undo: async () => void (await aws.ec2(ids.clientRegion).send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }))) };
    },
  },
  {
    name: "a peering between the two VPCs still pending acceptance",
    refusal: "peering-pending",
    async make(_moto, aws, ids) {
      const id = await peer(aws, ids, false);
      return { id, undo: async () => void (await aws.ec2(ids.clientRegion).send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }))) };
    },
  },
  {
    name: "--peering naming a peering of the client VPC with another VPC",
    refusal: "peering-mismatch",
    peering: (_ids, made) => made as `pcx-${string}`,
    async make(_moto, aws, ids) {
      const ec2 = aws.ec2(ids.clientRegion);
      const third = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.91.0.0/16" }))).Vpc!.VpcId!;
      const id = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: ids.clientVpcId, PeerVpcId: third }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
      await acceptedPeering(ec2, id);
      return { id, undo: async () => void (await ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }))) };
    },
  },
];

/**
 * Every user resource connect could touch, as both regions describe it: the two VPCs (ranges, DNS attributes),
 * their route tables (routes, associations), the rules of their security groups (with their ids: a rule taken
 * away and put back would have another), their network ACLs and network interfaces, the peerings of the client VPC, the private zones
 * on the client VPC and their records, the endpoint (state, policy, groups), the API (policy, endpoint
 * configuration) and its stages' deployments, and the function's network.
 */
export async function userResources(moto: MotoServer, aws: MotoAws, ids: HalfPathIds): Promise<unknown> {
  const side = async (region: string, vpcId: string) => {
    const ec2 = aws.ec2(region);
    const byVpc = [{ Name: "vpc-id", Values: [vpcId] }];
    const [vpcs, support, hostnames, tables, rules, acls, interfaces] = await Promise.all([
      ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })),
      ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsSupport" })),
      ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" })),
      ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc })),
      ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: await groupsOf(ec2, vpcId) }] })),
      ec2.send(new DescribeNetworkAclsCommand({ Filters: byVpc })),
      ec2.send(new DescribeNetworkInterfacesCommand({ Filters: byVpc })),
    ]);
    return {
      // A block taken away stays listed a while as "disassociated": only the VPC's ranges count.
      cidrs: (vpcs.Vpcs![0]!.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === "associated").map((a) => `${a.CidrBlock} ${a.AssociationId}`),
      dns: [support.EnableDnsSupport?.Value, hostnames.EnableDnsHostnames?.Value],
      tables: (tables.RouteTables ?? []).map((t) => ({
        id: t.RouteTableId,
        routes: (t.Routes ?? []).map((r) => `${r.DestinationCidrBlock} → ${r.GatewayId ?? r.VpcPeeringConnectionId ?? r.NetworkInterfaceId} ${r.State}`).sort(),
        associations: (t.Associations ?? []).map((a) => `${a.SubnetId ?? "main"} ${a.RouteTableAssociationId}`).sort(),
      })).sort((a, b) => String(a.id).localeCompare(String(b.id))),
      rules: (rules.SecurityGroupRules ?? []).map((r) => `${r.GroupId} ${r.SecurityGroupRuleId} ${r.IsEgress ? "out" : "in"} ${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIpv4 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId}`).sort(),
      acls: (acls.NetworkAcls ?? []).map((a) => ({ id: a.NetworkAclId, entries: (a.Entries ?? []).map((e) => `${e.Egress ? "out" : "in"} ${e.RuleNumber} ${e.RuleAction} ${e.Protocol} ${e.CidrBlock} ${e.PortRange?.From ?? ""}-${e.PortRange?.To ?? ""}`).sort() })),
      interfaces: (interfaces.NetworkInterfaces ?? []).map((n) => `${n.NetworkInterfaceId} ${n.Status} ${(n.Groups ?? []).map((g) => g.GroupId).join(",")}`).sort(),
    };
  };
  const zones = (await aws.route53.send(new ListHostedZonesByVPCCommand({ VPCId: ids.clientVpcId, VPCRegion: ids.clientRegion as VPCRegion }))).HostedZoneSummaries ?? [];
  const [api, client, peerings, endpoint, rest, fn, records] = await Promise.all([
    side(ids.apiRegion, ids.apiVpcId),
    side(ids.clientRegion, ids.clientVpcId),
    aws.ec2(ids.clientRegion).send(new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: "requester-vpc-info.vpc-id", Values: [ids.clientVpcId] }] })),
    aws.ec2(ids.apiRegion).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ids.endpointId] })),
    withApi(moto, ids.apiRegion, async (a) => {
      const [got, stages] = await Promise.all([a.send(new GetRestApiCommand({ restApiId: ids.apiId })), a.send(new GetStagesCommand({ restApiId: ids.apiId }))]);
      return { policy: got.policy, endpointConfiguration: got.endpointConfiguration, stages: (stages.item ?? []).map((s) => `${s.stageName} ${s.deploymentId}`) };
    }),
    aws.lambda(ids.clientRegion).send(new GetFunctionConfigurationCommand({ FunctionName: ids.functionName })),
    Promise.all(zones.map(async (z) => ({ id: z.HostedZoneId, name: z.Name, records: (await aws.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: z.HostedZoneId }))).ResourceRecordSets }))),
  ]);
  const e = endpoint.VpcEndpoints![0]!;
  return {
    api,
    client,
    // A deleted peering stays listed a while as "deleted" (Amazon VPC Peering Guide, "VPC peering connection lifecycle").
    peerings: (peerings.VpcPeeringConnections ?? []).filter((p) => p.Status?.Code !== "deleted").map((p) => `${p.VpcPeeringConnectionId} ${p.Status?.Code}`).sort(),
    endpoint: { state: e.State, policy: e.PolicyDocument, groups: e.Groups, subnets: e.SubnetIds, privateDns: e.PrivateDnsEnabled },
    rest,
    function: { state: fn.State, vpc: fn.VpcConfig },
    zones: records,
  };
}

async function groupsOf(ec2: EC2Client, vpcId: string): Promise<string[]> {
  const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  return (groups.SecurityGroups ?? []).map((g) => g.GroupId!);
}
