import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/steps/events.js";
import { initialState, reduce } from "../../src/ui/progress-state.js";
import type { HistoryItem, ProgressState } from "../../src/ui/progress-view.js";
import { visibleResources } from "../../src/ui/ink/row-text.js";
import {
  api,
  client,
  at,
  deployStage1,
  failingReport,
  failStage2,
  finishStage1,
  finishQuickTeardown,
  finishTeardown,
  PEERING_REASON,
  quickTeardown,
  resource,
  routes,
  samples,
  stackEvent,
  teardown,
  verifyPass,
  activeFunction,
  failedFunction,
  pendingFunction,
} from "../helpers/script.js";

const fold = (events: readonly ProgressEvent[]) => events.reduce(reduce, initialState);
const stages = (state: ProgressState) => state.history.flatMap((item) => (item.kind === "stage" ? [item.stage] : []));
const kinds = (history: readonly HistoryItem[]) => history.map((item) => item.kind);

interface Case {
  readonly name: string;
  readonly events: readonly ProgressEvent[];
  readonly check: (state: ProgressState) => void;
}

const cases: Case[] = [
  {
    name: "keeps one row per logicalId for the running stage, in order of first appearance",
    events: deployStage1,
    check: (state) => {
      expect(state.running?.stackStatus).toBe("CREATE_IN_PROGRESS");
      expect(state.running?.resources.map((r) => [r.logicalId, r.status])).toEqual([
        ["Vpc", "CREATE_COMPLETE"],
        ["ApiRole", "CREATE_IN_PROGRESS"],
        ["Endpoint", "CREATE_IN_PROGRESS"],
      ]);
      const vpc = state.running?.resources[0];
      expect([vpc?.firstAt, vpc?.lastAt]).toEqual([at(4), at(16)]);
    },
  },
  {
    name: "shows only described resources as rows",
    events: deployStage1,
    check: (state) => {
      const running = state.running;
      expect(running && visibleResources(running).map((r) => r.logicalId)).toEqual(["Vpc", "Endpoint"]);
    },
  },
  {
    name: "puts the run heading and identity into history before any stage",
    events: deployStage1,
    check: (state) => {
      expect(state.history.map((item) => (item.kind === "note" ? item.note.text : item.kind))).toEqual([
        "deploy demo",
        "AWS account 123456789012 as arn:aws:sts::123456789012:assumed-role/Admin/dev",
      ]);
    },
  },
  {
    name: "moves a finished stage to history with its outcome and times",
    events: [...deployStage1, ...finishStage1],
    check: (state) => {
      expect(state.running).toBeUndefined();
      expect(stages(state).map((s) => [s.stage, s.phase, s.outcome, s.startedAt, s.finishedAt])).toEqual([[1, "done", "created", at(1), at(131)]]);
    },
  },
  {
    name: "records an update and a no-op as their own outcomes",
    events: [
      { kind: "stage-started", action: "update", at: at(0), ...api },
      { kind: "stage-finished", outcome: "updated", outputs: {}, at: at(40), ...api },
      { kind: "stage-started", action: "update", at: at(41), ...api },
      { kind: "stage-finished", outcome: "no-op", outputs: {}, at: at(43), ...api },
    ],
    check: (state) => {
      expect(stages(state).map((s) => [s.action, s.outcome])).toEqual([
        ["update", "updated"],
        ["update", "no-op"],
      ]);
    },
  },
  {
    name: "keeps the queued stages waiting until each is heard of, and none once the run ends",
    events: [
      { kind: "stages-queued", stages: [api, client, routes], at: at(0) },
      { kind: "stage-started", action: "create", at: at(1), ...api },
    ],
    check: (state) => {
      expect(state.pending).toEqual([client, routes]);
      const later = [
        { kind: "stage-finished", outcome: "no-op", outputs: {}, at: at(2), ...api },
        { kind: "info", stage: 2, message: "Deleting demo-client (ROLLBACK_COMPLETE)", at: at(3) },
      ] satisfies ProgressEvent[];
      const next = later.reduce(reduce, state);
      expect(next.pending).toEqual([routes]);
      expect(reduce(next, { kind: "result", operation: "deploy", ok: false, summary: "failed", next: [], at: at(4) }).pending).toEqual([]);
    },
  },
  {
    name: "hands the run's outputs to its result, by stage, the latest answer of a stage winning",
    events: [
      { kind: "stage-finished", outcome: "no-op", outputs: { FunctionName: "demo-client-old" }, at: at(1), ...client },
      { kind: "stage-finished", outcome: "created", outputs: { ApiId: "a1b2c3d4e5" }, at: at(2), ...api },
      { kind: "stage-finished", outcome: "updated", outputs: { FunctionName: "demo-client" }, at: at(3), ...client },
      { kind: "stage-finished", outcome: "created", outputs: {}, at: at(4), ...routes },
      { kind: "result", operation: "deploy", ok: true, summary: "done", next: [], at: at(5) },
    ],
    check: (state) => {
      const result = state.history.at(-1);
      expect(result?.kind === "result" ? result.outcome.outputs : undefined).toEqual([
        { ...api, outputs: { ApiId: "a1b2c3d4e5" } },
        { ...client, outputs: { FunctionName: "demo-client" } },
      ]);
    },
  },
  {
    name: "treats waiting for another operation and then our own as one stage, timed from the wait",
    events: [
      { kind: "stage-started", action: "check", at: at(0), ...api },
      stackEvent(api, "UPDATE_IN_PROGRESS", 1),
      { kind: "stage-started", action: "update", at: at(60), ...api },
    ],
    check: (state) => {
      expect(state.history).toEqual([]);
      expect([state.running?.action, state.running?.startedAt, state.running?.stackStatus]).toEqual(["update", at(0), undefined]);
    },
  },
  {
    name: "keeps the first failure as the root cause even after the rollback deletes the resource",
    events: [...deployStage1, ...finishStage1, ...failStage2],
    check: (state) => {
      const failed = stages(state)[1];
      expect([failed?.phase, failed?.rootCauseId, failed?.failure?.status]).toEqual(["failed", "Peering", "ROLLBACK_COMPLETE"]);
      const peering = failed?.resources.find((r) => r.logicalId === "Peering");
      expect([peering?.status, peering?.failure]).toEqual(["DELETE_COMPLETE", { status: "CREATE_FAILED", reason: PEERING_REASON }]);
      expect(state.failure).toEqual({ kind: "stage", stage: failed });
    },
  },
  {
    // The live row, before the stage's end names its cause: the reducer's own choice.
    name: "shows the first failed resource as the running stage's root cause, not the cancelled one after it",
    events: [...deployStage1, ...finishStage1, ...failStage2.slice(0, failStage2.findIndex((e) => e.kind === "stage-failed"))],
    check: (state) => {
      expect([state.running?.stage, state.running?.stackStatus, state.running?.rootCauseId]).toEqual([2, "ROLLBACK_COMPLETE", "Peering"]);
      const cancelled = state.running?.resources.find((r) => r.logicalId === "Function");
      expect(cancelled?.failure).toEqual({ status: "CREATE_FAILED", reason: "Resource creation cancelled" });
    },
  },
  {
    name: "keeps a resource's first failure when its rollback delete fails too",
    events: [
      { kind: "stage-started", action: "create", at: at(132), ...client },
      resource(client, "Peering", "CREATE_FAILED", 150, { resourceType: "AWS::EC2::VPCPeeringConnection", reason: PEERING_REASON }),
      stackEvent(client, "ROLLBACK_IN_PROGRESS", 152),
      resource(client, "Peering", "DELETE_FAILED", 170, { resourceType: "AWS::EC2::VPCPeeringConnection", reason: "You cannot delete a VPC peering connection in the failed state." }),
    ],
    check: (state) => {
      const peering = state.running?.resources.find((r) => r.logicalId === "Peering");
      expect([peering?.status, peering?.failure, state.running?.rootCauseId]).toEqual([
        "DELETE_FAILED",
        { status: "CREATE_FAILED", reason: PEERING_REASON },
        "Peering",
      ]);
    },
  },
  {
    name: "hands the first failure to the result",
    events: [...deployStage1, ...finishStage1, ...failStage2],
    check: (state) => {
      const result = state.history.at(-1);
      expect(result?.kind === "result" && [result.outcome.ok, result.outcome.failure?.kind]).toEqual([false, "stage"]);
    },
  },
  {
    name: "records a failure for a stage that never started",
    events: [{ kind: "stage-failed", ...api, status: "NOT_STARTED", rootCause: undefined, message: "template not found", at: at(3) }],
    check: (state) => {
      expect(stages(state).map((s) => [s.phase, s.startedAt, s.failure?.message])).toEqual([["failed", undefined, "template not found"]]);
    },
  },
  {
    name: "shows an absent stage as finished without a time, and keeps the running stage's notes beside it",
    events: teardown,
    check: (state) => {
      expect(stages(state).map((s) => [s.stage, s.outcome, s.startedAt])).toEqual([[3, "absent", undefined]]);
      expect(state.running?.stackStatus).toBe("DELETE_IN_PROGRESS");
      expect(state.running?.notes.map((n) => n.text)).toEqual([expect.stringContaining("can take many minutes")]);
    },
  },
  {
    name: "finishes a teardown with every stage in history and no live row",
    events: [...teardown, ...finishTeardown],
    check: (state) => {
      expect(stages(state).map((s) => [s.stage, s.outcome])).toEqual([
        [3, "absent"],
        [2, "deleted"],
        [1, "deleted"],
      ]);
      expect(state.running).toBeUndefined();
      expect(stages(state)[1]?.notes).toHaveLength(1);
    },
  },
  {
    name: "keeps stage 2's release rows under its waiting row while stage 3 runs",
    events: quickTeardown,
    check: (state) => {
      expect(state.running?.stage).toBe(3);
      expect(state.pending.map((p) => p.stage)).toEqual([2, 1]);
      expect(state.ahead[2]?.map((s) => [s.label, s.status, s.state])).toEqual([
        ["Detaching the client function from its VPC", "DETACHED", "done"],
        ["Releasing 2 network interfaces", "0/2 DELETED", "running"],
      ]);
      expect(state.ahead[2]?.[0]).toMatchObject({ firstAt: at(1), lastAt: at(9) });
    },
  },
  {
    name: "carries the release rows into stage 2 when it starts, and keeps them in its history line",
    events: [...quickTeardown, ...finishQuickTeardown],
    check: (state) => {
      expect(state.running?.stage).toBe(2);
      expect(state.ahead).toEqual({});
      expect(state.running?.steps.map((s) => [s.status, s.firstAt, s.lastAt])).toEqual([
        ["DETACHED", at(1), at(9)],
        ["DELETED", at(10), at(22)],
      ]);
      const done = fold([...quickTeardown, ...finishQuickTeardown, { kind: "stage-finished", outcome: "deleted", outputs: {}, at: at(30), ...client }]);
      expect(stages(done).find((s) => s.stage === 2)?.steps).toHaveLength(2);
    },
  },
  {
    name: "ignores resource events of a stage that is not running",
    events: [{ kind: "stage-started", action: "create", at: at(0), ...api }, resource({ ...api, stage: 2 }, "Vpc", "CREATE_COMPLETE", 4, { description: "x" })],
    check: (state) => {
      expect(state.running?.resources).toEqual([]);
    },
  },
  {
    name: "collects verify samples live, then folds them into the report",
    events: verifyPass.slice(0, samples.length),
    check: (state) => {
      expect(state.samples.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
      expect(state.history).toEqual([]);
    },
  },
  {
    name: "clears the live samples when the report arrives",
    events: verifyPass,
    check: (state) => {
      expect(state.samples).toEqual([]);
      expect(kinds(state.history)).toEqual(["verify", "result"]);
      expect(state.failure).toBeUndefined();
    },
  },
  {
    name: "takes a failed verification as the run's failure",
    events: [{ kind: "verify-result", report: failingReport, region: "eu-west-1", at: at(1) }],
    check: (state) => {
      expect(state.failure).toEqual({ kind: "verify", failure: failingReport.failure });
    },
  },
  {
    name: "files warnings without a stage as history notes",
    events: [{ kind: "warning", message: "the client VPC range overlaps vpc-1", at: at(0) }],
    check: (state) => {
      expect(state.history).toEqual([{ key: "note-0", kind: "note", note: { tone: "warning", text: "the client VPC range overlaps vpc-1" } }]);
    },
  },
];

describe("progress state", () => {
  it.each(cases)("$name", ({ events, check }) => check(fold(events)));

  it("gives every history item a distinct key", () => {
    const state = fold([...deployStage1, ...finishStage1, ...failStage2, ...teardown, ...finishTeardown, ...verifyPass]);
    const keys = state.history.map((item) => item.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("never changes the state it was given", () => {
    const before = fold(deployStage1);
    const snapshot = structuredClone(before);
    reduce(before, finishStage1[0] as ProgressEvent);
    expect(before).toEqual(snapshot);
  });

  it("keeps the wait for the function as notes, a woken inactive function and a function not ready drawing attention", () => {
    const state = fold([
      { kind: "function-waiting", cause: "not-ready", function: pendingFunction, region: "eu-west-1", at: at(0) },
      { kind: "function-ready", function: activeFunction, waitedMs: 3_000, region: "eu-west-1", at: at(3) },
      { kind: "function-waiting", cause: "inactive", function: pendingFunction, region: "eu-west-1", at: at(4) },
      { kind: "function-state", function: failedFunction, ready: false, region: "eu-west-1", at: at(5) },
      { kind: "function-state", function: activeFunction, ready: true, region: "eu-west-1", at: at(6) },
    ]);
    expect(state.history.map((item) => (item.kind === "note" ? [item.note.tone, item.note.text.split(":")[0]] : item.kind))).toEqual([
      ["info", "waiting for the function demo-client to be ready"],
      ["info", "the function demo-client is ready (State Active, LastUpdateStatus Successful) after 3s"],
      ["attention", "the function demo-client was inactive; Lambda is restoring its network interfaces (can take a minute)"],
      ["attention", "function demo-client (eu-west-1)"],
      ["info", "function demo-client (eu-west-1)"],
    ]);
  });

  it("keeps the permission check as one history note, a denial in the colour that asks for attention", () => {
    const passed = reduce(initialState, { kind: "permission-check", report: { outcome: "passed", principal: "arn:aws:iam::123456789012:role/Admin", checked: 180, undecided: [] }, at: 0 });
    expect(passed.history).toEqual([
      expect.objectContaining({ kind: "note", note: { tone: "info", text: "permission check: arn:aws:iam::123456789012:role/Admin may do everything this deployment needs (180 actions checked on their resources)" } }),
    ]);
    const finding = { scope: "verify", region: "eu-west-1", resource: "arn:aws:lambda:eu-west-1:123456789012:function:demo-client", action: "lambda:InvokeFunction", decision: "implicitDeny", missingContext: [] } as const;
    const denied = reduce(initialState, { kind: "permission-check", report: { outcome: "denied", principal: "arn:aws:iam::123456789012:role/Admin", checked: 180, denied: [finding], undecided: [] }, at: 0 });
    const note = denied.history[0]?.kind === "note" ? denied.history[0].note : undefined;
    expect(note?.tone).toBe("attention");
    expect(note?.text.split("\n").slice(1, 3)).toEqual(["  verify", "    arn:aws:lambda:eu-west-1:123456789012:function:demo-client: lambda:InvokeFunction"]);
  });

  it("keeps a stack's state and outputs as one history note", () => {
    const state = reduce(initialState, {
      kind: "stack-state", stage: 1, key: "api", stackName: "demo-api", region: "us-east-1",
      status: "CREATE_COMPLETE", lastChange: "2026-11-25T08:00:00.000Z", outputs: { VpcId: "vpc-1" }, summary: "demo-api (us-east-1): CREATE_COMPLETE", at: 0,
    });
    expect(state.history).toEqual([expect.objectContaining({ kind: "note", note: { tone: "info", text: "demo-api (us-east-1): CREATE_COMPLETE\n  VpcId: vpc-1" } })]);
  });

  it("keeps preflight's zones as a history note, as the plain renderer words them", () => {
    const state = reduce(initialState, {
      kind: "zones", role: "client", region: "us-east-1", zones: [{ name: "us-east-1d", id: "use1-az2" }, { name: "us-east-1c", id: "use1-az1" }], source: "existing stack", at: 0,
    });
    expect(state.history).toEqual([
      expect.objectContaining({ kind: "note", note: { tone: "info", text: "zones of the client VPC in us-east-1: us-east-1d (use1-az2), us-east-1c (use1-az1) (kept from the existing stack)" } }),
    ]);
  });
});
