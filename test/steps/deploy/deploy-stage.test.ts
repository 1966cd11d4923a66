import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CredentialsError } from "../../../src/aws/errors.js";
import { runStage } from "../../../src/steps/deploy/deploy-stage.js";
import { createdResource, resourceEvent, serviceError, stackEvent } from "../../helpers/cfn-timeline.js";
import { FIXTURES, harness, sequence, STAGE_1, STAGE_2 } from "../../helpers/engine-harness.js";

const API_TEMPLATE = readFileSync(join(FIXTURES, "1-api.yaml"), "utf8");
const CLIENT_TEMPLATE = readFileSync(join(FIXTURES, "2-client.yaml"), "utf8");
const PARAMS_1 = { DeploymentName: "demo", VpcCidr: "10.10.0.0/16" };
const PARAMS_2 = { DeploymentName: "demo", ApiVpcId: "vpc-0a1" };
const OUTPUTS_1 = { VpcId: "vpc-0a1", ApiId: "a1b2c3" };

const createApi = {
  batches: [
    [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), createdResource("Vpc", "AWS::EC2::VPC")[0]],
    [createdResource("Vpc", "AWS::EC2::VPC")[1], createdResource("Api", "AWS::ApiGateway::RestApi")[0]],
    [],
    [createdResource("Vpc", "AWS::EC2::VPC")[2], createdResource("Api", "AWS::ApiGateway::RestApi")[2]],
    [stackEvent("CREATE_COMPLETE")],
  ],
  outputs: OUTPUTS_1,
};

const failedPeering = {
  batches: [
    [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), ...createdResource("Peering", "AWS::EC2::VPCPeeringConnection").slice(0, 2)],
    [resourceEvent("Function", "AWS::Lambda::Function", "CREATE_IN_PROGRESS")],
    [
      resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "CREATE_FAILED", "VpcPeeringConnection failed to reach active state"),
      resourceEvent("Function", "AWS::Lambda::Function", "CREATE_FAILED", "Resource creation cancelled"),
      stackEvent("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Function, Peering]. Rollback requested by user."),
    ],
    [resourceEvent("Function", "AWS::Lambda::Function", "DELETE_COMPLETE"), resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "DELETE_COMPLETE")],
    [stackEvent("ROLLBACK_COMPLETE")],
  ],
};

describe("runStage", () => {
  it("creates a new stack through a CREATE change set and reports each event with its description", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: createApi });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);

    expect(result).toMatchObject({ kind: "deployed", outcome: "created", outputs: OUTPUTS_1 });
    expect(sequence(h.events)).toEqual([
      "stage-started:1:create",
      "resource:demo-api:CREATE_IN_PROGRESS",
      "resource:Vpc:CREATE_IN_PROGRESS",
      "resource:Vpc:CREATE_IN_PROGRESS",
      "resource:Api:CREATE_IN_PROGRESS",
      "resource:Vpc:CREATE_COMPLETE",
      "resource:Api:CREATE_COMPLETE",
      "resource:demo-api:CREATE_COMPLETE",
      "stage-finished:1:created",
    ]);
    const vpc = h.events.find((e) => e.kind === "resource" && e.logicalId === "Vpc");
    expect(vpc).toMatchObject({ description: "Private network for demo in eu-west-1", region: "eu-west-1", stackName: "demo-api" });

    const create = h.cfn.calls.find((c) => c.command === "CreateChangeSet")?.input;
    expect(create).toMatchObject({
      StackName: "demo-api",
      ChangeSetType: "CREATE",
      Capabilities: ["CAPABILITY_IAM"],
      Parameters: [{ ParameterKey: "DeploymentName", ParameterValue: "demo" }, { ParameterKey: "VpcCidr", ParameterValue: "10.10.0.0/16" }],
      Tags: expect.arrayContaining([{ Key: "xregion-private-api:stage", Value: "api" }]),
    });
    expect(String(create?.["ChangeSetName"])).toMatch(/^xregion-\d+$/);
    const execute = h.cfn.calls.find((c) => c.command === "ExecuteChangeSet")?.input;
    expect(String(execute?.["ClientRequestToken"])).toMatch(/^xregion-deploy-/);
    expect(h.cfn.calls.map((c) => c.command)).toEqual([
      "DescribeStacks", "CreateChangeSet", "DescribeChangeSet", "DescribeChangeSet", "ExecuteChangeSet",
      ...Array(5).fill("DescribeStackEvents"), "DescribeStacks",
    ]);
    expect(result.stats.describeStackEventsCalls).toBe(5);
    expect(h.cfn.calls.every((c) => c.region === "eu-west-1")).toBe(true);
    expect(h.clock.sleeps).toEqual([1000, 1000, 1000, 2000, 3000]);
  });

  it("updates an existing stack and never reports the events of earlier operations", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      status: "UPDATE_ROLLBACK_COMPLETE",
      outputs: OUTPUTS_1,
      history: [stackEvent("UPDATE_IN_PROGRESS"), resourceEvent("Vpc", "AWS::EC2::VPC", "UPDATE_FAILED", "old failure"), stackEvent("UPDATE_ROLLBACK_COMPLETE")],
      execute: {
        batches: [[stackEvent("UPDATE_IN_PROGRESS", "User Initiated"), resourceEvent("Vpc", "AWS::EC2::VPC", "UPDATE_IN_PROGRESS")], [resourceEvent("Vpc", "AWS::EC2::VPC", "UPDATE_COMPLETE"), stackEvent("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), stackEvent("UPDATE_COMPLETE")]],
        outputs: { ...OUTPUTS_1, ApiId: "new" },
      },
    });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "deployed", outcome: "updated", outputs: { ApiId: "new" } });
    expect(h.cfn.calls.find((c) => c.command === "CreateChangeSet")?.input["ChangeSetType"]).toBe("UPDATE");
    expect(sequence(h.events)).toEqual([
      "stage-started:1:update",
      "resource:demo-api:UPDATE_IN_PROGRESS",
      "resource:Vpc:UPDATE_IN_PROGRESS",
      "resource:Vpc:UPDATE_COMPLETE",
      "resource:demo-api:UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
      "resource:demo-api:UPDATE_COMPLETE",
      "stage-finished:1:updated",
    ]);
  });

  it("says what an update will change before running it, by the template's descriptions, replacements included", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      status: "CREATE_COMPLETE",
      outputs: OUTPUTS_1,
      changes: [
        { Action: "Modify", LogicalResourceId: "Vpc", PhysicalResourceId: "vpc-0a1", ResourceType: "AWS::EC2::VPC", Replacement: "True", Scope: ["Properties"] },
        { Action: "Modify", LogicalResourceId: "Endpoint", PhysicalResourceId: "vpce-1", ResourceType: "AWS::EC2::VPCEndpoint", Replacement: "Conditional", Scope: ["Properties"] },
        { Action: "Add", LogicalResourceId: "Extra", ResourceType: "AWS::SSM::Parameter" },
      ],
      execute: { batches: [[stackEvent("UPDATE_IN_PROGRESS", "User Initiated")], [stackEvent("UPDATE_COMPLETE")]] },
    });
    await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    const changeSet = h.events.find((e) => e.kind === "change-set");
    expect(changeSet).toMatchObject({
      stage: 1,
      changes: [
        { action: "Modify", logicalId: "Vpc", resourceType: "AWS::EC2::VPC", replacement: "True", description: "Private network for demo in eu-west-1" },
        { action: "Modify", logicalId: "Endpoint", replacement: "Conditional", description: "execute-api interface endpoint" },
        { action: "Add", logicalId: "Extra", resourceType: "AWS::SSM::Parameter", replacement: undefined, description: undefined },
      ],
    });
    // Told before the update runs: between the change set and the first event of the update.
    expect(sequence(h.events).slice(0, 3)).toEqual(["stage-started:1:update", "change-set", "resource:demo-api:UPDATE_IN_PROGRESS"]);
    // Three changes at two a page: the second page was fetched.
    expect(h.cfn.calls.filter((c) => c.command === "DescribeChangeSet").map((c) => c.input["NextToken"])).toEqual([undefined, undefined, "2"]);
  });

  it("lists no changes for a create: its progress shows them", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { changes: [{ Action: "Add", LogicalResourceId: "Vpc", ResourceType: "AWS::EC2::VPC" }], execute: createApi });
    await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(h.events.some((e) => e.kind === "change-set")).toBe(false);
  });

  it("treats an empty change set as a no-op that still returns the stack's outputs", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "CREATE_COMPLETE", outputs: OUTPUTS_1, changeSet: "empty" });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "no-op", outputs: OUTPUTS_1 });
    expect(sequence(h.events)).toEqual(["stage-started:1:update", "stage-finished:1:no-op"]);
    expect(h.cfn.count("DeleteChangeSet")).toBe(1);
    expect(h.cfn.count("ExecuteChangeSet")).toBe(0);
    expect(h.cfn.count("DescribeStackEvents")).toBe(0);
  });

  it("treats CreateChangeSet answering 'No updates are to be performed' (moto) as a no-op", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "UPDATE_COMPLETE", outputs: OUTPUTS_1, changeSet: "moto-no-updates-error" });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "no-op", outputs: OUTPUTS_1 });
    expect(h.cfn.count("DescribeChangeSet")).toBe(0);
  });

  it("names the first CREATE_FAILED resource as the root cause and says the next run re-creates the stack", async () => {
    const h = harness();
    h.cfn.stack("demo-client", { execute: failedPeering });
    const result = await runStage(h.ctx, STAGE_2, PARAMS_2, CLIENT_TEMPLATE);
    expect(result).toMatchObject({
      kind: "failed",
      status: "ROLLBACK_COMPLETE",
      rootCause: { logicalId: "Peering", resourceType: "AWS::EC2::VPCPeeringConnection", reason: "VpcPeeringConnection failed to reach active state" },
    });
    if (result.kind !== "failed") throw new Error("unreachable");
    expect(result.message).toContain("Peering (AWS::EC2::VPCPeeringConnection): VpcPeeringConnection failed to reach active state");
    expect(result.message).toContain("The next run will delete it and create it again");
    expect(h.events.at(-1)).toMatchObject({ kind: "stage-failed", stage: 2, status: "ROLLBACK_COMPLETE", rootCause: result.rootCause });
    // The template names its IAM role, so the change set must acknowledge named IAM.
    expect(h.cfn.calls.find((c) => c.command === "CreateChangeSet")?.input["Capabilities"]).toEqual(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]);
    expect(h.cfn.calls.every((c) => c.region === "us-east-1")).toBe(true);
  });

  it("shows the stack's own cause when no resource failed: a parameter AWS validated as the create ran", async () => {
    const h = harness();
    // Reported for CreateStack (PacktPublishing/Implementing-DevOps-on-AWS#2): no resource row, the cause on ROLLBACK_IN_PROGRESS.
    const validation = "Parameter validation failed: parameter value eu-west-1a for parameter name AvailabilityZone1 does not exist. Rollback requested by user.";
    h.cfn.stack("demo-api", {
      execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [stackEvent("ROLLBACK_IN_PROGRESS", validation)], [], [stackEvent("ROLLBACK_COMPLETE")]] },
    });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "failed", status: "ROLLBACK_COMPLETE", rootCause: undefined });
    if (result.kind !== "failed") throw new Error("unreachable");
    expect(result.message).toBe(
      `demo-api could not be created and was rolled back (ROLLBACK_COMPLETE). CloudFormation says: ${validation} The next run will delete it and create it again (it asks first; pass --yes in CI).`,
    );
  });

  it("deletes a stack left in ROLLBACK_COMPLETE and creates it again once confirmed", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      status: "ROLLBACK_COMPLETE",
      history: [stackEvent("CREATE_IN_PROGRESS"), stackEvent("ROLLBACK_IN_PROGRESS"), stackEvent("ROLLBACK_COMPLETE")],
      delete: { batches: [[stackEvent("DELETE_IN_PROGRESS", "User Initiated")], [], [stackEvent("DELETE_COMPLETE")]] },
      execute: createApi,
    });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(h.confirmReplace).toHaveBeenCalledWith("demo-api", "eu-west-1");
    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    expect(sequence(h.events).slice(0, 5)).toEqual([
      "stage-started:1:create", "info", "resource:demo-api:DELETE_IN_PROGRESS", "resource:demo-api:DELETE_COMPLETE", "resource:demo-api:CREATE_IN_PROGRESS",
    ]);
    const commands = h.cfn.calls.map((c) => c.command);
    expect(commands.indexOf("DeleteStack")).toBeLessThan(commands.indexOf("CreateChangeSet"));
    expect(String(h.cfn.calls.find((c) => c.command === "DeleteStack")?.input["StackName"])).toMatch(/^arn:aws:cloudformation:/);
  });

  it("creates a stack left in REVIEW_IN_PROGRESS by a change set that was never executed", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "REVIEW_IN_PROGRESS", history: [stackEvent("REVIEW_IN_PROGRESS", "User Initiated")], execute: createApi });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    expect(h.cfn.calls.find((c) => c.command === "CreateChangeSet")?.input["ChangeSetType"]).toBe("CREATE");
    expect(h.cfn.count("DeleteStack")).toBe(0);
    expect(h.confirmReplace).not.toHaveBeenCalled();
  });

  it("refuses to replace a ROLLBACK_COMPLETE stack without confirmation and says how to allow it", async () => {
    const h = harness();
    h.confirmReplace.mockResolvedValue(false);
    h.cfn.stack("demo-api", { status: "ROLLBACK_COMPLETE" });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "failed", status: "ROLLBACK_COMPLETE" });
    if (result.kind !== "failed") throw new Error("unreachable");
    expect(result.message).toContain("--yes");
    expect(result.message).toContain("aws cloudformation delete-stack --stack-name demo-api --region eu-west-1");
    expect(h.cfn.count("DeleteStack")).toBe(0);
    expect(h.cfn.count("CreateChangeSet")).toBe(0);
  });

  it("waits for another operation already running on the stack, then updates it", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      status: "UPDATE_IN_PROGRESS",
      outputs: OUTPUTS_1,
      running: { batches: [[stackEvent("UPDATE_IN_PROGRESS", "User Initiated")], [], [stackEvent("UPDATE_COMPLETE")]] },
      changeSet: "empty",
    });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result.kind).toBe("no-op");
    expect(sequence(h.events)).toEqual([
      "stage-started:1:check", "info", "resource:demo-api:UPDATE_IN_PROGRESS", "resource:demo-api:UPDATE_COMPLETE",
      "stage-started:1:update", "stage-finished:1:no-op",
    ]);
    expect(h.events[1]).toMatchObject({ kind: "info", message: expect.stringContaining("UPDATE_IN_PROGRESS") });
  });

  it("gives up waiting for another operation after the limit, saying so", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "UPDATE_ROLLBACK_IN_PROGRESS", running: { batches: [] } });
    const result = await runStage({ ...h.ctx, waitLimitMs: 60_000 }, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({
      kind: "failed",
      message: expect.stringMatching(/^Another run is rolling back demo-api \(UPDATE_ROLLBACK_IN_PROGRESS since \d\d:\d\d:\d\d UTC\) and it has not finished in 1 minutes: wait for it, or see where it stands with status/),
    });
    expect(h.cfn.count("CreateChangeSet")).toBe(0);
  });

  it("rides out throttling while polling and still finishes", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: createApi });
    const rate = () => serviceError("ThrottlingException", "Rate exceeded");
    h.cfn.failNext("DescribeStackEvents", rate()).failNext("DescribeStackEvents", serviceError("Throttling", "Rate exceeded")).failNext("DescribeChangeSet", rate());
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result.kind).toBe("deployed");
    expect(h.clock.sleeps).toContain(2000);
    expect(h.clock.sleeps).toContain(4000);
  });

  it("waits longer each time DescribeChangeSet is throttled, then back to the normal pace", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: createApi });
    const rate = () => serviceError("ThrottlingException", "Rate exceeded");
    h.cfn.failNext("DescribeChangeSet", rate()).failNext("DescribeChangeSet", rate());
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result.kind).toBe("deployed");
    // Two throttled answers (2 s, then 4 s), one CREATE_PENDING (1 s), then the event polls' own pace.
    expect(h.clock.sleeps.slice(0, 3)).toEqual([2000, 4000, 1000]);
  });

  it("turns expired credentials into a CredentialsError with the login command for the profile", async () => {
    const h = harness({ profile: "dev" });
    h.cfn.failNext("DescribeStacks", serviceError("ExpiredTokenException", "The security token included in the request is expired"));
    const error = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ problem: "expired", fix: expect.stringContaining("aws sso login --profile dev") });
  });

  it("reports an AWS error answer (e.g. a template the service rejects) as a failed stage", async () => {
    const h = harness();
    h.cfn.failNext("CreateChangeSet", serviceError("ValidationError", "Template format error: Unresolved resource dependencies [Nope]"));
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "failed", message: expect.stringContaining("Template format error") });
    expect(h.events.at(-1)?.kind).toBe("stage-failed");
  });

  it("says the endpoint answered something that is not AWS, without the SDK's hint about a hidden field", async () => {
    const h = harness();
    // What the SDK throws when a proxy answers 200 with something that is not CloudFormation's XML.
    const parseError = Object.assign(
      new Error("@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object."),
      { $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 } },
    );
    h.cfn.failNext("CreateChangeSet", parseError);
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "failed", message: expect.stringMatching(/^demo-api: the AWS endpoint answered something that is not AWS \(HTTP 200\)/) });
    const failed = h.events.at(-1);
    expect(failed?.kind === "stage-failed" && failed.message).not.toMatch(/\$response|hidden field|@aws-sdk/);
  });

  it("follows a stack whose events carry no request token (moto) by time", async () => {
    const h = harness();
    h.cfn.tokens = false;
    h.cfn.stack("demo-api", { execute: { batches: [[stackEvent("CREATE_IN_PROGRESS"), stackEvent("CREATE_COMPLETE")]] } });
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "deployed", outputs: {} });
    // The REVIEW_IN_PROGRESS event from creating the change set came before the execute: not ours.
    expect(sequence(h.events)).toEqual(["stage-started:1:create", "resource:demo-api:CREATE_IN_PROGRESS", "resource:demo-api:CREATE_COMPLETE", "stage-finished:1:created"]);
  });
});

describe("runStage when Ctrl-C is pressed", () => {
  it("deletes a stack that is still being created, follows the delete and reports it cancelled", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated"), createdResource("Vpc", "AWS::EC2::VPC")[0]], [], []] },
      delete: {
        batches: [
          [resourceEvent("Vpc", "AWS::EC2::VPC", "CREATE_FAILED", "Resource creation cancelled"), stackEvent("DELETE_IN_PROGRESS", "User Initiated")],
          [resourceEvent("Vpc", "AWS::EC2::VPC", "DELETE_COMPLETE"), stackEvent("DELETE_COMPLETE")],
        ],
      },
    });
    h.cfn.after("DescribeStackEvents", 2, () => h.controller.abort());
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "cancelled", status: "DELETE_COMPLETE", message: expect.stringContaining("has been deleted") });
    const del = h.cfn.calls.find((c) => c.command === "DeleteStack")?.input;
    expect(String(del?.["ClientRequestToken"])).toMatch(/^xregion-cancel-/);
    expect(sequence(h.events).slice(-6)).toEqual([
      "info", "resource:Vpc:CREATE_FAILED", "resource:demo-api:DELETE_IN_PROGRESS", "resource:Vpc:DELETE_COMPLETE",
      "resource:demo-api:DELETE_COMPLETE", "stage-cancelled:1:DELETE_COMPLETE",
    ]);
  });

  it("cancels an update in progress, which rolls it back", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      status: "UPDATE_COMPLETE",
      execute: { batches: [[stackEvent("UPDATE_IN_PROGRESS", "User Initiated")], []] },
      cancel: { batches: [[stackEvent("UPDATE_ROLLBACK_IN_PROGRESS", "Stack update cancelled")], [stackEvent("UPDATE_ROLLBACK_COMPLETE")]] },
    });
    h.cfn.after("DescribeStackEvents", 1, () => h.controller.abort());
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "cancelled", status: "UPDATE_ROLLBACK_COMPLETE", message: expect.stringContaining("rolled back") });
    expect(h.cfn.count("CancelUpdateStack")).toBe(1);
    expect(h.cfn.count("DeleteStack")).toBe(0);
  });

  it("cleans up an unexecuted CREATE change set when cancelled while it is computed", async () => {
    const h = harness();
    h.cfn.after("DescribeChangeSet", 1, () => h.controller.abort());
    const result = await runStage(h.ctx, STAGE_1, PARAMS_1, API_TEMPLATE);
    expect(result).toMatchObject({ kind: "cancelled", message: expect.stringContaining("nothing was changed") });
    expect(h.cfn.count("ExecuteChangeSet")).toBe(0);
    expect(h.cfn.count("DeleteStack")).toBe(1);
  });
});
