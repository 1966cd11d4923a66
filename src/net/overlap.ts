import type { Cidr } from "./cidr.js";

// Two CIDR blocks are either disjoint or nested, so the overlap is always the smaller block itself.
export function overlapOf(a: Cidr, b: Cidr): Cidr | undefined {
  if (a.last < b.first || b.last < a.first) return undefined;
  return a.prefix >= b.prefix ? a : b;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}
