import { describe, expect, it } from "vitest";
import { latencyStats, nearestRank } from "../../src/steps/client-answer.js";

describe("latency statistics (nearest-rank)", () => {
  it("takes p50 and p95 as measured samples, never interpolated", () => {
    expect(latencyStats([50, 15, 40, 20, 35])).toEqual({ count: 5, min: 15, p50: 35, p95: 50, max: 50 });
  });

  it("puts p95 of twenty samples on the nineteenth", () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(latencyStats(values)).toMatchObject({ p50: 100, p95: 190, max: 200 });
  });

  it("puts p50 of an even count on the lower middle sample", () => {
    expect(latencyStats([4, 1, 3, 2])).toMatchObject({ p50: 2, p95: 4 });
  });

  it("gives every statistic the only value when there is one sample", () => {
    expect(latencyStats([42])).toEqual({ count: 1, min: 42, p50: 42, p95: 42, max: 42 });
  });

  it("has no statistics for no samples", () => {
    expect(latencyStats([])).toBeUndefined();
  });

  it("does not reorder the caller's values", () => {
    const values = [3, 1, 2];
    latencyStats(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("answers the first sample for the 0th percentile", () => {
    expect(nearestRank([5, 6, 7], 0)).toBe(5);
  });
});
