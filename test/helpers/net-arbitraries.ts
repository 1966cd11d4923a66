import fc from "fast-check";
import { parseCidr, type Cidr } from "../../src/net/index.js";

// Independent of the implementation on purpose: bit masks with `>>> 0` here, division over there, so a
// shared mistake would have to be made twice in two different ways.
export function dotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function networkOf(address: number, prefix: number): number {
  return prefix === 0 ? 0 : (address & (-1 << (32 - prefix))) >>> 0;
}

export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (parsed === undefined) throw new Error(`test fixture is not a canonical CIDR: ${text}`);
  return parsed;
}

export const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });

export function arbCidr(minPrefix = 0, maxPrefix = 32): fc.Arbitrary<Cidr> {
  return fc
    .tuple(u32, fc.integer({ min: minPrefix, max: maxPrefix }))
    .map(([address, prefix]) => cidr(`${dotted(networkOf(address, prefix))}/${prefix}`));
}

// Special-purpose blocks a VPC may not use, written out independently of src/net/ranges.ts.
export function isSpecialPurpose(first: number): boolean {
  const a = first >>> 24;
  const b = (first >>> 16) & 255;
  return a === 0 || a === 127 || a >= 224 || (a === 169 && b === 254);
}

const RFC1918_STARTS = [
  { base: 10 * 2 ** 24, size: 2 ** 24 },
  { base: (172 * 2 ** 24) + (16 * 2 ** 16), size: 2 ** 20 },
  { base: (192 * 2 ** 24) + (168 * 2 ** 16), size: 2 ** 16 },
];

// Mostly RFC 1918 (where real VPCs live and where ranges collide), some anywhere usable.
export function arbVpcCidr(minPrefix = 16, maxPrefix = 27): fc.Arbitrary<Cidr> {
  const inPrivate = fc
    .tuple(fc.constantFrom(...RFC1918_STARTS), u32, fc.integer({ min: minPrefix, max: maxPrefix }))
    .map(([block, offset, prefix]) => cidr(`${dotted(networkOf(block.base + (offset % block.size), prefix))}/${prefix}`));
  const anywhere = arbCidr(minPrefix, maxPrefix).filter((c) => !isSpecialPurpose(c.first));
  return fc.oneof({ arbitrary: inPrivate, weight: 3 }, { arbitrary: anywhere, weight: 1 });
}

export function overlapsBruteForce(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function isInsideRfc1918(c: Cidr): boolean {
  return RFC1918_STARTS.some((r) => r.base <= c.first && c.last <= r.base + r.size - 1);
}
