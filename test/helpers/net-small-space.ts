// A small address space (10.0.0.0/24) where a naive model can visit every address: the evaluators'
// answers on whole ranges are checked against the answer for each address, found by a plain scan.
import fc from "fast-check";
import { dotted } from "./net-arbitraries.js";

export const BASE = 10 * 2 ** 24;
export const SPACE = 256;

export interface Block {
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

export function block(offset: number, prefix: number): Block {
  const size = 2 ** (32 - prefix);
  const first = BASE + Math.floor(offset / size) * size;
  return { text: `${dotted(first)}/${prefix}`, first, last: first + size - 1, prefix };
}

/** A block inside 10.0.0.0/24 (prefix 24 to 32). */
export const arbBlock: fc.Arbitrary<Block> = fc
  .tuple(fc.integer({ min: 0, max: SPACE - 1 }), fc.integer({ min: 24, max: 32 }))
  .map(([offset, prefix]) => block(offset, prefix));

export function addressesOf(b: { readonly first: number; readonly last: number }): number[] {
  return Array.from({ length: b.last - b.first + 1 }, (_, i) => b.first + i);
}

export function inBlock(b: Block, address: number): boolean {
  return b.first <= address && address <= b.last;
}
