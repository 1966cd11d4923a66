// IPv4 ranges: parsing (ip-cidr, the library the project's brief names for it), arithmetic, the VPC size
// limits, and carving a VPC into its two subnets. ip-cidr and its ip-address chain (about 50 kB) are loaded
// with this folder, which nothing on the way to the first question imports (docs/how-it-is-built.md, "The package").
import IPCIDR from "ip-cidr";

/**
 * Addresses are plain numbers in 0..2^32-1. Arithmetic (division, multiplication) is used instead of
 * bitwise operators throughout this folder, because JS bitwise operators are signed 32-bit and would
 * make every address from 128.0.0.0 up negative.
 */
export interface Cidr {
  readonly text: string;
  readonly network: string;
  readonly prefix: number;
  readonly first: number;
  readonly last: number;
  readonly size: number;
}

/** How many IPv4 addresses there are. */
export const ADDRESS_SPACE = 2 ** 32;

/** How many addresses a prefix length covers. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** An address as dotted decimal. */
export function formatAddress(value: number): string {
  return [2 ** 24, 2 ** 16, 2 ** 8, 1].map((unit) => Math.floor(value / unit) % 256).join(".");
}

/**
 * Builds the block of `prefix` that contains `address`; callers that computed an aligned address get
 * it back unchanged, callers holding a host address get its network.
 */
export function makeCidr(address: number, prefix: number): Cidr {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new RangeError(`prefix must be an integer from 0 to 32, got ${prefix}`);
  }
  if (!Number.isInteger(address) || address < 0 || address >= ADDRESS_SPACE) {
    throw new RangeError(`address must be an integer from 0 to 2^32-1, got ${address}`);
  }
  const size = blockSize(prefix);
  const first = Math.floor(address / size) * size;
  const network = formatAddress(first);
  return { text: `${network}/${prefix}`, network, prefix, first, last: first + size - 1, size };
}

/** For constants written in source: a typo there is a bug, not user input, so it throws. */
export function cidrLiteral(text: string): Cidr {
  const reading = readCidr(text);
  if (reading.kind !== "ok") throw new Error(`not a canonical CIDR literal: ${text}`);
  return reading.cidr;
}

/** Why a text is or is not a CIDR, in enough detail for a message that tells the user the fix. */
export type CidrReading =
  | { readonly kind: "ok"; readonly cidr: Cidr }
  | { readonly kind: "empty" }
  | { readonly kind: "ipv6" }
  | { readonly kind: "malformed" }
  | { readonly kind: "no-prefix"; readonly address: number }
  | { readonly kind: "leading-zeros"; readonly corrected: string }
  | { readonly kind: "prefix-out-of-range"; readonly address: number; readonly prefix: number }
  | { readonly kind: "host-bits"; readonly address: number; readonly intended: Cidr };

const DIGITS = /^[0-9]+$/;

/** Reads a range as typed, saying exactly what is wrong with it when it is not one. */
export function readCidr(input: string): CidrReading {
  const text = input.trim();
  if (text === "") return { kind: "empty" };
  // Any colon is settled here: ip-cidr reads an IPv4-mapped "::ffff:10.0.0.0/112" as the IPv4 /32, and
  // VPC peering in this tool is about the VPCs' IPv4 ranges only.
  if (text.includes(":")) return { kind: "ipv6" };
  const [addressText = "", prefixText, ...more] = text.split("/");
  if (more.length > 0 || (prefixText !== undefined && !DIGITS.test(prefixText))) return { kind: "malformed" };

  // ip-cidr refuses "010.0.0.0/16", as it should: inet_aton and many shells' tools read "010" as octal
  // 8, so it means 8.0.0.0/16 to some of the user's other tools and 10.0.0.0/16 to others. The message
  // offers the value without the zeros, when that is an address.
  const parts = [...addressText.split("."), ...(prefixText === undefined ? [] : [prefixText])];
  if (parts.some((part) => part.length > 1 && part.startsWith("0") && DIGITS.test(part))) {
    const address = addressText.split(".").map((octet) => (DIGITS.test(octet) ? String(Number(octet)) : octet)).join(".");
    if (!IPCIDR.isValidAddress(address)) return { kind: "malformed" };
    return { kind: "leading-zeros", corrected: prefixText === undefined ? address : `${address}/${Number(prefixText)}` };
  }
  if (!IPCIDR.isValidAddress(addressText)) return { kind: "malformed" };
  const address = numberOf(IPCIDR.createAddress(addressText));
  if (prefixText === undefined) return { kind: "no-prefix", address };
  const prefix = Number(prefixText);
  if (prefix > 32) return { kind: "prefix-out-of-range", address, prefix };

  const cidr = makeCidr(numberOf(new IPCIDR(text).addressStart), prefix);
  if (cidr.first !== address) return { kind: "host-bits", address, intended: cidr };
  return { kind: "ok", cidr };
}

// An IPv4 address as the number this folder computes with (it always fits: below 2^32).
function numberOf(address: IPCIDR.Address): number {
  return Number(IPCIDR.formatIP<bigint>(address, { type: "bigInteger" }));
}

/** The range, or undefined when the text is not one. */
export function parseCidr(input: string): Cidr | undefined {
  const reading = readCidr(input);
  return reading.kind === "ok" ? reading.cidr : undefined;
}

/** Two CIDR blocks are either disjoint or nested, so the overlap is always the smaller block itself. */
export function overlapOf(a: Cidr, b: Cidr): Cidr | undefined {
  if (a.last < b.first || b.last < a.first) return undefined;
  return a.prefix >= b.prefix ? a : b;
}

/** Whether the outer block holds all of the inner one. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/**
 * AWS accepts a VPC from /16 (65,536 addresses) down to /28 (16 addresses) (Amazon VPC User Guide,
 * "VPC CIDR blocks"). The lower bound is AWS's. The upper bound is ours: this tool creates one subnet in
 * each of two AZs, a subnet is at least /28, so the VPC must hold two /28s, i.e. be /27 or larger.
 */
export const MIN_VPC_PREFIX = 16;
/** /27: the smallest VPC that holds one /28 subnet in each of two zones. */
export const MAX_VPC_PREFIX = 27;

/** The smallest subnet AWS accepts. */
export const SMALLEST_SUBNET_PREFIX = 28;

/**
 * One subnet per AZ, two AZs. Subnets are /24 in VPCs of /23 or larger, so a big VPC keeps most of its
 * space free for subnets added later (a /16 keeps 254 of its 256 /24s); smaller VPCs are split in two
 * halves, down to two /28s in a /27, the smallest subnet AWS accepts. Both are the first blocks of the
 * VPC, so the layout is predictable from the VPC range alone.
 */
export function subnetPrefixFor(vpcPrefix: number): number {
  return Math.max(vpcPrefix + 1, 24);
}

/** The two subnets a VPC gets: its first two blocks of the subnet size for its prefix. */
export function carveSubnets(vpc: Cidr): readonly [Cidr, Cidr] {
  if (vpc.prefix > MAX_VPC_PREFIX) {
    throw new RangeError(`${vpc.text} is too small for one /28 subnet in each of two AZs`);
  }
  const prefix = subnetPrefixFor(vpc.prefix);
  return [makeCidr(vpc.first, prefix), makeCidr(vpc.first + blockSize(prefix), prefix)];
}
