// `status` lists the network interfaces the client function left behind, each with its removal command.
import { CloudFormationClient, DescribeStacksCommand, type StackStatus } from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { status } from "../../src/steps/status.js";
import { FakeClock } from "../helpers/cfn-timeline.js";
import { ec2Error, FakeFunctionNetwork, FUNCTION, lambdaInterface, VPC } from "../helpers/function-network-timeline.js";
import { recorder, stackMissing, testClients } from "../preflight/aws-fixtures.js";
import { systemClock } from "../../src/aws/clock.js";

const deployment = { name: "demo", apiRegion: "us-east-1", clientRegion: "eu-west-1" };
const cfn = mockClient(CloudFormationClient);

function clientStack(stackStatus: StackStatus) {
  cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves({
    Stacks: [{
      StackName: "demo-client", StackStatus: stackStatus, CreationTime: new Date("2026-11-24T09:00:00Z"),
      Outputs: [{ OutputKey: "VpcId", OutputValue: VPC }, { OutputKey: "FunctionName", OutputValue: FUNCTION }],
    }],
  });
}

describe("status: leftover Lambda network interfaces", () => {
  let clients: AwsClients;
  let net: FakeFunctionNetwork;
  beforeEach(() => {
    cfn.reset();
    clients = testClients();
    net = new FakeFunctionNetwork(new FakeClock());
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
  });
  afterEach(() => {
    net.restore();
    clients.destroy();
  });

  it("lists what a failed delete left, with the command for each, and nothing of anyone else's", async () => {
    clientStack("DELETE_FAILED");
    net.fn = undefined;
    const available = lambdaInterface(FUNCTION, VPC, { status: "available" });
    const held = lambdaInterface();
    net.interfaces = [available, held, lambdaInterface(`${FUNCTION}-2`, VPC, { status: "available" }), lambdaInterface(FUNCTION, "vpc-0ther0000000000")];
    const { events, emit } = recorder();
    await status({ clients, emit, clock: systemClock }, { deployment });

    const warning = events.find((e) => e.kind === "warning");
    expect(warning).toMatchObject({ stage: 2 });
    expect(warning?.kind === "warning" && warning.message.split("\n")).toEqual([
      `${FUNCTION} left 2 network interfaces in ${VPC} (demo-client, eu-west-1):`,
      `  ${available.id} available: aws ec2 delete-network-interface --region eu-west-1 --network-interface-id ${available.id}`,
      `  ${held.id} in-use: Lambda still holds it; teardown deletes demo-client once Lambda lets it go`,
    ]);
    expect(net.calls.every((c) => c.region === "eu-west-1")).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ kind: "info", stage: 2, message: `the function ${FUNCTION} no longer exists` }));
  });

  it("says nothing of the interfaces a deployed function works through", async () => {
    clientStack("CREATE_COMPLETE");
    net.interfaces = [lambdaInterface(), lambdaInterface()];
    const { events, emit } = recorder();
    await status({ clients, emit, clock: systemClock }, { deployment });
    expect(events.some((e) => e.kind === "warning")).toBe(false);
    expect(net.count("DescribeNetworkInterfaces")).toBe(1);
  });

  it("goes on, saying so, when it may not look", async () => {
    clientStack("DELETE_FAILED");
    net.failNext("DescribeNetworkInterfaces", ec2Error("UnauthorizedOperation", "You are not authorized to perform this operation."));
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: systemClock }, { deployment });
    expect(report.stacks.client).toMatchObject({ present: true, status: "DELETE_FAILED" });
    expect(events).toContainEqual(expect.objectContaining({ kind: "info", message: expect.stringMatching(/^Could not look for network interfaces demo-client left behind: UnauthorizedOperation/) }));
  });
});
