import { describe, expect, it } from "vitest";
import { latencyStats, nearestRank, parseClientAnswer } from "../../../src/steps/verify/client-answer.js";
import * as payload from "../../helpers/payloads.js";

const good = JSON.parse(payload.success()) as Record<string, unknown>;

describe("the client answer is read strictly (DESIGN section 9)", () => {
  it("accepts the contract's success and failure shapes", () => {
    for (const text of [payload.success(), payload.forbidden, payload.dnsFailure, payload.connectToPublic]) {
      expect(parseClientAnswer(JSON.parse(text))).toEqual(JSON.parse(text));
    }
  });

  it("drops fields the contract does not define", () => {
    expect(parseClientAnswer({ ...good, requestId: "abc" })).toEqual(good);
  });

  it.each([
    ["an array", [good], "the answer is not a JSON object"],
    ["a string", "ok", "the answer is not a JSON object"],
    ["no ok", { ...good, ok: "true" }, "the answer has no boolean `ok`"],
    // Diagnosis and the redeploy command are built from the URL the client called.
    ["no url", (({ url: _url, ...rest }) => rest)(good), "the answer has no string `url`"],
    ["a url that is not a string", { ...good, url: null }, "the answer has no string `url`"],
    ["a fractional status", { ...good, status: 200.5 }, "`status` is neither an integer nor null"],
    ["a numeric body", { ...good, body: 1 }, "`body` is neither a string nor null"],
    ["a missing timing", { ...good, timings: { dnsMs: 1, connectMs: 1, tlsMs: 1, firstByteMs: 1 } }, "`timings.totalMs` is not a number of milliseconds"],
    ["a negative timing", { ...good, timings: { dnsMs: -1, connectMs: 1, tlsMs: 1, firstByteMs: 1, totalMs: 1 } }, "`timings.dnsMs`"],
    ["addresses that are not strings", { ...good, resolvedAddresses: [10] }, "`resolvedAddresses` is not a list of strings"],
    ["an unknown layer", { ...good, ok: false, error: { layer: "ssl", message: "x" } }, "`error` is neither null nor"],
    ["ok with an error", { ...good, error: { layer: "dns", message: "x" } }, "`ok` is true but `error` is set"],
    ["a failure without an error", { ...good, ok: false }, "`ok` is false but `error` is null"],
  ])("rejects %s, saying what is wrong", (_, value, expected) => {
    const result = parseClientAnswer(value);
    expect(typeof result).toBe("string");
    expect(result).toContain(expected);
  });
});

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
