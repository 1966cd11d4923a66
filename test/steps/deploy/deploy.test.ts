import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployAll, MissingOutputError, resolveParameters } from "../../../src/steps/deploy/deploy.js";
import { deploymentHash } from "../../../src/steps/deploy/deployment-id.js";
import { createdResource, resourceEvent, stackEvent } from "../../helpers/cfn-timeline.js";
import { API_REGION, CLIENT_REGION, harness, PLAN, sequence, STAGE_2 } from "../../helpers/engine-harness.js";
import { TEMPLATES_DIR } from "../../helpers/template-fixtures.js";

const OUTPUTS_1 = { VpcId: "vpc-0a1", ApiId: "a1b2c3" };
const OUTPUTS_2 = { PeeringConnectionId: "pcx-0b2" };

function created(resource: string, type: string, outputs: Record<string, string>) {
  const [start, initiated, done] = createdResource(resource, type);
  return { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated"), start], [initiated], [done, stackEvent("CREATE_COMPLETE")]], outputs };
}

const peeringFails = {
  batches: [
    [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "CREATE_IN_PROGRESS")],
    [
      resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "CREATE_FAILED", "VpcPeeringConnection failed to reach active state"),
      resourceEvent("Function", "AWS::Lambda::Function", "CREATE_FAILED", "Resource creation cancelled"),
      stackEvent("ROLLBACK_IN_PROGRESS"),
    ],
    [stackEvent("ROLLBACK_COMPLETE")],
  ],
};

// AWS's wording when CloudFormation's Lambda handler gets a subnet in a zone Lambda does not support.
const lambdaRefusesZone = {
  batches: [
    [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), resourceEvent("Function", "AWS::Lambda::Function", "CREATE_IN_PROGRESS")],
    [
      resourceEvent(
        "Function",
        "AWS::Lambda::Function",
        "CREATE_FAILED",
        "Resource handler returned message: \"The provided subnets contain availability zone Lambda doesn't support. " +
          "(Service: Lambda, Status Code: 400, Request ID: 3f6c1e2a-8b1d-4c0e-9a51-7d2e4b6f8a90)\" (RequestToken: 5e1f0c2d-1111-4a2b-8c3d-9e8f7a6b5c4d, HandlerErrorCode: InvalidRequest)",
      ),
      stackEvent("ROLLBACK_IN_PROGRESS"),
    ],
    [stackEvent("ROLLBACK_COMPLETE")],
  ],
};

const stageEvents = (events: ReturnType<typeof harness>["events"]) =>
  sequence(events).filter((s) => s.startsWith("stage-"));

describe("deployAll", () => {
  it("deploys the three stages in order, feeding each stage's outputs into the next one's parameters", async () => {
    const h = harness();
    h.cfn
      .stack("demo-api", { execute: created("Vpc", "AWS::EC2::VPC", OUTPUTS_1) })
      .stack("demo-client", { execute: created("Peering", "AWS::EC2::VPCPeeringConnection", OUTPUTS_2) })
      .stack("demo-routes", { execute: created("ReturnRoute", "AWS::EC2::Route", {}) });
    const result = await deployAll(h.ctx, PLAN, { maxParallel: 4 });

    expect(result).toMatchObject({ kind: "deployed", outputs: { api: OUTPUTS_1, clients: { [CLIENT_REGION]: { 1: OUTPUTS_1, 2: OUTPUTS_2, 3: {} } } } });
    expect(result.regions).toEqual([{ region: CLIENT_REGION, kind: "up" }]);
    expect(sequence(h.events)[0]).toBe("stages-queued:1,2,3");
    expect(stageEvents(h.events)).toEqual([
      "stage-started:1:create", "stage-finished:1:created",
      "stage-started:2:create", "stage-finished:2:created",
      "stage-started:3:create", "stage-finished:3:created",
    ]);
    const changeSets = h.cfn.calls.filter((c) => c.command === "CreateChangeSet");
    expect(changeSets.map((c) => [c.input["StackName"], c.region])).toEqual([
      ["demo-api", API_REGION], ["demo-client", CLIENT_REGION], ["demo-routes", API_REGION],
    ]);
    expect(changeSets[1]?.input["Parameters"]).toContainEqual({ ParameterKey: "ApiVpcId", ParameterValue: "vpc-0a1" });
    expect(changeSets[2]?.input["Parameters"]).toEqual([{ ParameterKey: "PeeringConnectionId", ParameterValue: "pcx-0b2" }]);
    // The next stage starts as soon as the previous stack is seen complete (benchmark goal: ≤ 1 s).
    expect(result.stages.map((s) => s.handoffMs)).toEqual([undefined, expect.any(Number), expect.any(Number)]);
    for (const stage of result.stages.slice(1)) expect(stage.handoffMs).toBeLessThanOrEqual(1000);
    expect(result.stages.map((s) => s.result.stats.describeStackEventsCalls)).toEqual([3, 3, 3]);
  });

  it("stops at a failed stage 2, and a re-run resumes: stage 1 is a no-op and stage 2 is created again", async () => {
    const h = harness();
    h.cfn
      .stack("demo-api", { execute: created("Vpc", "AWS::EC2::VPC", OUTPUTS_1) })
      .stack("demo-client", { execute: peeringFails });
    const first = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    expect(first).toMatchObject({ kind: "failed", stage: 2, clientRegion: CLIENT_REGION, outputs: { api: OUTPUTS_1 } });
    expect(first.regions).toEqual([{ region: CLIENT_REGION, kind: "failed", stage: 2, message: expect.stringContaining("demo-client") }]);
    expect(first.stages).toHaveLength(2);
    expect(h.cfn.count("CreateChangeSet")).toBe(2);
    expect(h.cfn.status("demo-client")).toBe("ROLLBACK_COMPLETE");

    h.events.length = 0;
    h.cfn
      .rescript("demo-api", { changeSet: "empty" })
      .rescript("demo-client", { execute: created("Peering", "AWS::EC2::VPCPeeringConnection", OUTPUTS_2) })
      .stack("demo-routes", { execute: created("ReturnRoute", "AWS::EC2::Route", {}) });
    const second = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    expect(second).toMatchObject({ kind: "deployed", outputs: { api: OUTPUTS_1, clients: { [CLIENT_REGION]: { 2: OUTPUTS_2, 3: {} } } } });
    expect(second.stages.map((s) => s.result.kind)).toEqual(["no-op", "deployed", "deployed"]);
    expect(stageEvents(h.events)).toEqual([
      "stage-started:1:update", "stage-finished:1:no-op",
      "stage-started:2:create", "stage-finished:2:created",
      "stage-started:3:create", "stage-finished:3:created",
    ]);
    expect(h.confirmReplace).toHaveBeenCalledWith("demo-client", CLIENT_REGION);
    expect(h.cfn.count("DeleteStack")).toBe(1);
  });

  it("when Lambda refuses a client subnet's zone, the failure names the zones and the flag that moves them", async () => {
    const h = harness();
    h.cfn
      .stack("demo-api", { execute: created("Vpc", "AWS::EC2::VPC", OUTPUTS_1) })
      .stack("demo-client", { execute: lambdaRefusesZone });
    const result = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    const advice = "Lambda refused the Availability Zone us-east-1b (use1-az6) or us-east-1c (use1-az1) in us-east-1: run deploy again with two other zones of us-east-1, --client-azs <zone>,<zone>.";
    expect(result).toMatchObject({ kind: "failed", stage: 2, message: expect.stringContaining(advice) });
    expect(h.events.at(-1)).toMatchObject({ kind: "stage-failed", stage: 2, message: expect.stringMatching(/ROLLBACK_COMPLETE.*--client-azs/) });
  });

  it("names --api-azs when EC2 refuses a stage-1 subnet's zone", async () => {
    const h = harness();
    const refused =
      "Resource handler returned message: \"Value (eu-west-1c) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: eu-west-1a, eu-west-1b. " +
      "(Service: Ec2, Status Code: 400, Request ID: bfda61b0-9aae-4190-884a-c888bbcf1eab)\" (RequestToken: 2e4ee424-65ca-99b4-3917-732857e5eef7, HandlerErrorCode: InvalidRequest)";
    h.cfn.stack("demo-api", {
      execute: {
        batches: [
          [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), resourceEvent("Subnet2", "AWS::EC2::Subnet", "CREATE_IN_PROGRESS")],
          [resourceEvent("Subnet2", "AWS::EC2::Subnet", "CREATE_FAILED", refused), stackEvent("ROLLBACK_IN_PROGRESS")],
          [stackEvent("ROLLBACK_COMPLETE")],
        ],
      },
    });
    const result = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    expect(result).toMatchObject({ kind: "failed", stage: 1, message: expect.stringContaining("Run deploy again with two of them, e.g. --api-azs eu-west-1b,eu-west-1a.") });
  });

  it("gives no zone advice for other failures", async () => {
    const h = harness();
    h.cfn
      .stack("demo-api", { execute: created("Vpc", "AWS::EC2::VPC", OUTPUTS_1) })
      .stack("demo-client", { execute: peeringFails });
    const result = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    expect(result).toMatchObject({ kind: "failed", stage: 2 });
    expect(result.kind === "failed" && result.message).not.toContain("--client-azs");
  });

  it("fails the stage clearly when an earlier stage has not produced an output it needs", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: created("Vpc", "AWS::EC2::VPC", {}) });
    const result = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    expect(result).toMatchObject({ kind: "failed", stage: 2, message: expect.stringContaining("output VpcId of stage 1") });
    expect(h.events.at(-1)).toMatchObject({ kind: "stage-failed", stage: 2 });
    expect(h.cfn.calls.filter((c) => c.region === CLIENT_REGION)).toEqual([]);
  });

  it("on Ctrl-C during stage 2 deletes the stack being created and says what is left", async () => {
    const h = harness();
    h.cfn
      .stack("demo-api", { execute: created("Vpc", "AWS::EC2::VPC", OUTPUTS_1) })
      .stack("demo-client", { execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [], []] } });
    // Stage 1 polls 3 times; the abort lands during stage 2's first poll.
    h.cfn.after("DescribeStackEvents", 4, () => h.controller.abort());
    const result = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    expect(result).toMatchObject({
      kind: "cancelled",
      left: [
        { stage: 1, stackName: "demo-api", region: API_REGION, status: "CREATE_COMPLETE" },
        { stage: 2, stackName: "demo-client", region: CLIENT_REGION, status: "absent" },
        { stage: 3, stackName: "demo-routes", region: API_REGION, status: "absent" },
      ],
    });
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([CLIENT_REGION]);
    expect(h.cfn.count("CreateChangeSet")).toBe(2);
    expect(sequence(h.events).filter((e) => e.startsWith("stage-"))).toContain("stage-cancelled:2:DELETE_COMPLETE");
    // What is left, said once after the cancellation (its own line already said what was cancelled).
    expect(h.events.at(-1)).toMatchObject({ kind: "info", message: "Left: demo-api (eu-west-1) CREATE_COMPLETE." });
  });

  it("sends stage 1 with its API Deployment renamed by the hash of template and values, described on its row", async () => {
    const h = harness();
    const source = readFileSync(join(TEMPLATES_DIR, "1-api.yaml"), "utf8");
    const id = `Deployment${deploymentHash(source, { DeploymentName: "demo", VpcCidr: "10.10.0.0/16" })}`;
    h.cfn
      .stack("demo-api", { execute: created(id, "AWS::ApiGateway::Deployment", OUTPUTS_1) })
      .stack("demo-client", { execute: created("Peering", "AWS::EC2::VPCPeeringConnection", OUTPUTS_2) })
      .stack("demo-routes", { execute: created("ReturnRoute", "AWS::EC2::Route", {}) });
    await deployAll({ ...h.ctx, templatesDir: TEMPLATES_DIR }, PLAN, { maxParallel: 4 });

    const body = String(h.cfn.calls.find((c) => c.command === "CreateChangeSet")?.input["TemplateBody"]);
    expect(body).toContain(`\n  ${id}:\n    Type: AWS::ApiGateway::Deployment\n`);
    expect(body).toContain(`DeploymentId: !Ref ${id}\n`);
    expect(body).not.toMatch(/!Ref Deployment\n|^ {2}Deployment:/m);
    const rows = h.events.filter((e) => e.kind === "resource" && e.logicalId === id);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatchObject({ description: "API deployment" });
  });
});

describe("resolveParameters", () => {
  it("reads planned values and earlier stages' outputs", () => {
    expect(resolveParameters(STAGE_2, { 1: { VpcId: "vpc-1" } })).toEqual({ DeploymentName: "demo", ApiVpcId: "vpc-1" });
  });

  it("names the missing output and the stage it should come from", () => {
    expect(() => resolveParameters(STAGE_2, { 1: {} })).toThrow(MissingOutputError);
    expect(() => resolveParameters(STAGE_2, { 1: {} })).toThrow("needs parameter ApiVpcId from output VpcId of stage 1, but stage 1 has no such output");
    expect(() => resolveParameters(STAGE_2, {})).toThrow("has not been deployed in this run");
  });
});
