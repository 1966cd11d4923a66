import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  DescribeAvailabilityZonesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type Vpc,
} from "@aws-sdk/client-ec2";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { ExpiredTokenException, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { CredentialsError } from "../../../src/aws/errors.js";
import { UsageError } from "../../../src/errors.js";
import type { Answers } from "../../../src/config/answers.js";
import { preflight, PreflightError } from "../../../src/steps/deploy/preflight.js";
import { ec2Error, endpointService, recorder, stackMissing, testClients, zones } from "../../helpers/aws-fixtures.js";
import { systemClock } from "../../../src/aws/clock.js";

const answers: Answers = {
  name: "demo",
  apiRegion: "us-east-1",
  apiCidr: "10.10.0.0/16",
  clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16" }],
  profile: "p",
};
const ARN = "arn:aws:sts::123456789012:assumed-role/Admin/dev";

function vpc(id: string, cidr: string, tags: Record<string, string> = {}): Vpc {
  return {
    VpcId: id,
    CidrBlock: cidr,
    CidrBlockAssociationSet: [{ CidrBlock: cidr, CidrBlockState: { State: "associated" } }],
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

describe("preflight", () => {
  let clients: AwsClients;
  const sts = mockClient(STSClient);
  const cfn = mockClient(CloudFormationClient);
  // Every action allowed, answered as IAM does (per resource); the check's own cases are in test/steps.
  const iam = mockClient(IAMClient);
  let ec2Api: ReturnType<typeof mockClient>;
  let ec2Client: ReturnType<typeof mockClient>;

  beforeEach(() => {
    clients = testClients("p");
    sts.reset();
    cfn.reset();
    iam.reset();
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) =>
      Promise.resolve({
        EvaluationResults: input.ActionNames.map((action) => ({
          EvalActionName: action,
          EvalDecision: "allowed",
          ResourceSpecificResults: input.ResourceArns.map((r) => ({ EvalResourceName: r, EvalResourceDecision: "allowed" })),
        })),
        IsTruncated: false,
      }),
    );
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: ARN, UserId: "AROA:dev" });
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
    ec2Api = mockClient(clients.ec2("us-east-1"));
    ec2Client = mockClient(clients.ec2("eu-west-1"));
    ec2Api.on(DescribeAvailabilityZonesCommand).resolves(zones("us-east-1", ["a", "b", "c"]));
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves(endpointService("us-east-1", ["a", "b", "c"]));
    ec2Client.on(DescribeAvailabilityZonesCommand).resolves(zones("eu-west-1", ["a", "b"]));
    ec2Api.on(DescribeVpcsCommand).resolves({ Vpcs: [vpc("vpc-default1", "172.31.0.0/16")] });
    ec2Client.on(DescribeVpcsCommand).resolves({ Vpcs: [vpc("vpc-default2", "172.31.0.0/16")] });
  });

  afterEach(() => {
    clients.destroy();
  });

  it("shows who is calling before anything else and returns two zones of each region, with their ids", async () => {
    const { events, emit } = recorder();
    const result = await preflight({ clients, emit, clock: systemClock }, answers);

    expect(events[0]).toMatchObject({ kind: "identity", account: "123456789012", arn: ARN });
    expect(result.account).toBe("123456789012");
    expect(result.zones).toEqual({
      api: [{ name: "us-east-1a", id: "use1-az4" }, { name: "us-east-1b", id: "use1-az6" }],
      clients: { "eu-west-1": [{ name: "eu-west-1a", id: "euw1-az3" }, { name: "eu-west-1b", id: "euw1-az1" }] },
    });
    expect(result.warnings).toEqual([]);
    expect(result.existingStacks.api.present).toBe(false);
  });

  it("simulates the caller's permissions as its role, reports the verdict, and skips that only when told to", async () => {
    const { events, emit } = recorder();
    const result = await preflight({ clients, emit, clock: systemClock }, answers);
    expect(result.permissions).toMatchObject({ outcome: "passed", principal: "arn:aws:iam::123456789012:role/Admin" });
    expect(events.filter((e) => e.kind === "permission-check")).toEqual([expect.objectContaining({ report: result.permissions })]);

    iam.resetHistory();
    const skipped = await preflight({ clients, emit: () => {}, clock: systemClock, checkPermissions: false }, answers);
    expect(skipped.permissions).toEqual({ outcome: "skipped", reason: "--no-permission-check was given" });
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
  });

  it("says how to enable a region the account has not opted into", async () => {
    ec2Client.on(DescribeAvailabilityZonesCommand).rejects(ec2Error("AuthFailure", "AWS was not able to validate the provided access credentials"));
    const error = await preflight({ clients, emit: () => {}, clock: systemClock }, answers).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PreflightError);
    expect((error as Error).message).toContain(
      "region eu-west-1 is not enabled for this account: enable it in the console under Account > AWS Regions",
    );
  });

  it("treats OptInRequired the same way", async () => {
    ec2Api.on(DescribeAvailabilityZonesCommand).rejects(ec2Error("OptInRequired", "You are not subscribed to this service."));
    await expect(preflight({ clients, emit: () => {}, clock: systemClock }, answers)).rejects.toThrow(/region us-east-1 is not enabled for this account/);
  });

  it("refuses a region with only one available zone and names it", async () => {
    ec2Client.on(DescribeAvailabilityZonesCommand).resolves(zones("eu-west-1", ["a"]));
    const error = await preflight({ clients, emit: () => {}, clock: systemClock }, answers).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreflightError);
    expect((error as Error).message).toBe(
      "region eu-west-1 has only one Availability Zone (eu-west-1a (euw1-az3)) the client VPC can use; it needs 2: choose another region",
    );
  });

  it("reports problems in both regions at once", async () => {
    ec2Api.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [] });
    ec2Client.on(DescribeAvailabilityZonesCommand).rejects(ec2Error("AuthFailure", "not validated"));
    const error = (await preflight({ clients, emit: () => {}, clock: systemClock }, answers).catch((e: unknown) => e)) as Error;
    expect(error.message.split("\n")).toHaveLength(2);
    expect(error.message).toContain("region us-east-1 has no Availability Zone the API VPC can use");
    expect(error.message).toContain("region eu-west-1 is not enabled");
  });

  it("warns about an existing VPC whose range overlaps, naming its id, Name tag and range", async () => {
    ec2Client.on(DescribeVpcsCommand).resolves({
      Vpcs: [vpc("vpc-0shared", "10.20.128.0/20", { Name: "shared-services" }), vpc("vpc-default2", "172.31.0.0/16")],
    });
    const { events, emit } = recorder();
    const result = await preflight({ clients, emit, clock: systemClock }, answers);

    expect(result.warnings).toEqual([
      'the client VPC range 10.20.0.0/16 overlaps existing VPC vpc-0shared "shared-services" 10.20.128.0/20 in eu-west-1: ' +
        "the two can never be peered or routed to each other",
    ]);
    expect(events.filter((e) => e.kind === "warning").map((e) => e.message)).toEqual(result.warnings);
  });

  it("ignores this deployment's own VPCs, found by our tag or by our stack's name", async () => {
    ec2Api.on(DescribeVpcsCommand).resolves({
      Vpcs: [vpc("vpc-ours1", "10.10.0.0/16", { "aws:cloudformation:stack-name": "demo-api" })],
    });
    ec2Client.on(DescribeVpcsCommand).resolves({
      Vpcs: [
        vpc("vpc-ours2", "10.20.0.0/16", { "xregion-private-api:deployment": "demo" }),
        vpc("vpc-other", "10.20.0.0/16", { "xregion-private-api:deployment": "other" }),
      ],
    });
    const result = await preflight({ clients, emit: () => {}, clock: systemClock }, answers);

    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("vpc-other (no Name tag) 10.20.0.0/16");
  });

  describe("the VPCs-per-Region quota (default 5)", () => {
    const others = (n: number) => Array.from({ length: n }, (_, i) => vpc(`vpc-0other${i}`, `172.${16 + i}.0.0/16`));
    const quotaWarnings = (warnings: readonly string[]) => warnings.filter((w) => w.includes("VpcLimitExceeded"));

    it("warns before deploying into a region that already has 5, and goes on", async () => {
      ec2Api.on(DescribeVpcsCommand).resolves({ Vpcs: others(5) });
      const { events, emit } = recorder();
      const result = await preflight({ clients, emit, clock: systemClock }, answers);
      expect(quotaWarnings(result.warnings)).toEqual([
        "us-east-1 already has 5 VPCs and this deployment adds 1: the default quota is 5 per Region, so the stack may fail with VpcLimitExceeded. " +
          "Check this account's quota (aws service-quotas get-service-quota --service-code vpc --quota-code L-F678F1CE --region us-east-1), or delete a VPC no longer used",
      ]);
      expect(events).toContainEqual(expect.objectContaining({ kind: "warning", message: quotaWarnings(result.warnings)[0] }));
      expect(result.zones.api).toHaveLength(2);
    });

    it("stays quiet at 4, and on a re-run whose own VPC is among the 5", async () => {
      ec2Api.on(DescribeVpcsCommand).resolves({ Vpcs: others(4) });
      expect(quotaWarnings((await preflight({ clients, emit: () => {}, clock: systemClock }, answers)).warnings)).toEqual([]);
      ec2Api.on(DescribeVpcsCommand).resolves({ Vpcs: [...others(4), vpc("vpc-ours1", "10.10.0.0/16", { "aws:cloudformation:stack-name": "demo-api" })] });
      expect(quotaWarnings((await preflight({ clients, emit: () => {}, clock: systemClock }, answers)).warnings)).toEqual([]);
    });
  });

  it("reports the states of stacks left by an earlier run, and absent ones as absent", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-api" }).resolves({
      Stacks: [
        {
          StackName: "demo-api",
          StackStatus: "ROLLBACK_COMPLETE",
          StackStatusReason: "The following resource(s) failed to create: [Endpoint].",
          CreationTime: new Date("2026-11-24T09:00:00Z"),
        },
      ],
    });
    const { events, emit } = recorder();
    const result = await preflight({ clients, emit, clock: systemClock }, answers);

    expect(result.existingStacks.api).toMatchObject({ present: true, status: "ROLLBACK_COMPLETE", lastChange: "2026-11-24T09:00:00.000Z" });
    expect(result.existingStacks.clients[0]?.client.present).toBe(false);
    expect(result.existingStacks.clients[0]?.routes.present).toBe(false);
    expect(events).toContainEqual(expect.objectContaining({ kind: "info", stage: 1, message: expect.stringContaining("demo-api (us-east-1): ROLLBACK_COMPLETE") }));
  });

  describe("the API VPC's quotas", () => {
    const peering = (id: string) => ({ VpcPeeringConnectionId: id, Status: { Code: "active" as const } });

    beforeEach(() => {
      cfn.on(DescribeStacksCommand, { StackName: "demo-api" }).resolves({
        Stacks: [
          {
            StackName: "demo-api",
            StackStatus: "UPDATE_COMPLETE",
            CreationTime: new Date("2026-11-24T09:00:00Z"),
            Outputs: [
              { OutputKey: "VpcId", OutputValue: "vpc-0api" },
              { OutputKey: "RouteTableIds", OutputValue: "rtb-0api" },
              { OutputKey: "EndpointSecurityGroupId", OutputValue: "sg-0endpoint" },
            ],
            Parameters: [{ ParameterKey: "ClientVpcCidr", ParameterValue: "10.20.0.0/16" }],
          },
        ],
      });
      ec2Api.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: "rtb-0api", Routes: [{ DestinationCidrBlock: "10.10.0.0/16", GatewayId: "local" }] }] });
      ec2Api.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [{ IsEgress: false }, { IsEgress: false }, { IsEgress: true }] });
    });

    it("count the API VPC's active peerings from AWS and stop, exit 2, when new client regions would pass the quota", async () => {
      // 49 where the API VPC accepted, one where it requested (the same one seen from both sides counts once).
      ec2Api.on(DescribeVpcPeeringConnectionsCommand).callsFake((input: { Filters: { Name: string }[] }) =>
        Promise.resolve({
          VpcPeeringConnections: input.Filters.some((f) => f.Name === "accepter-vpc-info.vpc-id")
            ? Array.from({ length: 49 }, (_, i) => peering(`pcx-a${i}`))
            : [peering("pcx-r0"), peering("pcx-a0")],
        }),
      );
      const second = mockClient(clients.ec2("ap-southeast-2"));
      second.on(DescribeAvailabilityZonesCommand).resolves(zones("ap-southeast-2", ["a", "b"]));
      second.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
      const two = { ...answers, clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16" }, { region: "ap-southeast-2", cidr: "10.21.0.0/16" }] };
      const error = await preflight({ clients, emit: () => {}, clock: systemClock, checkPermissions: false }, two).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        "the API VPC vpc-0api has 50 and these client regions add 2 (eu-west-1, ap-southeast-2): more than the quota of 50 active VPC peering connections per VPC; " +
          "deploy at most 0 new client regions now, or raise it in Service Quotas (L-7E9ECCDB, up to 125)",
      );
    });

    it("let a deploy go on that fills the quota exactly, reading the route table stage 1 names", async () => {
      ec2Api.on(DescribeVpcPeeringConnectionsCommand).resolves({ VpcPeeringConnections: Array.from({ length: 49 }, (_, i) => peering(`pcx-a${i}`)) });
      const result = await preflight({ clients, emit: () => {}, clock: systemClock, checkPermissions: false }, answers);
      expect(result.deployed.admittedCidr).toBe("10.20.0.0/16");
      expect(ec2Api.commandCalls(DescribeRouteTablesCommand)[0]?.args[0].input).toEqual({ RouteTableIds: ["rtb-0api"] });
    });
  });

  it("turns expired credentials into the exact command that fixes them", async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      new ExpiredTokenException({ message: "The security token included in the request is expired", $metadata: { httpStatusCode: 400 } }),
    );
    const error = await preflight({ clients, emit: () => {}, clock: systemClock }, answers).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).fix).toMatch(/^aws sso login --profile p\b/);
    expect(ec2Api.calls()).toHaveLength(0);
  });
});
