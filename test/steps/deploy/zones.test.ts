// Which two zones each VPC gets, from AWS's own answers (DescribeAvailabilityZones, DescribeVpcEndpointServices,
// DescribeStacks), driven through preflight with the SDK mocked; and what a Lambda refusal says afterwards.
import { CloudFormationClient, DescribeStacksCommand, type Stack } from "@aws-sdk/client-cloudformation";
import { DescribeAvailabilityZonesCommand, DescribeVpcEndpointServicesCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { executeApiServiceName } from "../../../src/aws/ec2-lookups.js";
import type { Answers } from "../../../src/config/answers.js";
import { UsageError } from "../../../src/errors.js";
import { preflight, PreflightError } from "../../../src/steps/deploy/preflight.js";
import { lambdaZoneAdvice, zoneFailureAdvice } from "../../../src/steps/deploy/zones.js";
import { ec2Error, endpointService, recorder, stackMissing, testClients } from "../../helpers/aws-fixtures.js";
import { systemClock } from "../../../src/aws/clock.js";

// Client in us-east-1 (where Lambda refuses use1-az3), API in eu-west-1; mappings as one real account has them.
const answers: Answers = { name: "demo", apiRegion: "eu-west-1", apiCidr: "10.10.0.0/16", clients: [{ region: "us-east-1", cidr: "10.20.0.0/16" }] };

type Az = { ZoneName: string; ZoneId: string; ZoneType?: string; OptInStatus?: "opt-in-not-required" | "opted-in" | "not-opted-in"; State?: "available" | "impaired" };
const az = (ZoneName: string, ZoneId: string, extra: Partial<Az> = {}): Az => ({
  ZoneName,
  ZoneId,
  ZoneType: "availability-zone",
  OptInStatus: "opt-in-not-required",
  State: "available",
  ...extra,
});
const US_EAST_1 = [
  az("us-east-1a", "use1-az3"),
  az("us-east-1b", "use1-az6"),
  az("us-east-1c", "use1-az1"),
  az("us-east-1d", "use1-az2"),
];
const EU_WEST_1 = [az("eu-west-1a", "euw1-az3"), az("eu-west-1b", "euw1-az1"), az("eu-west-1c", "euw1-az2")];

function existing(stackName: string, zones: [string, string], status = "CREATE_COMPLETE"): { Stacks: Stack[] } {
  return {
    Stacks: [
      {
        StackName: stackName,
        StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${stackName}/0f1e2d3c-0000-4000-8000-000000000001`,
        StackStatus: status as Stack["StackStatus"],
        CreationTime: new Date("2026-11-20T10:00:00Z"),
        Parameters: [
          { ParameterKey: "DeploymentName", ParameterValue: "demo" },
          { ParameterKey: "AvailabilityZone1", ParameterValue: zones[0] },
          { ParameterKey: "AvailabilityZone2", ParameterValue: zones[1] },
        ],
      },
    ],
  };
}

describe("zones chosen by preflight", () => {
  let clients: AwsClients;
  const sts = mockClient(STSClient);
  const cfn = mockClient(CloudFormationClient);
  let ec2Api: ReturnType<typeof mockClient>;
  let ec2Client: ReturnType<typeof mockClient>;

  beforeEach(() => {
    clients = testClients();
    sts.reset();
    cfn.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/dev", UserId: "AIDA" });
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
    ec2Api = mockClient(clients.ec2("eu-west-1"));
    ec2Client = mockClient(clients.ec2("us-east-1"));
    ec2Api.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: EU_WEST_1 });
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves(endpointService("eu-west-1", ["a", "b", "c"]));
    ec2Client.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: US_EAST_1 });
    for (const ec2 of [ec2Api, ec2Client]) ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  });

  afterEach(() => {
    clients.destroy();
  });

  // The one client region's zones, as --client-azs gives them.
  const clientAzs = (azs: string): Partial<Answers> => ({ clients: [{ region: "us-east-1", cidr: "10.20.0.0/16", azs }] });
  const run = (over: Partial<Answers> = {}) => {
    const { events, emit } = recorder();
    // Zones only: the permission simulation (IAM, unmocked here) is preflight.test.ts's.
    return preflight({ clients, emit, clock: systemClock, checkPermissions: false }, { ...answers, ...over }).then((result) => ({ result, events }));
  };
  const failure = (over: Partial<Answers> = {}) => run(over).then(
    () => expect.unreachable("preflight should have failed"),
    (error: unknown) => error as Error,
  );

  it("never puts the client in a zone id Lambda refuses for VPC functions (use1-az3), whatever its name", async () => {
    const { result, events } = await run();
    expect(result.zones.clients["us-east-1"]!).toEqual([{ name: "us-east-1b", id: "use1-az6" }, { name: "us-east-1c", id: "use1-az1" }]);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: "zones", role: "client", region: "us-east-1", source: "chosen", zones: result.zones.clients["us-east-1"]! }),
    );
  });

  it("puts the API only in zones the execute-api endpoint service is offered in, asking for the region's own service name", async () => {
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves(endpointService("eu-west-1", ["b", "c"]));
    const { result } = await run();
    expect(result.zones.api).toEqual([{ name: "eu-west-1b", id: "euw1-az1" }, { name: "eu-west-1c", id: "euw1-az2" }]);
    expect(ec2Api.commandCalls(DescribeVpcEndpointServicesCommand)[0]?.args[0].input).toEqual({ ServiceNames: ["com.amazonaws.eu-west-1.execute-api"] });
  });

  it("reads the endpoint service's zone ids when it answers them, mapped to this account's names, before its names", async () => {
    const { AvailabilityZones: _names, ...byIds } = endpointService("eu-west-1", [])["ServiceDetails"][0]!;
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [{ ...byIds, AvailabilityZoneIds: ["euw1-az2", "euw1-az1"] }] });
    expect((await run()).result.zones.api).toEqual([{ name: "eu-west-1b", id: "euw1-az1" }, { name: "eu-west-1c", id: "euw1-az2" }]);
    // Both answered: the ids decide (a name is this caller's mapping, an id the same zone everywhere).
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [{ ...byIds, AvailabilityZones: ["eu-west-1a", "eu-west-1b"], AvailabilityZoneIds: ["euw1-az1", "euw1-az2"] }] });
    expect((await run()).result.zones.api.map((z) => z.id)).toEqual(["euw1-az1", "euw1-az2"]);
  });

  it("names China's endpoint service with its cn. prefix", () => {
    expect(executeApiServiceName("cn-north-1")).toBe("cn.com.amazonaws.cn-north-1.execute-api");
    expect(executeApiServiceName("us-gov-west-1")).toBe("com.amazonaws.us-gov-west-1.execute-api");
  });

  it("leaves out Local Zones and zones that need an opt-in, though their names sort first", async () => {
    ec2Client.on(DescribeAvailabilityZonesCommand).resolves({
      AvailabilityZones: [
        az("us-east-1-bos-1a", "use1-bos1-az1", { ZoneType: "local-zone", OptInStatus: "opted-in" }),
        az("us-east-1-wl1-atl-wlz-1", "use1-wl1-atl-wlz1", { ZoneType: "wavelength-zone", OptInStatus: "opted-in" }),
        az("us-east-1a", "use1-az4", { OptInStatus: "not-opted-in" }),
        az("us-east-1b", "use1-az6", { State: "impaired" }),
        ...US_EAST_1.slice(2),
      ],
    });
    const { result } = await run();
    expect(result.zones.clients["us-east-1"]!.map((z) => z.name)).toEqual(["us-east-1c", "us-east-1d"]);
  });

  it("takes zones whose answer has no OptInStatus (stock moto, LocalStack): only not-opted-in is refused", async () => {
    const bare = ({ OptInStatus: _omitted, ...zone }: Az) => zone;
    ec2Client.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [az("us-east-1b", "use1-az6"), az("us-east-1c", "use1-az1"), az("us-east-1d", "use1-az2")].map(bare) });
    ec2Api.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [bare(EU_WEST_1[1]!), az("eu-west-1c", "euw1-az2", { OptInStatus: "not-opted-in" }), bare(EU_WEST_1[0]!)] });
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves(endpointService("eu-west-1", ["a", "b", "c"]));
    const { result } = await run();
    expect(result.zones.clients["us-east-1"]!.map((z) => z.name)).toEqual(["us-east-1b", "us-east-1c"]);
    expect(result.zones.api.map((z) => z.name)).toEqual(["eu-west-1a", "eu-west-1b"]);
  });

  it("fails for a region with fewer than two usable zones, saying why each other zone was left out", async () => {
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves(endpointService("eu-west-1", ["c"]));
    const error = await failure();
    expect(error).toBeInstanceOf(PreflightError);
    expect(error.message).toBe(
      "region eu-west-1 has only one Availability Zone (eu-west-1c (euw1-az2)) the API VPC can use; it needs 2: choose another region " +
        "(eu-west-1a (euw1-az3): the com.amazonaws.eu-west-1.execute-api endpoint service is not offered there; " +
        "eu-west-1b (euw1-az1): the com.amazonaws.eu-west-1.execute-api endpoint service is not offered there)",
    );
  });

  it("treats a region that does not offer execute-api at all (InvalidServiceName) as having no usable zone", async () => {
    ec2Api.on(DescribeVpcEndpointServicesCommand).rejects(
      ec2Error("InvalidServiceName", "The Vpc Endpoint Service 'com.amazonaws.eu-west-1.execute-api' does not exist"),
    );
    await expect(failure()).resolves.toMatchObject({ message: expect.stringMatching(/^region eu-west-1 has no Availability Zone the API VPC can use/) });
  });

  it("takes the zones of --client-azs, in their order, with their ids", async () => {
    const { result, events } = await run(clientAzs("us-east-1d,us-east-1b"));
    expect(result.zones.clients["us-east-1"]!).toEqual([{ name: "us-east-1d", id: "use1-az2" }, { name: "us-east-1b", id: "use1-az6" }]);
    expect(events).toContainEqual(expect.objectContaining({ kind: "zones", role: "client", source: "flags" }));
  });

  it("refuses a --client-azs zone Lambda cannot use as bad input, naming it, its id and the usable zones", async () => {
    const error = await failure(clientAzs("us-east-1a,us-east-1b"));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      "--client-azs us-east-1a,us-east-1b: us-east-1a (use1-az3) cannot hold the client VPC: Lambda does not run VPC functions in use1-az3; " +
        "usable zones in us-east-1: us-east-1b (use1-az6), us-east-1c (use1-az1), us-east-1d (use1-az2): pass e.g. --client-azs us-east-1b,us-east-1c",
    );
  });

  it("refuses an --api-azs zone the account does not have", async () => {
    const error = await failure({ apiAzs: "eu-west-1b,eu-west-1d" });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^--api-azs eu-west-1b,eu-west-1d: eu-west-1d cannot hold the API VPC: this account has no zone eu-west-1d in eu-west-1; usable zones in eu-west-1: /);
  });

  it("keeps the zones an existing stack already uses on a re-run, rather than the first two", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves(existing("demo-client", ["us-east-1d", "us-east-1c"]));
    const { result, events } = await run();
    expect(result.zones.clients["us-east-1"]!).toEqual([{ name: "us-east-1d", id: "use1-az2" }, { name: "us-east-1c", id: "use1-az1" }]);
    expect(events).toContainEqual(expect.objectContaining({ kind: "zones", role: "client", source: "existing stack" }));
    expect(events.filter((e) => e.kind === "warning")).toEqual([]);
  });

  it("warns that flags moving an existing stack's zones replace its subnets", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-api" }).resolves(existing("demo-api", ["eu-west-1a", "eu-west-1b"]));
    const { result, events } = await run({ apiAzs: "eu-west-1b,eu-west-1c" });
    expect(result.zones.api.map((z) => z.name)).toEqual(["eu-west-1b", "eu-west-1c"]);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: "warning",
        stage: 1,
        message:
          "demo-api has its subnets in eu-west-1a, eu-west-1b; moving them to eu-west-1b, eu-west-1c replaces both subnets and what sits in them (the execute-api endpoint)",
      }),
    );
  });

  it("chooses afresh for a stack that will be re-created (ROLLBACK_COMPLETE): its zones may be why it failed", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-client" }).resolves(existing("demo-client", ["us-east-1d", "us-east-1c"], "ROLLBACK_COMPLETE"));
    const { result, events } = await run();
    expect(result.zones.clients["us-east-1"]!.map((z) => z.name)).toEqual(["us-east-1b", "us-east-1c"]);
    expect(events.filter((e) => e.kind === "warning")).toEqual([]);
  });

  it("moves off an existing stack's zone that is no longer usable, and says the subnets are replaced", async () => {
    cfn.on(DescribeStacksCommand, { StackName: "demo-api" }).resolves(existing("demo-api", ["eu-west-1a", "eu-west-1b"]));
    ec2Api.on(DescribeVpcEndpointServicesCommand).resolves(endpointService("eu-west-1", ["b", "c"]));
    const { result, events } = await run();
    expect(result.zones.api.map((z) => z.name)).toEqual(["eu-west-1b", "eu-west-1c"]);
    expect(events).toContainEqual(expect.objectContaining({ kind: "warning", message: expect.stringContaining("replaces both subnets") }));
  });
});

describe("what a Lambda zone refusal says", () => {
  it("names the zone of the documented list and the flag to use", () => {
    expect(lambdaZoneAdvice("us-east-1", [{ name: "us-east-1a", id: "use1-az3" }, { name: "us-east-1b", id: "use1-az6" }])).toBe(
      "Lambda refused the Availability Zone us-east-1a (use1-az3), where Lambda runs no VPC functions: " +
        "run deploy again with two other zones of us-east-1, --client-azs <zone>,<zone>.",
    );
  });

  it("names both zones when Lambda refuses one the list does not know", () => {
    expect(lambdaZoneAdvice("us-west-2", [{ name: "us-west-2c", id: "usw2-az3" }, { name: "us-west-2d", id: "usw2-az4" }])).toContain(
      "us-west-2c (usw2-az3) or us-west-2d (usw2-az4) in us-west-2",
    );
  });
});

describe("what EC2's refusal of a subnet's zone says", () => {
  // The Subnet's CREATE_FAILED reason as real accounts show it (buildkite/elastic-ci-stack-for-aws#156), and
  // in CloudFormation's resource-handler wording (aws/aws-cdk#32017).
  const plain = "Value (us-east-1c) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: us-east-1e, us-east-1a, us-east-1d, us-east-1b.";
  const handler = (text: string) =>
    `Resource handler returned message: "${text} (Service: Ec2, Status Code: 400, Request ID: ca7d552a-ae83-424a-b7a5-3a730ba64a2d)" (RequestToken: a4d1c173-c0b7-eda7-5c86-ee7c2985676d, HandlerErrorCode: InvalidRequest)`;

  it("names the zone refused, the zones EC2 takes, and a pair for the VPC's flag that keeps the chosen zone it accepts", () => {
    const zones = [{ name: "us-east-1b", id: "use1-az6" }, { name: "us-east-1c", id: "use1-az1" }] as const;
    const advice =
      "EC2 refused a subnet of the client VPC in us-east-1c: this account can create subnets in us-east-1 only in us-east-1e, us-east-1a, us-east-1d, us-east-1b. " +
      "Run deploy again with two of them, e.g. --client-azs us-east-1b,us-east-1e.";
    expect(zoneFailureAdvice("client", "us-east-1", zones, plain)).toBe(advice);
    expect(zoneFailureAdvice("client", "us-east-1", zones, handler(plain))).toBe(advice);
  });

  it("for the API VPC, names --api-azs", () => {
    const reason = handler("Value (ap-northeast-1b) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ap-northeast-1a, ap-northeast-1c.");
    expect(zoneFailureAdvice("api", "ap-northeast-1", [{ name: "ap-northeast-1a" }, { name: "ap-northeast-1b" }], reason)).toBe(
      "EC2 refused a subnet of the API VPC in ap-northeast-1b: this account can create subnets in ap-northeast-1 only in ap-northeast-1a, ap-northeast-1c. " +
        "Run deploy again with two of them, e.g. --api-azs ap-northeast-1a,ap-northeast-1c.",
    );
  });

  it("leaves other failures to others: Lambda's refusal only for the client, nothing for the rest", () => {
    const lambda = "The provided subnets contain availability zone Lambda doesn't support.";
    expect(zoneFailureAdvice("client", "us-east-1", undefined, lambda)).toMatch(/^Lambda refused the Availability Zone/);
    expect(zoneFailureAdvice("api", "us-east-1", undefined, lambda)).toBeUndefined();
    expect(zoneFailureAdvice("api", "us-east-1", undefined, "The CIDR '10.10.0.0/24' conflicts with another subnet")).toBeUndefined();
  });
});
