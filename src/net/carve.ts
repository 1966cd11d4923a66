import { blockSize, makeCidr, type Cidr } from "./cidr.js";
import { MAX_VPC_PREFIX } from "./limits.js";

// One subnet per AZ, two AZs. Subnets are /24 in VPCs of /23 or larger, so a big VPC keeps most of its
// space free for subnets added later (a /16 keeps 254 of its 256 /24s); smaller VPCs are split in two
// halves, down to two /28s in a /27, the smallest subnet AWS accepts. Both are the first blocks of the
// VPC, so the layout is predictable from the VPC range alone.
export function subnetPrefixFor(vpcPrefix: number): number {
  return Math.max(vpcPrefix + 1, 24);
}

export function carveSubnets(vpc: Cidr): readonly [Cidr, Cidr] {
  if (vpc.prefix > MAX_VPC_PREFIX) {
    throw new RangeError(`${vpc.text} is too small for one /28 subnet in each of two AZs`);
  }
  const prefix = subnetPrefixFor(vpc.prefix);
  return [makeCidr(vpc.first, prefix), makeCidr(vpc.first + blockSize(prefix), prefix)];
}
