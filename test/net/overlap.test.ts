import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { overlapOf } from "../../src/net/index.js";
import { arbCidr, cidr, dotted, overlapsBruteForce } from "./arbitraries.js";

describe("overlapOf", () => {
  it.each([
    ["10.0.0.0/16", "10.0.128.0/17", "10.0.128.0/17"],
    ["10.0.128.0/17", "10.0.0.0/16", "10.0.128.0/17"],
    ["10.0.0.0/16", "10.0.0.0/16", "10.0.0.0/16"],
    ["0.0.0.0/0", "192.168.4.0/24", "192.168.4.0/24"],
    ["240.0.0.0/4", "255.255.255.255/32", "255.255.255.255/32"],
  ])("%s and %s overlap in %s", (a, b, expected) => {
    expect(overlapOf(cidr(a), cidr(b))?.text).toBe(expected);
  });

  it.each([
    ["10.0.0.0/17", "10.0.128.0/17"],
    ["10.0.0.0/16", "10.1.0.0/16"],
    ["10.255.255.255/32", "11.0.0.0/8"],
    ["172.16.0.0/12", "192.168.0.0/16"],
  ])("%s and %s are disjoint, even when adjacent", (a, b) => {
    expect(overlapOf(cidr(a), cidr(b))).toBeUndefined();
  });

  it("is symmetric", () => {
    fc.assert(
      fc.property(arbCidr(), arbCidr(), (a, b) => {
        expect(overlapOf(a, b)).toEqual(overlapOf(b, a));
      }),
    );
  });

  it("agrees with comparing first and last addresses, and returns exactly the shared addresses", () => {
    // Wide prefixes alone would almost never overlap at random; mixing in nested pairs covers both answers.
    const nested = arbCidr(0, 24).chain((outer) =>
      fc
        .tuple(fc.integer({ min: outer.prefix, max: 32 }), fc.integer({ min: 0, max: outer.size - 1 }))
        .map(([prefix, offset]) => {
          const size = 2 ** (32 - prefix);
          const first = outer.first + Math.floor(offset / size) * size;
          return [outer, cidr(`${dotted(first)}/${prefix}`)] as const;
        }),
    );
    const pairs = fc.oneof(fc.tuple(arbCidr(), arbCidr()), nested);
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const overlap = overlapOf(a, b);
        expect(overlap !== undefined).toBe(overlapsBruteForce(a, b));
        if (overlap !== undefined) {
          expect(overlap.first).toBe(Math.max(a.first, b.first));
          expect(overlap.last).toBe(Math.min(a.last, b.last));
        }
      }),
    );
  });
});
