// Doctor's snapshots of a "half path" for connect's planner: path-fixtures.ts's intact path (same ids,
// ranges and SDK answer shapes, read through readPathSnapshot) with what connect adds taken away — no
// peering, no routes between the VPCs, no private zone, the function's group letting HTTPS out only to its
// own VPC and the endpoint's group admitting only its own VPC. Each knob puts one piece back or breaks one.
import { GetResourcesCommand, GetRestApiCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import {
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type IpPermission,
  type NetworkAcl,
  type RouteTable,
  type VpcPeeringConnection,
} from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { ListHostedZonesByVPCCommand, ListResourceRecordSetsCommand, type HostedZoneSummary, type ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { AwsClients } from "../../src/aws/clients.js";
import type { PathSnapshot } from "../../src/aws/path-facts.js";
import { readPathSnapshot, type PathQuery } from "../../src/aws/path-snapshot.js";
import { A, acl, API_ID, B, intact, mocks, script, VPCE } from "./path-fixtures.js";

export { A, acl, API_ID, B, PCX, VPCE } from "./path-fixtures.js";
export const HOST = `${API_ID}.execute-api.${A}.amazonaws.com`;
export const VPCE_NAME = `${VPCE}-k2x9q7ra.execute-api.${A}.vpce.amazonaws.com`;

const ACCOUNT = "123456789012";
const https = (cidr: string): IpPermission => ({ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] });
const local = (cidr: string) => ({ DestinationCidrBlock: cidr, GatewayId: "local", State: "active" as const });

/** Every answer of the half path that a case may change. */
export interface HalfPath {
  clientCidr: string;
  clientSubnets: { id: string; cidr: string; zoneId?: string }[];
  /** The function's subnets (its VpcConfig). */
  functionSubnets: string[];
  clientTables: RouteTable[];
  apiTables: RouteTable[];
  clientAcls: NetworkAcl[];
  apiAcls: NetworkAcl[];
  peerings: VpcPeeringConnection[];
  zones: HostedZoneSummary[];
  records: ResourceRecordSet[];
  dnsSupport: boolean;
  dnsHostnames: boolean;
  /** Rules of the function's group sg-0fn (and of sg-0other, a second group of the client VPC). */
  clientEgress: IpPermission[];
  otherEgress: IpPermission[];
  endpointIngress: IpPermission[];
  endpointPolicy: string;
  /** The endpoints of region A (the API's own, VPCE, by default). */
  endpoints: string[];
  /** The API's policy as API Gateway answers it (escaped JSON text), or undefined. */
  policy: string | undefined;
  stages: string[];
  /** The API's resources and their methods. */
  methods: { path: string; methods: string[] }[];
  functionMissing: boolean;
}

export function half(): HalfPath {
  const base = intact();
  return {
    clientCidr: "10.20.0.0/16",
    clientSubnets: [{ id: "subnet-0b1", cidr: "10.20.0.0/24" }, { id: "subnet-0b2", cidr: "10.20.1.0/24" }],
    functionSubnets: ["subnet-0b1", "subnet-0b2"],
    clientTables: [
      { RouteTableId: "rtb-0main", Associations: [{ Main: true }], Routes: [local("10.20.0.0/16")] },
      { RouteTableId: "rtb-0client", Associations: [{ Main: false, SubnetId: "subnet-0b1", AssociationState: { State: "associated" } }, { Main: false, SubnetId: "subnet-0b2", AssociationState: { State: "associated" } }], Routes: [local("10.20.0.0/16")] },
    ],
    apiTables: [{ RouteTableId: "rtb-0api", Associations: [{ Main: true }], Routes: [local("10.10.0.0/16")] }],
    clientAcls: [acl("acl-0b", "vpc-0b", ["subnet-0b1", "subnet-0b2"])],
    apiAcls: [acl("acl-0a", "vpc-0a", ["subnet-0a1", "subnet-0a2"])],
    peerings: [],
    zones: [],
    records: [],
    dnsSupport: true,
    dnsHostnames: true,
    clientEgress: [https("10.20.0.0/16")],
    otherEgress: [],
    endpointIngress: [https("10.10.0.0/16")],
    endpointPolicy: '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}',
    endpoints: [VPCE],
    policy: base.policy,
    stages: ["v1"],
    methods: [{ path: "/", methods: [] }, { path: "/hello", methods: ["GET"] }],
    functionMissing: false,
  };
}

/** An active (or other status) peering between the two VPCs, as EC2 describes it. */
export function peering(id: string, status = "active"): VpcPeeringConnection {
  return {
    VpcPeeringConnectionId: id,
    Status: { Code: status as never, Message: status },
    RequesterVpcInfo: { VpcId: "vpc-0b", Region: B, CidrBlock: "10.20.0.0/16", OwnerId: ACCOUNT },
    AccepterVpcInfo: { VpcId: "vpc-0a", Region: A, CidrBlock: "10.10.0.0/16", OwnerId: ACCOUNT },
  };
}

export { https, local };

/** Scripts every read of the half path (path-fixtures' script, then the half path's own answers). */
export function scriptHalf(h: HalfPath): void {
  const base = intact();
  script({ ...base, clientTables: h.clientTables, apiTables: h.apiTables, clientAcls: h.clientAcls, policy: h.policy, functionMissing: h.functionMissing });
  const byRegion = async <T>(client: unknown, answers: Record<string, T>) => answers[await (client as { config: { region: () => Promise<string> } }).config.region()] as T;
  mocks.lambda.on(GetFunctionConfigurationCommand).callsFake(async () => {
    if (h.functionMissing) throw Object.assign(new Error(`Function not found: arn:aws:lambda:${B}:${ACCOUNT}:function:demo-client`), { name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
    return { FunctionName: "demo-client", FunctionArn: `arn:aws:lambda:${B}:${ACCOUNT}:function:demo-client`, State: "Active", LastUpdateStatus: "Successful", Role: `arn:aws:iam::${ACCOUNT}:role/demo-client`, VpcConfig: { VpcId: "vpc-0b", SubnetIds: h.functionSubnets, SecurityGroupIds: ["sg-0fn"] } };
  });
  mocks.apigw.on(GetRestApiCommand).resolves({ id: API_ID, name: "demo-private-api", endpointConfiguration: { types: ["PRIVATE"] }, policy: h.policy });
  mocks.apigw.on(GetStagesCommand).resolves({ item: h.stages.map((stageName, i) => ({ stageName, deploymentId: `dep${i}` })) });
  mocks.apigw.on(GetResourcesCommand).resolves({ items: h.methods.map((r, i) => ({ id: `r${i}`, path: r.path, resourceMethods: Object.fromEntries(r.methods.map((m) => [m, {}])) })) });
  mocks.route53.on(ListHostedZonesByVPCCommand).resolves({ HostedZoneSummaries: h.zones });
  mocks.route53.on(ListResourceRecordSetsCommand).resolves({ IsTruncated: false, ResourceRecordSets: h.records });
  mocks.ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({ VpcPeeringConnections: h.peerings });
  mocks.ec2.on(DescribeVpcsCommand).callsFake(async (_input, getClient) => byRegion(getClient(), {
    [A]: { Vpcs: [{ VpcId: "vpc-0a", CidrBlock: "10.10.0.0/16" }] },
    [B]: { Vpcs: [{ VpcId: "vpc-0b", CidrBlock: h.clientCidr }] },
  }));
  mocks.ec2.on(DescribeVpcAttributeCommand).callsFake(async (input: { Attribute: string; VpcId: string }) =>
    input.Attribute === "enableDnsSupport"
      ? { VpcId: input.VpcId, EnableDnsSupport: { Value: input.VpcId !== "vpc-0b" || h.dnsSupport } }
      : { VpcId: input.VpcId, EnableDnsHostnames: { Value: input.VpcId !== "vpc-0b" || h.dnsHostnames } });
  mocks.ec2.on(DescribeSubnetsCommand).callsFake(async (_input, getClient) => byRegion(getClient(), {
    [A]: { Subnets: [{ SubnetId: "subnet-0a1", CidrBlock: "10.10.0.0/24" }, { SubnetId: "subnet-0a2", CidrBlock: "10.10.1.0/24" }] },
    [B]: { Subnets: h.clientSubnets.map((s) => ({ SubnetId: s.id, CidrBlock: s.cidr, ...(s.zoneId ? { AvailabilityZoneId: s.zoneId } : {}) })) },
  }));
  mocks.ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: { GroupIds?: string[] }, getClient) => {
    const all = await byRegion(getClient(), {
      [A]: [{ GroupId: "sg-0vpce", IpPermissions: h.endpointIngress, IpPermissionsEgress: [] }],
      [B]: [{ GroupId: "sg-0fn", IpPermissions: [], IpPermissionsEgress: h.clientEgress }, { GroupId: "sg-0other", IpPermissions: [], IpPermissionsEgress: h.otherEgress }],
    });
    return { SecurityGroups: all.filter((g) => !input.GroupIds || input.GroupIds.includes(g.GroupId)) };
  });
  mocks.ec2.on(DescribeNetworkAclsCommand).callsFake(async (_input, getClient) => byRegion(getClient(), { [A]: { NetworkAcls: h.apiAcls }, [B]: { NetworkAcls: h.clientAcls } }));
  mocks.ec2.on(DescribeVpcEndpointsCommand).resolves({
    VpcEndpoints: h.endpoints.map((id, i) => ({
      VpcEndpointId: id, VpcEndpointType: "Interface", VpcId: "vpc-0a", State: "available" as never, OwnerId: ACCOUNT, SubnetIds: ["subnet-0a1", "subnet-0a2"],
      Groups: [{ GroupId: "sg-0vpce", GroupName: "endpoint" }], NetworkInterfaceIds: i === 0 ? ["eni-0a1", "eni-0a2"] : [`eni-${i}`],
      DnsEntries: [{ DnsName: id === VPCE ? VPCE_NAME : `${id}-x.execute-api.${A}.vpce.amazonaws.com`, HostedZoneId: "Z7HUB22UULQXV" }], PolicyDocument: h.endpointPolicy,
    })),
  });
}

/** The query connect reads the half path with: by function, stage v1 unless told. */
export const FUNCTION_QUERY = { clientRegion: B, apiRegion: A, functionName: "demo-client", apiId: API_ID } as const satisfies PathQuery;

/** Doctor's snapshot of the half path as changed by `change`. */
export async function halfSnapshot(clients: AwsClients, change: (h: HalfPath) => void = () => {}, query: PathQuery = FUNCTION_QUERY): Promise<PathSnapshot> {
  const h = half();
  change(h);
  scriptHalf(h);
  return readPathSnapshot(clients, query);
}
