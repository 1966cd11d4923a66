// Sets of IPv4 addresses as sorted, disjoint, non-adjacent intervals: what a rule's range covers, what
// is still undecided after the rules read so far. The evaluators of routes, security groups and network
// ACLs reason about whole ranges (a subnet, a VPC) without visiting every address.
import { makeCidr, parseCidr, type Cidr } from "./cidr.js";

/** One closed interval of addresses (numbers 0..2^32-1). */
export interface Span {
  readonly first: number;
  readonly last: number;
}

/** A set of addresses: sorted, disjoint, non-adjacent spans. */
export type AddressSet = readonly Span[];

/** The set with no address. */
export const EMPTY: AddressSet = [];

/** The set of one block. */
function setOf(cidr: Pick<Cidr, "first" | "last">): AddressSet {
  return [{ first: cidr.first, last: cidr.last }];
}

/** The union of spans in any order, normalised. */
export function union(...sets: readonly AddressSet[]): AddressSet {
  const spans = sets.flat().toSorted((a, b) => a.first - b.first);
  const out: Span[] = [];
  for (const span of spans) {
    const last = out.at(-1);
    if (last && span.first <= last.last + 1) out[out.length - 1] = { first: last.first, last: Math.max(last.last, span.last) };
    else out.push(span);
  }
  return out;
}

/** The addresses of `a` that are also in `b`. */
export function intersect(a: AddressSet, b: AddressSet): AddressSet {
  const out: Span[] = [];
  for (const x of a) {
    for (const y of b) {
      const first = Math.max(x.first, y.first);
      const last = Math.min(x.last, y.last);
      if (first <= last) out.push({ first, last });
    }
  }
  return union(out);
}

/** The addresses of `a` that are not in `b`. */
export function subtract(a: AddressSet, b: AddressSet): AddressSet {
  let rest: Span[] = [...a];
  for (const cut of b) {
    rest = rest.flatMap((span) => {
      if (cut.last < span.first || cut.first > span.last) return [span];
      const pieces: Span[] = [];
      if (cut.first > span.first) pieces.push({ first: span.first, last: cut.first - 1 });
      if (cut.last < span.last) pieces.push({ first: cut.last + 1, last: span.last });
      return pieces;
    });
  }
  return union(rest);
}

/** Whether the set holds no address. */
export function isEmpty(set: AddressSet): boolean {
  return set.length === 0;
}

/** Whether every address of `inner` is in `outer`. */
export function covers(outer: AddressSet, inner: AddressSet): boolean {
  return isEmpty(subtract(inner, outer));
}

/** A CIDR block or a single address ("10.0.0.5" = /32) as a set; undefined for anything else (IPv6). */
export function parseBlock(text: string): AddressSet | undefined {
  const cidr = parseCidr(text.includes("/") ? text : `${text}/32`);
  return cidr ? setOf(cidr) : undefined;
}

/** The fewest CIDR blocks whose union is exactly the set (largest aligned block at each step), in address order. */
export function blocksOf(set: AddressSet): string[] {
  const out: string[] = [];
  for (const span of set) {
    let first = span.first;
    while (first <= span.last) {
      let size = 1;
      // Grow while the next larger block is still aligned at `first` and inside the span.
      while (size < 2 ** 32 && first % (size * 2) === 0 && first + size * 2 - 1 <= span.last) size *= 2;
      out.push(makeCidr(first, 32 - Math.log2(size)).text);
      first += size;
    }
  }
  return out;
}
