// The three real templates, deployed on moto (through our launcher) the way the tool deploys them:
// one change set per stack (CREATE, then execute), stage outputs passed as the next stage's
// parameters, stage 1 and 3 in region A, stage 2 in region B. Then the real state is read back with
// the SDK, and the stacks are deleted in reverse order. Assertions stay within what moto models.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  ExecuteChangeSetCommand,
  ListStacksCommand,
  type Capability,
  type ChangeSetType,
  type DescribeChangeSetCommandOutput,
  type Stack,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { IAMClient, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAGES, ssmPrefix, stackName, type StageDef } from "../../src/steps/stages.js";
import {
  describeStack as describeStackWith,
  expectPeeringActive,
  expectPrivateZone,
  expectRoutesThroughPeering,
  motoAws,
  nonDefaultVpcs as nonDefaultVpcsWith,
  outputsOf,
  securityGroupRules,
  subnetRouteTables,
  type MotoAws,
} from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";

const REGION_A = "us-east-1"; // the API
const REGION_B = "eu-west-1"; // the client
// Zones that can hold each stack in the emulated account (the launcher's Availability Zones section).
const ZONES_A = { AvailabilityZone1: "us-east-1b", AvailabilityZone2: "us-east-1c" };
const ZONES_B = { AvailabilityZone1: "eu-west-1a", AvailabilityZone2: "eu-west-1b" };
const NAME = "itest";
const API_CIDR = "10.10.0.0/16";
const CLIENT_CIDR = "10.20.0.0/16";
const [API, CLIENT, ROUTES] = STAGES;

const template = (stage: StageDef): string =>
  readFileSync(new URL(`../../templates/${stage.template}`, import.meta.url), "utf8");

type Outputs = Record<string, string>;

let moto: MotoServer;
let cfn: Record<string, CloudFormationClient>;
let ec2: Record<string, EC2Client>;
let aws: MotoAws;

beforeAll(async () => {
  // This suite is about the templates, not time: AWS's durations at 1:3600, so the 30 minutes Lambda takes
  // before CloudFormation may delete a deleted function's subnets (patches/lambda_interfaces.py) are 0.5 s.
  moto = await startMotoServer({ timeScale: 3600 });
  cfn = {
    [REGION_A]: new CloudFormationClient(moto.clientConfig(REGION_A)),
    [REGION_B]: new CloudFormationClient(moto.clientConfig(REGION_B)),
  };
  ec2 = {
    [REGION_A]: new EC2Client(moto.clientConfig(REGION_A)),
    [REGION_B]: new EC2Client(moto.clientConfig(REGION_B)),
  };
  aws = motoAws(moto);
});

afterAll(async () => {
  aws?.destroy();
  await moto?.stop();
});

const describeStack = (region: string, name: string): Promise<Stack | undefined> => describeStackWith(cfn[region]!, name);

/** The stack once its operation is over: AWS runs it in its own time. */
async function settled(client: CloudFormationClient, name: string): Promise<Stack | undefined> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const stack = await describeStackWith(client, name);
    if (!stack?.StackStatus?.endsWith("_IN_PROGRESS")) return stack;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`stack ${name} never settled`);
}

async function waitForChangeSet(region: string, id: string): Promise<DescribeChangeSetCommandOutput> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const changeSet = await cfn[region]!.send(new DescribeChangeSetCommand({ ChangeSetName: id }));
    if (changeSet.Status !== "CREATE_PENDING" && changeSet.Status !== "CREATE_IN_PROGRESS") return changeSet;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`change set ${id} never settled`);
}

async function createChangeSet(
  region: string,
  stage: StageDef,
  parameters: Record<string, string>,
): Promise<DescribeChangeSetCommandOutput> {
  const name = stackName(NAME, stage.key);
  const existing = await describeStack(region, name);
  const type: ChangeSetType = existing && existing.StackStatus !== "REVIEW_IN_PROGRESS" ? "UPDATE" : "CREATE";
  const capabilities: Capability[] = ["CAPABILITY_IAM"];
  const { Id } = await cfn[region]!.send(
    new CreateChangeSetCommand({
      StackName: name,
      ChangeSetName: `xregion-${Date.now()}`,
      ChangeSetType: type,
      TemplateBody: template(stage),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: capabilities,
      Tags: [
        { Key: "xregion-private-api:deployment", Value: NAME },
        { Key: "xregion-private-api:stage", Value: stage.key },
      ],
    }),
  );
  return waitForChangeSet(region, Id!);
}

interface Execution {
  readonly stack: Stack | undefined;
  readonly events: StackEvent[];
  readonly token: string;
}

/** CreateChangeSet, ExecuteChangeSet, wait for the stack: what the tool's deploy engine does. */
async function execute(region: string, stage: StageDef, parameters: Record<string, string>): Promise<Execution> {
  expect(Object.keys(parameters).sort()).toEqual([...stage.parameters].sort());
  const changeSet = await createChangeSet(region, stage, parameters);
  expect(changeSet.Status, changeSet.StatusReason).toBe("CREATE_COMPLETE");
  const token = randomUUID();
  await cfn[region]!.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId, ClientRequestToken: token }));
  const name = stackName(NAME, stage.key);
  let stack = await describeStack(region, name);
  for (let attempt = 0; attempt < 100 && stack?.StackStatus?.endsWith("_IN_PROGRESS"); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stack = await describeStack(region, name);
  }
  const { StackEvents } = await cfn[region]!.send(new DescribeStackEventsCommand({ StackName: name }));
  return { stack, events: StackEvents ?? [], token };
}

async function deploy(region: string, stage: StageDef, parameters: Record<string, string>): Promise<Outputs> {
  const { stack, events, token } = await execute(region, stage, parameters);
  expect(stack?.StackStatus, moto.output().slice(-2000)).toBe("CREATE_COMPLETE");
  // Newest first; the operation's own events carry its ClientRequestToken.
  expect(events[0]).toMatchObject({ ResourceStatus: "CREATE_COMPLETE", ClientRequestToken: token });
  return outputsOf(stack);
}

/** Stage 2's parameters: its own VPC and subnets, and what stage 1 answered. */
function clientParameters(api: Outputs, [vpc, subnet1, subnet2]: readonly [string, string, string]): Record<string, string> {
  return {
    DeploymentName: NAME,
    VpcCidr: vpc,
    Subnet1Cidr: subnet1,
    Subnet2Cidr: subnet2,
    ...ZONES_B,
    ApiRegion: REGION_A,
    ApiVpcId: api.VpcId!,
    ApiVpcCidr: api.VpcCidr!,
    ApiId: api.ApiId!,
    ApiStageName: api.StageName!,
    ApiEndpointDnsName: api.EndpointDnsName!,
    ApiEndpointHostedZoneId: api.EndpointHostedZoneId!,
  };
}

const nonDefaultVpcs = (region: string): Promise<string[]> => nonDefaultVpcsWith(ec2[region]!);

describe("the moto server helper", () => {
  it("hands a child process only the moto endpoint, test keys and empty config files", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_PROFILE: "real", AWS_SESSION_TOKEN: "real", AWS_ENDPOINT_URL_S3: "https://example.com" });
    try {
      const env = moto.env(REGION_B);
      const aws = Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith("AWS_")));
      expect(aws).toEqual({
        AWS_ENDPOINT_URL: `http://127.0.0.1:${moto.port}`,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_CONFIG_FILE: expect.any(String),
        AWS_SHARED_CREDENTIALS_FILE: expect.any(String),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_REGION: REGION_B,
        AWS_DEFAULT_REGION: REGION_B,
      });
      expect(readFileSync(env.AWS_CONFIG_FILE!, "utf8")).toBe("");
      expect(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, "utf8")).toBe("");
      expect(moto.env().AWS_REGION).toBeUndefined();
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    }
  });

  it("answers Invoke with the queued payloads in order, then echoes the request", async () => {
    await moto.warmUp([REGION_A, REGION_B]);
    const lambda = new LambdaClient(moto.clientConfig(REGION_B));
    await cfn[REGION_B]!.send(
      new CreateStackCommand({
        StackName: "echo",
        Capabilities: ["CAPABILITY_IAM"],
        TemplateBody: JSON.stringify({
          Resources: {
            Role: {
              Type: "AWS::IAM::Role",
              Properties: {
                AssumeRolePolicyDocument: {
                  Version: "2012-10-17",
                  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
                },
              },
            },
            Echo: {
              Type: "AWS::Lambda::Function",
              Properties: {
                FunctionName: "echo",
                Runtime: "nodejs24.x",
                Handler: "index.handler",
                Role: { "Fn::GetAtt": ["Role", "Arn"] },
                Code: { ZipFile: "exports.handler = async (event) => event;" },
              },
            },
          },
        }),
      }),
    );
    // CloudFormation reports the stack complete once the function is Active (a new function is Pending first).
    await settled(cfn[REGION_B]!, "echo");
    await moto.queueLambdaResults(REGION_B, ["first", "second"]);
    const answers: string[] = [];
    for (const payload of ['{"n":1}', '{"n":2}', '{"n":3}']) {
      const { Payload } = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: new TextEncoder().encode(payload) }));
      answers.push(new TextDecoder().decode(Payload));
    }
    expect(answers).toEqual(["first", "second", '{"n":3}']);
    await moto.reset();
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: "echo" }))).rejects.toThrow();
  });
});

describe("Lambda function states on the launcher (AWS: a new function is Pending, then Active; CloudFormation waits)", () => {
  // Its own server on a slow clock (--time-scale 0.25: a function outside a VPC, Pending for a second on AWS, is
  // Pending for 4 s), with a VPC function's Pending time set to the same, long enough to look at on a busy machine.
  let slow: MotoServer;
  beforeAll(async () => {
    slow = await startMotoServer({ lambdaPendingMs: 4000, timeScale: 0.25 });
  }, 60_000);
  afterAll(() => slow?.stop());

  it("answers Pending with AWS's reason while the function is created, refuses Invoke then, and completes the stack once it is Active", async () => {
    const lambda = new LambdaClient(slow.clientConfig(REGION_B));
    const stackCfn = new CloudFormationClient(slow.clientConfig(REGION_B));
    const created = Date.now();
    const code = { ZipFile: "exports.handler = async (event) => event;" };
    await stackCfn.send(
      new CreateStackCommand({
        StackName: "pending",
        Capabilities: ["CAPABILITY_IAM"],
        TemplateBody: JSON.stringify({
          Resources: {
            Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "10.99.0.0/16" } },
            // Placed in a zone explicitly, as the real templates do (a subnet without one lands in the first zone).
            Subnet: { Type: "AWS::EC2::Subnet", Properties: { VpcId: { Ref: "Vpc" }, CidrBlock: "10.99.1.0/24", AvailabilityZone: `${REGION_B}b` } },
            Role: {
              Type: "AWS::IAM::Role",
              Properties: {
                AssumeRolePolicyDocument: {
                  Version: "2012-10-17",
                  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
                },
              },
            },
            InVpc: {
              Type: "AWS::Lambda::Function",
              Properties: {
                FunctionName: "in-vpc", Runtime: "nodejs24.x", Handler: "index.handler", Role: { "Fn::GetAtt": ["Role", "Arn"] }, Code: code,
                VpcConfig: { SubnetIds: [{ Ref: "Subnet" }], SecurityGroupIds: [] },
              },
            },
            // Every function is Pending first, not only VPC ones (AWS Compute Blog, expansion of Lambda states).
            Plain: {
              Type: "AWS::Lambda::Function",
              Properties: { FunctionName: "plain", Runtime: "nodejs24.x", Handler: "index.handler", Role: { "Fn::GetAtt": ["Role", "Arn"] }, Code: code },
            },
          },
        }),
      }),
    );
    const [pending, plain] = await Promise.all(["in-vpc", "plain"].map((name) => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))));
    await expect(lambda.send(new InvokeCommand({ FunctionName: "in-vpc" }))).rejects.toMatchObject({
      name: "ResourceConflictException",
      message: "The operation cannot be performed at this time. The function is currently in the following state: Pending",
      $metadata: { httpStatusCode: 409 },
    });
    const whilePending = await describeStackWith(stackCfn, "pending");
    expect(Date.now() - created, "the checks above must run inside the Pending time").toBeLessThan(4000);
    for (const config of [pending!, plain!]) {
      expect(config).toMatchObject({ State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" });
      expect(config.LastUpdateStatus).toBeUndefined();
    }
    expect(whilePending?.StackStatus, "CloudFormation waits for the function to be Active").toBe("CREATE_IN_PROGRESS");

    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "in-vpc" });
    const active = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "in-vpc" }));
    const activeAt = Date.now();
    expect(activeAt - created).toBeGreaterThanOrEqual(4000);
    expect(active).toMatchObject({ State: "Active", LastUpdateStatus: "Successful" });
    expect(active.StateReasonCode).toBeUndefined();
    expect((await lambda.send(new InvokeCommand({ FunctionName: "in-vpc" }))).StatusCode).toBe(200);

    const stack = await settled(stackCfn, "pending");
    expect(stack?.StackStatus).toBe("CREATE_COMPLETE");
    const { StackEvents } = await stackCfn.send(new DescribeStackEventsCommand({ StackName: "pending" }));
    const completed = StackEvents?.find((e) => e.LogicalResourceId === "InVpc" && e.ResourceStatus === "CREATE_COMPLETE");
    expect(completed?.Timestamp?.getTime(), "the function's CREATE_COMPLETE comes once it is Active").toBeGreaterThanOrEqual(created + 4000);
    expect(StackEvents?.[0], "newest first: the stack's own CREATE_COMPLETE, last to happen").toMatchObject({ LogicalResourceId: "pending", ResourceStatus: "CREATE_COMPLETE" });
    lambda.destroy();
    stackCfn.destroy();
  });
});

describe("the three real templates on moto, deployed through change sets", () => {
  const outputs: Partial<Record<StageDef["key"], Outputs>> = {};

  it("stage 1 creates the private API in region A with every output the contract names", async () => {
    outputs.api = await deploy(REGION_A, API, {
      DeploymentName: NAME,
      VpcCidr: API_CIDR,
      Subnet1Cidr: "10.10.1.0/24",
      Subnet2Cidr: "10.10.2.0/24",
      ...ZONES_A,
      ClientVpcCidr: CLIENT_CIDR,
    });
    for (const key of API.outputs) expect(outputs.api[key], key).toBeTruthy();
    expect(outputs.api.VpcCidr).toBe(API_CIDR);
    expect(outputs.api.StageName).toBe("v1");
    expect(outputs.api.InvokeUrl).toBe(
      `https://${outputs.api.ApiId}.execute-api.${REGION_A}.amazonaws.com/v1/hello`,
    );
    expect(outputs.api.EndpointDnsName).toMatch(
      new RegExp(`^vpce-[0-9a-z]+-[0-9a-z]+\\.execute-api\\.${REGION_A}\\.vpce\\.amazonaws\\.com$`),
    );
    expect(outputs.api.EndpointHostedZoneId).toBe("Z7HUB22UULQXV"); // us-east-1.vpce.amazonaws.com's zone

    const { VpcEndpoints } = await ec2[REGION_A]!.send(new DescribeVpcEndpointsCommand({}));
    expect(VpcEndpoints?.map((e) => [e.VpcId, e.ServiceName, e.VpcEndpointType])).toEqual([
      [outputs.api.VpcId, `com.amazonaws.${REGION_A}.execute-api`, "Interface"],
    ]);
    expect(VpcEndpoints?.[0]?.DnsEntries?.[0]?.DnsName).toBe(outputs.api.EndpointDnsName);

    // HTTPS in from both VPCs; the declared egress replaces the default allow-all: a rule that matches nothing.
    const endpointGroup = VpcEndpoints?.[0]?.Groups?.map((g) => g.GroupId!) ?? [];
    expect(endpointGroup).toHaveLength(1);
    expect(await securityGroupRules(ec2[REGION_A]!, endpointGroup[0]!)).toEqual({
      inbound: [
        `tcp 443-443 ${CLIENT_CIDR} (HTTPS from the client VPC (other region, over the peering connection))`,
        `tcp 443-443 ${API_CIDR} (HTTPS from this VPC)`,
      ],
      outbound: ["icmp 252-86 255.255.255.255/32 (Disallow all outbound traffic)"],
    });

    // The two subnets sit in two of region A's zones and use the route table stage 3 will extend.
    const { Subnets } = await ec2[REGION_A]!.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [outputs.api.VpcId!] }] }),
    );
    expect(new Set(Subnets?.map((s) => s.AvailabilityZone)).size).toBe(2);
    for (const subnet of Subnets ?? []) expect(subnet.AvailabilityZone).toMatch(new RegExp(`^${REGION_A}[a-z]$`));
    const { RouteTables } = await ec2[REGION_A]!.send(
      new DescribeRouteTablesCommand({ RouteTableIds: outputs.api.RouteTableIds!.split(",") }),
    );
    expect(RouteTables?.flatMap((t) => t.Associations?.map((a) => a.SubnetId) ?? []).sort()).toEqual(
      Subnets?.map((s) => s.SubnetId).sort(),
    );
  });

  it("stage 2 creates the client in region B, peered with region A and active on both sides", async () => {
    const api = outputs.api!;
    outputs.client = await deploy(REGION_B, CLIENT, clientParameters(api, [CLIENT_CIDR, "10.20.1.0/24", "10.20.2.0/24"]));
    const client = outputs.client;
    for (const key of CLIENT.outputs) expect(client[key], key).toBeTruthy();
    expect(client.FunctionName).toBe(`${NAME}-client`);

    await expectPeeringActive(
      aws,
      client.PeeringConnectionId!,
      { vpcId: client.VpcId!, region: REGION_B, cidr: CLIENT_CIDR },
      { vpcId: api.VpcId!, region: REGION_A, cidr: API_CIDR },
    );

    // B's private subnets route A's CIDR through the peering connection.
    const associated = await subnetRouteTables(ec2[REGION_B]!, client.VpcId!);
    expect(associated).toHaveLength(1);
    expectRoutesThroughPeering(associated, API_CIDR, client.PeeringConnectionId!);

    // The private zone for the API's hostname answers in B's VPC only, with an alias to A's endpoint.
    const route53 = new Route53Client(moto.clientConfig(REGION_A));
    await expectPrivateZone(route53, client.HostedZoneId!, `${api.ApiId}.execute-api.${REGION_A}.amazonaws.com`, {
      vpcId: client.VpcId!,
      region: REGION_B,
    });
    const { ResourceRecordSets } = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: client.HostedZoneId }),
    );
    const alias = ResourceRecordSets?.find((r) => r.Type === "A");
    expect(alias?.AliasTarget).toMatchObject({
      DNSName: expect.stringContaining(api.EndpointDnsName!),
      HostedZoneId: api.EndpointHostedZoneId,
    });
  });

  it("the client function exists in region B and invoking it returns the queued answer", async () => {
    const lambda = new LambdaClient(moto.clientConfig(REGION_B));
    const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: outputs.client!.FunctionName }));
    expect(Configuration).toMatchObject({ Runtime: "nodejs24.x", Handler: "index.handler", Timeout: 15 });
    expect(Configuration?.VpcConfig?.SubnetIds).toHaveLength(2);
    expect(Configuration?.Environment?.Variables?.API_URL).toBe(outputs.api!.InvokeUrl);

    // No inbound rule; outbound only HTTPS to the API VPC (the default allow-all egress replaced).
    const groups = Configuration?.VpcConfig?.SecurityGroupIds ?? [];
    expect(groups).toHaveLength(1);
    expect(await securityGroupRules(ec2[REGION_B]!, groups[0]!)).toEqual({
      inbound: [],
      outbound: [`tcp 443-443 ${API_CIDR} (HTTPS to the execute-api endpoint in the API VPC (over the peering connection))`],
    });
    // The execution role has the AWS managed policy for network interfaces and logs, and nothing else.
    const iam = new IAMClient(moto.clientConfig(REGION_B));
    const { AttachedPolicies } = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: Configuration?.Role?.split("/").at(-1) }),
    );
    iam.destroy();
    expect(AttachedPolicies).toEqual([
      {
        PolicyName: "AWSLambdaVPCAccessExecutionRole",
        PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
      },
    ]);

    // CloudFormation completed stage 2 only once the new function was Active: no Pending window is left.
    expect(Configuration).toMatchObject({ State: "Active", LastUpdateStatus: "Successful" });
    const answer = { ok: true, url: outputs.api!.InvokeUrl, status: 200, body: "{}", error: null };
    await moto.queueLambdaResults(REGION_B, [JSON.stringify(answer)]);
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: outputs.client!.FunctionName, InvocationType: "RequestResponse" }),
    );
    expect(result.StatusCode).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(result.Payload))).toEqual(answer);
  });

  it("refuses to invoke the function once it has gone Inactive (idle) with ResourceNotReadyException (502), then restores it", async () => {
    const lambda = new LambdaClient({ ...moto.clientConfig(REGION_B), maxAttempts: 1 });
    // At this suite's 1:3600 AWS's 75 s restore would be 21 ms, over before the next call on a busy machine.
    await moto.makeFunctionInactive(REGION_B, outputs.client!.FunctionName!, 2);
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: outputs.client!.FunctionName }))).toMatchObject({ State: "Inactive", StateReasonCode: "Idle" });
    await expect(lambda.send(new InvokeCommand({ FunctionName: outputs.client!.FunctionName }))).rejects.toMatchObject({
      name: "ResourceNotReadyException",
      message: "The function is inactive and its VPC connection is no longer available. Wait for the VPC connection to reestablish and try again.",
      $metadata: { httpStatusCode: 502 },
    });
    // The refused invoke starts the restore: Pending (Restoring) until Lambda has the function's resources again.
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: outputs.client!.FunctionName }))).toMatchObject({ State: "Pending", StateReasonCode: "Restoring" });
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: outputs.client!.FunctionName });
    expect((await lambda.send(new InvokeCommand({ FunctionName: outputs.client!.FunctionName }))).StatusCode).toBe(200);
    lambda.destroy();
  });

  it("stage 3 reads A's route tables from SSM and routes B's CIDR through the peering connection", async () => {
    const client = outputs.client!;
    outputs.routes = await deploy(REGION_A, ROUTES, {
      DeploymentName: NAME,
      ClientVpcCidr: client.VpcCidr!,
      PeeringConnectionId: client.PeeringConnectionId!,
      RouteTableIds: `${ssmPrefix(NAME)}/route-table-ids`,
      // Stage 1 admits this range itself: no rule of stage 3's own.
      EndpointSecurityGroupId: outputs.api!.EndpointSecurityGroupId!,
      EndpointAdmittedCidr: CLIENT_CIDR,
    });
    const stack = await describeStack(REGION_A, stackName(NAME, "routes"));
    expect(stack?.Parameters).toContainEqual({
      ParameterKey: "RouteTableIds",
      ParameterValue: `${ssmPrefix(NAME)}/route-table-ids`,
      ResolvedValue: outputs.api!.RouteTableIds,
    });
    const { RouteTables } = await ec2[REGION_A]!.send(
      new DescribeRouteTablesCommand({ RouteTableIds: outputs.api!.RouteTableIds!.split(",") }),
    );
    expectRoutesThroughPeering(RouteTables ?? [], CLIENT_CIDR, client.PeeringConnectionId!);
  });

  it("a change set for an unchanged stack ends FAILED: it didn't contain changes", async () => {
    const client = outputs.client!;
    const changeSet = await createChangeSet(REGION_A, ROUTES, {
      DeploymentName: NAME,
      ClientVpcCidr: client.VpcCidr!,
      PeeringConnectionId: client.PeeringConnectionId!,
      RouteTableIds: `${ssmPrefix(NAME)}/route-table-ids`,
      // Stage 1 admits this range itself: no rule of stage 3's own.
      EndpointSecurityGroupId: outputs.api!.EndpointSecurityGroupId!,
      EndpointAdmittedCidr: CLIENT_CIDR,
    });
    expect(changeSet.Status).toBe("FAILED");
    expect(changeSet.ExecutionStatus).toBe("UNAVAILABLE");
    expect(changeSet.StatusReason).toMatch(/didn't contain changes/);
    expect((await describeStack(REGION_A, stackName(NAME, "routes")))?.StackStatus).toBe("CREATE_COMPLETE");
  });

  it("deleting stages 3, 2, 1 leaves no stack and no VPC but the default ones", async () => {
    for (const [region, stage] of [
      [REGION_A, ROUTES],
      [REGION_B, CLIENT],
      [REGION_A, API],
    ] as const) {
      await cfn[region]!.send(new DeleteStackCommand({ StackName: stackName(NAME, stage.key) }));
      // DeleteStack only starts the delete; the client stack's waits for Lambda's interfaces.
      let left = await describeStack(region, stackName(NAME, stage.key));
      for (let poll = 0; left?.StackStatus === "DELETE_IN_PROGRESS" && poll < 100; poll++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        left = await describeStack(region, stackName(NAME, stage.key));
      }
      expect(left, stage.key).toBeUndefined();
    }
    for (const region of [REGION_A, REGION_B]) {
      const { StackSummaries } = await cfn[region]!.send(new ListStacksCommand({}));
      expect(StackSummaries?.map((s) => s.StackStatus).filter((s) => s !== "DELETE_COMPLETE"), region).toEqual([]);
      expect(await nonDefaultVpcs(region), region).toEqual([]);
      const { Vpcs } = await ec2[region]!.send(new DescribeVpcsCommand({}));
      const { RouteTables } = await ec2[region]!.send(new DescribeRouteTablesCommand({}));
      expect(RouteTables?.filter((t) => t.VpcId !== Vpcs?.[0]?.VpcId), region).toEqual([]);
    }
    const lambda = new LambdaClient(moto.clientConfig(REGION_B));
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: `${NAME}-client` }))).rejects.toThrow();
  });
});

describe("a stage that fails on moto, as on AWS", () => {
  const stage2 = {
    DeploymentName: NAME,
    VpcCidr: CLIENT_CIDR,
    Subnet1Cidr: "10.20.1.0/24",
    Subnet2Cidr: "10.20.2.0/24",
    ...ZONES_B,
    ApiRegion: REGION_A,
    ApiVpcId: "vpc-0123456789abcdef0",
    ApiVpcCidr: API_CIDR,
    ApiId: "a1b2c3d4e5",
    ApiStageName: "v1",
    ApiEndpointDnsName: `vpce-0123456789abcdef0-abcdefgh.execute-api.${REGION_A}.vpce.amazonaws.com`,
    ApiEndpointHostedZoneId: "Z7HUB22UULQXV",
  };
  const createChangeSetRaw = (parameters: Record<string, string>, capabilities: Capability[]) =>
    cfn[REGION_B]!.send(
      new CreateChangeSetCommand({
        StackName: stackName(NAME, "client"),
        ChangeSetName: "refused",
        ChangeSetType: "CREATE",
        TemplateBody: template(CLIENT),
        Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Capabilities: capabilities,
      }),
    );

  it("refuses a change set at once: IAM without CAPABILITY_IAM, a value outside its pattern, a missing value, an SSM parameter not there", async () => {
    await expect(createChangeSetRaw(stage2, [])).rejects.toMatchObject({
      name: "InsufficientCapabilitiesException",
      message: "Requires capabilities : [CAPABILITY_IAM]",
    });
    // The template's ConstraintDescription stands in the answer in place of the pattern (CloudFormation User
    // Guide, Parameters, ConstraintDescription). The wording around it is not asserted: the guide shows the
    // console's "Malformed input-Parameter X …", a console capture "Parameter X failed to satisfy constraint: …"
    // (cfn_change_sets.py), and no capture of the API's own answer was found.
    const refused = await createChangeSetRaw({ ...stage2, ApiId: "NOT-AN-ID" }, ["CAPABILITY_IAM"]).then(() => undefined, (error: unknown) => error as Error);
    expect(refused?.name).toBe("ValidationError");
    expect(refused?.message).toContain("ApiId");
    expect(refused?.message).toContain("A REST API id such as a1b2c3d4e5.");
    expect(refused?.message).not.toContain("^[a-z0-9]{10}$");
    // Stage 3 names stage 1's route tables by an SSM parameter; without stage 1 there is none
    // (awslabs/aws-deployment-framework#339).
    const routes = await cfn[REGION_A]!.send(new CreateChangeSetCommand({
      StackName: stackName(NAME, "routes"),
      ChangeSetName: "refused",
      ChangeSetType: "CREATE",
      TemplateBody: template(ROUTES),
      Parameters: Object.entries({
        DeploymentName: NAME,
        ClientVpcCidr: CLIENT_CIDR,
        PeeringConnectionId: "pcx-0123456789abcdef0",
        RouteTableIds: `${ssmPrefix(NAME)}/route-table-ids`,
        EndpointSecurityGroupId: "sg-0123456789abcdef0",
        EndpointAdmittedCidr: CLIENT_CIDR,
      })
        .map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    })).then(() => "accepted", (error: Error) => [error.name, error.message]);
    expect(routes).toEqual(["ValidationError", `Unable to fetch parameters [${ssmPrefix(NAME)}/route-table-ids] from parameter store for this account.`]);
    const { ApiId: _omitted, ...withoutApiId } = stage2;
    await expect(createChangeSetRaw(withoutApiId, ["CAPABILITY_IAM"])).rejects.toMatchObject({
      message: "Parameters: [ApiId] must have values",
    });
    expect(await describeStack(REGION_B, stackName(NAME, "client"))).toBeUndefined();
    expect(await describeStack(REGION_A, stackName(NAME, "routes"))).toBeUndefined();
  });

  it("records the failing resource's reason, rolls the stack back and leaves nothing behind", async () => {
    await moto.reset();
    const missingVpc = stage2.ApiVpcId; // stage 1 never ran: the peer VPC does not exist in region A
    const { stack, events, token } = await execute(REGION_B, CLIENT, stage2);
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    const failed = events.filter((e) => e.ResourceStatus?.endsWith("_FAILED"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      LogicalResourceId: "PeeringConnection",
      ResourceType: "AWS::EC2::VPCPeeringConnection",
      ResourceStatus: "CREATE_FAILED",
      ClientRequestToken: token,
    });
    expect(failed[0]?.ResourceStatusReason).toContain(missingVpc);
    // Oldest first, as AWS orders a failed create: resources created, the failure, then the rollback
    // deleting each resource that was created.
    const story = [...events].reverse();
    const at = (status: string, logicalId?: string) =>
      story.findIndex((e) => e.ResourceStatus === status && (logicalId === undefined || e.LogicalResourceId === logicalId));
    const created = story.filter((e) => e.ResourceStatus === "CREATE_COMPLETE").map((e) => e.LogicalResourceId!);
    expect(created, "resources created before the failure").toContain("Vpc");
    expect(at("CREATE_FAILED")).toBeLessThan(at("ROLLBACK_IN_PROGRESS"));
    for (const logicalId of created) {
      expect(at("CREATE_COMPLETE", logicalId)).toBeLessThan(at("CREATE_FAILED"));
      expect(at("DELETE_COMPLETE", logicalId), `${logicalId} deleted by the rollback`).toBeGreaterThan(at("ROLLBACK_IN_PROGRESS"));
      expect(at("DELETE_COMPLETE", logicalId)).toBeLessThan(at("ROLLBACK_COMPLETE"));
    }
    expect(story.at(-1)?.ResourceStatus).toBe("ROLLBACK_COMPLETE");
    expect(await nonDefaultVpcs(REGION_B)).toEqual([]);

    await cfn[REGION_B]!.send(new DeleteStackCommand({ StackName: stackName(NAME, "client") }));
    expect(await describeStack(REGION_B, stackName(NAME, "client"))).toBeUndefined();
  });

  it("creates a peering between overlapping CIDRs that goes failed, and fails the stack as CloudFormation does", async () => {
    await moto.reset();
    const api = await deploy(REGION_A, API, {
      DeploymentName: NAME,
      VpcCidr: API_CIDR,
      Subnet1Cidr: "10.10.1.0/24",
      Subnet2Cidr: "10.10.2.0/24",
      ...ZONES_A,
      ClientVpcCidr: "10.10.128.0/20",
    });
    const { stack, events } = await execute(REGION_B, CLIENT, clientParameters(api, ["10.10.128.0/20", "10.10.129.0/24", "10.10.130.0/24"]));
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    // AWS Knowledge Center, cloudformation-vpc-peering-error: overlapping ranges are one cause of this reason.
    expect(events.find((e) => e.ResourceStatus === "CREATE_FAILED")).toMatchObject({
      LogicalResourceId: "PeeringConnection",
      ResourceStatusReason: "VpcPeeringConnection failed to stabilize",
    });
    // EC2 accepted the request: the connection exists, failed, in both regions (it cannot be deleted then).
    for (const region of [REGION_B, REGION_A]) {
      const { VpcPeeringConnections } = await ec2[region]!.send(new DescribeVpcPeeringConnectionsCommand({}));
      expect(VpcPeeringConnections?.map((p) => [p.AccepterVpcInfo?.VpcId, p.Status?.Code]), region).toEqual([[api.VpcId, "failed"]]);
    }
    expect(await nonDefaultVpcs(REGION_B)).toEqual([]);
  });
});

describe("the emulated account's Availability Zones refuse what AWS refuses", () => {
  const stage1 = (zones: Record<string, string>) => ({
    DeploymentName: NAME,
    VpcCidr: API_CIDR,
    Subnet1Cidr: "10.10.1.0/24",
    Subnet2Cidr: "10.10.2.0/24",
    ...zones,
    ClientVpcCidr: CLIENT_CIDR,
  });

  it("fails a zone parameter that is no zone of the stack's region as the stack runs, with the stack's own reason", async () => {
    await moto.reset();
    // AWS accepts the request and the stack fails: no resource row, the cause on the stack's ROLLBACK_IN_PROGRESS
    // (PacktPublishing/Implementing-DevOps-on-AWS#2, AWSinAction/code2#40).
    const { stack, events, token } = await execute(REGION_A, API, stage1({ AvailabilityZone1: "eu-west-1a", AvailabilityZone2: "us-east-1b" }));
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(events.filter((e) => e.LogicalResourceId !== stack?.StackName), "no resource is created or failed").toEqual([]);
    expect([...events].reverse().map((e) => [e.ResourceStatus, e.ResourceStatusReason]).slice(-3)).toEqual([
      ["CREATE_IN_PROGRESS", "User Initiated"],
      ["ROLLBACK_IN_PROGRESS", "Parameter validation failed: parameter value eu-west-1a for parameter name AvailabilityZone1 does not exist. Rollback requested by user."],
      ["ROLLBACK_COMPLETE", undefined],
    ]);
    expect(events[0]?.ClientRequestToken).toBe(token);
    expect(await nonDefaultVpcs(REGION_A)).toEqual([]);
  });

  it("fails the execute-api endpoint in a zone the endpoint service does not list, with AWS's reason", async () => {
    await moto.reset();
    const { ServiceDetails } = await ec2[REGION_A]!.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [`com.amazonaws.${REGION_A}.execute-api`] }),
    );
    expect(ServiceDetails?.[0]?.AvailabilityZones).not.toContain("us-east-1a");
    const { stack, events } = await execute(REGION_A, API, stage1({ AvailabilityZone1: "us-east-1a", AvailabilityZone2: "us-east-1b" }));
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(events.find((e) => e.ResourceStatus === "CREATE_FAILED")).toMatchObject({
      LogicalResourceId: "Endpoint",
      // The endpoint's handler words it so (awslabs/aws-orbit-workbench#320).
      ResourceStatusReason: expect.stringMatching(
        /^The VPC endpoint service com\.amazonaws\.us-east-1\.execute-api does not support the availability zone of the subnet: subnet-[0-9a-f]+\. \(Service: AmazonEC2; Status Code: 400; Error Code: InvalidParameter; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
      ),
    });
  });

  it("fails the client function in a subnet of use1-az3 with Lambda's reason", async () => {
    await moto.reset();
    const api = await deploy(REGION_B, API, stage1({ AvailabilityZone1: "eu-west-1b", AvailabilityZone2: "eu-west-1c" }));
    const { stack, events } = await execute(REGION_A, CLIENT, {
      ...clientParameters(api, [CLIENT_CIDR, "10.20.1.0/24", "10.20.2.0/24"]),
      ApiRegion: REGION_B,
      AvailabilityZone1: "us-east-1a", // use1-az3 in this account
      AvailabilityZone2: "us-east-1b",
    });
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(events.find((e) => e.ResourceStatus === "CREATE_FAILED")).toMatchObject({
      ResourceType: "AWS::Lambda::Function",
      // Lambda's text (keboola/developer-portal#81) in the form of the function's registry handler (vittorio-nardone/disposable_app#3).
      ResourceStatusReason: expect.stringMatching(
        /^Resource handler returned message: "The provided subnets contain availability zone Lambda doesn't support\. Please use a different set of subnets\. \(Service: Lambda, Status Code: 400, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/,
      ),
    });
  });
});
