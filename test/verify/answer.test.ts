import { describe, expect, it } from "vitest";
import { parseClientAnswer } from "../../src/steps/client-answer.js";
import * as payload from "./payloads.js";

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
