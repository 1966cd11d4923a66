import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IAMClient, NoSuchEntityException, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { ExpiredTokenException, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { CredentialsError } from "../../src/aws/errors.js";
import { callerIdentity, firstKnownPrincipal, isIdentityCenterRole, simulate, simulationPrincipal, ssoRegionOf, ssoRoleArns } from "../../src/aws/identity.js";
import { testClients } from "../helpers/aws-fixtures.js";

describe("the principal simulated for a caller", () => {
  it("keeps an IAM user's ARN, path included", () => {
    expect(simulationPrincipal("arn:aws:iam::123456789012:user/ops/alice")).toEqual({
      kind: "principal",
      arn: "arn:aws:iam::123456789012:user/ops/alice",
      fromSession: false,
    });
  });

  it("maps an assumed-role session to its role, in the caller's partition", () => {
    expect(simulationPrincipal("arn:aws:sts::123456789012:assumed-role/Deployer/alice@example.com")).toEqual({
      kind: "principal",
      arn: "arn:aws:iam::123456789012:role/Deployer",
      fromSession: true,
    });
    expect(simulationPrincipal("arn:aws-cn:sts::123456789012:assumed-role/Deployer/ci")).toMatchObject({ arn: "arn:aws-cn:iam::123456789012:role/Deployer" });
  });

  it("maps a session of a role with a path to the role without it (the session ARN does not carry the path)", () => {
    // The role arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123 shows as:
    expect(simulationPrincipal("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice")).toEqual({
      kind: "principal",
      arn: "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123",
      fromSession: true,
    });
  });

  it("tries an IAM Identity Center role under its path, the region of the instance first, us-east-1's without a region", () => {
    const role = "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123";
    expect(isIdentityCenterRole(role)).toBe(true);
    expect(ssoRoleArns(role, ["eu-west-2", "us-east-1", "eu-west-2", "ap-southeast-2"])).toEqual([
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_Admin_0123",
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123",
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/ap-southeast-2/AWSReservedSSO_Admin_0123",
    ]);
    // Without us-east-1 among the regions, the path without a region is still tried, last.
    expect(ssoRoleArns("arn:aws-cn:iam::123456789012:role/AWSReservedSSO_Ops_9", ["cn-north-1"])).toEqual([
      "arn:aws-cn:iam::123456789012:role/aws-reserved/sso.amazonaws.com/cn-north-1/AWSReservedSSO_Ops_9",
      "arn:aws-cn:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_9",
    ]);
    for (const other of ["arn:aws:iam::123456789012:role/Deployer", "arn:aws:iam::123456789012:user/AWSReservedSSO_x", "arn:aws:iam::123456789012:role/x/AWSReservedSSO_Admin_1"]) {
      expect(isIdentityCenterRole(other), other).toBe(false);
      expect(ssoRoleArns(other, ["us-east-1"])).toEqual([]);
    }
  });

  it("cannot simulate the root user, a federated user or anything else, and says which it is", () => {
    expect(simulationPrincipal("arn:aws:iam::123456789012:root")).toMatchObject({ kind: "unsupported", reason: expect.stringContaining("root user") });
    expect(simulationPrincipal("arn:aws:sts::123456789012:federated-user/bob")).toMatchObject({
      kind: "unsupported",
      reason: expect.stringContaining("federated user"),
    });
    expect(simulationPrincipal("arn:aws:sts::123456789012:user/moto")).toMatchObject({ kind: "unsupported" });
    expect(simulationPrincipal("not an arn")).toMatchObject({ kind: "unsupported" });
  });
});

describe("simulate", () => {
  const iam = mockClient(IAMClient);
  const client = new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } });
  const request = {
    principalArn: "arn:aws:iam::123456789012:role/Deployer",
    actions: ["ec2:CreateVpc", "ec2:DeleteVpc"],
    resources: ["arn:aws:ec2:us-east-1:123456789012:vpc/*", "arn:aws:ec2:us-east-1:123456789012:subnet/*"],
    context: [
      { key: "aws:RequestedRegion", values: ["us-east-1"], type: "string" as const },
      { key: "aws:CalledVia", values: ["cloudformation.amazonaws.com"], type: "stringList" as const },
      { key: "aws:ViaAWSService", values: ["true"], type: "boolean" as const },
    ],
  };
  beforeEach(() => iam.reset());

  it("reads each resource's decision, and follows IsTruncated/Marker to the last page", async () => {
    iam
      .on(SimulatePrincipalPolicyCommand)
      .resolvesOnce({
        EvaluationResults: [
          {
            EvalActionName: "ec2:CreateVpc",
            EvalDecision: "implicitDeny",
            ResourceSpecificResults: [
              { EvalResourceName: request.resources[0], EvalResourceDecision: "allowed" },
              { EvalResourceName: request.resources[1], EvalResourceDecision: "implicitDeny" },
            ],
          },
        ],
        IsTruncated: true,
        Marker: "page-2",
      })
      .resolvesOnce({
        EvaluationResults: [
          {
            EvalActionName: "ec2:DeleteVpc",
            EvalDecision: "explicitDeny",
            MissingContextValues: [],
            ResourceSpecificResults: [
              { EvalResourceName: request.resources[0], EvalResourceDecision: "explicitDeny" },
              { EvalResourceName: request.resources[1], EvalResourceDecision: "implicitDeny", MissingContextValues: ["aws:ResourceTag/team"] },
            ],
          },
        ],
        IsTruncated: false,
      });
    const decisions = await simulate(client, request);

    expect(decisions).toEqual([
      { action: "ec2:CreateVpc", resource: request.resources[0], decision: "allowed", missingContext: [] },
      { action: "ec2:CreateVpc", resource: request.resources[1], decision: "implicitDeny", missingContext: [] },
      { action: "ec2:DeleteVpc", resource: request.resources[0], decision: "explicitDeny", missingContext: [] },
      { action: "ec2:DeleteVpc", resource: request.resources[1], decision: "implicitDeny", missingContext: ["aws:ResourceTag/team"] },
    ]);
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Marker)).toEqual([undefined, "page-2"]);
    expect(calls[0]).toMatchObject({
      PolicySourceArn: request.principalArn,
      ActionNames: request.actions,
      ResourceArns: request.resources,
      ContextEntries: [
        { ContextKeyName: "aws:RequestedRegion", ContextKeyValues: ["us-east-1"], ContextKeyType: "string" },
        { ContextKeyName: "aws:CalledVia", ContextKeyValues: ["cloudformation.amazonaws.com"], ContextKeyType: "stringList" },
        { ContextKeyName: "aws:ViaAWSService", ContextKeyValues: ["true"], ContextKeyType: "boolean" },
      ],
    });
  });

  it("takes a top-level answer for the resource it names, and for every resource when it names *", async () => {
    iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [
        { EvalActionName: "ec2:CreateVpc", EvalResourceName: request.resources[1], EvalDecision: "allowed" },
        { EvalActionName: "ec2:DeleteVpc", EvalResourceName: "*", EvalDecision: "implicitDeny", MissingContextValues: ["ec2:Vpc"] },
      ],
      IsTruncated: false,
    });
    const decisions = await simulate(client, request);

    expect(decisions).toEqual([
      { action: "ec2:CreateVpc", resource: request.resources[1], decision: "allowed", missingContext: [] },
      { action: "ec2:DeleteVpc", resource: request.resources[0], decision: "implicitDeny", missingContext: ["ec2:Vpc"] },
      { action: "ec2:DeleteVpc", resource: request.resources[1], decision: "implicitDeny", missingContext: ["ec2:Vpc"] },
    ]);
  });
});

describe("finding which ARN IAM knows", () => {
  const iam = mockClient(IAMClient);
  const client = new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } });
  const arns = ["a", "b", "c", "d", "e"].map((x) => `arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/${x}/AWSReservedSSO_Admin_0123`);
  const missing = () => new NoSuchEntityException({ message: "The role with name AWSReservedSSO_Admin_0123 cannot be found.", $metadata: { httpStatusCode: 404 } });
  beforeEach(() => iam.reset());

  it("takes the first known in order, asking a few at a time and no further than the batch that found it", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { PolicySourceArn?: string }) =>
      input.PolicySourceArn === arns[1] || input.PolicySourceArn === arns[2] ? Promise.resolve({ EvaluationResults: [] }) : Promise.reject(missing()),
    );
    expect(await firstKnownPrincipal(client, arns, 3)).toBe(arns[1]);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.PolicySourceArn).sort()).toEqual(arns.slice(0, 3).sort());
  });

  it("is undefined when IAM knows none, and lets other errors through", async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(missing());
    expect(await firstKnownPrincipal(client, arns, 2)).toBeUndefined();
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(5);
    iam.reset();
    const denied = Object.assign(new Error("not authorized to perform: iam:SimulatePrincipalPolicy"), { name: "AccessDenied" });
    iam.on(SimulatePrincipalPolicyCommand).rejects(denied);
    await expect(firstKnownPrincipal(client, arns, 2)).rejects.toBe(denied);
  });
});

describe("the profile's IAM Identity Center region", () => {
  const dir = mkdtempSync(join(tmpdir(), "xregion-sso-"));
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function config(name: string, text: string): void {
    const path = join(dir, name);
    writeFileSync(path, text);
    vi.stubEnv("AWS_CONFIG_FILE", path);
  }

  it("reads sso_region from the profile's sso-session, or from the profile itself", async () => {
    config(
      "sessions",
      "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-2\n\n[profile legacy]\nsso_region = ap-southeast-2\nsso_start_url = https://corp.awsapps.com/start\n\n[default]\nregion = us-east-1\n",
    );
    expect(await ssoRegionOf("dev")).toBe("eu-west-2");
    expect(await ssoRegionOf("legacy")).toBe("ap-southeast-2");
    expect(await ssoRegionOf(undefined)).toBeUndefined();
    vi.stubEnv("AWS_PROFILE", "dev");
    expect(await ssoRegionOf(undefined)).toBe("eu-west-2");
  });

  it("is undefined without a config file", async () => {
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "absent"));
    expect(await ssoRegionOf("dev")).toBeUndefined();
  });
});

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const sts = mockClient(STSClient);

describe("asking who we are", () => {
  let clients: AwsClients | undefined;
  beforeEach(() => sts.reset());
  afterEach(() => clients?.destroy());

  async function failure(error: Error, profile?: string): Promise<unknown> {
    clients = testClients(profile);
    sts.on(GetCallerIdentityCommand).rejects(error);
    return callerIdentity(clients, "eu-west-1").catch((e: unknown) => e);
  }

  it("asks STS in the partition's home region, which is always enabled", async () => {
    clients = testClients();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/ci" });
    expect(await callerIdentity(clients, "ap-southeast-7")).toEqual({ account: "123456789012", arn: "arn:aws:iam::123456789012:user/ci" });
    expect(await (sts.calls()[0]?.thisValue as STSClient).config.region()).toBe("us-east-1");
  });

  it("turns an expired session into sso login for the profile", async () => {
    const error = await failure(new ExpiredTokenException({ message: "The security token included in the request is expired", $metadata: {} }), "p");
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).problem).toBe("expired");
    expect((error as CredentialsError).fix).toMatch(/^aws sso login --profile p\b/);
  });

  it("turns an expired SSO session into sso login for the profile", async () => {
    const error = await failure(
      named(
        "CredentialsProviderError",
        "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.",
      ),
      "dev",
    );
    expect((error as CredentialsError).fix).toMatch(/^aws sso login --profile dev\b/);
  });

  it("tells a user with no credentials at all how to provide some", async () => {
    const error = await failure(named("CredentialsProviderError", "Could not load credentials from any providers"));
    expect(error).toMatchObject({ problem: "missing" });
    expect((error as CredentialsError).fix).toContain("aws configure");
    expect((error as CredentialsError).fix).toContain("AWS_PROFILE");
  });

  it("lets other failures through unchanged", async () => {
    const throttled = named("ThrottlingException", "Rate exceeded");
    expect(await failure(throttled, "p")).toBe(throttled);
  });
});
