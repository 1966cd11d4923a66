// status of a connection: its two stacks, and each addition its stacks' parameters name looked for on the
// user's resource it hangs off — a route the owner's IaC removed is "gone", and the connection is then not
// fully connected; our zone and our peering are checked too, a reused peering is not ours to report on.
import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeRouteTablesCommand, DescribeSecurityGroupRulesCommand, DescribeVpcPeeringConnectionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { systemClock } from "../../../src/aws/clock.js";
import { lookupConnection } from "../../../src/steps/connect/locate.js";
import { connectionStatus } from "../../../src/steps/connect/status.js";
import type { CarrierState } from "../../../src/steps/events.js";
import { recorder, stackMissing, testClients } from "../../helpers/aws-fixtures.js";
import { active, functionConfiguration } from "../../helpers/function-configurations.js";

const connection = { name: "orders", apiRegion: "us-east-1", clientRegion: "eu-west-1" };
const PCX = "pcx-0123456789abcdef0";
const cfn = mockClient(CloudFormationClient);
const ec2 = mockClient(EC2Client);
const lambda = mockClient(LambdaClient);
const route53 = mockClient(Route53Client);

const params = (values: Record<string, string>) => Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
const outputs = (values: Record<string, string>) => Object.entries(values).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
const tagged = [{ Key: "xregion-private-api:deployment", Value: "orders" }, { Key: "xregion-private-api:connection", Value: "true" }];

function ours(reusedPeering = "") {
  cfn.on(DescribeStacksCommand, { StackName: "orders-connect-client" }).resolves({
    Stacks: [{
      StackName: "orders-connect-client", StackStatus: "CREATE_COMPLETE", CreationTime: new Date("2026-11-24T09:00:00Z"), Tags: tagged,
      Parameters: params({ ClientVpcId: "vpc-0b", PeeringConnectionId: reusedPeering, ClientRoute1Table: "rtb-0b", ClientRoute1Destination: "10.50.8.0/24", ClientEgress1Group: "sg-0fn", ClientEgress1Cidr: "10.50.8.0/24" }),
      Outputs: outputs({ PeeringConnectionId: reusedPeering || PCX, HostedZoneId: "Z0123456789ZONE", FunctionName: "orders-probe" }),
    }],
  });
  cfn.on(DescribeStacksCommand, { StackName: "orders-connect-api-eu-west-1" }).resolves({
    Stacks: [{
      StackName: "orders-connect-api-eu-west-1", StackStatus: "CREATE_COMPLETE", CreationTime: new Date("2026-11-24T09:01:00Z"), Tags: tagged,
      Parameters: params({ PeeringConnectionId: reusedPeering || PCX, ReturnRoute1Table: "rtb-0a", ReturnRoute1Destination: "10.60.4.0/24", EndpointIngress1Group: "sg-0vpce", EndpointIngress1Cidr: "10.60.4.0/24" }),
    }],
  });
}

const rule = (GroupId: string, IsEgress: boolean, CidrIpv4: string) => ({ GroupId, IsEgress, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIpv4 });

describe("status of a connection", () => {
  let clients: AwsClients;
  beforeEach(() => {
    for (const m of [cfn, ec2, lambda, route53]) m.reset();
    clients = testClients();
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [] });
    lambda.on(GetFunctionConfigurationCommand).resolves(functionConfiguration(active));
    ec2.on(DescribeRouteTablesCommand).callsFake(async (input: { RouteTableIds: string[] }) => ({
      RouteTables: input.RouteTableIds.map((id) => ({
        RouteTableId: id,
        Routes: id === "rtb-0b" ? [{ DestinationCidrBlock: "10.50.8.0/24", VpcPeeringConnectionId: PCX, State: "active" }] : [{ DestinationCidrBlock: "10.60.4.0/24", VpcPeeringConnectionId: PCX, State: "active" }],
      })),
    }));
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [rule("sg-0fn", true, "10.50.8.0/24"), rule("sg-0vpce", false, "10.60.4.0/24")] });
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({ VpcPeeringConnections: [{ VpcPeeringConnectionId: PCX, Status: { Code: "active" } }] });
    route53.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: "Z0123456789ZONE", Name: "x.", CallerReference: "r" }, VPCs: [{ VPCId: "vpc-0b", VPCRegion: "eu-west-1" }] });
  });
  afterEach(() => clients.destroy());

  async function run() {
    const stacks = await lookupConnection(clients, connection);
    const { events, emit } = recorder();
    const report = await connectionStatus({ clients, emit, clock: { ...systemClock, now: () => 0 } }, { connection, stacks: stacks! });
    const carriers = events.find((e) => e.kind === "connect-additions") as { carriers: CarrierState[] } | undefined;
    return { report, events, carriers: carriers?.carriers ?? [] };
  }

  it("finds each addition on the resource it hangs off, and calls the connection connected", async () => {
    ours();
    const { report, events, carriers } = await run();
    expect(report).toEqual({ connected: true, absent: false });
    expect(events.find((e) => e.kind === "connect-additions")).toMatchObject({ region: connection.clientRegion });
    expect(carriers).toEqual([
      { id: "vpc-0b", region: "eu-west-1", kind: "VPC", additions: [{ text: `peering connection ${PCX} (ours)`, present: true }, { text: "private zone Z0123456789ZONE associated", present: true }] },
      { id: "rtb-0b", region: "eu-west-1", kind: "route table", additions: [{ text: `route 10.50.8.0/24 → ${PCX}`, present: true }] },
      { id: "sg-0fn", region: "eu-west-1", kind: "security group", additions: [{ text: "egress TCP 443 → 10.50.8.0/24", present: true }] },
      { id: "rtb-0a", region: "us-east-1", kind: "route table", additions: [{ text: `route 10.60.4.0/24 → ${PCX}`, present: true }] },
      { id: "sg-0vpce", region: "us-east-1", kind: "security group", additions: [{ text: "ingress TCP 443 ← 10.60.4.0/24", present: true }] },
    ]);
    expect(events.filter((e) => e.kind === "stack-state").map((e) => e.kind === "stack-state" && [e.stage, e.key, e.status])).toEqual([[1, "connect-client", "CREATE_COMPLETE"], [2, "connect-api", "CREATE_COMPLETE"]]);
    expect(events.some((e) => e.kind === "function-state")).toBe(true);
  });

  it("says which addition is gone (the owner's IaC removed a rule it manages inline), and the connection is not fully connected", async () => {
    ours();
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [rule("sg-0fn", true, "10.50.8.0/24")] });
    const { report, carriers } = await run();
    expect(report).toEqual({ connected: false, absent: false });
    expect(carriers.find((c) => c.id === "sg-0vpce")!.additions).toEqual([{ text: "ingress TCP 443 ← 10.60.4.0/24", present: false }]);
  });

  it("does not report on a reused peering (not ours), and finds no connection where no stack is tagged as one", async () => {
    ours("pcx-0fedcba9876543210");
    const { carriers } = await run();
    expect(carriers.find((c) => c.id === "vpc-0b")!.additions.map((a) => a.text)).toEqual(["private zone Z0123456789ZONE associated"]);
    cfn.reset();
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
    expect(await lookupConnection(clients, connection)).toBeUndefined();
  });
});
