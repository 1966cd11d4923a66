import { cidrLiteral, contains, overlapOf, type Cidr } from "./cidr.js";

/** A special-purpose block and its name, for messages. */
export interface NamedRange {
  readonly cidr: Cidr;
  readonly name: string;
}

/**
 * RFC 1918, in the order suggestions try them: 10/8 first because it is the largest and the one AWS's
 * own examples use.
 */
export const RFC1918: readonly Cidr[] = [
  cidrLiteral("10.0.0.0/8"),
  cidrLiteral("172.16.0.0/12"),
  cidrLiteral("192.168.0.0/16"),
];

/**
 * RFC 6598 shared address space: not routed on the internet, and AWS explicitly permits VPC blocks from
 * it, so it is as safe as RFC 1918 for our purpose (no public address is shadowed).
 */
export const SHARED_ADDRESS_SPACE = cidrLiteral("100.64.0.0/10");

/**
 * The Amazon VPC User Guide ("VPC CIDR blocks") says: some AWS services use 172.17.0.0/16, and services
 * such as AWS Cloud9 or Amazon SageMaker can have IP address conflicts if it is in use in your network;
 * "don't use this range when creating your VPC". So it is a warning, and never a suggestion.
 */
export const AWS_SERVICE_RANGE = cidrLiteral("172.17.0.0/16");

/**
 * Ranges refused for a VPC. What the AWS docs say (Amazon VPC User Guide, "VPC CIDR blocks" and its
 * "IPv4 CIDR block association restrictions" table): a VPC is /16../28; RFC 1918 is recommended; a
 * publicly routable block outside RFC 1918 is allowed; 198.19.0.0/16 is restricted only as a secondary
 * block, so it is not listed here (it only gets the public-range warning). The pages we found do not
 * enumerate the special-purpose blocks below; we refuse them anyway because none of them can be a
 * unicast host address (IANA special-purpose registry, RFC 6890), and AWS itself answers on 169.254/16
 * inside every VPC (instance metadata 169.254.169.254, Route 53 Resolver 169.254.169.253, time sync
 * 169.254.169.123), so a VPC there could never work even if an API call accepted it.
 */
export const RESERVED: readonly NamedRange[] = [
  { cidr: cidrLiteral("0.0.0.0/8"), name: 'the "this network" block 0.0.0.0/8' },
  { cidr: cidrLiteral("127.0.0.0/8"), name: "the loopback range 127.0.0.0/8" },
  { cidr: cidrLiteral("169.254.0.0/16"), name: "the link-local range 169.254.0.0/16 (AWS answers on it inside every VPC)" },
  { cidr: cidrLiteral("224.0.0.0/4"), name: "the multicast range 224.0.0.0/4" },
  { cidr: cidrLiteral("240.0.0.0/4"), name: "the reserved range 240.0.0.0/4 (including broadcast)" },
];

/** The special-purpose block the range overlaps, if any (a VPC may not use those). */
export function reservedRangeOf(cidr: Cidr): NamedRange | undefined {
  return RESERVED.find((r) => overlapOf(r.cidr, cidr) !== undefined);
}

/** The RFC 1918 block that holds the range, if any. */
export function rfc1918BlockOf(cidr: Cidr): Cidr | undefined {
  return RFC1918.find((block) => contains(block, cidr));
}

/**
 * Addresses in a VPC shadow the same addresses on the internet for everything routed through it; only
 * RFC 1918 and shared address space cannot shadow anything public.
 */
export function isNonPublic(cidr: Cidr): boolean {
  return rfc1918BlockOf(cidr) !== undefined || contains(SHARED_ADDRESS_SPACE, cidr);
}
