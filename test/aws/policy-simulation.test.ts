import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { simulate, simulationPrincipal } from "../../src/aws/identity.js";

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
