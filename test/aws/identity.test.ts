import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { ExpiredTokenException, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { CredentialsError } from "../../src/aws/errors.js";
import { callerIdentity, simulate, simulationPrincipal } from "../../src/aws/identity.js";
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
    context: { "aws:RequestedRegion": "us-east-1" },
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
      ContextEntries: [{ ContextKeyName: "aws:RequestedRegion", ContextKeyValues: ["us-east-1"], ContextKeyType: "string" }],
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
