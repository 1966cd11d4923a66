import type { LatencyStats } from "./verify-types.js";

// Nearest-rank: the smallest sample with at least p% of samples at or below it. It always answers a value
// that was really measured, which is what a reader of five samples expects (no interpolated p95).
export function nearestRank(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) throw new RangeError("nearestRank needs at least one sample");
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

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
