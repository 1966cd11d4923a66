// DESIGN section 9: the client function's answer. `verify` trusts nothing else the function says.
export type FailureLayer = "dns" | "connect" | "tls" | "http" | "timeout";

export interface ClientTimings {
  readonly dnsMs: number;
  readonly connectMs: number;
  readonly tlsMs: number;
  readonly firstByteMs: number;
  readonly totalMs: number;
}

export interface ClientAnswer {
  readonly ok: boolean;
  readonly url: string;
  readonly status: number | null;
  readonly body: string | null;
  readonly timings: ClientTimings;
  readonly resolvedAddresses: readonly string[];
  readonly error: { readonly layer: FailureLayer; readonly message: string } | null;
}

export type VerifySample =
  | { readonly index: number; readonly roundTripMs: number; readonly kind: "answer"; readonly answer: ClientAnswer }
  | { readonly index: number; readonly roundTripMs: number; readonly kind: "unexpected"; readonly detail: string };

export interface LatencyStats {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly samples: readonly VerifySample[];
  readonly cold: { readonly insideMs: number | null; readonly roundTripMs: number } | undefined;
  readonly warm: { readonly inside: LatencyStats | undefined; readonly roundTrip: LatencyStats | undefined };
  // "function": Lambda never made the function ready (Failed, a failed update, or still waiting at the limit).
  readonly failure: { readonly layer: FailureLayer | "unexpected" | "invoke" | "function"; readonly message: string; readonly advice: string } | undefined;
}
