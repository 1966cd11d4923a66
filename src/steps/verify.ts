// Proves the path works: invoke the client function N times, one after another, and read only the
// answer DESIGN section 9 defines. Whatever else comes back becomes an "unexpected" sample, never a crash.
import type { AwsClients } from "../aws/clients.js";
import { asCredentialsError } from "../aws/errors.js";
import { notReadyCause } from "../aws/function.js";
import { invokeFunction, type Invocation } from "../aws/function.js";
import { diagnoseInvokeError, diagnoseSample, excerpt, type Diagnosis } from "./diagnose.js";
import { systemClock, type Clock } from "../aws/clock.js";
import type { Emit } from "./events.js";
import { waitUntilReady } from "./function-ready.js";
import { latencyStats } from "./latency.js";
import type { ClientAnswer, ClientTimings, FailureLayer, VerifyReport, VerifySample } from "./verify-types.js";

export interface VerifyContext {
  readonly clients: Pick<AwsClients, "lambda" | "profile">;
  readonly emit: Emit;
  // Times each round trip, stamps events and paces the wait for the function; the engine's Clock fits, so
  // one context serves every step.
  readonly clock?: Clock | undefined;
  // Ctrl-C ends the wait for the function.
  readonly signal?: AbortSignal | undefined;
  readonly random?: (() => number) | undefined;
}

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

export async function verify(ctx: VerifyContext, input: VerifyInput): Promise<VerifyReport> {
  if (!Number.isInteger(input.samples) || input.samples < 1) {
    throw new RangeError(`samples must be a whole number of at least 1, got ${input.samples}`);
  }
  const clock = ctx.clock ?? systemClock;
  const now = () => clock.now();
  const samples: VerifySample[] = [];
  const ready = { ...ctx, clock };
  const target = { region: input.region, functionName: input.functionName, limitMs: input.readyLimitMs };
  let invokeFailure = await waitUntilReady(ready, target, "not-ready");
  // Lambda refuses the first invoke of an inactive function and starts restoring it: wait once, retry.
  let woken = false;
  for (let index = 1; index <= input.samples && !invokeFailure; index++) {
    const started = now();
    let invocation: Invocation;
    try {
      invocation = await invokeFunction(ctx.clients, input.region, input.functionName);
    } catch (error) {
      const credentials = asCredentialsError(error, ctx.clients.profile);
      if (credentials) throw credentials;
      const cause = woken ? undefined : notReadyCause(error);
      if (cause) {
        woken = true;
        invokeFailure = await waitUntilReady(ready, target, cause === "inactive" ? "inactive" : "not-ready");
        index--; // the same sample again, once the function is ready
        continue;
      }
      // The same call would fail the same way N times; one clear answer is enough.
      invokeFailure = diagnoseInvokeError(error, input.functionName, input.region);
      break;
    }
    const sample = toSample(index, now() - started, invocation);
    samples.push(sample);
    ctx.emit({ kind: "verify-sample", sample, at: now() });
  }
  const report = buildReport(samples, invokeFailure, input.apiCidr);
  ctx.emit({ kind: "verify-result", report, at: now() });
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

const LAYERS: readonly FailureLayer[] = ["dns", "connect", "tls", "http", "timeout"];
const TIMING_KEYS = ["dnsMs", "connectMs", "tlsMs", "firstByteMs", "totalMs"] as const;

// Returns the answer, or a sentence saying what is wrong with it. Fields beyond the contract are dropped.
export function parseClientAnswer(value: unknown): ClientAnswer | string {
  if (!isRecord(value)) return `the answer is not a JSON object: ${excerpt(JSON.stringify(value) ?? String(value))}`;
  const { ok, url, status, body, timings, resolvedAddresses, error } = value;
  if (typeof ok !== "boolean") return "the answer has no boolean `ok`";
  if (typeof url !== "string") return "the answer has no string `url`";
  if (status !== null && !(typeof status === "number" && Number.isInteger(status))) return "`status` is neither an integer nor null";
  if (body !== null && typeof body !== "string") return "`body` is neither a string nor null";
  if (!isRecord(timings)) return "the answer has no `timings` object";
  for (const key of TIMING_KEYS) {
    const ms = timings[key];
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return `\`timings.${key}\` is not a number of milliseconds`;
  }
  if (!Array.isArray(resolvedAddresses) || !resolvedAddresses.every((a) => typeof a === "string")) {
    return "`resolvedAddresses` is not a list of strings";
  }
  let failure: ClientAnswer["error"] = null;
  if (error !== null) {
    if (!isRecord(error) || !LAYERS.includes(error["layer"] as FailureLayer) || typeof error["message"] !== "string") {
      return `\`error\` is neither null nor { layer: ${LAYERS.join("|")}, message }`;
    }
    failure = { layer: error["layer"] as FailureLayer, message: error["message"] };
  }
  if (ok === (failure !== null)) return ok ? "`ok` is true but `error` is set" : "`ok` is false but `error` is null";
  return {
    ok,
    url,
    status,
    body,
    timings: Object.fromEntries(TIMING_KEYS.map((k) => [k, timings[k]])) as unknown as ClientTimings,
    resolvedAddresses: [...resolvedAddresses],
    error: failure,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
