// `deploy` and the permission check, through the command itself: denied actions stop the run before any
// CloudFormation change (no change set is even created), with exit 1, the list on the human stream and
// the report plus a closing `result` in NDJSON; --no-permission-check goes on without asking IAM.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { CloudFormationClient, CloudFormationServiceException, CreateChangeSetCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeAvailabilityZonesCommand, DescribeVpcEndpointServicesCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFlags, type Flags } from "../../src/config/flags.js";
import type { CommandContext } from "../../src/commands/context.js";
import { deployPlan } from "../../src/commands/deploy.js";
import type { Answers } from "../../src/config/answers.js";
import { FailureError } from "../../src/errors.js";
import type { ProgressEvent } from "../../src/steps/events.js";
import { buildPlan } from "../../src/steps/plan.js";
import { tempDir } from "../helpers/cli.js";
import { stackMissing } from "../helpers/aws-fixtures.js";
import { captureStream } from "../helpers/output.js";

const answers: Answers = { name: "demo", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16" }] };
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const cfn = mockClient(CloudFormationClient);
const iam = mockClient(IAMClient);

// IAM's answer shape: every action on every resource of the call, per resource; iam:PassRole explicitly denied.
function passRoleDenied(input: SimulatePrincipalPolicyCommandInput) {
  return Promise.resolve({
    EvaluationResults: (input.ActionNames ?? []).map((action) => ({
      EvalActionName: action,
      EvalDecision: action === "iam:PassRole" ? ("explicitDeny" as const) : ("allowed" as const),
      ResourceSpecificResults: (input.ResourceArns ?? []).map((r) => ({
        EvalResourceName: r,
        EvalResourceDecision: action === "iam:PassRole" ? ("explicitDeny" as const) : ("allowed" as const),
      })),
    })),
    IsTruncated: false,
  });
}

function context(args: string[], cwd: string) {
  const flags = parseFlags(["deploy", "--name", "demo", "--api-region", "us-east-1", "--client-region", "eu-west-1", "--yes", ...args], () => {}) as Flags;
  const stdout = captureStream();
  const stderr = captureStream();
  const ctx: CommandContext = {
    flags,
    interactive: false,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    env: {},
    cwd,
    invocation: "npx xregion-private-api",
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
  };
  return { ctx, stdout, stderr };
}

describe("deploy and the permission check", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = tempDir();
    for (const mock of [sts, ec2, cfn, iam]) mock.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:sts::123456789012:assumed-role/Deployer/ci", UserId: "AROA:ci" });
    ec2.on(DescribeAvailabilityZonesCommand).callsFake(async (_input, getClient: () => EC2Client) => {
      const region = await getClient().config.region();
      return {
        AvailabilityZones: ["a", "b"].map((z, i) => ({
          ZoneName: `${region}${z}`,
          ZoneId: `${region === "us-east-1" ? "use1" : "euw1"}-az${i + 1}`,
          ZoneType: "availability-zone",
          OptInStatus: "opt-in-not-required" as const,
          State: "available" as const,
          RegionName: region,
        })),
      };
    });
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({
      ServiceDetails: [{ ServiceName: "com.amazonaws.us-east-1.execute-api", AvailabilityZones: ["us-east-1a", "us-east-1b"] }],
    });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
    iam.on(SimulatePrincipalPolicyCommand).callsFake(passRoleDenied);
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it("stops before the first stack with exit 1 and the denied actions by stage and resource", async () => {
    const { ctx, stdout } = context(["--progress", "plain"], cwd);
    const error = await deployPlan(ctx, buildPlan(answers), join(cwd, "answers.json")).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FailureError);
    expect((error as FailureError).exitCode).toBe(1);
    expect((error as FailureError).message).toBe("the permission check denied 1 action: nothing was deployed");
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
    const lines = stdout.lines();
    const at = lines.findIndex((l) => l.includes("may not do 1 action this deployment needs"));
    expect(at).toBeGreaterThan(-1);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      "  stage 2/3 (client function and peering)",
      "    arn:aws:iam::123456789012:role/demo-client-*: iam:PassRole (explicit deny)",
    ]);
    expect(lines.at(-1)).toBe("Nothing was deployed: 1 action denied (listed above).");
  });

  it("gives --json readers the report and a closing result", async () => {
    const { ctx, stdout, stderr } = context(["--json"], cwd);
    await expect(deployPlan(ctx, buildPlan(answers), join(cwd, "answers.json"))).rejects.toBeInstanceOf(FailureError);

    const events = stdout.lines().map((l) => JSON.parse(l) as ProgressEvent);
    const check = events.find((e) => e.kind === "permission-check");
    expect(check).toMatchObject({
      report: { outcome: "denied", principal: "arn:aws:iam::123456789012:role/Deployer", denied: [{ scope: "client", action: "iam:PassRole", decision: "explicitDeny" }] },
    });
    expect(events.at(-1)).toMatchObject({ kind: "result", operation: "deploy", ok: false });
    expect(stderr.text()).toContain("iam:PassRole (explicit deny)");
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it("with --no-permission-check asks IAM nothing and goes on to the first stack", async () => {
    cfn.on(CreateChangeSetCommand).rejects(
      new CloudFormationServiceException({ name: "ValidationError", message: "Template format error", $fault: "client", $metadata: { httpStatusCode: 400 } }),
    );
    const { ctx, stdout } = context(["--progress", "plain", "--no-permission-check"], cwd);
    await expect(deployPlan(ctx, buildPlan(answers), join(cwd, "answers.json"))).rejects.toThrow(/stage 1\/3 failed/);

    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(1);
    expect(stdout.text()).toContain("permission check skipped: --no-permission-check was given");
  });
});
