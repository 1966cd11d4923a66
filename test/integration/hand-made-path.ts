// A cross-region private API path built call by call with the SDK, the way people build it by hand from
// the consoles — other names, other ranges, none of our templates: the client subnet on the VPC's main
// route table, a CNAME (not an alias) to the endpoint, a stage named prod, a function named by hand. Its pieces
// (a VPC, the endpoint, the API, the caller's group and function, an accepted peering) build connect's half path
// too (connect-fixtures.ts).
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from "@aws-sdk/client-api-gateway";
import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeRouteTablesCommand,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  type EC2Client,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from "@aws-sdk/client-lambda";
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, type VPCRegion } from "@aws-sdk/client-route-53";
import { until, type MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";

export interface HandMadePath {
  readonly functionName: string;
  readonly apiId: string;
  readonly clientVpcId: string;
  readonly clientSecurityGroupId: string;
  readonly apiMainRouteTableId: string;
}

// An empty zip archive (its end-of-central-directory record alone): moto stores the code, never runs it.
const EMPTY_ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);

/** A VPC with DNS support and hostnames, one subnet in the zone, and the VPC's main route table. */
export async function handMadeVpc(ec2: EC2Client, cidr: string, subnetCidr: string, zone: string): Promise<{ vpcId: string; subnetId: string; mainTable: string }> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnetCidr, AvailabilityZone: zone }))).Subnet!.SubnetId!;
  const tables = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  return { vpcId, subnetId, mainTable: tables.RouteTables![0]!.RouteTableId! };
}

/** An execute-api endpoint with private DNS in the subnet, behind a group "vpce-https" that admits HTTPS from one range. */
export async function handMadeEndpoint(ec2: EC2Client, region: string, side: { vpcId: string; subnetId: string }, description: string, admitted: string): Promise<{ endpoint: VpcEndpoint; groupId: string }> {
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "vpce-https", Description: description, VpcId: side.vpcId }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: admitted }] }] }));
  const endpoint = (await ec2.send(new CreateVpcEndpointCommand({
    VpcEndpointType: "Interface", VpcId: side.vpcId, ServiceName: `com.amazonaws.${region}.execute-api`,
    SubnetIds: [side.subnetId], SecurityGroupIds: [groupId], PrivateDnsEnabled: true,
  }))).VpcEndpoint!;
  return { endpoint, groupId };
}

/** A private API "orders-internal" under the policy: GET /orders answered by a MOCK integration, deployed to stage prod. */
export async function ordersApi(api: APIGatewayClient, policy: string): Promise<string> {
  const apiId = (await api.send(new CreateRestApiCommand({ name: "orders-internal", endpointConfiguration: { types: ["PRIVATE"] }, policy }))).id!;
  const root = (await api.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === "/")!.id!;
  const orders = (await api.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: "orders" }))).id!;
  await api.send(new PutMethodCommand({ restApiId: apiId, resourceId: orders, httpMethod: "GET", authorizationType: "NONE" }));
  await api.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: orders, httpMethod: "GET", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }));
  await api.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "prod" }));
  return apiId;
}

/** The caller's group, named for it: the default allow-all egress taken away, HTTPS out to one range only. */
export async function callerGroup(ec2: EC2Client, vpcId: string, httpsTo: string, name = "orders-caller"): Promise<string> {
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: "calls the API", VpcId: vpcId }))).GroupId!;
  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
  await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: httpsTo }] }] }));
  return groupId;
}

/** The caller: a role Lambda may assume (IAM is global: named for the function) and the VPC function in the subnet and group, once Active. */
export async function callerFunction(aws: MotoAws, iam: IAMClient, region: string, subnetId: string, groupId: string, functionName = "orders-caller"): Promise<string> {
  const role = (await iam.send(new CreateRoleCommand({ RoleName: `${functionName}-role`, AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) }))).Role!.Arn!;
  await aws.lambda(region).send(new CreateFunctionCommand({
    FunctionName: functionName, Runtime: "nodejs22.x", Handler: "index.handler", Role: role, Code: { ZipFile: EMPTY_ZIP },
    VpcConfig: { SubnetIds: [subnetId], SecurityGroupIds: [groupId] },
  }));
  // A new VPC function is Pending until Lambda has its network ready (the launcher models it, as AWS).
  await waitUntilFunctionActiveV2({ client: aws.lambda(region), maxWaitTime: 30, minDelay: 1 }, { FunctionName: functionName });
  return functionName;
}

/** Accepts the peering, then waits out its provisioning (the launcher models it, as AWS): active once the launcher says so. */
export async function acceptedPeering(ec2: EC2Client, pcx: string): Promise<void> {
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
  const read = async () => (await ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }))).VpcPeeringConnections?.[0]?.Status?.Code;
  await until(`${pcx} active`, read, (code) => code === "active");
}

export async function buildHandMadePath(moto: MotoServer, aws: MotoAws, A: string, B: string): Promise<HandMadePath> {
  const ec2A = aws.ec2(A);
  const ec2B = aws.ec2(B);
  const api = new APIGatewayClient(moto.clientConfig(A));
  const iam = new IAMClient(moto.clientConfig(A));
  try {
    // The emulated account's us-east-1a (use1-az3) offers no execute-api endpoint, as some real accounts' do not.
    const [sideA, sideB] = await Promise.all([handMadeVpc(ec2A, "10.50.0.0/16", "10.50.8.0/24", `${A}b`), handMadeVpc(ec2B, "10.60.0.0/16", "10.60.4.0/24", `${B}b`)]);
    const { endpoint } = await handMadeEndpoint(ec2A, A, sideA, "https from B", "10.60.0.0/16");
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "execute-api:Invoke", Resource: `arn:aws:execute-api:${A}:*:*/prod/*`, Condition: { StringEquals: { "aws:SourceVpce": endpoint.VpcEndpointId } } }],
    });
    const apiId = await ordersApi(api, policy);
    const clientSg = await callerGroup(ec2B, sideB.vpcId, "10.50.0.0/16");
    const functionName = await callerFunction(aws, iam, B, sideB.subnetId, clientSg);

    const pcx = (await ec2B.send(new CreateVpcPeeringConnectionCommand({ VpcId: sideB.vpcId, PeerVpcId: sideA.vpcId, PeerRegion: A }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await acceptedPeering(ec2A, pcx);
    await ec2B.send(new CreateRouteCommand({ RouteTableId: sideB.mainTable, DestinationCidrBlock: "10.50.0.0/16", VpcPeeringConnectionId: pcx }));
    await ec2A.send(new CreateRouteCommand({ RouteTableId: sideA.mainTable, DestinationCidrBlock: "10.60.0.0/16", VpcPeeringConnectionId: pcx }));

    const hostname = `${apiId}.execute-api.${A}.amazonaws.com`;
    const zone = (await aws.route53.send(new CreateHostedZoneCommand({
      Name: `execute-api.${A}.amazonaws.com`, CallerReference: `hand-made-${apiId}`, VPC: { VPCId: sideB.vpcId, VPCRegion: B as VPCRegion }, HostedZoneConfig: { PrivateZone: true },
    }))).HostedZone!.Id!;
    await aws.route53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone,
      ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: hostname, Type: "CNAME", TTL: 300, ResourceRecords: [{ Value: endpoint.DnsEntries![0]!.DnsName! }] } }] },
    }));
    return { functionName, apiId, clientVpcId: sideB.vpcId, clientSecurityGroupId: clientSg, apiMainRouteTableId: sideA.mainTable };
  } finally {
    api.destroy();
    iam.destroy();
  }
}
