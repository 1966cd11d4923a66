import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, ResourceNotFoundException, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import { ExpiredTokenException } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { CredentialsError } from "../../../src/aws/errors.js";
import { systemClock, type Clock } from "../../../src/aws/clock.js";
import type { ProgressEvent } from "../../../src/steps/events.js";
import { verify } from "../../../src/steps/verify/verify.js";
import { recorder, testClients } from "../../helpers/aws-fixtures.js";
import { functionConfiguration } from "../../helpers/function-configurations.js";
import * as payload from "../../helpers/payloads.js";

const lambda = mockClient(LambdaClient);
const input = { region: "eu-west-1", functionName: "demo-client", samples: 5, apiCidr: "10.10.0.0/16" };

function reply(text: string, extra: Partial<InvokeCommandOutput> = {}): InvokeCommandOutput {
  return { StatusCode: 200, Payload: new TextEncoder().encode(text) as InvokeCommandOutput["Payload"], $metadata: {}, ...extra };
}

// Each scripted invocation advances the fake clock by its round trip, so latency is known exactly.
function script(steps: Array<{ ms: number; out: InvokeCommandOutput | Error }>): Clock {
  let now = 1_000_000;
  let call = 0;
  lambda.on(InvokeCommand).callsFake(async () => {
    const step = steps[Math.min(call++, steps.length - 1)];
    if (!step) throw new Error("empty script");
    now += step.ms;
    if (step.out instanceof Error) throw step.out;
    return step.out;
  });
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

function kinds(events: ProgressEvent[]): string[] {
  return events.map((e) => e.kind);
}

describe("verify", () => {
  let clients: AwsClients;
  beforeEach(() => {
    lambda.reset();
    lambda.on(GetFunctionConfigurationCommand).resolves(functionConfiguration({ State: "Active", LastUpdateStatus: "Successful" }));
    clients = testClients("p");
  });
  afterEach(() => clients.destroy());

  it("invokes the client function synchronously with the log tail, once per sample, in its region", async () => {
    const clock = script([{ ms: 100, out: reply(payload.success()) }]);
    await verify({ clients, emit: () => {}, clock }, { ...input, samples: 3 });

    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(3);
    expect(calls[0]?.args[0].input).toEqual({ FunctionName: "demo-client", InvocationType: "RequestResponse", LogType: "Tail" });
    expect(await (calls[0]?.thisValue as LambdaClient).config.region()).toBe("eu-west-1");
  });

  it("passes when every answer is ok, keeping the cold sample apart from the warm statistics", async () => {
    const clock = script([
      { ms: 1400, out: reply(payload.success(900)) },
      { ms: 120, out: reply(payload.success(40)) },
      { ms: 100, out: reply(payload.success(35)) },
      { ms: 140, out: reply(payload.success(52)) },
      { ms: 110, out: reply(payload.success(38)) },
    ]);
    const { events, emit } = recorder();
    const report = await verify({ clients, emit, clock }, input);

    expect(report.ok).toBe(true);
    expect(report.failure).toBeUndefined();
    expect(report.cold).toEqual({ insideMs: 900, roundTripMs: 1400 });
    expect(report.warm.inside).toEqual({ count: 4, min: 35, p50: 38, p95: 52, max: 52 });
    expect(report.warm.roundTrip).toEqual({ count: 4, min: 100, p50: 110, p95: 140, max: 140 });
    expect(kinds(events)).toEqual(["verify-sample", "verify-sample", "verify-sample", "verify-sample", "verify-sample", "verify-result"]);
  });

  it("reads the answer exactly as the function sent it", async () => {
    const clock = script([{ ms: 100, out: reply(payload.success()) }]);
    const report = await verify({ clients, emit: () => {}, clock }, { ...input, samples: 1 });

    expect(report.samples[0]).toEqual({ index: 1, roundTripMs: 100, kind: "answer", answer: JSON.parse(payload.success()) });
    expect(report.warm).toEqual({ inside: undefined, roundTrip: undefined });
  });

  it("blames the resource policy for a 403 through the endpoint", async () => {
    const clock = script([{ ms: 300, out: reply(payload.forbidden) }]);
    const report = await verify({ clients, emit: () => {}, clock }, { ...input, samples: 2 });

    expect(report.ok).toBe(false);
    expect(report.failure?.layer).toBe("http");
    expect(report.failure?.message).toBe(`HTTP 403 (denied: resource policy, endpoint or hostname) from ${payload.HOST}`);
    expect(report.failure?.advice).toContain("aws:SourceVpce");
  });

  it("points a DNS failure at the private hosted zone and its association with the client VPC", async () => {
    const clock = script([{ ms: 60, out: reply(payload.dnsFailure) }]);
    const report = await verify({ clients, emit: () => {}, clock }, { ...input, samples: 1 });

    expect(report.failure).toMatchObject({ layer: "dns", message: `${payload.HOST} did not resolve: ENOTFOUND: getaddrinfo ENOTFOUND ${payload.HOST}` });
    expect(report.failure?.advice).toContain(`private hosted zone for ${payload.HOST}`);
    expect(report.failure?.advice).toContain("associated with the client VPC");
  });

  it("says the zone is not used when the name resolved outside the API VPC", async () => {
    const clock = script([{ ms: 5100, out: reply(payload.connectToPublic) }]);
    const report = await verify({ clients, emit: () => {}, clock }, { ...input, samples: 1 });

    expect(report.failure?.layer).toBe("connect");
    expect(report.failure?.advice).toContain("resolved to 3.5.140.2, 52.94.236.248, outside the API VPC range 10.10.0.0/16");
    expect(report.failure?.advice).toContain("peering connection being active");
  });

  it("reports an unhandled function error as an unexpected answer, not a crash", async () => {
    const clock = script([{ ms: 80, out: reply(payload.unhandled, { FunctionError: "Unhandled" }) }]);
    const { events, emit } = recorder();
    const report = await verify({ clients, emit, clock }, { ...input, samples: 1 });

    expect(report.samples[0]).toMatchObject({
      kind: "unexpected",
      detail: "the function failed (Unhandled): Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token '}'",
    });
    expect(report.cold).toEqual({ insideMs: null, roundTripMs: 80 });
    expect(report.failure?.layer).toBe("unexpected");
    expect(kinds(events)).toEqual(["verify-sample", "verify-result"]);
  });

  it("recognises the function's own timeout and quotes its last log line", async () => {
    const clock = script([{ ms: 10_050, out: reply(payload.functionTimedOut, { FunctionError: "Unhandled", LogResult: payload.logTail }) }]);
    const report = await verify({ clients, emit: () => {}, clock }, { ...input, samples: 1 });

    expect(report.failure?.layer).toBe("timeout");
    expect(report.failure?.message).toContain("Task timed out after 10.00 seconds");
    expect(report.failure?.message).toContain("last log line: REPORT RequestId: 6f1c5a0e\tDuration: 10000.00 ms");
  });

  it("reports a payload that is not JSON as unexpected, quoting it", async () => {
    const clock = script([{ ms: 50, out: reply("Internal Server Error") }]);
    const report = await verify({ clients, emit: () => {}, clock }, { ...input, samples: 1 });

    expect(report.samples[0]).toMatchObject({
      kind: "unexpected",
      detail: "the function answered something that is not JSON: Internal Server Error",
    });
    expect(report.ok).toBe(false);
  });

  it("keeps sampling after a bad answer and fails the run on it", async () => {
    const clock = script([
      { ms: 900, out: reply(payload.success(400)) },
      { ms: 100, out: reply(JSON.stringify({ statusCode: 200, body: "hello" })) },
      { ms: 100, out: reply(payload.success(40)) },
    ]);
    const report = await verify({ clients, emit: () => {}, clock }, { ...input, samples: 3 });

    expect(report.samples.map((s) => s.kind)).toEqual(["answer", "unexpected", "answer"]);
    expect(report.warm.inside).toMatchObject({ count: 1, min: 40 });
    expect(report.warm.roundTrip).toMatchObject({ count: 2 });
    expect(report.ok).toBe(false);
    expect(report.failure).toMatchObject({ layer: "unexpected", message: "the answer has no boolean `ok`" });
  });

  it("says to run deploy first when the function does not exist, after one attempt", async () => {
    const missing = new ResourceNotFoundException({
      message: "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:demo-client",
      Type: "User",
      $metadata: { httpStatusCode: 404 },
    });
    const clock = script([{ ms: 40, out: missing }]);
    const { events, emit } = recorder();
    const report = await verify({ clients, emit, clock }, input);

    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(report).toMatchObject({ ok: false, samples: [], cold: undefined });
    expect(report.failure).toMatchObject({ layer: "invoke", advice: "The function demo-client does not exist in eu-west-1: run deploy first." });
    expect(kinds(events)).toEqual(["verify-result"]);
  });

  it("raises expired credentials as a CredentialsError instead of a failed sample", async () => {
    const clock = script([{ ms: 10, out: new ExpiredTokenException({ message: "The security token included in the request is expired", $metadata: {} }) }]);
    await expect(verify({ clients, emit: () => {}, clock }, input)).rejects.toBeInstanceOf(CredentialsError);
  });

  it("refuses a sample count below one", async () => {
    await expect(verify({ clients, emit: () => {}, clock: systemClock }, { ...input, samples: 0 })).rejects.toThrow(RangeError);
  });
});
