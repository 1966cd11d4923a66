// DESIGN section 9: the client function's answer, its parser, and the latency figures verify reports from
// the answers. `verify` trusts nothing else the function says.
import { excerpt } from "./diagnose.js";

/** Where a request failed: DNS, connect, TLS, HTTP or timeout. */
export type FailureLayer = "dns" | "connect" | "tls" | "http" | "timeout";

/** The client function's timings of one request, in milliseconds. */
export interface ClientTimings {
  readonly dnsMs: number;
  readonly connectMs: number;
  readonly tlsMs: number;
  readonly firstByteMs: number;
  readonly totalMs: number;
}

/** The client function's answer (DESIGN section 9), the only thing verify trusts. */
export interface ClientAnswer {
  readonly ok: boolean;
  readonly url: string;
  readonly status: number | null;
  readonly body: string | null;
  readonly timings: ClientTimings;
  readonly resolvedAddresses: readonly string[];
  readonly error: { readonly layer: FailureLayer; readonly message: string } | null;
}

/** One invocation: the answer, or what came back instead and why it is not one. */
export type VerifySample =
  | { readonly index: number; readonly roundTripMs: number; readonly kind: "answer"; readonly answer: ClientAnswer }
  | { readonly index: number; readonly roundTripMs: number; readonly kind: "unexpected"; readonly detail: string };

/** Latency figures over the samples: count, min, p50, p95, max. */
export interface LatencyStats {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** What verify found: the samples, their figures, and the first failure with its diagnosis. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly samples: readonly VerifySample[];
  readonly cold: { readonly insideMs: number | null; readonly roundTripMs: number } | undefined;
  readonly warm: { readonly inside: LatencyStats | undefined; readonly roundTrip: LatencyStats | undefined };
  // "function": Lambda never made the function ready (Failed, a failed update, or still waiting at the limit).
  readonly failure: { readonly layer: FailureLayer | "unexpected" | "invoke" | "function"; readonly message: string; readonly advice: string } | undefined;
}

/**
 * Nearest-rank: the smallest sample with at least p% of samples at or below it. It always answers a value
 * that was really measured, which is what a reader of five samples expects (no interpolated p95).
 */
export function nearestRank(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) throw new RangeError("nearestRank needs at least one sample");
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Nearest-rank statistics over round trips, or undefined for none. */
export function latencyStats(values: readonly number[]): LatencyStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    max: sorted[sorted.length - 1] as number,
  };
}

const LAYERS: readonly FailureLayer[] = ["dns", "connect", "tls", "http", "timeout"];
const TIMING_KEYS = ["dnsMs", "connectMs", "tlsMs", "firstByteMs", "totalMs"] as const;

/** Returns the answer, or a sentence saying what is wrong with it. Fields beyond the contract are dropped. */
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
