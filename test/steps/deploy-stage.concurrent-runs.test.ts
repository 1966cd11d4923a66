// Two runs deploying one stack at once (DESIGN §13). The other run acts between our calls, as it would on
// AWS; each case ends with our run waiting for it and finding the stage up to date, or stopping with a
// sentence that names the other operation: never AWS's raw ChangeSetNotFound or "already exists".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStage } from "../../src/steps/deploy-stage.js";
import { createdResource, serviceError, stackEvent } from "../helpers/cfn-timeline.js";
import { FIXTURES, harness, sequence, STAGE_1 } from "../helpers/engine-harness.js";

const TEMPLATE = readFileSync(join(FIXTURES, "1-api.yaml"), "utf8");
const PARAMS = { DeploymentName: "demo", VpcCidr: "10.10.0.0/16" };
const OUTPUTS = { VpcId: "vpc-0a1", ApiId: "a1b2c3" };
const [vpcStart, vpcInitiated, vpcDone] = createdResource("Vpc", "AWS::EC2::VPC");

// The other run's create, over several polls.
const otherCreate = {
  batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated"), vpcStart], [vpcInitiated], [], [vpcDone, stackEvent("CREATE_COMPLETE")]],
  outputs: OUTPUTS,
};
const otherUpdate = { batches: [[stackEvent("UPDATE_IN_PROGRESS", "User Initiated")], [], [stackEvent("UPDATE_COMPLETE")]], outputs: OUTPUTS };

function messages(events: ReturnType<typeof harness>["events"]): string[] {
  return events.flatMap((e) => ("message" in e && typeof e.message === "string" ? [e.message] : []));
}

describe("two runs of one deployment", () => {
  it("a stack created between our look and our CREATE change set: waits for that create, then finds nothing to do", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { changeSet: "empty" }).after("DescribeStacks", 1, () => h.cfn.otherExecutes("demo-api", "CREATE_IN_PROGRESS", otherCreate));
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result).toMatchObject({ kind: "no-op", outputs: OUTPUTS });
    const creates = h.cfn.calls.filter((c) => c.command === "CreateChangeSet").map((c) => c.input["ChangeSetType"]);
    expect(creates).toEqual(["CREATE", "UPDATE"]);
    expect(h.cfn.count("ExecuteChangeSet")).toBe(0);
    expect(messages(h.events)).toEqual([
      "Another run changed demo-api while this one was preparing its change; looking at it again.",
      expect.stringMatching(/^Another run is creating demo-api \(CREATE_IN_PROGRESS since \d\d:\d\d:\d\d UTC\): waiting for it to finish, then deciding again\.$/),
    ]);
    expect(sequence(h.events)).toContain("resource:demo-api:CREATE_COMPLETE");
    expect(sequence(h.events).at(-1)).toBe("stage-finished:1:no-op");
  });

  it("our change set deleted because the other run executed its own: looks again instead of failing on ChangeSetNotFound", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { changeSet: "empty" }).after("CreateChangeSet", 1, () => h.cfn.otherExecutes("demo-api", "CREATE_IN_PROGRESS", otherCreate));
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result.kind).toBe("no-op");
    expect(messages(h.events).join("\n")).not.toMatch(/ChangeSetNotFound|does not exist/);
    expect(h.cfn.count("ExecuteChangeSet")).toBe(0);
  });

  it("a REVIEW_IN_PROGRESS stack whose change set another run is still making is not free: waits, and never makes a second CREATE", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { changeSet: "empty" }).otherChangeSet("demo-api", { status: "CREATE_IN_PROGRESS", executionStatus: "UNAVAILABLE" });
    // Two looks later the other run executes it.
    h.cfn.after("ListChangeSets", 2, () => h.cfn.otherExecutes("demo-api", "CREATE_IN_PROGRESS", otherCreate));
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result.kind).toBe("no-op");
    expect(h.cfn.calls.filter((c) => c.command === "CreateChangeSet").map((c) => c.input["ChangeSetType"])).toEqual(["UPDATE"]);
    expect(messages(h.events)[0]).toMatch(/^Another run is preparing to create demo-api \(REVIEW_IN_PROGRESS since 10:00:00 UTC\): waiting/);
    expect(sequence(h.events)[0]).toBe("stage-started:1:check");
  });

  it("an update started between our look and our UPDATE change set: waits for it instead of AWS's 'can not be updated'", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "UPDATE_COMPLETE", outputs: OUTPUTS, changeSet: "empty" })
      .after("DescribeStacks", 1, () => h.cfn.otherExecutes("demo-api", "UPDATE_IN_PROGRESS", otherUpdate));
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result.kind).toBe("no-op");
    expect(h.cfn.count("CreateChangeSet")).toBe(2);
    expect(messages(h.events)[1]).toMatch(/^Another run is updating demo-api \(UPDATE_IN_PROGRESS since /);
  });

  it("our change set made obsolete by the other run's update: InvalidChangeSetStatus leads to a wait, not a failure", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "UPDATE_COMPLETE", outputs: OUTPUTS })
      .failNext("ExecuteChangeSet", serviceError("InvalidChangeSetStatusException", "ChangeSet [arn:aws:cloudformation:eu-west-1:123456789012:changeSet/xregion-1/0] cannot be executed in its current execution status of [OBSOLETE]"))
      .after("ExecuteChangeSet", 1, () => {
        h.cfn.otherExecutes("demo-api", "UPDATE_IN_PROGRESS", otherUpdate);
        h.cfn.rescript("demo-api", { changeSet: "empty" });
      });
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);
    expect(result.kind).toBe("no-op");
    expect(messages(h.events).join("\n")).not.toMatch(/OBSOLETE|InvalidChangeSetStatus/);
  });

  it("a stack in REVIEW_IN_PROGRESS from a run stopped long ago is free: created at once", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [stackEvent("CREATE_COMPLETE")]], outputs: OUTPUTS } })
      .otherChangeSet("demo-api", { status: "CREATE_COMPLETE", executionStatus: "AVAILABLE" });
    h.clock.t += 3 * 60_000;
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);
    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    expect(h.events.some((e) => e.kind === "info")).toBe(false);
  });

  it("a stack that keeps changing under it: stops after three looks, naming the other run, with no raw error", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "UPDATE_COMPLETE", outputs: OUTPUTS, changeSet: "empty" });
    // Every time, the other run gets an update in between our look and our change set.
    for (const nth of [1, 3, 5]) h.cfn.after("DescribeStacks", nth, () => h.cfn.otherExecutes("demo-api", "UPDATE_IN_PROGRESS", otherUpdate));
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result.kind).toBe("failed");
    expect(h.cfn.count("CreateChangeSet")).toBe(3);
    const failed = h.events.find((e) => e.kind === "stage-failed");
    expect(failed && failed.kind === "stage-failed" && failed.message).toMatch(
      /^Another run is updating demo-api \(UPDATE_IN_PROGRESS since \d\d:\d\d:\d\d UTC\): wait for it, or see where it stands with status, then deploy again\.$/,
    );
    expect(messages(h.events).join("\n")).not.toMatch(/ValidationError|can not be updated/);
  });
});
