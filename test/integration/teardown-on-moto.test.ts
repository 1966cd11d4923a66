// Teardown against the launcher's model of Lambda's network interfaces as real accounts show them
// (patches/lambda_interfaces.py) and of stack deletes (patches/cfn_deletes.py), with AWS's durations at
// 1:240 here (Lambda lets go of a function's interfaces 4 minutes after it left the VPC: 1 s; it deletes
// them after 30: 7.5 s). CloudFormation waits only for a function it deletes in its VPC; after a detach
// nothing waits, and a subnet or group an interface still holds fails the delete (DELETE_FAILED). Our
// teardown detaches the function, waits for the interfaces and deletes them itself; a deploy after a
// teardown stopped past the detach puts the function back in its VPC.
import { performance } from "node:perf_hooks";
import { DeleteStackCommand, DescribeStackEventsCommand } from "@aws-sdk/client-cloudformation";
import {
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DescribeNetworkInterfacesCommand,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { CreateFunctionCommand, GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { ciEnv, type NodeRun, runNode, tempDir } from "../helpers/cli.js";
import { clientAnswer } from "../helpers/payloads.js";
import { describeStack, motoRecorder, outputsOf, recordedRequests, type MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1";
const B = "eu-west-1";
const SCALE = 240;
const LETS_GO_MS = (4 * 60_000) / SCALE;
const REAPED_MS = (30 * 60_000) / SCALE;
const ANSWER = JSON.stringify(clientAnswer({ url: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/hello" }));
const ZIP = Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64");

const suite = motoSuite([A, B], { timeScale: SCALE });
let moto: MotoServer;
let aws: MotoAws;
let cli: MotoSuite["cli"];
beforeAll(() => ({ moto, aws, cli } = suite));

// Runs the CLI; with `interrupt`, sends it SIGINT (Ctrl-C) as soon as its output matches.
function run(args: readonly string[], interrupt?: RegExp): Promise<NodeRun> {
  return runNode([cli.path, ...args], { cwd: tempDir("xregion-teardown-moto-"), env: ciEnv(moto.env()), timeoutMs: 90_000, interrupt });
}

const flags = (name: string) => ["--name", name, "--api-region", A, "--client-region", B];
const shown = (result: NodeRun) => result.stdout + result.stderr;

async function deploy(name: string): Promise<NodeRun> {
  await moto.queueLambdaResults(B, [ANSWER]);
  const result = await run(["deploy", "--yes", "--samples", "1", ...flags(name)]);
  expect(result.code, shown(result)).toBe(0);
  return result;
}

async function interfaces(filters: { Name: string; Values: string[] }[]): Promise<NetworkInterface[]> {
  return (await aws.ec2(B).send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces ?? [];
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, limitMs = 20_000): Promise<T> {
  const end = performance.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value) || performance.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function deleteStackAndWait(region: string, stack: string): Promise<string> {
  await aws.cfn(region).send(new DeleteStackCommand({ StackName: stack }));
  const settled = await until(() => describeStack(aws.cfn(region), stack), (s) => s === undefined || !s.StackStatus?.endsWith("_IN_PROGRESS"));
  return settled?.StackStatus ?? "DELETE_COMPLETE";
}

describe("the model of Lambda's network interfaces", () => {
  it("shows them as real accounts do, lets them go minutes after a detach, and then CloudFormation does not wait: DELETE_FAILED, which teardown finishes", async () => {
    await deploy("model");
    const client = outputsOf(await describeStack(aws.cfn(B), "model-client"));
    const enis = await interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }]);
    expect(enis).toHaveLength(2);
    for (const eni of enis) {
      expect(eni).toMatchObject({ RequesterManaged: false, InterfaceType: "lambda", Status: "in-use", Description: "AWS Lambda VPC ENI-model-client" });
      expect(eni.RequesterId).toMatch(/^AROA[A-Z0-9]{17}:awslambda_\d{3}_\d{17}$/);
    }
    expect(new Set(enis.map((e) => e.SubnetId)).size).toBe(2);
    expect((await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: "model-client" }))).VpcConfig?.VpcId).toBe(client.VpcId);
    await expect(aws.ec2(B).send(new DeleteSubnetCommand({ SubnetId: enis[0]!.SubnetId! }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `The subnet '${enis[0]!.SubnetId}' has dependencies and cannot be deleted.`,
    });

    // A detach by hand: the interfaces stay in use for Lambda's minutes, then turn available, typed interface.
    await aws.lambda(B).send(new UpdateFunctionConfigurationCommand({ FunctionName: "model-client", VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }));
    const detachedAt = performance.now();
    expect((await interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }])).map((e) => e.Status)).toEqual(["in-use", "in-use"]);
    const released = await until(() => interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }]), (list) => list.every((e) => e.Status === "available"));
    expect(performance.now() - detachedAt).toBeGreaterThanOrEqual(LETS_GO_MS - 100);
    expect(released.map((e) => [e.Status, e.InterfaceType])).toEqual([["available", "interface"], ["available", "interface"]]);

    // A plain delete of the detached function's stack meets them: nothing waits, the stack is kept.
    expect(await deleteStackAndWait(A, "model-routes")).toBe("DELETE_COMPLETE");
    expect(await deleteStackAndWait(B, "model-client")).toBe("DELETE_FAILED");
    const events = (await aws.cfn(B).send(new DescribeStackEventsCommand({ StackName: "model-client" }))).StackEvents ?? [];
    const failed = events.filter((e) => e.ResourceStatus === "DELETE_FAILED").map((e) => [e.LogicalResourceId, e.ResourceStatusReason]);
    expect(failed).toContainEqual(["FunctionSecurityGroup", expect.stringMatching(/^resource sg-\w+ has a dependent object \(Service: Ec2, Status Code: 400, Request ID: [\w-]+\)$/)]);
    expect(failed).toContainEqual(["model-client", "The following resource(s) failed to delete: [FunctionSecurityGroup, Subnet1, Subnet2]. "]);
    expect(events.find((e) => e.LogicalResourceId === "ClientFunction" && e.ResourceStatus === "DELETE_COMPLETE")).toBeDefined();
    expect((await interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }])).map((e) => e.Status)).toEqual(["available", "available"]);

    // Teardown deletes them and the stack, well before Lambda would have.
    const teardown = await run(["teardown", "--yes", ...flags("model")]);
    expect(teardown.code, shown(teardown)).toBe(0);
    expect(teardown.stdout).toMatch(/\[2\/3 client eu-west-1\] DELETED {2}Releasing 2 network interfaces/);
    expect(await describeStack(aws.cfn(B), "model-client")).toBeUndefined();
    expect(await interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }])).toEqual([]);
    expect(performance.now() - detachedAt).toBeLessThan(REAPED_MS);
  });

  it("keeps a plain delete of a function still in its VPC waiting until Lambda deletes its interfaces", async () => {
    await deploy("plain");
    expect(await deleteStackAndWait(A, "plain-routes")).toBe("DELETE_COMPLETE");
    const started = performance.now();
    await aws.cfn(B).send(new DeleteStackCommand({ StackName: "plain-client" }));
    await new Promise((r) => setTimeout(r, LETS_GO_MS * 2));
    const events = (await aws.cfn(B).send(new DescribeStackEventsCommand({ StackName: "plain-client" }))).StackEvents ?? [];
    const fn = events.filter((e) => e.LogicalResourceId === "ClientFunction").map((e) => e.ResourceStatus);
    expect(fn[0]).toBe("DELETE_IN_PROGRESS");
    expect((await describeStack(aws.cfn(B), "plain-client"))?.StackStatus).toBe("DELETE_IN_PROGRESS");
    expect(await until(() => describeStack(aws.cfn(B), "plain-client"), (s) => s === undefined, REAPED_MS * 2)).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(REAPED_MS - 500);
    expect(await deleteStackAndWait(A, "plain-api")).toBe("DELETE_COMPLETE");
  });
});

describe("teardown with the interfaces released by us", () => {
  it("waits for Lambda's minutes, deletes them, and leaves every other interface alone", async () => {
    await deploy("fast");
    const client = outputsOf(await describeStack(aws.cfn(B), "fast-client"));
    // Someone else's, in another VPC and deletable: a person's interface described like ours, and the
    // released interface of a function with a CloudFormation-generated name (described without its suffix).
    const ec2 = aws.ec2(B);
    const other = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: other, CidrBlock: "10.99.1.0/24" }))).Subnet!.SubnetId!;
    const group = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: other, GroupName: "other", Description: "other" }))).GroupId!;
    const lookalike = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet, Groups: [group], Description: "AWS Lambda VPC ENI-fast-client" })))
      .NetworkInterface!.NetworkInterfaceId!;
    const role = (await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: "fast-client" }))).Role!;
    const generated = "fast-ApiFunction-zZBaJTabq03f";
    await aws.lambda(B).send(new CreateFunctionCommand({
      FunctionName: generated, Runtime: "nodejs24.x", Handler: "index.handler", Role: role, Code: { ZipFile: ZIP },
      VpcConfig: { SubnetIds: [subnet], SecurityGroupIds: [group] },
    }));
    expect((await interfaces([{ Name: "vpc-id", Values: [other] }])).map((e) => e.Description).sort()).toEqual(["AWS Lambda VPC ENI-fast-ApiFunction", "AWS Lambda VPC ENI-fast-client"]);
    await aws.lambda(B).send(new UpdateFunctionConfigurationCommand({ FunctionName: generated, VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }));
    const foreign = await until(() => interfaces([{ Name: "vpc-id", Values: [other] }]), (list) => list.every((e) => e.Status === "available"));
    expect(foreign.map((e) => e.NetworkInterfaceId)).toContain(lookalike);

    await motoRecorder(moto, "start-recording");
    await motoRecorder(moto, "reset-recording");
    const result = await run(["teardown", "--yes", ...flags("fast")]);
    const deletes = (await recordedRequests(moto)).flatMap((r) => (/(?:^|&)Action=DeleteNetworkInterface(?:&|$)/.test(r.body) ? [new URLSearchParams(r.body).get("NetworkInterfaceId")] : []));
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toMatch(/\[2\/3 client eu-west-1\] DETACHED {2}Detaching the client function from its VPC/);
    expect(result.stdout).toMatch(/about 4 minutes after it leaves the VPC/);
    expect(result.stdout).toMatch(/\[2\/3 client eu-west-1\] DELETED {2}Releasing 2 network interfaces/);
    expect(result.stdout).not.toMatch(/20-40|does not wait/);
    // That the release runs beside stage 3 is the unit suite's to show (test/steps/teardown/release-interfaces.test.ts,
    // on a fake clock): here the two race, and under load either may print first.
    expect(result.ms).toBeGreaterThan(LETS_GO_MS);
    expect(result.ms).toBeLessThan(REAPED_MS);

    expect(await describeStack(aws.cfn(B), "fast-client")).toBeUndefined();
    expect(await interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }])).toEqual([]);
    // The tool deleted its two and none of the others (by the requests it sent: Lambda reaps the released
    // foreign one 30 minutes after its release, which on a slow run can fall before this line).
    expect(deletes).toHaveLength(2);
    expect(deletes.filter((id) => foreign.some((e) => e.NetworkInterfaceId === id))).toEqual([]);
    expect((await interfaces([{ Name: "vpc-id", Values: [other] }])).map((e) => e.NetworkInterfaceId)).toContain(lookalike);
  });
});

describe("a teardown stopped after the detach, then deploy, then a delete that fails", () => {
  it("deploy puts the function back in its VPC; a stack kept DELETE_FAILED is reported, and teardown finishes it once freed", async () => {
    await deploy("again");
    const stopped = await run(["teardown", "--yes", ...flags("again")], /DETACHED {2}Detaching the client function/);
    expect(stopped.code, shown(stopped)).toBe(130);
    expect(await describeStack(aws.cfn(B), "again-client")).toBeDefined();
    const client = outputsOf(await describeStack(aws.cfn(B), "again-client"));
    expect((await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: "again-client" }))).VpcConfig?.VpcId ?? "").toBe("");

    const redeployed = await deploy("again");
    expect(redeployed.stdout).toMatch(/again-client is out of its VPC \(a teardown stopped after detaching it, or it was changed by hand\): putting it back in subnet-\w+, subnet-\w+ with sg-\w+\./);
    expect(redeployed.stdout).toMatch(/again-client is back in its VPC\./);
    const config = await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: "again-client" }));
    expect(config.VpcConfig?.VpcId).toBe(client.VpcId);
    expect(config.LastUpdateStatus).toBe("Successful");

    // Something outside the stacks holds the API VPC: its stack is kept DELETE_FAILED, and the run says what to do.
    const api = outputsOf(await describeStack(aws.cfn(A), "again-api"));
    const stray = (await aws.ec2(A).send(new CreateSubnetCommand({ VpcId: api.VpcId!, CidrBlock: "10.10.200.0/24" }))).Subnet!.SubnetId!;
    const failed = await run(["teardown", "--yes", ...flags("again")]);
    expect(failed.code, shown(failed)).toBe(1);
    expect(shown(failed)).toMatch(/again-api could not be deleted \(DELETE_FAILED\)\. Cause: \w+ \(AWS::EC2::VPC\): The vpc 'vpc-\w+' has dependencies and cannot be deleted\..* Remove what holds it, then run teardown again/);
    expect((await describeStack(aws.cfn(A), "again-api"))?.StackStatus).toBe("DELETE_FAILED");

    await aws.ec2(A).send(new DeleteSubnetCommand({ SubnetId: stray }));
    const finished = await run(["teardown", "--yes", ...flags("again")]);
    expect(finished.code, shown(finished)).toBe(0);
    expect(await describeStack(aws.cfn(A), "again-api")).toBeUndefined();
  });
});
