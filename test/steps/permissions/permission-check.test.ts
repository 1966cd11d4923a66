import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  IAMClient,
  IAMServiceException,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
  type SimulatePrincipalPolicyCommandOutput,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { CredentialsError } from "../../../src/aws/errors.js";
import type { Answers } from "../../../src/config/answers.js";
import { checkPermissions, type PermissionReport } from "../../../src/steps/permissions/permission-check.js";
import { deployPermissions } from "../../../src/steps/permissions/permissions.js";
import { permissionLines } from "../../../src/ui/wording.js";
import { testClients } from "../../helpers/aws-fixtures.js";

const answers: Answers = { name: "demo", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16" }] };
const caller = { arn: "arn:aws:sts::123456789012:assumed-role/Deployer/alice", account: "123456789012" };
const ROLE = "arn:aws:iam::123456789012:role/Deployer";
const iam = mockClient(IAMClient);

type Verdict = "allowed" | "explicitDeny" | "implicitDeny" | { missing: string[]; decision?: "explicitDeny" | "implicitDeny" };
type Context = Readonly<Record<string, readonly string[]>>;
type Decide = (action: string, resource: string, region: string, context: Context) => Verdict;

// Answers as IAM does: every action of the call evaluated on every resource of the call, per resource.
function simulator(decide: Decide) {
  return (input: SimulatePrincipalPolicyCommandInput): Promise<SimulatePrincipalPolicyCommandOutput> => {
    const context: Context = Object.fromEntries((input.ContextEntries ?? []).map((e) => [e.ContextKeyName ?? "", e.ContextKeyValues ?? []]));
    const region = context["aws:RequestedRegion"]?.[0] ?? "";
    const results = (input.ActionNames ?? []).map((action) => {
      const specific = (input.ResourceArns ?? []).map((resource) => {
        const d = decide(action, resource, region, context);
        return typeof d === "string"
          ? { EvalResourceName: resource, EvalResourceDecision: d }
          : { EvalResourceName: resource, EvalResourceDecision: d.decision ?? ("implicitDeny" as const), MissingContextValues: d.missing };
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

    const pairs = new Set(deployPermissions({ partition: "aws", account: "123456789012", name: answers.name, apiRegion: answers.apiRegion, clientRegions: answers.clients.map((c) => c.region) }).flatMap((p) => p.actions.map((a) => `${p.region} ${p.viaCloudFormation} ${a} ${p.sample}`)));
    expect(report).toEqual({ outcome: "passed", principal: ROLE, checked: pairs.size, undecided: [] });
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand);
    expect(new Set(calls.map((c) => c.args[0].input.PolicySourceArn))).toEqual(new Set([ROLE]));
    const regions = calls.map((c) => c.args[0].input.ContextEntries?.[0]?.ContextKeyValues?.[0]);
    expect(new Set(regions)).toEqual(new Set(["us-east-1", "eu-west-1"]));
    expect(await Promise.all(calls.map((c) => (c.thisValue as IAMClient).config.region()))).toEqual(calls.map(() => "us-east-1"));
    // Batched: one call per region, service and caller (the tool or CloudFormation), not one per action.
    expect(calls.length).toBeLessThan(25);
    // IAM is asked about examples of each resource, never about a pattern it would read literally.
    const asked = calls.flatMap((c) => c.args[0].input.ResourceArns ?? []);
    expect(asked.filter((arn) => arn !== "*" && /[*?]/.test(arn))).toEqual([]);
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

  it("gives the simulation what it knows of the caller, and CloudFormation's calls the context of a call via CloudFormation", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator(() => "allowed"));
    await checkPermissions({ clients }, caller, answers);
    const contexts = iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => ({
      actions: c.args[0].input.ActionNames ?? [],
      entries: Object.fromEntries((c.args[0].input.ContextEntries ?? []).map((e) => [e.ContextKeyName, [e.ContextKeyType, ...(e.ContextKeyValues ?? [])]])),
    }));
    const cfn = "cloudformation.amazonaws.com";
    const createVpc = contexts.find((c) => c.actions.includes("ec2:CreateVpc"));
    expect(createVpc?.entries).toEqual({
      "aws:RequestedRegion": ["string", expect.any(String)],
      "aws:PrincipalArn": ["string", ROLE],
      "aws:PrincipalAccount": ["string", "123456789012"],
      "aws:PrincipalType": ["string", "AssumedRole"],
      "aws:CalledVia": ["stringList", cfn],
      "aws:CalledViaFirst": ["string", cfn],
      "aws:CalledViaLast": ["string", cfn],
      "aws:ViaAWSService": ["boolean", "true"],
    });
    const createChangeSet = contexts.find((c) => c.actions.includes("cloudformation:CreateChangeSet"));
    expect(createChangeSet?.entries["aws:ViaAWSService"]).toEqual(["boolean", "false"]);
    expect(createChangeSet?.entries["aws:CalledVia"]).toBeUndefined();
  });

  it("judges a guardrail that admits only calls via CloudFormation as AWS does: CloudFormation's pass, the tool's own are denied", async () => {
    const viaCfn = (context: Context) => context["aws:CalledVia"]?.includes("cloudformation.amazonaws.com") === true;
    iam.on(SimulatePrincipalPolicyCommand).callsFake(
      // An SCP: Deny ec2:Describe* unless ForAnyValue:StringEquals aws:CalledVia cloudformation.amazonaws.com.
      simulator((action, _resource, _region, context) => {
        if (!action.startsWith("ec2:DescribeVpcs")) return "allowed";
        return viaCfn(context) ? "allowed" : { decision: "explicitDeny", missing: ["aws:CalledVia"] };
      }),
    );
    const report = await checkPermissions({ clients }, caller, answers);

    expect(report.outcome).toBe("denied");
    const denied = report.outcome === "denied" ? report.denied : [];
    // Only preflight calls DescribeVpcs itself; the stages' DescribeVpcs is CloudFormation's and passes.
    expect(new Set(denied.map((f) => `${f.scope} ${f.action} ${f.decision}`))).toEqual(new Set(["preflight ec2:DescribeVpcs explicitDeny"]));
    expect(report.outcome === "denied" ? report.undecided : ["?"]).toEqual([]);
  });

  it("counts as undecided, not denied, an explicit deny that hinged on a key the simulation cannot know (an organisation's guardrail)", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake(
      // Deny iam:* unless aws:PrincipalOrgID is the organisation's: the simulation has no organisation id.
      simulator((action) => (action.startsWith("iam:") ? { decision: "explicitDeny", missing: ["aws:PrincipalOrgID"] } : "allowed")),
    );
    const report = await checkPermissions({ clients }, caller, answers);

    expect(report.outcome).toBe("passed");
    const undecided = report.outcome === "passed" ? report.undecided : [];
    expect(undecided.map((f) => f.action)).toEqual(expect.arrayContaining(["iam:CreateRole", "iam:PassRole", "iam:DeleteRole"]));
    expect(undecided.every((f) => f.action.startsWith("iam:") && f.scope === "client" && f.decision === "explicitDeny")).toBe(true);
    expect(new Set(undecided.flatMap((f) => f.missingContext))).toEqual(new Set(["aws:PrincipalOrgID"]));
    expect(permissionLines(report)[0]).toMatch(/more actions depend on aws:PrincipalOrgID, which the simulation cannot know: not counted as denied/);
  });

  it("simulates peering creation in region B, where the request goes, and its acceptance in region A", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake(
      // A policy that allows the peering calls only in the region each is made in.
      simulator((action, _resource, region) => {
        if (action === "ec2:CreateVpcPeeringConnection") return region === "eu-west-1" ? "allowed" : "implicitDeny";
        if (action === "ec2:AcceptVpcPeeringConnection") return region === "us-east-1" ? "allowed" : "implicitDeny";
        return "allowed";
      }),
    );
    expect((await checkPermissions({ clients }, caller, answers)).outcome).toBe("passed");
  });

  it("passes a policy narrower than our patterns, which IAM matches against the concrete examples asked about", async () => {
    const narrow: Record<string, RegExp> = {
      // The role CloudFormation will name demo-client-ExecutionRole-<suffix>, and nothing else of the stack.
      "iam:PassRole": /^arn:aws:iam::123456789012:role\/demo-client-ExecutionRole-.*$/,
      // Stage actions on the stage only.
      "apigateway:PATCH": /^arn:aws:apigateway:us-east-1::\/restapis\/[^/]+(\/stages\/.*|\/resources\/.*|\/deployments\/.*)?$/,
    };
    iam.on(SimulatePrincipalPolicyCommand).callsFake(simulator((action, resource) => (narrow[action] && !narrow[action].test(resource) ? "implicitDeny" : "allowed")));
    expect(await checkPermissions({ clients }, caller, answers)).toMatchObject({ outcome: "passed", undecided: [] });
  });

  describe("for an IAM Identity Center role", () => {
    const sso = { arn: "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/alice@example.com", account: "123456789012" };
    const path = (region?: string) => `arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/${region ? `${region}/` : ""}AWSReservedSSO_Admin_0123abcd`;
    const dir = mkdtempSync(join(tmpdir(), "xregion-sso-check-"));
    afterEach(() => vi.unstubAllEnvs());
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    // IAM knows the role only under its real path.
    function knownAs(real: string) {
      const allowAll = simulator(() => "allowed");
      return (input: SimulatePrincipalPolicyCommandInput) =>
        input.PolicySourceArn === real
          ? allowAll(input)
          : Promise.reject(new NoSuchEntityException({ message: `The role with name AWSReservedSSO_Admin_0123abcd cannot be found.`, $metadata: { httpStatusCode: 404 } }));
    }
    const sources = () => iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.PolicySourceArn);

    it("simulates the role under the path of the profile's sso_region, found first", async () => {
      const file = join(dir, "config");
      writeFileSync(file, "[profile p]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-2\nsso_start_url = https://corp.awsapps.com/start\n");
      vi.stubEnv("AWS_CONFIG_FILE", file);
      iam.on(SimulatePrincipalPolicyCommand).callsFake(knownAs(path("eu-west-2")));
      const report = await checkPermissions({ clients }, sso, answers);

      expect(report).toMatchObject({ outcome: "passed", principal: path("eu-west-2") });
      // One probe batch, then every simulation for the role IAM knows.
      const probes = sources().filter((arn) => arn !== path("eu-west-2"));
      expect(probes.length).toBeLessThan(3);
      const context = iam.commandCalls(SimulatePrincipalPolicyCommand).at(-1)?.args[0].input.ContextEntries?.find((e) => e.ContextKeyName === "aws:PrincipalArn");
      expect(context?.ContextKeyValues).toEqual([path("eu-west-2")]);
    });

    it("without a hint, tries us-east-1's path, the deployment's regions, then the partition's others", async () => {
      vi.stubEnv("AWS_CONFIG_FILE", join(dir, "absent"));
      iam.on(SimulatePrincipalPolicyCommand).callsFake(knownAs(path("ap-southeast-2")));
      const report = await checkPermissions({ clients }, sso, answers);

      expect(report).toMatchObject({ outcome: "passed", principal: path("ap-southeast-2") });
      expect(sources().slice(0, 2)).toEqual([path(), path("eu-west-1")]);
    });

    it("skips, naming the path, when IAM knows the role under none of them", async () => {
      vi.stubEnv("AWS_CONFIG_FILE", join(dir, "absent"));
      iam.on(SimulatePrincipalPolicyCommand).callsFake(knownAs("arn:aws:iam::123456789012:role/elsewhere"));
      expect(await checkPermissions({ clients }, sso, answers)).toEqual({
        outcome: "skipped",
        reason: "IAM has no IAM Identity Center role AWSReservedSSO_Admin_0123abcd under /aws-reserved/sso.amazonaws.com/ for any region of aws",
      });
    });
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
    expect(report).toMatchObject({ outcome: "skipped", reason: "IAM has no role arn:aws:iam::123456789012:role/Deployer: the session ARN leaves out the role's path, which only iam:GetRole could find" });
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
