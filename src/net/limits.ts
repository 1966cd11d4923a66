// AWS accepts a VPC from /16 (65,536 addresses) down to /28 (16 addresses) (Amazon VPC User Guide,
// "VPC CIDR blocks"). The lower bound is AWS's. The upper bound is ours: this tool creates one subnet in
// each of two AZs, a subnet is at least /28, so the VPC must hold two /28s, i.e. be /27 or larger.
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 27;

// The smallest subnet AWS accepts.
export const SMALLEST_SUBNET_PREFIX = 28;
