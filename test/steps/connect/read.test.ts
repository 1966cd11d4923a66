// connect's reads put together: doctor's snapshot by function or by network, our stacks by their names,
// and the quota counts of exactly the route tables and groups connect may add to.
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetResourcesCommand, GetRestApiCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import { DescribeManagedPrefixListsCommand, DescribeNetworkInterfacesCommand, DescribeRouteTablesCommand, DescribeSecurityGroupRulesCommand, DescribeVpcEndpointsCommand, DescribeVpcPeeringConnectionsCommand } from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { readOnce } from "../../../src/aws/read-once.js";
import { readConnectFacts } from "../../../src/steps/connect/read.js";
import type { ConnectOptions } from "../../../src/steps/connect/types.js";
import { stackMissing, testClients } from "../../helpers/aws-fixtures.js";
import { A, API_ID, B, half, scriptHalf } from "../../helpers/connect-snapshots.js";
import { mocks } from "../../helpers/path-fixtures.js";

const cfn = mockClient(CloudFormationClient);
let clients: AwsClients;
beforeEach(() => {
  cfn.reset();
  clients?.destroy();
  clients = testClients();
  scriptHalf(half());
  cfn.on(DescribeStacksCommand).callsFake(async (input: { StackName: string }) => {
    if (input.StackName !== "orders-connect-client") throw stackMissing(input.StackName);
    return { Stacks: [{ StackName: input.StackName, StackId: "id", StackStatus: "UPDATE_COMPLETE", CreationTime: new Date(0), Parameters: [{ ParameterKey: "Probe", ParameterValue: "true" }], Outputs: [] }] };
  });
  mocks.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [{ GroupId: "sg-0fn", IsEgress: true, CidrIpv4: "10.20.0.0/16" }] });
  mocks.ec2.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [] });
});
afterAll(() => clients?.destroy());

const OPTIONS: ConnectOptions = { name: "orders", apiRegion: A, apiId: API_ID, stage: undefined, endpointId: undefined, clientRegion: B, client: { kind: "function", name: "demo-client" }, peering: "auto", probe: true };

describe("readConnectFacts", () => {
  it("reads the path by the function, our stacks by name, and counts where connect may add", async () => {
    const facts = await readConnectFacts(clients, OPTIONS);
    expect(facts.snapshot.fn.ok && facts.snapshot.fn.value.name).toBe("demo-client");
    expect(facts.owned).toEqual({ client: { status: "UPDATE_COMPLETE", parameters: { Probe: "true" }, outputs: {} }, api: undefined });
    expect(cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.StackName).sort()).toEqual(["orders-connect-api-eu-west-1", "orders-connect-client"]);
    const tables = mocks.ec2.commandCalls(DescribeRouteTablesCommand).flatMap((c) => c.args[0].input.RouteTableIds ?? []);
    expect(tables.sort()).toEqual(["rtb-0api", "rtb-0client"]);
    expect(facts.counts.rules["sg-0fn"]).toEqual({ ingress: 0, egress: 1 });
    expect(Object.keys(facts.counts.peerings).sort()).toEqual(["vpc-0a", "vpc-0b"]);
    expect(mocks.ec2.commandCalls(DescribeVpcPeeringConnectionsCommand).length).toBeGreaterThanOrEqual(4);
    expect(mocks.ec2.commandCalls(DescribeNetworkInterfacesCommand).some((c) => JSON.stringify(c.args[0].input.Filters) === JSON.stringify([{ Name: "group-id", Values: ["sg-0vpce"] }]))).toBe(true);
  });

  it("a network client is judged by the subnets and groups given", async () => {
    const facts = await readConnectFacts(clients, { ...OPTIONS, client: { kind: "network", vpcId: "vpc-0b", subnetIds: ["subnet-0b2"], securityGroupIds: ["sg-0other"] } });
    expect(facts.snapshot.fn).toMatchObject({ ok: true, value: { name: "client network in vpc-0b", vpcId: "vpc-0b", subnetIds: ["subnet-0b2"], securityGroupIds: ["sg-0other"] } });
    expect(mocks.lambda.calls()).toHaveLength(0);
  });
});

describe("readConnectFacts for several client regions", () => {
  it("reads the API side once for every region that shares a memo, and each client side for itself", async () => {
    const once = readOnce();
    // Two client sides (here in one region: the half path's mocks answer B) against the one API.
    const [first, second] = await Promise.all([readConnectFacts(clients, OPTIONS, once), readConnectFacts(clients, { ...OPTIONS, name: "billing" }, once)]);
    expect(first!.snapshot.api).toEqual(second!.snapshot.api);
    expect(mocks.apigw.commandCalls(GetRestApiCommand)).toHaveLength(1);
    expect(mocks.apigw.commandCalls(GetStagesCommand)).toHaveLength(1);
    expect(mocks.apigw.commandCalls(GetResourcesCommand)).toHaveLength(1);
    expect(mocks.ec2.commandCalls(DescribeVpcEndpointsCommand)).toHaveLength(1);
    expect(mocks.ec2.commandCalls(DescribeNetworkInterfacesCommand).filter((c) => (JSON.stringify(c.args[0].input.Filters) ?? "").includes("sg-0vpce"))).toHaveLength(1);
    expect(mocks.ec2.commandCalls(DescribeRouteTablesCommand).flatMap((c) => c.args[0].input.RouteTableIds ?? []).filter((t) => t === "rtb-0api")).toHaveLength(1);
    expect(mocks.lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(2);
    // Without a memo, each reader reads the API side itself.
    await Promise.all([readConnectFacts(clients, OPTIONS), readConnectFacts(clients, { ...OPTIONS, name: "billing" })]);
    expect(mocks.apigw.commandCalls(GetRestApiCommand)).toHaveLength(3);
  });
});
