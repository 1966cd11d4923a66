// Two runs deploying one stack at once (DESIGN §13). The other run acts between our calls, as it would on
// AWS; each case ends with our run waiting for it and finding the stage up to date, or stopping with a
// sentence that names the other operation: never AWS's raw ChangeSetNotFound or "already exists".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStage } from "../../../src/steps/deploy/deploy-stage.js";
import { createdResource, serviceError, stackEvent } from "../../helpers/cfn-timeline.js";
import { FIXTURES, harness, sequence, STAGE_1 } from "../../helpers/engine-harness.js";

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

  it("a stack in REVIEW_IN_PROGRESS from a run stopped long ago is free: created at once, naming the change set it replaces", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [stackEvent("CREATE_COMPLETE")]], outputs: OUTPUTS } })
      .otherChangeSet("demo-api", { status: "CREATE_COMPLETE", executionStatus: "AVAILABLE" });
    h.clock.t += 3 * 60_000;
    const start = h.clock.now();
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);
    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    // Only its own change set's and stack's polls.
    expect(h.clock.now() - start).toBeLessThan(5_000);
    expect(messages(h.events)).toEqual([
      "demo-api is REVIEW_IN_PROGRESS with a change set that a run which no longer runs made and never executed: xregion-1795600800000 (made 10:00:00 UTC). This run's change set replaces it.",
    ]);
  });

  // Killed while its change set was being made or waiting to run (a closed terminal, a CI timeout): the
  // change set stays ready and unexecuted, the stack REVIEW_IN_PROGRESS.
  it("a change set a killed run left a moment ago: waits half a minute for a run to execute it, then replaces it", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [stackEvent("CREATE_COMPLETE")]], outputs: OUTPUTS } })
      .otherChangeSet("demo-api", { status: "CREATE_COMPLETE", executionStatus: "AVAILABLE" });
    const start = h.clock.now();
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    expect(h.cfn.calls.filter((c) => c.command === "CreateChangeSet").map((c) => c.input["ChangeSetType"])).toEqual(["CREATE"]);
    const waited = h.clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(30_000);
    expect(waited).toBeLessThan(45_000);
    expect(messages(h.events)).toEqual([
      "Another run's change set xregion-1795600800000 for demo-api is ready (made 10:00:00 UTC) but not executed yet: waiting up to 30 s for that run to execute it; one left by a run that no longer runs is replaced then.",
      expect.stringMatching(/^demo-api is REVIEW_IN_PROGRESS with a change set that a run which no longer runs made and never executed: xregion-1795600800000 .*This run's change set replaces it\.$/),
    ]);
    expect(h.clock.now() - start).toBeLessThan(60_000);
  });

  it("a change set made by AWS's clock an hour ahead of ours: replaced after the same half minute, not an hour", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [stackEvent("CREATE_COMPLETE")]], outputs: OUTPUTS } })
      .otherChangeSet("demo-api", { status: "CREATE_COMPLETE", executionStatus: "AVAILABLE", createdAt: h.clock.now() + 60 * 60_000 });
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);
    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(45_000);
  });

  it("a ready change set that its live run executes within the half minute is waited for, never replaced", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { changeSet: "empty" }).otherChangeSet("demo-api", { status: "CREATE_COMPLETE", executionStatus: "AVAILABLE" });
    h.cfn.after("ListChangeSets", 2, () => h.cfn.otherExecutes("demo-api", "CREATE_IN_PROGRESS", otherCreate));
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result.kind).toBe("no-op");
    expect(h.cfn.calls.filter((c) => c.command === "CreateChangeSet").map((c) => c.input["ChangeSetType"])).toEqual(["UPDATE"]);
    expect(messages(h.events).join("\n")).not.toMatch(/replaces/);
    expect(sequence(h.events)).toContain("resource:demo-api:CREATE_COMPLETE");
  });

  it("a change set another run has only asked for (CREATE_PENDING) holds the stack too: waits, and never makes a second CREATE", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { changeSet: "empty" }).otherChangeSet("demo-api", { status: "CREATE_PENDING", executionStatus: "UNAVAILABLE" });
    h.cfn.after("ListChangeSets", 2, () => h.cfn.otherExecutes("demo-api", "CREATE_IN_PROGRESS", otherCreate));
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result.kind).toBe("no-op");
    expect(h.cfn.calls.filter((c) => c.command === "CreateChangeSet").map((c) => c.input["ChangeSetType"])).toEqual(["UPDATE"]);
    expect(messages(h.events)[0]).toMatch(/^Another run is preparing to create demo-api \(REVIEW_IN_PROGRESS since 10:00:00 UTC\): waiting/);
  });

  it("a change set still being made after ten minutes: stops naming it and the command that removes it, not after an hour", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {}).otherChangeSet("demo-api", { status: "CREATE_IN_PROGRESS", executionStatus: "UNAVAILABLE" });
    const start = h.clock.now();
    const result = await runStage(h.ctx, STAGE_1, PARAMS, TEMPLATE);

    expect(result.kind).toBe("failed");
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(10 * 60_000);
    expect(h.clock.now() - start).toBeLessThan(11 * 60_000);
    expect(h.cfn.count("CreateChangeSet")).toBe(0);
    const failed = h.events.find((e) => e.kind === "stage-failed");
    expect(failed && failed.kind === "stage-failed" && failed.message).toBe(
      "Another run is preparing to create demo-api (REVIEW_IN_PROGRESS since 10:00:00 UTC), and its change set xregion-1795600800000 is still being made: " +
        "wait for it, or remove the change set (aws cloudformation delete-change-set --stack-name demo-api --change-set-name xregion-1795600800000 --region eu-west-1), then deploy again.",
    );
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
