import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand, type Stack, type StackStatus } from "@aws-sdk/client-cloudformation";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { systemClock } from "../../src/aws/clock.js";
import { status } from "../../src/steps/status.js";
import { recorder, stackMissing, testClients } from "../helpers/aws-fixtures.js";
import { FakeClock } from "../helpers/cfn-timeline.js";
import { accessDenied, active, functionConfiguration } from "../helpers/function-configurations.js";
import { ec2Error } from "../helpers/aws-fixtures.js";
import { FakeFunctionNetwork, FUNCTION, GROUP, lambdaInterface, VPC } from "../helpers/function-network-timeline.js";

const deployment = { name: "demo", apiRegion: "us-east-1", clients: [{ region: "eu-west-1" }] };
const cfn = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);

function stack(name: string, status: StackStatus, extra: Partial<Stack> = {}) {
  return { Stacks: [{ StackName: name, StackStatus: status, CreationTime: new Date("2026-11-24T09:00:00Z"), ...extra }] };
}

describe("status", () => {
  let clients: AwsClients;
  beforeEach(() => {
    cfn.reset();
    lambda.reset();
    lambda.on(GetFunctionConfigurationCommand).resolves(functionConfiguration(active));
    clients = testClients();
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [] });
  });
  afterEach(() => clients.destroy());

  it("shows each stack's state, last change and outputs, and calls the deployment deployed when all three are ready", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-api" }).resolves(
      stack("demo-api", "UPDATE_COMPLETE", {
        LastUpdatedTime: new Date("2026-11-25T08:30:00Z"),
        Outputs: [
          { OutputKey: "ApiId", OutputValue: "a1b2c3d4e5" },
          { OutputKey: "VpcId", OutputValue: "vpc-0api" },
        ],
      }),
    );
    cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves(
      stack("demo-client", "CREATE_COMPLETE", { Outputs: [{ OutputKey: "FunctionName", OutputValue: "demo-client" }] }),
    );
    cfn.on(DescribeStacksCommand, { StackName: "demo-routes" }).resolves(stack("demo-routes", "CREATE_COMPLETE"));
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: { ...systemClock, now: () => 0 } }, { deployment, lastVerify: { ok: true, at: "2026-11-25T08:40:00Z" } });

    expect(report.deployed).toBe(true);
    expect(report.stacks.api).toMatchObject({ present: true, status: "UPDATE_COMPLETE", lastChange: "2026-11-25T08:30:00.000Z" });
    expect(report.stacks.clients[0]?.client).toMatchObject({ outputs: { FunctionName: "demo-client" }, lastChange: "2026-11-24T09:00:00.000Z" });
    expect(events.map((e) => (e.kind === "info" ? e.message : e.kind === "stack-state" ? [e.stage, e.status, e.summary, e.outputs] : e.kind))).toEqual([
      [1, "UPDATE_COMPLETE", "demo-api (us-east-1): UPDATE_COMPLETE, last change 2026-11-25T08:30:00.000Z", { ApiId: "a1b2c3d4e5", VpcId: "vpc-0api" }],
      [2, "CREATE_COMPLETE", "demo-client (eu-west-1): CREATE_COMPLETE, last change 2026-11-24T09:00:00.000Z", { FunctionName: "demo-client" }],
      [3, "CREATE_COMPLETE", "demo-routes (us-east-1): CREATE_COMPLETE, last change 2026-11-24T09:00:00.000Z", {}],
      "function-state",
      "verification last passed at 2026-11-25T08:40:00Z",
    ]);
  });

  it("asks each region only for its own stacks", async () => {
    await status({ clients, emit: () => {}, clock: systemClock }, { deployment });
    const asked = await Promise.all(
      cfn.commandCalls(DescribeStacksCommand).map(async (c) => [
        (c.args[0].input as { StackName: string }).StackName,
        await (c.thisValue as CloudFormationClient).config.region(),
      ]),
    );
    // The routes stack is looked for under both its names (the first client region's, and the region-suffixed one).
    expect(asked.sort()).toEqual([
      ["demo-api", "us-east-1"],
      ["demo-client", "eu-west-1"],
      ["demo-routes", "us-east-1"],
      ["demo-routes-eu-west-1", "us-east-1"],
    ]);
  });

  it("reports absent stacks as not deployed, without failing", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-api" }).resolves(stack("demo-api", "CREATE_COMPLETE"));
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: systemClock }, { deployment });

    expect(report.deployed).toBe(false);
    expect(report.stacks.clients[0]?.client).toMatchObject({ present: false, ref: { stackName: "demo-client", region: "eu-west-1", stage: 2 } });
    expect(events.map((e) => (e.kind === "info" ? e.message : e.kind === "stack-state" ? [e.status, e.summary] : e.kind))).toEqual([
      ["CREATE_COMPLETE", "demo-api (us-east-1): CREATE_COMPLETE, last change 2026-11-24T09:00:00.000Z"],
      [null, "demo-client (eu-west-1): not deployed"],
      [null, "demo-routes (us-east-1): not deployed"],
      "not verified yet",
    ]);
  });

  it("does not report a verification of a deployment that no longer exists", async () => {
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: systemClock }, { deployment, lastVerify: { ok: true, at: "2026-11-25T08:40:00Z" } });
    expect([report.deployed, report.absent, report.lastVerify]).toEqual([false, true, undefined]);
    expect(events.at(-1)).toMatchObject({ kind: "info", message: "nothing deployed, so nothing to verify" });
    expect(events.some((e) => e.kind === "info" && e.message.includes("last passed"))).toBe(false);
  });

  it("shows why a stack is in a failed state and does not count it as deployed", async () => {
    for (const name of ["demo-api", "demo-client", "demo-routes"]) {
      cfn.on(DescribeStacksCommand, { StackName: name }).resolves(stack(name, "CREATE_COMPLETE"));
    }
    cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves(
      stack("demo-client", "ROLLBACK_COMPLETE", { StackStatusReason: "The following resource(s) failed to create: [Peering]." }),
    );
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: systemClock }, { deployment, lastVerify: { ok: false, at: "2026-11-24T10:00:00Z" } });

    expect(report.deployed).toBe(false);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: "stack-state", status: "ROLLBACK_COMPLETE", summary: expect.stringContaining("ROLLBACK_COMPLETE, last change 2026-11-24T09:00:00.000Z — The following resource(s) failed to create: [Peering].") }),
    );
    expect(events.at(-1)).toMatchObject({ kind: "info", message: "verification last failed at 2026-11-24T10:00:00Z" });
  });

  it("reads the client function's state in the client region and reports it with Lambda's reason", async () => {
    for (const name of ["demo-api", "demo-routes"]) cfn.on(DescribeStacksCommand, { StackName: name }).resolves(stack(name, "CREATE_COMPLETE"));
    cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves(
      stack("demo-client", "CREATE_COMPLETE", { Outputs: [{ OutputKey: "FunctionName", OutputValue: "demo-client" }] }),
    );
    lambda.on(GetFunctionConfigurationCommand).resolves(
      functionConfiguration({ State: "Inactive", StateReasonCode: "Idle", StateReason: "The function is inactive because it has been idle.", LastUpdateStatus: "Successful" }),
    );
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: { ...systemClock, now: () => 7 } }, { deployment });

    const call = lambda.commandCalls(GetFunctionConfigurationCommand)[0];
    expect(call?.args[0].input).toEqual({ FunctionName: "demo-client" });
    expect(await (call?.thisValue as LambdaClient).config.region()).toBe("eu-west-1");
    expect(report.functions["eu-west-1"]).toMatchObject({ state: "Inactive", stateReasonCode: "Idle", lastUpdateStatus: "Successful" });
    expect(events.find((e) => e.kind === "function-state")).toEqual({
      kind: "function-state",
      function: {
        functionName: "demo-client",
        region: "eu-west-1",
        state: "Inactive",
        stateReason: "The function is inactive because it has been idle.",
        stateReasonCode: "Idle",
        lastUpdateStatus: "Successful",
        lastUpdateStatusReason: undefined,
        lastUpdateStatusReasonCode: undefined,
      },
      ready: false,
      region: "eu-west-1",
      at: 7,
    });
    // The stacks are complete, so the deployment is; the function's state is shown beside it.
    expect(report.deployed).toBe(true);
  });

  it("calls an Active function with a Successful last update ready", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves(
      stack("demo-client", "CREATE_COMPLETE", { Outputs: [{ OutputKey: "FunctionName", OutputValue: "demo-client" }] }),
    );
    const { events, emit } = recorder();
    await status({ clients, emit, clock: systemClock }, { deployment });
    expect(events.find((e) => e.kind === "function-state")).toMatchObject({ ready: true, function: { state: "Active", lastUpdateStatus: "Successful" } });
  });

  it("asks Lambda nothing when the client stack names no function", async () => {
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: systemClock }, { deployment });
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
    expect(report.functions["eu-west-1"]).toBeUndefined();
    expect(events.some((e) => e.kind === "function-state")).toBe(false);
  });

  it("warns, and still reports the stacks, when the function's state cannot be read", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves(
      stack("demo-client", "CREATE_COMPLETE", { Outputs: [{ OutputKey: "FunctionName", OutputValue: "demo-client" }] }),
    );
    lambda.on(GetFunctionConfigurationCommand).rejects(accessDenied("lambda:GetFunctionConfiguration"));
    const { events, emit } = recorder();
    const report = await status({ clients, emit, clock: systemClock }, { deployment });

    expect(report.functions["eu-west-1"]).toBeUndefined();
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: "warning",
        stage: 2,
        message: expect.stringMatching(/^could not read the state of the function demo-client: AccessDeniedException: User: .* is not authorized to perform: lambda:GetFunctionConfiguration/),
      }),
    );
    expect(events.filter((e) => e.kind === "stack-state")).toHaveLength(3);
  });

  it("lets errors other than a missing stack through", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-api" }).rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
    await expect(status({ clients, emit: () => {}, clock: systemClock }, { deployment })).rejects.toThrow("Rate exceeded");
  });
});

// `status` lists the network interfaces the client function left behind, each with its removal command.

function clientStack(stackStatus: StackStatus) {
  cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves({
    Stacks: [{
      StackName: "demo-client", StackStatus: stackStatus, CreationTime: new Date("2026-11-24T09:00:00Z"),
      Outputs: [{ OutputKey: "VpcId", OutputValue: VPC }, { OutputKey: "FunctionName", OutputValue: FUNCTION }],
    }],
  });
  // The stack's resources name its VPC and the function's own group, which find Lambda's interfaces.
  const resource = (LogicalResourceId: string, ResourceType: string, PhysicalResourceId: string) =>
    ({ LogicalResourceId, ResourceType, PhysicalResourceId, ResourceStatus: "CREATE_COMPLETE" as const, Timestamp: new Date("2026-11-24T09:00:00Z") });
  cfn.on(DescribeStackResourcesCommand, { StackName: "demo-client" }).resolves({
    StackResources: [
      resource("Vpc", "AWS::EC2::VPC", VPC),
      resource("FunctionSecurityGroup", "AWS::EC2::SecurityGroup", GROUP),
      resource("ClientFunction", "AWS::Lambda::Function", FUNCTION),
    ],
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
    const available = lambdaInterface({ status: "available", interfaceType: "interface" });
    const held = lambdaInterface();
    net.interfaces = [
      available,
      held,
      lambdaInterface({ function: `${FUNCTION}-2`, groupId: "sg-0other", status: "available", interfaceType: "interface" }),
      lambdaInterface({ vpcId: "vpc-0ther0000000000", groupId: "sg-0other", status: "available" }),
    ];
    const { events, emit } = recorder();
    await status({ clients, emit, clock: systemClock }, { deployment });

    const warning = events.find((e) => e.kind === "warning");
    expect(warning).toMatchObject({ stage: 2 });
    expect(warning?.kind === "warning" && warning.message.split("\n")).toEqual([
      `${FUNCTION} left 2 network interfaces in ${VPC} (demo-client, eu-west-1):`,
      `  ${available.id} available: aws ec2 delete-network-interface --region eu-west-1 --network-interface-id ${available.id}`,
      `  ${held.id} in-use: Lambda still holds it; once it is available, teardown deletes it and demo-client`,
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
    expect(report.stacks.clients[0]?.client).toMatchObject({ present: true, status: "DELETE_FAILED" });
    expect(events).toContainEqual(expect.objectContaining({ kind: "info", message: expect.stringMatching(/^Could not look for network interfaces the client function left behind: UnauthorizedOperation/) }));
  });
});
