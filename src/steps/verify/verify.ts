// Proves the path works, after waiting for the function to be ready: invoke the client function N times, one after another, and read only the
// answer DESIGN section 9 defines. Whatever else comes back becomes an "unexpected" sample, never a crash.
import { pollDelay } from "../../aws/clock.js";
import { throwIfCredentials } from "../../aws/errors.js";
import { type FunctionStatus, type Invocation, invokeFunction, notReadyCause, readFunctionStatus } from "../../aws/function.js";
import { latencyStats, parseClientAnswer, type VerifyReport, type VerifySample } from "./client-answer.js";
import { diagnoseFunctionReadError, diagnoseInvokeError, diagnoseSample, type Diagnosis, excerpt, functionCancelled, functionFailed, functionNotRestored, functionTimedOut } from "./diagnose.js";
import type { StepContext } from "../context.js";

/** Verify's context; the readiness wait uses the same. */
export type VerifyContext = StepContext<"lambda" | "profile">;

/** The function to invoke, how often, and the API range DNS should answer from. */
export interface VerifyInput {
  readonly region: string;
  // The client stack's FunctionName output.
  readonly functionName: string;
  readonly samples: number;
  // The API VPC's range, to tell whether the API hostname resolved to the endpoint.
  readonly apiCidr: string;
  // How long to wait for the function to be ready (default READY_LIMIT_MS).
  readonly readyLimitMs?: number | undefined;
}

/** Invokes the client function N times, one after another, and reports the samples and the first failure. */
export async function verify(ctx: VerifyContext, input: VerifyInput): Promise<VerifyReport> {
  if (!Number.isInteger(input.samples) || input.samples < 1) {
    throw new RangeError(`samples must be a whole number of at least 1, got ${input.samples}`);
  }
  const { clock } = ctx;
  const now = () => clock.now();
  const samples: VerifySample[] = [];
  const target = { region: input.region, functionName: input.functionName, limitMs: input.readyLimitMs };
  let invokeFailure = await waitUntilReady(ctx, target, "not-ready");
  // Lambda refuses the first invoke of an inactive function and starts restoring it: wait once, retry.
  let woken = false;
  for (let index = 1; index <= input.samples && !invokeFailure; index++) {
    const started = now();
    let invocation: Invocation;
    try {
      invocation = await invokeFunction(ctx.clients, input.region, input.functionName);
    } catch (error) {
      throwIfCredentials(error, ctx.clients.profile);
      const cause = woken ? undefined : notReadyCause(error);
      if (cause) {
        woken = true;
        invokeFailure = await waitUntilReady(ctx, target, cause === "inactive" ? "inactive" : "not-ready");
        index--; // the same sample again, once the function is ready
        continue;
      }
      // The same call would fail the same way N times; one clear answer is enough.
      invokeFailure = diagnoseInvokeError(error, input.functionName, input.region);
      break;
    }
    const sample = toSample(index, now() - started, invocation);
    samples.push(sample);
    ctx.emit({ kind: "verify-sample", sample, region: input.region, at: now() });
  }
  const report = buildReport(samples, invokeFailure, input.apiCidr);
  ctx.emit({ kind: "verify-result", report, region: input.region, at: now() });
  return report;
}

function buildReport(samples: readonly VerifySample[], invokeFailure: Diagnosis | undefined, apiCidr: string): VerifyReport {
  const [first, ...rest] = samples;
  const failure = invokeFailure ?? firstDiagnosis(samples, apiCidr);
  return {
    ok: samples.length > 0 && failure === undefined,
    samples,
    cold: first && { insideMs: insideMs(first) ?? null, roundTripMs: first.roundTripMs },
    warm: {
      inside: latencyStats(rest.flatMap((s) => insideMs(s) ?? [])),
      roundTrip: latencyStats(rest.map((s) => s.roundTripMs)),
    },
    failure,
  };
}

function firstDiagnosis(samples: readonly VerifySample[], apiCidr: string): Diagnosis | undefined {
  for (const sample of samples) {
    const diagnosis = diagnoseSample(sample, apiCidr);
    if (diagnosis) return diagnosis;
  }
  return undefined;
}

function insideMs(sample: VerifySample): number | undefined {
  return sample.kind === "answer" ? sample.answer.timings.totalMs : undefined;
}

function toSample(index: number, roundTripMs: number, invocation: Invocation): VerifySample {
  const unexpected = (detail: string): VerifySample => ({ index, roundTripMs, kind: "unexpected", detail });
  if (invocation.functionError) return unexpected(functionErrorDetail(invocation));
  let value: unknown;
  try {
    value = JSON.parse(invocation.payload);
  } catch {
    return unexpected(`the function answered something that is not JSON: ${excerpt(invocation.payload)}`);
  }
  const parsed = parseClientAnswer(value);
  return typeof parsed === "string" ? unexpected(parsed) : { index, roundTripMs, kind: "answer", answer: parsed };
}

function functionErrorDetail(invocation: Invocation): string {
  let what = excerpt(invocation.payload);
  try {
    const error = JSON.parse(invocation.payload) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof error.errorMessage === "string") {
      what = typeof error.errorType === "string" ? `${error.errorType}: ${error.errorMessage}` : error.errorMessage;
    }
  } catch {
    // Not JSON: the excerpt of the raw payload already says what there is to say.
  }
  const lastLog = invocation.logTail?.trim().split("\n").at(-1);
  return `the function failed (${invocation.functionError}): ${what}${lastLog ? ` — last log line: ${lastLog}` : ""}`;
}

// DESIGN §10.5: invoke the client function only when Lambda says it can run — State Active and
// LastUpdateStatus Successful. A new VPC function is Pending while Lambda sets up its network interfaces
// (about a minute, AWS says); an update runs with LastUpdateStatus InProgress; a function idle for weeks is
// Inactive until an invoke wakes it. AWS: https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
/** How long to wait for a ready function: like the SDK's waitUntilFunctionActiveV2, enough for a VPC function's interfaces. */
export const READY_LIMIT_MS = 5 * 60_000;

/** The function to wait for, and for how long at most. */
export interface ReadyInput {
  readonly region: string;
  readonly functionName: string;
  readonly limitMs?: number | undefined;
}

/** What to do about a function in this state: invoke it, wait, or give up with a reason. */
export type Judgement = "ready" | "wait" | "inactive" | "failed";

/** Lambda's answer read as what a caller may do with the function now. */
export function judgeFunction(status: FunctionStatus): Judgement {
  if (status.state === "Failed" || status.lastUpdateStatus === "Failed") return "failed";
  if (status.state === "Inactive") return "inactive";
  // A function still being created has no LastUpdateStatus yet; once Active it has run no update.
  if (status.state === "Active" && (status.lastUpdateStatus === undefined || status.lastUpdateStatus === "Successful")) return "ready";
  return "wait";
}

/**
 * Waits (bounded, emitting progress) until the function is ready to invoke. "not-ready": before the first
 * invoke, where an Inactive function counts as ready (the invoke wakes it); "inactive": after an invoke was
 * refused because the function was inactive, so Lambda is restoring it and Inactive means it gave up.
 * Returns undefined when the function is ready, else why it is not.
 */
export async function waitUntilReady(ctx: VerifyContext, input: ReadyInput, cause: "not-ready" | "inactive"): Promise<Diagnosis | undefined> {
  const limit = input.limitMs ?? READY_LIMIT_MS;
  const started = ctx.clock.now();
  let shown: string | undefined;
  let restoring = false;
  for (let attempt = 0; ; attempt++) {
    let status: FunctionStatus;
    try {
      status = await readFunctionStatus(ctx.clients, input.region, input.functionName);
    } catch (error) {
      throwIfCredentials(error, ctx.clients.profile);
      return diagnoseFunctionReadError(error, input.functionName, input.region);
    }
    const judgement = judgeFunction(status);
    const waitedMs = ctx.clock.now() - started;
    if (judgement === "failed") return functionFailed(status);
    if (cause === "inactive" && judgement === "inactive" && restoring) return functionNotRestored(status);
    const ready = judgement === "ready" || (judgement === "inactive" && cause === "not-ready");
    const key = `${status.state}/${status.lastUpdateStatus ?? ""}/${status.stateReasonCode ?? ""}`;
    // Waking an inactive function is worth saying even when Lambda has restored it by the first look.
    if ((!ready || (cause === "inactive" && shown === undefined)) && key !== shown) {
      ctx.emit({ kind: "function-waiting", cause, function: status, region: input.region, at: ctx.clock.now() });
      shown = key;
    }
    if (ready) {
      if (shown !== undefined) ctx.emit({ kind: "function-ready", function: status, waitedMs, region: input.region, at: ctx.clock.now() });
      return undefined;
    }
    // Right after the refused invoke Lambda may still say Inactive; once it says Pending it is restoring.
    restoring ||= status.state === "Pending";
    if (waitedMs >= limit) return functionTimedOut(status, limit);
    await ctx.clock.sleep(Math.min(pollDelay(attempt, ctx.random), limit - waitedMs), ctx.signal);
    if (ctx.signal?.aborted) return functionCancelled(status);
  }
}
