// connect's reads beyond doctor's, against scripted SDK answers shaped as AWS gives them (pages, escaped
// policies, propagated routes, prefix lists, rules listed one by one).
import { APIGatewayClient, GetRestApisCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  DescribeManagedPrefixListsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { listEndpointChoices, listPrivateApis, listVpcFunctions, readOwnedStacks, readQuotaCounts, resolveClientNetwork } from "../../src/aws/connect-reads.js";
import { stackMissing, testClients } from "../helpers/aws-fixtures.js";

const ec2 = mockClient(EC2Client);
const gateway = mockClient(APIGatewayClient);
const lambda = mockClient(LambdaClient);
const cfn = mockClient(CloudFormationClient);
let clients: AwsClients;

beforeEach(() => {
  for (const m of [ec2, gateway, lambda, cfn]) m.reset();
  clients?.destroy();
  clients = testClients();
});
afterAll(() => clients?.destroy());

const POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [
  { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0aaa" } } },
  { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
] });

describe("listPrivateApis", () => {
  it("lists only PRIVATE APIs, across pages, each with its stages and its policy unescaped", async () => {
    gateway.on(GetRestApisCommand, { position: undefined }).resolves({ position: "p2", items: [
      { id: "aaaaaaaaa1", name: "orders", endpointConfiguration: { types: ["PRIVATE"], vpcEndpointIds: ["vpce-0aaa"] }, policy: POLICY.replace(/"/g, '\\"') },
      { id: "bbbbbbbbb2", name: "public", endpointConfiguration: { types: ["REGIONAL"] } },
    ] });
    gateway.on(GetRestApisCommand, { position: "p2" }).resolves({ items: [{ id: "ccccccccc3", name: "billing", endpointConfiguration: { types: ["PRIVATE"] } }] });
    gateway.on(GetStagesCommand, { restApiId: "aaaaaaaaa1" }).resolves({ item: [{ stageName: "prod", deploymentId: "d1" }, { stageName: "test", deploymentId: "d2" }] });
    gateway.on(GetStagesCommand, { restApiId: "ccccccccc3" }).resolves({ item: [] });
    const apis = await listPrivateApis(await clients.apiGateway("us-east-1"));
    expect(apis).toEqual([
      { id: "aaaaaaaaa1", name: "orders", vpcEndpointIds: ["vpce-0aaa"], policy: POLICY, stages: [{ name: "prod", deploymentId: "d1" }, { name: "test", deploymentId: "d2" }] },
      { id: "ccccccccc3", name: "billing", vpcEndpointIds: [], policy: undefined, stages: [] },
    ]);
    expect(gateway.commandCalls(GetStagesCommand)).toHaveLength(2);
  });
});

describe("listEndpointChoices", () => {
  it("marks each execute-api endpoint: named by the API, admitted by its policy for an unsigned call, private DNS", async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [
      { VpcEndpointId: "vpce-0aaa", VpcId: "vpc-0a", State: "available" as never, OwnerId: "123456789012", SubnetIds: ["subnet-1"], PrivateDnsEnabled: true },
      { VpcEndpointId: "vpce-0bbb", VpcId: "vpc-0a", State: "pendingAcceptance" as never, OwnerId: "123456789012", SubnetIds: ["subnet-2"], PrivateDnsEnabled: false },
    ] });
    const api = { id: "aaaaaaaaa1", name: "orders", vpcEndpointIds: ["vpce-0aaa"], policy: POLICY, stages: [] };
    const choices = await listEndpointChoices(clients.ec2("us-east-1"), "us-east-1", "aws", api);
    expect(choices).toEqual([
      { id: "vpce-0aaa", vpcId: "vpc-0a", state: "available", subnetIds: ["subnet-1"], privateDns: true, namedByApi: true, admittedByPolicy: true },
      { id: "vpce-0bbb", vpcId: "vpc-0a", state: "pendingacceptance", subnetIds: ["subnet-2"], privateDns: false, namedByApi: false, admittedByPolicy: false },
    ]);
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input.Filters).toEqual([{ Name: "service-name", Values: ["com.amazonaws.us-east-1.execute-api"] }]);
    expect((await listEndpointChoices(clients.ec2("us-east-1"), "us-east-1", "aws", { ...api, policy: undefined })).map((c) => c.admittedByPolicy)).toEqual([false, false]);
  });
});

describe("listVpcFunctions", () => {
  it("keeps the functions attached to a VPC", async () => {
    lambda.on(ListFunctionsCommand).resolves({ Functions: [
      { FunctionName: "in-vpc", FunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:in-vpc", VpcConfig: { VpcId: "vpc-0b", SubnetIds: ["subnet-b"], SecurityGroupIds: ["sg-b"] } },
      { FunctionName: "detached", FunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:detached", VpcConfig: { VpcId: "", SubnetIds: [], SecurityGroupIds: [] } },
      { FunctionName: "plain", FunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:plain" },
    ] });
    expect(await listVpcFunctions(clients, "eu-west-1")).toEqual([{ name: "in-vpc", arn: "arn:aws:lambda:eu-west-1:123456789012:function:in-vpc", vpcId: "vpc-0b", subnetIds: ["subnet-b"], securityGroupIds: ["sg-b"] }]);
  });
});

describe("resolveClientNetwork", () => {
  it("no subnets or groups named: every subnet of the VPC and its default group", async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: "subnet-1" }, { SubnetId: "subnet-2" }] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: "sg-default" }] });
    expect(await resolveClientNetwork(clients.ec2("eu-west-1"), "vpc-0b", [], [])).toEqual({ vpcId: "vpc-0b", subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-default"] });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([{ Name: "vpc-id", Values: ["vpc-0b"] }, { Name: "group-name", Values: ["default"] }]);
  });

  it("named ones are taken as they are, without a call", async () => {
    expect(await resolveClientNetwork(clients.ec2("eu-west-1"), "vpc-0b", ["subnet-9"], ["sg-9"])).toEqual({ vpcId: "vpc-0b", subnetIds: ["subnet-9"], securityGroupIds: ["sg-9"] });
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe("readQuotaCounts", () => {
  it("counts IPv4 non-propagated routes and rules per direction, prefix lists as their maximum entries, active peerings either way, the endpoint group's other interfaces", async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).callsFake(async (input: { Filters: { Name: string }[] }) => ({
      VpcPeeringConnections: input.Filters[1]!.Name.startsWith("requester") ? [{ VpcPeeringConnectionId: "pcx-1" }, { VpcPeeringConnectionId: "pcx-2" }] : [{ VpcPeeringConnectionId: "pcx-2" }, { VpcPeeringConnectionId: "pcx-3" }],
    }));
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: "rtb-1", Routes: [
      { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", Origin: "CreateRouteTable" },
      { DestinationCidrBlock: "10.9.0.0/16", VpcPeeringConnectionId: "pcx-1", Origin: "CreateRoute" },
      { DestinationCidrBlock: "192.168.0.0/16", GatewayId: "vgw-1", Origin: "EnableVgwRoutePropagation" },
      { DestinationIpv6CidrBlock: "::/0", GatewayId: "igw-1", Origin: "CreateRoute" },
      { DestinationPrefixListId: "pl-big", GatewayId: "tgw-1", Origin: "CreateRoute" },
    ] }] });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [
      { GroupId: "sg-1", IsEgress: false, CidrIpv4: "10.0.0.0/16" },
      { GroupId: "sg-1", IsEgress: false, PrefixListId: "pl-big" },
      { GroupId: "sg-1", IsEgress: false, CidrIpv6: "::/0" },
      { GroupId: "sg-1", IsEgress: true, CidrIpv4: "0.0.0.0/0" },
      { GroupId: "sg-1", IsEgress: true, ReferencedGroupInfo: { GroupId: "sg-2" } },
    ] });
    ec2.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [{ PrefixListId: "pl-big", MaxEntries: 20 }] });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [
      { NetworkInterfaceId: "eni-endpoint", Groups: [{ GroupId: "sg-1" }] },
      { NetworkInterfaceId: "eni-db", Groups: [{ GroupId: "sg-1" }, { GroupId: "sg-9" }] },
    ] });
    const counts = await readQuotaCounts(clients, { sides: [{ region: "us-east-1", vpcId: "vpc-0a", tableIds: ["rtb-1"], groupIds: ["sg-1"] }], endpoint: { region: "us-east-1", groupIds: ["sg-1"], interfaceIds: ["eni-endpoint"] } });
    expect(counts).toEqual({ peerings: { "vpc-0a": 3 }, routes: { "rtb-1": 22 }, rules: { "sg-1": { ingress: 21, egress: 2 } }, otherInterfaces: { "sg-1": 1 } });
    const filters = ec2.commandCalls(DescribeVpcPeeringConnectionsCommand).map((c) => c.args[0].input.Filters);
    expect(filters).toContainEqual([{ Name: "status-code", Values: ["active"] }, { Name: "accepter-vpc-info.vpc-id", Values: ["vpc-0a"] }]);
  });
});

describe("readOwnedStacks", () => {
  it("each of our stacks as it stands, or undefined when it does not exist", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "orders-connect-client" }).resolves({ Stacks: [{ StackName: "orders-connect-client", StackId: "id", StackStatus: "CREATE_COMPLETE", CreationTime: new Date(0), Parameters: [{ ParameterKey: "CreateZone", ParameterValue: "true" }], Outputs: [{ OutputKey: "PeeringConnectionId", OutputValue: "pcx-1" }] }] });
    cfn.on(DescribeStacksCommand, { StackName: "orders-connect-api-eu-west-1" }).rejects(stackMissing("orders-connect-api-eu-west-1"));
    const owned = await readOwnedStacks(clients, { client: { name: "orders-connect-client", region: "eu-west-1" }, api: { name: "orders-connect-api-eu-west-1", region: "us-east-1" } });
    expect(owned).toEqual({ client: { status: "CREATE_COMPLETE", parameters: { CreateZone: "true" }, outputs: { PeeringConnectionId: "pcx-1" } }, api: undefined });
  });
});
