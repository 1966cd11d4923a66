// SDK answers for an intact path, shaped as AWS returns them (ids, states, DnsEntries, the API's policy
// as escaped JSON text), scripted with aws-sdk-client-mock; each test breaks one answer.
import { APIGatewayClient, GetResourcesCommand, GetRestApiCommand, GetStagesCommand, NotFoundException } from "@aws-sdk/client-api-gateway";
import {
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type NetworkAcl,
  type RouteTable,
} from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ListHostedZonesByVPCCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";

export const A = "us-east-1";
export const B = "eu-west-1";
export const API_ID = "a1b2c3d4e5";
export const VPCE = "vpce-0a1b2c3d4e5f60718";
export const PCX = "pcx-0123456789abcdef0";
const HOST = `${API_ID}.execute-api.${A}.amazonaws.com`;
const VPCE_NAME = `${VPCE}-k2x9q7ra.execute-api.${A}.vpce.amazonaws.com`;

export const mocks = { ec2: mockClient(EC2Client), lambda: mockClient(LambdaClient), apigw: mockClient(APIGatewayClient), route53: mockClient(Route53Client) };

const region = async (client: { config: { region: () => Promise<string> } }) => client.config.region();

export function acl(id: string, vpcId: string, subnets: string[], extra: NetworkAcl["Entries"] = []): NetworkAcl {
  const all = (egress: boolean, rule: number, action: "allow" | "deny") => ({ CidrBlock: "0.0.0.0/0", Egress: egress, Protocol: "-1", RuleAction: action, RuleNumber: rule });
  return { NetworkAclId: id, VpcId: vpcId, IsDefault: true, Associations: subnets.map((s) => ({ SubnetId: s, NetworkAclId: id })), Entries: [...extra, all(true, 100, "allow"), all(true, 32767, "deny"), all(false, 100, "allow"), all(false, 32767, "deny")] };
}

export interface Answers {
  clientTables: RouteTable[];
  apiTables: RouteTable[];
  clientAcls: NetworkAcl[];
  peeringStatus: string;
  policy: string | undefined;
  functionMissing: boolean;
  /** The GET /hello method's authorizationType, as GetResources?embed=methods answers it. */
  authorization: string;
  /** The endpoint's policy document, as DescribeVpcEndpoints answers it. */
  endpointPolicy: string;
  /** The API VPC's network ACLs (the endpoint's subnets' among them). */
  apiAcls: NetworkAcl[];
}

/**
 * Our template's resource policy as GetRestApi answers it (escaped once more, as apiPolicy makes it), with the
 * template's execute-api:/* rewritten to the API's own ARN (go-to-k/cdk-real-drift#676, a live answer);
 * "short" keeps execute-api:/* as written, as moto and LocalStack echo it.
 */
export function templatePolicy(resource: "expanded" | "short"): string {
  const target = resource === "expanded" ? `arn:aws:execute-api:${A}:123456789012:${API_ID}/*` : "execute-api:/*";
  return apiPolicy(
    { Sid: "DenyUnlessThroughOurEndpoint", Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: target, Condition: { StringNotEquals: { "aws:SourceVpce": VPCE } } },
    { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: target },
  );
}

export function intact(): Answers {
  return {
    clientTables: [
      { RouteTableId: "rtb-0main", Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: "10.20.0.0/16", GatewayId: "local", State: "active" }] },
      { RouteTableId: "rtb-0client", Associations: [{ Main: false, SubnetId: "subnet-0b1", AssociationState: { State: "associated" } }, { Main: false, SubnetId: "subnet-0b2", AssociationState: { State: "associated" } }], Routes: [{ DestinationCidrBlock: "10.20.0.0/16", GatewayId: "local", State: "active" }, { DestinationCidrBlock: "10.10.0.0/16", VpcPeeringConnectionId: PCX, State: "active" }] },
    ],
    apiTables: [{ RouteTableId: "rtb-0api", Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: "10.10.0.0/16", GatewayId: "local", State: "active" }, { DestinationCidrBlock: "10.20.0.0/16", VpcPeeringConnectionId: PCX, State: "active" }] }],
    clientAcls: [acl("acl-0b", "vpc-0b", ["subnet-0b1", "subnet-0b2"])],
    peeringStatus: "active",
    policy: templatePolicy("expanded"),
    functionMissing: false,
    authorization: "NONE",
    endpointPolicy: '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}',
    apiAcls: [acl("acl-0a", "vpc-0a", ["subnet-0a1", "subnet-0a2"])],
  };
}

/** A policy document as API Gateway answers it: JSON text with its quotes escaped once more. */
export function apiPolicy(...statements: readonly object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements }).replace(/"/g, '\\"');
}

/** Scripts every read; answers depend on the client's region, as they would in AWS. */
export function script(a: Answers): void {
  for (const m of Object.values(mocks)) m.reset();
  const byRegion = <T>(client: unknown, answers: { [r: string]: T }) => region(client as never).then((r) => answers[r] as T);
  mocks.lambda.on(GetFunctionConfigurationCommand).callsFake(async () => {
    if (a.functionMissing) throw Object.assign(new Error("Function not found: arn:aws:lambda:eu-west-1:123456789012:function:demo-client"), { name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
    return { FunctionName: "demo-client", FunctionArn: `arn:aws:lambda:${B}:123456789012:function:demo-client`, State: "Active", LastUpdateStatus: "Successful", Role: "arn:aws:iam::123456789012:role/demo-client", VpcConfig: { VpcId: "vpc-0b", SubnetIds: ["subnet-0b1", "subnet-0b2"], SecurityGroupIds: ["sg-0fn"] } };
  });
  mocks.apigw.on(GetRestApiCommand).resolves({ id: API_ID, name: "demo-private-api", endpointConfiguration: { types: ["PRIVATE"] }, policy: a.policy });
  mocks.apigw.on(GetStagesCommand).resolves({ item: [{ stageName: "v1", deploymentId: "dep123" }] });
  mocks.apigw.on(GetResourcesCommand).resolves({ items: [{ id: "r0", path: "/" }, { id: "r1", path: "/hello", resourceMethods: { GET: { httpMethod: "GET", authorizationType: a.authorization, apiKeyRequired: false } } }] });
  mocks.route53.on(ListHostedZonesByVPCCommand).resolves({ HostedZoneSummaries: [{ HostedZoneId: "Z0ZONE", Name: `${HOST}.`, Owner: { OwningAccount: "123456789012" } }] });
  mocks.route53.on(ListResourceRecordSetsCommand).resolves({ IsTruncated: false, ResourceRecordSets: [{ Name: `${HOST}.`, Type: "A", AliasTarget: { DNSName: `${VPCE_NAME}.`, HostedZoneId: "Z7HUB22UULQXV", EvaluateTargetHealth: false } }, { Name: `${HOST}.`, Type: "SOA", TTL: 900, ResourceRecords: [{ Value: "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" }] }] });
  mocks.ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [{ VpcEndpointId: VPCE, VpcEndpointType: "Interface", VpcId: "vpc-0a", State: "available" as never, // the wire's lower case; the SDK's enum spells it "Available"
      OwnerId: "123456789012", SubnetIds: ["subnet-0a1", "subnet-0a2"], Groups: [{ GroupId: "sg-0vpce", GroupName: "endpoint" }], NetworkInterfaceIds: ["eni-0a1", "eni-0a2"], DnsEntries: [{ DnsName: VPCE_NAME, HostedZoneId: "Z7HUB22UULQXV" }], PolicyDocument: a.endpointPolicy }] });
  mocks.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [{ PrivateIpAddress: "10.10.0.37" }, { PrivateIpAddress: "10.10.1.142" }] });
  mocks.ec2.on(DescribeVpcsCommand).callsFake(async (_input, getClient) => byRegion(getClient(), {
    [A]: { Vpcs: [{ VpcId: "vpc-0a", CidrBlock: "10.10.0.0/16" }] },
    [B]: { Vpcs: [{ VpcId: "vpc-0b", CidrBlock: "10.20.0.0/16" }] },
  }));
  mocks.ec2.on(DescribeVpcAttributeCommand).callsFake(async (input: { Attribute: string; VpcId: string }) =>
    input.Attribute === "enableDnsSupport" ? { VpcId: input.VpcId, EnableDnsSupport: { Value: true } } : { VpcId: input.VpcId, EnableDnsHostnames: { Value: true } });
  mocks.ec2.on(DescribeSubnetsCommand).callsFake(async (_input, getClient) => byRegion(getClient(), {
    [A]: { Subnets: [{ SubnetId: "subnet-0a1", CidrBlock: "10.10.0.0/24" }, { SubnetId: "subnet-0a2", CidrBlock: "10.10.1.0/24" }] },
    [B]: { Subnets: [{ SubnetId: "subnet-0b1", CidrBlock: "10.20.0.0/24" }, { SubnetId: "subnet-0b2", CidrBlock: "10.20.1.0/24" }] },
  }));
  mocks.ec2.on(DescribeRouteTablesCommand).callsFake(async (_input, getClient) => byRegion(getClient(), { [A]: { RouteTables: a.apiTables }, [B]: { RouteTables: a.clientTables } }));
  const https = (cidr: string) => [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] }];
  mocks.ec2.on(DescribeSecurityGroupsCommand).callsFake(async (_input, getClient) => byRegion(getClient(), {
    [A]: { SecurityGroups: [{ GroupId: "sg-0vpce", IpPermissions: https("10.20.0.0/16"), IpPermissionsEgress: [] }] },
    [B]: { SecurityGroups: [{ GroupId: "sg-0fn", IpPermissions: [], IpPermissionsEgress: https("10.10.0.0/16") }] },
  }));
  mocks.ec2.on(DescribeNetworkAclsCommand).callsFake(async (_input, getClient) => byRegion(getClient(), {
    [A]: { NetworkAcls: a.apiAcls },
    [B]: { NetworkAcls: a.clientAcls },
  }));
  mocks.ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({ VpcPeeringConnections: [{
    VpcPeeringConnectionId: PCX, Status: { Code: a.peeringStatus as never, Message: a.peeringStatus },
    RequesterVpcInfo: { VpcId: "vpc-0b", Region: B, CidrBlock: "10.20.0.0/16", OwnerId: "123456789012" },
    AccepterVpcInfo: { VpcId: "vpc-0a", Region: A, CidrBlock: "10.10.0.0/16", OwnerId: "123456789012" },
  }] });
}

export { NotFoundException };
