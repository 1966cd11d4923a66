// Teardown in minutes, end to end: the built CLI against moto with the launcher's model of Lambda's
// network interfaces (launcher.py, "Lambda VPC network interfaces"), where a deleted function's
// interfaces stay in use for a release delay (it stands for AWS's 20-40 minutes) and CloudFormation
// waits for them. A plain delete of the client stack takes that delay; our teardown detaches the
// function and deletes its interfaces itself, and leaves everyone else's alone.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import {
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DescribeNetworkInterfacesCommand,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { CreateFunctionCommand, GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import { clientAnswer } from "../helpers/payloads.js";
import { describeStack, outputsOf, type MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1";
const B = "eu-west-1";
const RELEASE_MS = 20_000;
const ANSWER = JSON.stringify(clientAnswer({ url: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/hello" }));

const suite = motoSuite([A, B], { lambdaEni: { releaseMs: RELEASE_MS, detachMs: 300 } });
let moto: MotoServer;
let aws: MotoAws;
let cli: MotoSuite["cli"];
beforeAll(() => ({ moto, aws, cli } = suite));

function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const cwd = tempDir("xregion-teardown-moto-");
  const { FORCE_COLOR: _force, ...env } = moto.env();
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli.path, ...args], { cwd, env: { ...env, CI: "true", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGTERM"), 90_000);
    child.once("error", fail);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const flags = (name: string) => ["--name", name, "--api-region", A, "--client-region", B];

async function deploy(name: string): Promise<Record<string, string>> {
  await moto.queueLambdaResults(B, [ANSWER]);
  const result = await run(["deploy", "--yes", "--samples", "1", ...flags(name)]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return outputsOf(await describeStack(aws.cfn(B), `${name}-client`));
}

async function interfaces(filters: { Name: string; Values: string[] }[]): Promise<NetworkInterface[]> {
  return (await aws.ec2(B).send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces ?? [];
}

describe("the model of Lambda's network interfaces", () => {
  it("gives the VPC function one requester-managed interface per subnet and security group, in use, which hold the subnets", async () => {
    const client = await deploy("model");
    const enis = await interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }]);
    expect(enis).toHaveLength(2);
    for (const eni of enis) {
      expect(eni).toMatchObject({ RequesterManaged: true, InterfaceType: "lambda", Status: "in-use", VpcId: client.VpcId });
      expect(eni.Description).toMatch(/^AWS Lambda VPC ENI-model-client-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(new Set(enis.map((e) => e.SubnetId)).size).toBe(2);
    const config = await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: "model-client" }));
    expect(config.VpcConfig?.VpcId).toBe(client.VpcId);
    await expect(aws.ec2(B).send(new DeleteSubnetCommand({ SubnetId: enis[0]!.SubnetId! }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `The subnet '${enis[0]!.SubnetId}' has dependencies and cannot be deleted.`,
    });
    expect((await run(["teardown", "--yes", ...flags("model")])).code).toBe(0);
  });

  it("keeps a plain delete of the client stack waiting until Lambda releases the interfaces", async () => {
    await deploy("plain");
    const started = performance.now();
    for (const [region, stack] of [[A, "plain-routes"], [B, "plain-client"], [A, "plain-api"]] as const) {
      await aws.cfn(region).send(new DeleteStackCommand({ StackName: stack }));
      if (stack === "plain-client") expect((await describeStack(aws.cfn(B), stack))?.StackStatus).toBe("DELETE_IN_PROGRESS");
      while (await describeStack(aws.cfn(region), stack)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(RELEASE_MS - 500);
  });
});

describe("teardown with the interfaces released by us", () => {
  it("is done well before Lambda would have released them, and leaves foreign interfaces alone", async () => {
    const client = await deploy("fast");
    // Someone else's, in another VPC: a person's interface described like ours, and a function named like ours.
    const ec2 = aws.ec2(B);
    const other = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: other, CidrBlock: "10.99.1.0/24" }))).Subnet!.SubnetId!;
    const group = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: other, GroupName: "other", Description: "other" }))).GroupId!;
    const lookalike = (await ec2.send(new CreateNetworkInterfaceCommand({
      SubnetId: subnet, Description: "AWS Lambda VPC ENI-fast-client-0c5a7d2e-4b1f-4e3a-9d8c-7b6a5f4e3d2c",
    }))).NetworkInterface!.NetworkInterfaceId!;
    const role = (await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: "fast-client" }))).Role!;
    await aws.lambda(B).send(new CreateFunctionCommand({
      FunctionName: "fast-client-2", Runtime: "nodejs24.x", Handler: "index.handler", Role: role,
      Code: { ZipFile: Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64") },
      VpcConfig: { SubnetIds: [subnet], SecurityGroupIds: [group] },
    }));
    const foreign = (await interfaces([{ Name: "vpc-id", Values: [other] }])).map((e) => e.NetworkInterfaceId).sort();
    expect(foreign).toHaveLength(2);
    expect(foreign).toContain(lookalike);

    const result = await run(["teardown", "--yes", ...flags("fast")]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\[2\/3 client eu-west-1\] DETACHED {2}Detaching the client function from its VPC/);
    expect(result.stdout).toMatch(/\[2\/3 client eu-west-1\] DELETED {2}Releasing 2 network interfaces/);
    expect(result.stdout).not.toMatch(/20-40/);
    // Region B's release ran while region A deleted the routes.
    expect(result.stdout.indexOf("Detaching the client function")).toBeLessThan(result.stdout.indexOf("deleted fast-routes"));
    expect(result.ms).toBeLessThan(RELEASE_MS * 0.6);

    expect(await describeStack(aws.cfn(B), "fast-client")).toBeUndefined();
    expect(await interfaces([{ Name: "vpc-id", Values: [client.VpcId!] }])).toEqual([]);
    expect((await interfaces([{ Name: "vpc-id", Values: [other] }])).map((e) => e.NetworkInterfaceId).sort()).toEqual(foreign);
  });
});
