import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { suggestFree, type Cidr } from "../../src/net/index.js";
import { arbCidr, arbVpcCidr, cidr, dotted, isInsideRfc1918, overlapsBruteForce } from "../helpers/net-arbitraries.js";

const AWS_SERVICE = cidr("172.17.0.0/16");
const RFC1918 = [cidr("10.0.0.0/8"), cidr("172.16.0.0/12"), cidr("192.168.0.0/16")];

describe("suggestFree", () => {
  it("starts at 10.0.0.0 when nothing is in the way and no hint is given", () => {
    expect(suggestFree(16, [])?.text).toBe("10.0.0.0/16");
    expect(suggestFree(27, [])?.text).toBe("10.0.0.0/27");
  });

  it("takes the next block up from the hint", () => {
    expect(suggestFree(17, [cidr("10.0.0.0/16")], cidr("10.0.128.0/17"))?.text).toBe("10.1.0.0/17");
    expect(suggestFree(24, [cidr("192.168.0.0/24")], cidr("192.168.0.0/24"))?.text).toBe("192.168.1.0/24");
  });

  it("skips past every avoided range in its way", () => {
    const avoid = [cidr("10.1.0.0/16"), cidr("10.2.0.0/15")];
    expect(suggestFree(16, avoid, cidr("10.0.0.0/16"))?.text).toBe("10.4.0.0/16");
  });

  it("wraps to the start of the hint's private block when nothing is free above the hint", () => {
    expect(suggestFree(16, [cidr("10.255.0.0/16")], cidr("10.255.0.0/16"))?.text).toBe("10.0.0.0/16");
  });

  it("moves to the next private block when the hint's block is full", () => {
    expect(suggestFree(16, [cidr("10.0.0.0/8")], cidr("10.3.0.0/16"))?.text).toBe("172.16.0.0/16");
    expect(suggestFree(16, [cidr("192.168.0.0/16")], cidr("192.168.0.0/16"))?.text).toBe("10.0.0.0/16");
  });

  it("never suggests 172.17.0.0/16, which AWS says its own services use", () => {
    expect(suggestFree(16, [cidr("172.16.0.0/16")], cidr("172.16.0.0/16"))?.text).toBe("172.18.0.0/16");
    expect(suggestFree(24, [], cidr("172.17.0.0/24"))?.text).toBe("172.18.0.0/24");
  });

  it("ignores a hint outside private space", () => {
    expect(suggestFree(16, [cidr("8.8.0.0/16")], cidr("8.8.0.0/16"))?.text).toBe("10.0.0.0/16");
    expect(suggestFree(16, [], cidr("100.64.0.0/16"))?.text).toBe("10.0.0.0/16");
  });

  it("returns undefined only when no private block of that size is free", () => {
    expect(suggestFree(16, RFC1918)).toBeUndefined();
    expect(suggestFree(8, [cidr("10.0.0.0/8")])).toBeUndefined();
    expect(suggestFree(7, [])).toBeUndefined();
    expect(suggestFree(16, [cidr("10.0.0.0/8"), cidr("172.16.0.0/12")])?.text).toBe("192.168.0.0/16");
  });

  it.each([-1, 33, 16.5, Number.NaN])("returns undefined for the impossible prefix %s", (prefix) => {
    expect(suggestFree(prefix, [])).toBeUndefined();
  });

  // At most 8 blocks of /12 or smaller can never fill 10.0.0.0/8, so a free block always exists here.
  const avoidList = fc.array(fc.oneof(arbVpcCidr(12, 28), arbCidr(12, 28)), { maxLength: 8 });

  it("returns a private block of the requested size that overlaps nothing avoided", () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 28 }), avoidList, fc.option(arbVpcCidr(16, 28), { nil: undefined }), (prefix, avoid, near) => {
        const found = suggestFree(prefix, avoid, near);
        expect(found).toBeDefined();
        if (found === undefined) return;
        expect(found.prefix).toBe(prefix);
        expect(found.first % found.size).toBe(0);
        expect(isInsideRfc1918(found)).toBe(true);
        for (const a of [...avoid, AWS_SERVICE]) expect(overlapsBruteForce(found, a)).toBe(false);
      }),
    );
  });

  it("answers the same whatever the order of the avoided ranges, and leaves them and the hint as they were", () => {
    const avoidAndShuffled = avoidList.chain((avoid) => fc.shuffledSubarray(avoid, { minLength: avoid.length }).map((shuffled) => [avoid, shuffled] as const));
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 28 }), avoidAndShuffled, arbVpcCidr(), (prefix, [avoid, shuffled], near) => {
        // Every value frozen: an answer that changed one would throw here.
        const given = Object.freeze(shuffled.map((c) => Object.freeze({ ...c })));
        const kept = structuredClone(given);
        const hint = Object.freeze({ ...near });
        expect(suggestFree(prefix, given, hint)?.text).toBe(suggestFree(prefix, avoid, near)?.text);
        expect(given).toEqual(kept);
        expect(hint).toEqual(near);
      }),
    );
  });

  // A naive model of the documented preference order: every candidate block in the hint's private
  // block above the hint, then that whole block from its start, then the other private blocks.
  function firstFreeByEnumeration(prefix: number, avoid: readonly Cidr[], near: Cidr | undefined): string | undefined {
    const size = 2 ** (32 - prefix);
    const home = near === undefined ? undefined : RFC1918.find((b) => b.first <= near.first && near.last <= b.last);
    const order = home === undefined ? RFC1918 : [home, ...RFC1918.filter((b) => b !== home)];
    const candidates: number[] = [];
    if (home !== undefined && near !== undefined) {
      for (let first = home.first; first + size - 1 <= home.last; first += size) if (first > near.last) candidates.push(first);
    }
    for (const block of order) for (let first = block.first; first + size - 1 <= block.last; first += size) candidates.push(first);
    const blocked = [...avoid, AWS_SERVICE];
    for (const first of candidates) {
      const candidate = cidr(`${dotted(first)}/${prefix}`);
      if (!blocked.some((b) => overlapsBruteForce(b, candidate))) return candidate.text;
    }
    return undefined;
  }

  it("picks the same block as a naive scan in the documented order", () => {
    // Large blocks and big avoided ranges keep the naive scan small and make "full" blocks likely.
    const bigAvoid = fc.array(fc.oneof(arbVpcCidr(8, 18), arbCidr(4, 18)), { maxLength: 10 });
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 18 }), bigAvoid, fc.option(arbVpcCidr(12, 20), { nil: undefined }), (prefix, avoid, near) => {
        expect(suggestFree(prefix, avoid, near)?.text).toBe(firstFreeByEnumeration(prefix, avoid, near));
      }),
      { numRuns: 300 },
    );
  });
});
