import { stripVTControlCharacters } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProgressEvent, StageRef } from "../../src/steps/events.js";
import type { VerifyReport } from "../../src/steps/verify/client-answer.js";
import { createPlainRenderer, type Timers } from "../../src/ui/plain.js";
import { activeFunction, failedFunction, pendingFunction } from "../helpers/script.js";
import { captureStream } from "../helpers/output.js";

const api: StageRef = { stage: 1, key: "api", stackName: "demo-api", region: "us-east-1" };
const client: StageRef = { stage: 2, key: "client", stackName: "demo-client", region: "eu-west-1" };
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const at = (seconds: number) => T0 + seconds * 1000;

describe("plain renderer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    // Colour is up to the stream; a forced colour in the test runner's environment must not leak in.
    vi.stubEnv("FORCE_COLOR", undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it("writes one line per state change, with the root cause indented under a failed stage", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    const script: ProgressEvent[] = [
      { kind: "run-started", operation: "deploy", name: "demo", at: at(0) },
      { kind: "identity", account: "123456789012", arn: "arn:aws:sts::123456789012:assumed-role/Admin/dev", at: at(0) },
      { kind: "warning", message: "the client VPC range overlaps vpc-1", at: at(0) },
      { kind: "stage-started", action: "create", at: at(1), ...api },
      { kind: "resource", logicalId: "demo-api", resourceType: "AWS::CloudFormation::Stack", status: "CREATE_IN_PROGRESS", reason: "User Initiated", eventId: "e0", at: at(2), ...api },
      { kind: "resource", logicalId: "Vpc", resourceType: "AWS::EC2::VPC", status: "CREATE_IN_PROGRESS", description: "VPC in us-east-1", eventId: "e1", at: at(4), ...api },
      // CloudFormation's second IN_PROGRESS for every resource: not a state change, so no second line.
      { kind: "resource", logicalId: "Vpc", resourceType: "AWS::EC2::VPC", status: "CREATE_IN_PROGRESS", reason: "Resource creation Initiated", description: "VPC in us-east-1", eventId: "e1b", at: at(5), ...api },
      { kind: "resource", logicalId: "Vpc", resourceType: "AWS::EC2::VPC", status: "CREATE_COMPLETE", description: "VPC in us-east-1", eventId: "e2", at: at(16), ...api },
      { kind: "stage-finished", outcome: "created", outputs: { ApiId: "a1b2c3d4e5", VpcId: "vpc-0api" }, at: at(131), ...api },
      { kind: "stage-started", action: "create", at: at(132), ...client },
      {
        kind: "resource",
        logicalId: "Peering",
        resourceType: "AWS::EC2::VPCPeeringConnection",
        status: "CREATE_FAILED",
        reason: "VpcPeeringConnection failed: overlapping CIDR range",
        eventId: "e3",
        at: at(150),
        ...client,
      },
      { kind: "resource", logicalId: "demo-client", resourceType: "AWS::CloudFormation::Stack", status: "ROLLBACK_IN_PROGRESS", reason: "The following resource(s) failed to create: [Peering]. ", eventId: "e4", at: at(151), ...client },
      {
        kind: "stage-failed",
        status: "ROLLBACK_COMPLETE",
        message: "the stack was rolled back",
        rootCause: { logicalId: "Peering", resourceType: "AWS::EC2::VPCPeeringConnection", reason: "VpcPeeringConnection failed: overlapping CIDR range" },
        at: at(190),
        ...client,
      },
      { kind: "result", operation: "deploy", ok: false, summary: "deploy failed at stage 2", next: ["xregion-private-api teardown --name demo"], at: at(190) },
    ];
    for (const event of script) renderer.onEvent(event);
    renderer.close();

    expect(out.lines()).toEqual([
      "deploy demo",
      "AWS account 123456789012 as arn:aws:sts::123456789012:assumed-role/Admin/dev",
      "warning: the client VPC range overlaps vpc-1",
      "[1/3 api us-east-1] creating demo-api",
      "[1/3 api us-east-1] CREATE_IN_PROGRESS  VPC in us-east-1 (Vpc) 3s",
      "[1/3 api us-east-1] CREATE_COMPLETE  VPC in us-east-1 (Vpc) 15s",
      "[1/3 api us-east-1] created demo-api in 2m10s",
      "    ApiId: a1b2c3d4e5",
      "    VpcId: vpc-0api",
      "[2/3 client eu-west-1] creating demo-client",
      "[2/3 client eu-west-1] CREATE_FAILED  AWS::EC2::VPCPeeringConnection (Peering) 18s",
      "    VpcPeeringConnection failed: overlapping CIDR range",
      "[2/3 client eu-west-1] ROLLBACK_IN_PROGRESS  AWS::CloudFormation::Stack (demo-client) 19s",
      "[2/3 client eu-west-1] FAILED demo-client: ROLLBACK_COMPLETE the stack was rolled back",
      "    Peering (AWS::EC2::VPCPeeringConnection): VpcPeeringConnection failed: overlapping CIDR range",
      "deploy failed at stage 2",
      "  next: xregion-private-api teardown --name demo",
    ]);
  });

  it("wraps at whole words in a terminal, to its width at the time of each line, keeping an ARN whole", () => {
    const out = Object.assign(captureStream(), { isTTY: true, columns: 50 });
    const renderer = createPlainRenderer({ stream: out });
    const arn = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane";
    renderer.onEvent({ kind: "identity", account: "123456789012", arn, at: at(0) });
    out.columns = 80; // the terminal was made wider
    renderer.onEvent({ kind: "warning", message: "the client VPC range 10.20.0.0/16 overlaps existing VPC vpc-0123456789abcdef0 in eu-west-1", at: at(1) });
    renderer.close();
    expect(out.lines().map((line) => stripVTControlCharacters(line))).toEqual([
      "AWS account 123456789012 as",
      `  ${arn}`,
      "warning: the client VPC range 10.20.0.0/16 overlaps existing VPC",
      "  vpc-0123456789abcdef0 in eu-west-1",
    ]);
  });

  it("does not call a stage that failed before changing anything by its stack's last status", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "stage-started", action: "update", at: at(0), ...api });
    renderer.onEvent({ kind: "stage-failed", ...api, status: "UPDATE_COMPLETE", rootCause: undefined, message: "demo-api: ValidationError: bad", at: at(2) });
    renderer.close();
    expect(out.lines()).toEqual(["[1/3 api us-east-1] updating demo-api", "[1/3 api us-east-1] FAILED demo-api: demo-api: ValidationError: bad"]);
  });

  it("lists an update's changes under its stage, replacements and removals flagged in words", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "stage-started", action: "update", at: at(0), ...api });
    renderer.onEvent({
      kind: "change-set",
      changes: [
        { action: "Modify", logicalId: "Vpc", resourceType: "AWS::EC2::VPC", description: "Network for the private API", replacement: "True" },
        { action: "Modify", logicalId: "Api", resourceType: "AWS::ApiGateway::RestApi", description: "Private REST API", replacement: "False" },
        { action: "Remove", logicalId: "Old", resourceType: "AWS::SSM::Parameter", description: undefined, replacement: undefined },
      ],
      at: at(3),
      ...api,
    });
    renderer.close();
    expect(out.lines()).toEqual([
      "[1/3 api us-east-1] updating demo-api",
      "[1/3 api us-east-1] the change set has 3 changes:",
      "    Modify Network for the private API (Vpc) (replaced: a new resource)",
      "    Modify Private REST API (Api)",
      "    Remove Old (AWS::SSM::Parameter)",
    ]);
  });

  it("prints stage 2's release as its own lines while stage 3 runs, each with its stage and time", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    const routes: StageRef = { stage: 3, key: "routes", stackName: "demo-routes", region: "us-east-1" };
    for (const event of [
      { kind: "stage-started", action: "delete", at: at(0), ...routes },
      { kind: "function-detach", functionName: "demo-client", phase: "started", at: at(0), ...client },
      { kind: "function-detach", functionName: "demo-client", phase: "done", at: at(8), ...client },
      { kind: "interfaces-release", phase: "started", total: 2, deleted: 0, at: at(9), ...client },
      { kind: "interfaces-release", phase: "done", total: 2, deleted: 2, at: at(15), ...client },
      { kind: "stage-finished", outcome: "deleted", outputs: {}, at: at(20), ...routes },
      { kind: "function-detach", functionName: "demo-client", phase: "not-possible", reason: "AccessDeniedException: not authorized to perform: lambda:UpdateFunctionConfiguration", at: at(21), ...client },
    ] satisfies ProgressEvent[]) {
      renderer.onEvent(event);
    }
    renderer.close();
    expect(out.lines()).toEqual([
      "[3/3 routes us-east-1] deleting demo-routes",
      "[2/3 client eu-west-1] IN_PROGRESS  Detaching the client function from its VPC",
      "[2/3 client eu-west-1] DETACHED  Detaching the client function from its VPC 8s",
      "[2/3 client eu-west-1] 0/2 DELETED  Releasing 2 network interfaces",
      "[2/3 client eu-west-1] DELETED  Releasing 2 network interfaces 6s",
      "[3/3 routes us-east-1] deleted demo-routes in 20s",
      "[2/3 client eu-west-1] NOT POSSIBLE  Detaching the client function from its VPC 21s",
      "    AccessDeniedException: not authorized to perform: lambda:UpdateFunctionConfiguration",
    ]);
  });

  it("says a stage was cancelled in one line, not as a failure, and what is left after it", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    for (const event of [
      { kind: "stage-started", action: "create", at: at(0), ...client },
      { kind: "info", message: "Cancelling the running operation… press Ctrl-C again to detach and leave it running.", at: at(20) },
      { kind: "stage-cancelled", status: "DELETE_COMPLETE", message: "Cancelled: demo-client was still being created and has been deleted.", at: at(60), ...client },
      { kind: "info", message: "Left: demo-api (us-east-1) CREATE_COMPLETE.", at: at(61) },
    ] satisfies ProgressEvent[]) {
      renderer.onEvent(event);
    }
    renderer.close();
    expect(out.lines()).toEqual([
      "[2/3 client eu-west-1] creating demo-client",
      "Cancelling the running operation… press Ctrl-C again to detach and leave it running.",
      "[2/3 client eu-west-1] Cancelled: demo-client was still being created and has been deleted.",
      "Left: demo-api (us-east-1) CREATE_COMPLETE.",
    ]);
  });

  it("prints a heartbeat after 30 s of silence, naming the stack, the wait so far and its state", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "stage-started", action: "delete", at: at(0), ...client });
    vi.advanceTimersByTime(10_000);
    renderer.onEvent({ kind: "resource", logicalId: "demo-client", resourceType: "AWS::CloudFormation::Stack", status: "DELETE_IN_PROGRESS", eventId: "e1", at: at(10), ...client });
    vi.advanceTimersByTime(29_999);
    // The stack's own DELETE_IN_PROGRESS repeats the stage line, so it prints nothing but resets the silence.
    expect(out.lines()).toEqual(["[2/3 client eu-west-1] deleting demo-client"]);

    vi.advanceTimersByTime(1);
    expect(out.lines().at(-1)).toBe("… still waiting on demo-client (eu-west-1): 40s, DELETE_IN_PROGRESS");
    vi.advanceTimersByTime(90_000);
    expect(out.lines().at(-1)).toBe("… still waiting on demo-client (eu-west-1): 2m10s, DELETE_IN_PROGRESS");
    expect(out.lines()).toHaveLength(5);

    renderer.close();
    vi.advanceTimersByTime(120_000);
    expect(out.lines()).toHaveLength(5);
  });

  it("stops the heartbeat once the run's result is out", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "result", operation: "status", ok: true, summary: "all three stacks are deployed", next: [], at: at(0) });
    vi.advanceTimersByTime(60_000);
    expect(out.lines()).toEqual(["all three stacks are deployed"]);
  });

  it("starts the silence over at every event", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "stage-started", action: "create", at: at(0), ...api });
    for (let s = 20; s <= 100; s += 20) {
      vi.advanceTimersByTime(20_000);
      renderer.onEvent({ kind: "resource", logicalId: "Api", resourceType: "AWS::ApiGateway::RestApi", status: "CREATE_IN_PROGRESS", eventId: `e${s}`, at: at(s), ...api });
    }
    renderer.close();
    expect(out.lines().some((line) => line.startsWith("…"))).toBe(false);
  });

  it("says how long it has been quiet when no stage is running, and never holds the process open", () => {
    const unref = vi.fn();
    const timers: Timers = {
      setTimeout: (callback, ms) => Object.assign(setTimeout(callback, ms), { unref }),
      clearTimeout: (handle) => clearTimeout(handle),
    };
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out, timers });
    renderer.onEvent({ kind: "info", message: "invoking demo-client", at: at(0) });
    vi.advanceTimersByTime(30_000);
    renderer.close();

    expect(out.lines().at(-1)).toBe("… still working: 30s since the last update");
    expect(unref).toHaveBeenCalled();
  });

  it("shows a verify result as a latency table with the cold sample apart, then the response", () => {
    const report: VerifyReport = {
      ok: true,
      samples: [
        { index: 1, roundTripMs: 1400, kind: "answer", answer: answer(900) },
        { index: 2, roundTripMs: 120.4, kind: "answer", answer: answer(40) },
      ],
      cold: { insideMs: 900, roundTripMs: 1400 },
      warm: { inside: { count: 1, min: 40, p50: 40, p95: 40, max: 40 }, roundTrip: { count: 1, min: 120.4, p50: 120.4, p95: 120.4, max: 120.4 } },
      failure: undefined,
    };
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    for (const sample of report.samples) renderer.onEvent({ kind: "verify-sample", sample, region: "eu-west-1", at: at(1) });
    renderer.onEvent({ kind: "verify-result", report, region: "eu-west-1", at: at(2) });
    renderer.close();

    expect(out.lines()).toEqual([
      "sample 1 (cold): ok 200 · inside 900 ms · round trip 1400 ms",
      "sample 2: ok 200 · inside 40 ms · round trip 120 ms",
      "latency (ms)       cold    min    p50    p95    max",
      "inside function     900     40     40     40     40",
      "round trip         1400    120    120    120    120",
      "(cold: the first invocation; min/p50/p95/max over 1 warm sample)",
      'response 200: {"message":"hello from the private API"}',
      "verification passed",
    ]);
  });

  it("shows a failed verification with its layer and what to check", () => {
    const report: VerifyReport = {
      ok: false,
      samples: [{ index: 1, roundTripMs: 80, kind: "unexpected", detail: "the function failed (Unhandled): boom" }],
      cold: { insideMs: null, roundTripMs: 80 },
      warm: { inside: undefined, roundTrip: undefined },
      failure: { layer: "unexpected", message: "the function failed (Unhandled): boom", advice: "Check its CloudWatch logs." },
    };
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "verify-sample", sample: report.samples[0]!, region: "eu-west-1", at: at(1) });
    renderer.onEvent({ kind: "verify-result", report, region: "eu-west-1", at: at(2) });
    renderer.close();

    expect(out.lines()).toEqual([
      "sample 1 (cold): unexpected answer: the function failed (Unhandled): boom · round trip 80 ms",
      "latency (ms)       cold    min    p50    p95    max",
      "inside function       -      -      -      -      -",
      "round trip           80      -      -      -      -",
      "(cold: the first invocation; min/p50/p95/max over 0 warm samples)",
      "verification failed at the unexpected layer: the function failed (Unhandled): boom",
      "    Check its CloudWatch logs.",
    ]);
  });

  it("tells the wait for the client function: when it starts, when its state changes, and when it is ready", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    const updating = { ...activeFunction, lastUpdateStatus: "InProgress" };
    renderer.onEvent({ kind: "function-waiting", cause: "not-ready", function: pendingFunction, region: "eu-west-1", at: at(0) });
    renderer.onEvent({ kind: "function-waiting", cause: "not-ready", function: updating, region: "eu-west-1", at: at(50) });
    renderer.onEvent({ kind: "function-ready", function: activeFunction, waitedMs: 64_000, region: "eu-west-1", at: at(64) });
    renderer.close();

    expect(out.lines()).toEqual([
      "waiting for the function demo-client to be ready: State Pending (Creating: The function is being created.)",
      "waiting for the function demo-client to be ready: State Active, LastUpdateStatus InProgress",
      "the function demo-client is ready (State Active, LastUpdateStatus Successful) after 1m04s",
    ]);
  });

  it("says an inactive function was woken, and shows the function's state in status", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    const restoring = { ...pendingFunction, stateReasonCode: "Restoring", stateReason: "The function is being restored.", lastUpdateStatus: "Successful" };
    renderer.onEvent({ kind: "function-waiting", cause: "inactive", function: restoring, region: "eu-west-1", at: at(0) });
    renderer.onEvent({ kind: "function-state", function: failedFunction, ready: false, region: "eu-west-1", at: at(1) });
    renderer.onEvent({ kind: "function-state", function: activeFunction, ready: true, region: "eu-west-1", at: at(2) });
    renderer.close();

    expect(out.lines()).toEqual([
      "the function demo-client was inactive; Lambda is restoring its network interfaces (can take a minute): " +
        "State Pending (Restoring: The function is being restored.), LastUpdateStatus Successful",
      "function demo-client (eu-west-1): State Failed (SubnetOutOfIPAddresses: Lambda was unable to configure access to your " +
        "environment variables because the subnet has insufficient IP addresses.)",
      "function demo-client (eu-west-1): State Active, LastUpdateStatus Successful",
    ]);
  });

  it("colours only a terminal that wants colour, and respects NO_COLOR", async () => {
    const { WriteStream } = await import("node:tty");
    const terminal = () =>
      Object.assign(captureStream(), { isTTY: true, getColorDepth: (env?: NodeJS.ProcessEnv) => WriteStream.prototype.getColorDepth(env) });
    vi.stubEnv("TERM", "xterm-256color");
    // Node gives a terminal only two colours when CI is set (as in our CI run); this case is a person's terminal.
    vi.stubEnv("CI", undefined);
    vi.stubEnv("NO_COLOR", undefined);
    const coloured = terminal();
    createPlainRenderer({ stream: coloured }).onEvent({ kind: "warning", message: "careful", at: at(0) });
    expect(coloured.text()).toContain("\u001b[33m");

    vi.stubEnv("NO_COLOR", "1");
    const plain = terminal();
    const renderer = createPlainRenderer({ stream: plain });
    renderer.onEvent({ kind: "warning", message: "careful", at: at(0) });
    renderer.close();
    expect(plain.text()).toBe("warning: careful\n");
  });

  it("paints a success green, and a status that found nothing deployed in no colour at all", async () => {
    const { WriteStream } = await import("node:tty");
    vi.stubEnv("TERM", "xterm-256color");
    vi.stubEnv("CI", undefined);
    vi.stubEnv("NO_COLOR", undefined);
    const summary = (neutral: boolean) => {
      const out = Object.assign(captureStream(), { isTTY: true, getColorDepth: (env?: NodeJS.ProcessEnv) => WriteStream.prototype.getColorDepth(env) });
      createPlainRenderer({ stream: out }).onEvent({ kind: "result", operation: "status", ok: true, neutral, summary: "Deployment \"demo\" is …", next: [], at: at(0) });
      return out.text();
    };
    expect(summary(false)).toContain("\u001b[32m");
    expect(summary(true)).toBe('Deployment "demo" is …\n');
  });

  it("prints the permission check's skip in one line and a denial as one block", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "permission-check", report: { outcome: "skipped", reason: "you may not call iam:SimulatePrincipalPolicy (AccessDenied)" }, at: at(0) });
    const finding = { scope: "routes", region: "us-east-1", resource: "*", action: "ec2:DescribeRouteTables", decision: "implicitDeny", missingContext: [] } as const;
    renderer.onEvent({ kind: "permission-check", report: { outcome: "denied", principal: "arn:aws:iam::123456789012:user/ci", checked: 180, denied: [finding], undecided: [] }, at: at(1) });
    renderer.close();
    expect(out.lines()).toEqual([
      "permission check skipped: you may not call iam:SimulatePrincipalPolicy (AccessDenied)",
      "permission check: arn:aws:iam::123456789012:user/ci may not do 1 action this deployment needs; nothing was created",
      "  stage 3/3 (return routes)",
      "    any resource in us-east-1: ec2:DescribeRouteTables",
      expect.stringMatching(/^grant them and run deploy again \(docs\/permissions\.md\), or pass --no-permission-check/),
    ]);
  });

  it("prints a stack's state with its outputs indented under it", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    renderer.onEvent({ kind: "stack-state", ...api, status: "CREATE_COMPLETE", lastChange: "2026-11-25T08:00:00.000Z", outputs: { ApiId: "a1b2c3d4e5" }, summary: "demo-api (us-east-1): CREATE_COMPLETE", at: at(0) });
    renderer.onEvent({ kind: "stack-state", ...client, status: null, lastChange: null, outputs: {}, summary: "demo-client (eu-west-1): not deployed", at: at(0) });
    renderer.close();
    expect(out.text()).toBe("[1/3] demo-api (us-east-1): CREATE_COMPLETE\n    ApiId: a1b2c3d4e5\n[2/3] demo-client (eu-west-1): not deployed\n");
  });

  it("prints each VPC's zones with their ids and where they came from", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    const zones = [{ name: "us-east-1b", id: "use1-az6" }, { name: "us-east-1c", id: "use1-az1" }] as const;
    renderer.onEvent({ kind: "zones", role: "api", region: "us-east-1", zones, source: "chosen", at: at(0) });
    renderer.onEvent({ kind: "zones", role: "client", region: "eu-west-1", zones: [{ name: "eu-west-1c", id: "euw1-az2" }, { name: "eu-west-1a", id: "euw1-az3" }], source: "flags", at: at(0) });
    renderer.close();
    expect(out.text()).toBe(
      "zones of the API VPC in us-east-1: us-east-1b (use1-az6), us-east-1c (use1-az1) (chosen by preflight)\n" +
        "zones of the client VPC in eu-west-1: eu-west-1c (euw1-az2), eu-west-1a (euw1-az3) (from --client-azs)\n",
    );
  });
});

function answer(totalMs: number) {
  return {
    ok: true,
    url: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/hello",
    status: 200,
    body: '{"message":"hello from the private API"}',
    timings: { dnsMs: 1, connectMs: 1, tlsMs: 1, firstByteMs: totalMs - 1, totalMs },
    resolvedAddresses: ["10.10.0.37"],
    error: null,
  };
}
