import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blocksOf, parseBlock, union, type AddressSet } from "../../src/net/address-set.js";
import { arbCidr, cidr } from "../helpers/net-arbitraries.js";

const setOf = (...blocks: string[]): AddressSet => union(...blocks.map((b) => parseBlock(b)!));

describe("blocksOf", () => {
  it.each([
    [["10.60.4.0/24", "10.60.5.0/24"], ["10.60.4.0/23"]],
    [["10.60.5.0/24", "10.60.6.0/24"], ["10.60.5.0/24", "10.60.6.0/24"]],
    [["10.60.4.0/24", "10.60.6.0/24"], ["10.60.4.0/24", "10.60.6.0/24"]],
    [["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], ["10.0.0.0/23", "10.0.2.0/24"]],
    [["10.0.0.16/28", "10.0.0.32/27", "10.0.0.64/26"], ["10.0.0.16/28", "10.0.0.32/27", "10.0.0.64/26"]],
    [["0.0.0.0/0"], ["0.0.0.0/0"]],
    [["255.255.255.255/32"], ["255.255.255.255/32"]],
    [[], []],
  ])("covers %j exactly with %j", (input, expected) => {
    expect(blocksOf(setOf(...input))).toEqual(expected);
  });

  it("gives back exactly the set it was given, in aligned blocks no two of which merge into one", () => {
    fc.assert(
      fc.property(fc.array(arbCidr(8, 32), { maxLength: 6 }), (blocks) => {
        const set = union(...blocks.map((b) => [{ first: b.first, last: b.last }]));
        const out = blocksOf(set);
        expect(union(...out.map((b) => parseBlock(b)!))).toEqual(set);
        for (const b of out) expect(cidr(b).text).toBe(b);
        for (const [a, b] of out.slice(1).map((b, i) => [cidr(out[i]!), cidr(b)] as const)) {
          const merges = a.prefix === b.prefix && a.last + 1 === b.first && a.first % (a.size * 2) === 0;
          expect(merges, `${a.text} + ${b.text}`).toBe(false);
        }
      }),
    );
  });

  it("never splits a block that is itself aligned", () => {
    fc.assert(fc.property(arbCidr(0, 32), (block) => {
      expect(blocksOf([{ first: block.first, last: block.last }])).toEqual([block.text]);
    }));
  });
});
