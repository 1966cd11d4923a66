// verify waits for the client function to be Active with its last update Successful before invoking it,
// wakes an inactive one, and fails clearly (layer "function") when Lambda cannot make it ready.
import { GetFunctionConfigurationCommand, InvokeCommand, type InvokeCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import type { ProgressEvent } from "../../../src/steps/events.js";
import { READY_LIMIT_MS, verify } from "../../../src/steps/verify/verify.js";
import { FakeClock } from "../../helpers/cfn-timeline.js";
import { recorder, testClients } from "../../helpers/aws-fixtures.js";
import { accessDenied, active, creating, FUNCTION, functionConfiguration, notReady, pendingConflict, REGION } from "../../helpers/function-configurations.js";
import * as payload from "../../helpers/payloads.js";

const lambda = mockClient(LambdaClient);
const input = { region: REGION, functionName: FUNCTION, samples: 1, apiCidr: "10.10.0.0/16" };
const ok: InvokeCommandOutput = { StatusCode: 200, Payload: new TextEncoder().encode(payload.success()) as InvokeCommandOutput["Payload"], $metadata: {} };

// GetFunctionConfiguration answers these, one per poll, the last one from then on.
function states(...answers: Parameters<typeof functionConfiguration>[0][]): void {
  const mock = lambda.on(GetFunctionConfigurationCommand);
  answers.slice(0, -1).forEach((a) => mock.resolvesOnce(functionConfiguration(a)));
  mock.resolves(functionConfiguration(answers.at(-1)!));
}

// The calls in the order Lambda received them.
function calls(): string[] {
  return lambda.calls().map((c) => (c.args[0] instanceof InvokeCommand ? "Invoke" : "GetFunctionConfiguration"));
}

function readiness(events: ProgressEvent[]): unknown[] {
  return events.flatMap((e): unknown[] => {
    if (e.kind === "function-waiting") return [[e.kind, e.cause, e.function.state, e.function.lastUpdateStatus, e.function.stateReasonCode]];
    if (e.kind === "function-ready") return [[e.kind, e.waitedMs]];
    return [e.kind];
  });
}

describe("verify waits for a ready function", () => {
  let clients: AwsClients;
  let clock: FakeClock;
  const ctx = (emit: (e: ProgressEvent) => void, signal?: AbortSignal) => ({ clients, emit, clock, random: () => 0.5, signal });
  beforeEach(() => {
    lambda.reset();
    clients = testClients();
    clock = new FakeClock();
    lambda.on(InvokeCommand).resolves(ok);
  });
  afterEach(() => clients.destroy());

  it("invokes at once, saying nothing about readiness, when the function is Active and its last update Successful", async () => {
    states(active);
    const { events, emit } = recorder();
    const report = await verify(ctx(emit), input);

    expect(report.ok).toBe(true);
    expect(calls()).toEqual(["GetFunctionConfiguration", "Invoke"]);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]?.args[0].input).toEqual({ FunctionName: FUNCTION });
    expect(readiness(events)).toEqual(["verify-sample", "verify-result"]);
    expect(clock.sleeps).toEqual([]);
  });

  it("waits while a new VPC function is Pending over several polls, then invokes it once it is Active", async () => {
    states(creating, creating, creating, active);
    const { events, emit } = recorder();
    const report = await verify(ctx(emit), input);

    expect(report.ok).toBe(true);
    expect(calls()).toEqual(["GetFunctionConfiguration", "GetFunctionConfiguration", "GetFunctionConfiguration", "GetFunctionConfiguration", "Invoke"]);
    // The engine's poll schedule: 1 s, 1 s, 2 s (jitter pinned to none).
    expect(clock.sleeps).toEqual([1000, 1000, 2000]);
    // One event when the wait starts (the state does not change while Pending), one when it is over.
    expect(readiness(events)).toEqual([
      ["function-waiting", "not-ready", "Pending", undefined, "Creating"],
      ["function-ready", 4000],
      "verify-sample",
      "verify-result",
    ]);
    const waiting = events[0];
    expect(waiting).toMatchObject({ function: { functionName: FUNCTION, region: REGION, stateReason: "The function is being created." } });
  });

  it("waits for an update in progress (State Active, LastUpdateStatus InProgress) to finish", async () => {
    states({ State: "Active", LastUpdateStatus: "InProgress" }, { State: "Active", LastUpdateStatus: "InProgress" }, active);
    const { events, emit } = recorder();
    const report = await verify(ctx(emit), input);

    expect(report.ok).toBe(true);
    expect(readiness(events)).toEqual([
      ["function-waiting", "not-ready", "Active", "InProgress", undefined],
      ["function-ready", 2000],
      "verify-sample",
      "verify-result",
    ]);
  });

  it("says again where the function stands when its state changes during the wait", async () => {
    states(creating, { State: "Active", LastUpdateStatus: "InProgress" }, active);
    const { events, emit } = recorder();
    await verify(ctx(emit), input);

    expect(readiness(events).slice(0, 3)).toEqual([
      ["function-waiting", "not-ready", "Pending", undefined, "Creating"],
      ["function-waiting", "not-ready", "Active", "InProgress", undefined],
      ["function-ready", 2000],
    ]);
  });

  it("fails without invoking when Lambda could not create the function, naming its reason and what to do", async () => {
    states(creating, {
      State: "Failed",
      StateReasonCode: "SubnetOutOfIPAddresses",
      StateReason: "Lambda was unable to configure access to your environment variables because the subnet has insufficient IP addresses.",
    });
    const { events, emit } = recorder();
    const report = await verify(ctx(emit), input);

    expect(report.ok).toBe(false);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(report.samples).toEqual([]);
    expect(report.failure).toEqual({
      layer: "function",
      message:
        "Lambda could not make demo-client in eu-west-1 ready: State Failed (SubnetOutOfIPAddresses: Lambda was unable to configure access " +
        "to your environment variables because the subnet has insufficient IP addresses.)",
      advice:
        "The client subnets have no free addresses for Lambda's network interfaces: free some, or deploy with a larger --client-cidr. " +
        "A function in the Failed state must be created again: run teardown, then deploy.",
    });
    expect(events.at(-1)).toMatchObject({ kind: "verify-result", report: { ok: false, failure: { layer: "function" } } });
  });

  it("fails on a failed last update with Lambda's update reason, noting the previous configuration still runs", async () => {
    states({
      State: "Active",
      LastUpdateStatus: "Failed",
      LastUpdateStatusReasonCode: "EniLimitExceeded",
      LastUpdateStatusReason: "You have exceeded the maximum limit for Hyperplane ENIs for your account.",
    });
    const report = await verify(ctx(() => {}), input);

    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(report.failure?.message).toBe(
      "the last update of demo-client in eu-west-1 failed: State Active, LastUpdateStatus Failed " +
        "(EniLimitExceeded: You have exceeded the maximum limit for Hyperplane ENIs for your account.)",
    );
    expect(report.failure?.advice).toMatch(/^Lambda keeps running the function's previous configuration\. The account reached its network interface quota/);
  });

  it("wakes an inactive function: the refused invoke, the wait while Lambda restores it, then the same sample again", async () => {
    const idle = { State: "Inactive", StateReasonCode: "Idle", StateReason: "The function is inactive because it has been idle.", LastUpdateStatus: "Successful" } as const;
    const restoring = { State: "Pending", StateReasonCode: "Restoring", StateReason: "The function is being restored.", LastUpdateStatus: "Successful" } as const;
    states(idle, idle, restoring, restoring, active);
    lambda.on(InvokeCommand).rejectsOnce(notReady()).resolves(ok);
    const { events, emit } = recorder();
    const report = await verify(ctx(emit), { ...input, samples: 2 });

    expect(report.ok).toBe(true);
    expect(calls()).toEqual([
      "GetFunctionConfiguration",
      "Invoke",
      "GetFunctionConfiguration",
      "GetFunctionConfiguration",
      "GetFunctionConfiguration",
      "GetFunctionConfiguration",
      "Invoke",
      "Invoke",
    ]);
    expect(readiness(events)).toEqual([
      ["function-waiting", "inactive", "Inactive", "Successful", "Idle"],
      ["function-waiting", "inactive", "Pending", "Successful", "Restoring"],
      ["function-ready", 4000],
      "verify-sample",
      "verify-sample",
      "verify-result",
    ]);
    expect(report.samples.map((s) => s.index)).toEqual([1, 2]);
  });

  it("says an inactive function was woken even when Lambda restored it by the first look", async () => {
    states({ State: "Inactive", StateReasonCode: "Idle", LastUpdateStatus: "Successful" }, active);
    lambda.on(InvokeCommand).rejectsOnce(notReady()).resolves(ok);
    const { events, emit } = recorder();
    await verify(ctx(emit), input);

    expect(readiness(events)).toEqual([
      ["function-waiting", "inactive", "Active", "Successful", undefined],
      ["function-ready", 0],
      "verify-sample",
      "verify-result",
    ]);
  });

  it("fails when Lambda cannot restore an inactive function and it goes back to Inactive", async () => {
    states(
      { State: "Inactive", StateReasonCode: "Idle", LastUpdateStatus: "Successful" },
      { State: "Pending", StateReasonCode: "Restoring", LastUpdateStatus: "Successful" },
      { State: "Inactive", StateReasonCode: "InvalidSubnet", StateReason: "The subnet subnet-071f712345678e7c8 does not exist.", LastUpdateStatus: "Successful" },
    );
    lambda.on(InvokeCommand).rejects(notReady());
    const report = await verify(ctx(() => {}), input);

    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(report.failure).toMatchObject({
      layer: "function",
      message: expect.stringContaining("could not restore the inactive function demo-client in eu-west-1: State Inactive (InvalidSubnet: The subnet"),
      advice: expect.stringContaining("deploy stage 2 (client) again"),
    });
  });

  it("waits and retries once when an invoke meets a function that went Pending after the check", async () => {
    states(active, creating, active);
    lambda.on(InvokeCommand).rejectsOnce(pendingConflict()).resolves(ok);
    const { events, emit } = recorder();
    const report = await verify(ctx(emit), input);

    expect(report.ok).toBe(true);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(2);
    expect(readiness(events).slice(0, 2)).toEqual([["function-waiting", "not-ready", "Pending", undefined, "Creating"], ["function-ready", 1000]]);
  });

  it("retries only once: a second refusal is reported as the invoke failure it is", async () => {
    states(active);
    lambda.on(InvokeCommand).rejects(pendingConflict());
    const report = await verify(ctx(() => {}), { ...input, samples: 3 });

    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(2);
    expect(report.failure).toMatchObject({ layer: "invoke", message: expect.stringContaining("ResourceConflictException: The operation cannot be performed at this time") });
  });

  it("gives up after five minutes of Pending with the state it was left in, never invoking", async () => {
    states(creating);
    const { events, emit } = recorder();
    const report = await verify(ctx(emit), input);

    expect(READY_LIMIT_MS).toBe(300_000);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(READY_LIMIT_MS);
    // 1, 1, 2, 3 s, then every 5 s; the last sleep is cut to end exactly at the limit.
    expect(clock.sleeps.slice(0, 5)).toEqual([1000, 1000, 2000, 3000, 5000]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(report.failure).toEqual({
      layer: "function",
      message: "demo-client in eu-west-1 was still not ready after 5 min: State Pending (Creating: The function is being created.)",
      advice: expect.stringContaining("Run verify again in a few minutes"),
    });
    expect(readiness(events)).toEqual([["function-waiting", "not-ready", "Pending", undefined, "Creating"], "verify-result"]);
  });

  it("stops waiting at Ctrl-C", async () => {
    const controller = new AbortController();
    lambda.on(GetFunctionConfigurationCommand).callsFake(async () => {
      controller.abort();
      return functionConfiguration(creating);
    });
    const report = await verify(ctx(() => {}, controller.signal), input);

    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
    expect(report.failure?.message).toBe("cancelled while waiting for demo-client to be ready: State Pending (Creating: The function is being created.)");
  });

  it("names the missing permission when the function's state may not be read", async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(accessDenied("lambda:GetFunctionConfiguration"));
    const report = await verify(ctx(() => {}), input);

    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(report.failure).toMatchObject({ layer: "function", advice: "Your identity needs lambda:GetFunctionConfiguration on demo-client in eu-west-1." });
  });
});
