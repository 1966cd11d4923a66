import { blockSize, makeCidr, overlapOf, type Cidr } from "./cidr.js";
import { AWS_SERVICE_RANGE, RFC1918, rfc1918BlockOf } from "./ranges.js";

/**
 * A same-size block inside RFC 1918 that overlaps nothing in `avoid`. Scanning starts just above `near`
 * (the value the user typed is the best hint of where they want to be), runs to the end of near's RFC 1918
 * block, wraps to that block's start, then tries the other RFC 1918 blocks in order. 172.17.0.0/16 is
 * always avoided too: AWS warns against it, so suggesting it would only trade one warning for another.
 */
export function suggestFree(prefix: number, avoid: readonly Cidr[], near?: Cidr): Cidr | undefined {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const blocked = [...avoid, AWS_SERVICE_RANGE];
  const size = blockSize(prefix);
  const home = near === undefined ? undefined : rfc1918BlockOf(near);

  const scans: Array<{ block: Cidr; from: number }> = [];
  if (near !== undefined && home !== undefined) {
    scans.push({ block: home, from: alignUp(near.last + 1, size) });
  }
  for (const block of home === undefined ? RFC1918 : [home, ...RFC1918.filter((b) => b !== home)]) {
    scans.push({ block, from: block.first });
  }

  for (const { block, from } of scans) {
    if (block.prefix > prefix) continue;
    const found = firstFree(from, block.last, prefix, size, blocked);
    if (found !== undefined) return found;
  }
  return undefined;
}

// Jumps past each blocking range instead of stepping one block at a time, so a /28 search over all of
// 10/8 costs one step per avoided range, not one per candidate.
function firstFree(from: number, end: number, prefix: number, size: number, blocked: readonly Cidr[]): Cidr | undefined {
  let cursor = from;
  while (cursor + size - 1 <= end) {
    const candidate = makeCidr(cursor, prefix);
    const hits = blocked.filter((b) => overlapOf(b, candidate) !== undefined);
    if (hits.length === 0) return candidate;
    cursor = alignUp(Math.max(...hits.map((h) => h.last)) + 1, size);
  }
  return undefined;
}

function alignUp(value: number, size: number): number {
  return Math.ceil(value / size) * size;
}
