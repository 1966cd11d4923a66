import {
  IAMClient,
  IAMServiceException,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
  type SimulatePrincipalPolicyCommandOutput,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { CredentialsError } from "../../src/aws/errors.js";
import type { Answers } from "../../src/config/answers.js";
import { checkPermissions, type PermissionReport } from "../../src/steps/permission-check.js";
import { deployPermissions } from "../../src/steps/permissions.js";
import { permissionLines } from "../../src/ui/wording.js";
import { testClients } from "../helpers/aws-fixtures.js";

const answers: Answers = { name: "demo", apiRegion: "us-east-1", clientRegion: "eu-west-1", apiCidr: "10.10.0.0/16", clientCidr: "10.20.0.0/16" };
const caller = { arn: "arn:aws:sts::123456789012:assumed-role/Deployer/alice", account: "123456789012" };
const ROLE = "arn:aws:iam::123456789012:role/Deployer";
const iam = mockClient(IAMClient);

type Decide = (action: string, resource: string, region: string) => "allowed" | "explicitDeny" | "implicitDeny" | { missing: string[] };

// Answers as IAM does: every action of the call evaluated on every resource of the call, per resource.
function simulator(decide: Decide) {
  return (input: SimulatePrincipalPolicyCommandInput): Promise<SimulatePrincipalPolicyCommandOutput> => {
    const region = input.ContextEntries?.find((e) => e.ContextKeyName === "aws:RequestedRegion")?.ContextKeyValues?.[0] ?? "";
    const results = (input.ActionNames ?? []).map((action) => {
      const specific = (input.ResourceArns ?? []).map((resource) => {
        const d = decide(action, resource, region);
        return typeof d === "string"
          ? { EvalResourceName: resource, EvalResourceDecision: d }
          : { EvalResourceName: resource, EvalResourceDecision: "implicitDeny" as const, MissingContextValues: d.missing };
      });
      const allAllowed = specific.every((s) => s.EvalResourceDecision === "allowed");
      return { EvalActionName: action, EvalDecision: allAllowed ? ("allowed" as const) : ("implicitDeny" as const), ResourceSpecificResults: specific };
    });
    return Promise.resolve({ EvaluationResults: results, IsTruncated: false, $metadata: { httpStatusCode: 200 } });
  };
}

function iamError(name: string, message: string, status: number): IAMServiceException {
  return new IAMServiceException({ name, message, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status } });
}

describe("the permission check", () => {
  let clients: AwsClients;
  beforeEach(() => {
    iam.reset();
    clients = testClients("p");
  });
  afterEach(() => clients.destroy());

  it("passes when IAM allows every action, asking as the session's role, per region, of IAM in the partition's home region", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(() => "allowed"));
    const report = await checkPermissions({ clients }, caller, answers);

    const pairs = new Set(deployPermissions({ partition: "aws", account: "123456789012", ...answers }).flatMap((p) => p.actions.map((a) => `${p.region} ${a} ${p.resource}`)));
    expect(report).toEqual({ outcome: "passed", principal: ROLE, checked: pairs.size, undecided: [] });
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand);
    expect(new Set(calls.map((c) => c.args[0].input.PolicySourceArn))).toEqual(new Set([ROLE]));
    const regions = calls.map((c) => c.args[0].input.ContextEntries?.[0]?.ContextKeyValues?.[0]);
    expect(new Set(regions)).toEqual(new Set(["us-east-1", "eu-west-1"]));
    expect(await Promise.all(calls.map((c) => (c.thisValue as IAMClient).config.region()))).toEqual(calls.map(() => "us-east-1"));
    // Batched: one call per region and service, not one per action.
    expect(calls.length).toBeLessThan(15);
  });

  it("lists what is denied by stage and resource, explicit denies marked, and the way on", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake(
      simulator((action, resource, region) => {
        if (action === "iam:PassRole") return "explicitDeny";
        if (action === "ec2:AcceptVpcPeeringConnection" && region === "us-east-1") return "implicitDeny";
        if (action === "lambda:InvokeFunction" && resource.endsWith(":function:demo-client")) return "implicitDeny";
        return "allowed";
      }),
    );
    const report = await checkPermissions({ clients }, caller, answers);

    expect(report.outcome).toBe("denied");
    const denied = report.outcome === "denied" ? report.denied : [];
    expect(denied.map((f) => [f.scope, f.action, f.resource, f.decision])).toEqual([
      ["client", "ec2:AcceptVpcPeeringConnection", "arn:aws:ec2:us-east-1:123456789012:vpc/*", "implicitDeny"],
      ["client", "ec2:AcceptVpcPeeringConnection", "arn:aws:ec2:us-east-1:123456789012:vpc-peering-connection/*", "implicitDeny"],
      ["client", "iam:PassRole", "arn:aws:iam::123456789012:role/demo-client-*", "explicitDeny"],
      ["verify", "lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:demo-client", "implicitDeny"],
    ]);
    expect(permissionLines(report)).toEqual([
      `permission check: ${ROLE} may not do 4 actions this deployment needs; nothing was created`,
      "  stage 2/3 (client function and peering)",
      "    arn:aws:ec2:us-east-1:123456789012:vpc/*: ec2:AcceptVpcPeeringConnection",
      "    arn:aws:ec2:us-east-1:123456789012:vpc-peering-connection/*: ec2:AcceptVpcPeeringConnection",
      "    arn:aws:iam::123456789012:role/demo-client-*: iam:PassRole (explicit deny)",
      "  verify",
      "    arn:aws:lambda:eu-west-1:123456789012:function:demo-client: lambda:InvokeFunction",
      expect.stringContaining("--no-permission-check"),
    ]);
  });

  it("does not count as denied what hinged on a condition key the simulation had no value for", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake(
      simulator((action) => (action === "route53:CreateHostedZone" ? { missing: ["route53:VPCs"] } : "allowed")),
    );
    const report = await checkPermissions({ clients }, caller, answers);

    expect(report.outcome).toBe("passed");
    const undecided = report.outcome === "passed" ? report.undecided : [];
    expect(undecided).toEqual([expect.objectContaining({ scope: "client", action: "route53:CreateHostedZone", missingContext: ["route53:VPCs"] })]);
    expect(permissionLines(report)[0]).toContain("1 more action depend on route53:VPCs, which the simulation cannot know: not counted as denied");
  });

  it("skips in one line when the caller may not simulate (IAM's AccessDenied)", async () => {
    iam
      .on(SimulatePrincipalPolicyCommand)
      .rejects(
        iamError(
          "AccessDenied",
          `User: ${caller.arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: role Deployer because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
          403,
        ),
      );
    const report = await checkPermissions({ clients }, caller, answers);
    expect(report).toEqual({ outcome: "skipped", reason: "you may not call iam:SimulatePrincipalPolicy (AccessDenied)" });
    expect(permissionLines(report)).toEqual(["permission check skipped: you may not call iam:SimulatePrincipalPolicy (AccessDenied)"]);
  });

  it("skips when IAM does not know the role, saying the session ARN has no path", async () => {
    iam
      .on(SimulatePrincipalPolicyCommand)
      .rejects(new NoSuchEntityException({ message: "The role with name Deployer cannot be found.", $metadata: { httpStatusCode: 404 } }));
    const report = await checkPermissions({ clients }, caller, answers);
    expect(report).toMatchObject({ outcome: "skipped", reason: expect.stringMatching(/^IAM has no role arn:aws:iam::123456789012:role\/Deployer: the session ARN leaves out the role's path/) });
  });

  it("skips when IAM fails or does not answer in time", async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamError("ServiceFailure", "Request processing has failed due to some unknown error.", 500));
    expect(await checkPermissions({ clients }, caller, answers)).toEqual({
      outcome: "skipped",
      reason: "IAM answered ServiceFailure: Request processing has failed due to some unknown error.",
    });

    iam.reset();
    // An answer that never comes.
    iam.on(SimulatePrincipalPolicyCommand).callsFake(() => new Promise(() => {}));
    expect(await checkPermissions({ clients, timeoutMs: 50 }, caller, answers)).toEqual({ outcome: "skipped", reason: "IAM did not answer within 0.05 s" });
  });

  it("never calls IAM for a root or federated caller, and says why it skipped", async () => {
    const root = await checkPermissions({ clients }, { arn: "arn:aws:iam::123456789012:root", account: "123456789012" }, answers);
    const federated = await checkPermissions({ clients }, { arn: "arn:aws:sts::123456789012:federated-user/bob", account: "123456789012" }, answers);
    expect([root, federated].map((r: PermissionReport) => r.outcome)).toEqual(["skipped", "skipped"]);
    expect(permissionLines(root)[0]).toMatch(/^permission check skipped: the caller is the account's root user/);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
  });

  it("leaves expired credentials to the one credentials error, with the command that fixes them", async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamError("ExpiredToken", "The security token included in the request is expired", 403));
    await expect(checkPermissions({ clients }, caller, answers)).rejects.toBeInstanceOf(CredentialsError);
  });
});
