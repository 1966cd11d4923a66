/**
 * The public face of net/: everything config, prompts and the plan need to validate and lay out the two
 * VPC ranges. Internals (readCidr, the range tables) stay importable from their own files for tests.
 */
export type { Cidr } from "./cidr.js";
export { parseCidr } from "./cidr.js";
export { checkVpcCidr, type CidrCheck } from "./check-vpc.js";
export { checkPair, checkRanges, type LabelledRange } from "./check-pair.js";
export { overlapOf } from "./cidr.js";
export { suggestFree } from "./suggest.js";
export { carveSubnets } from "./cidr.js";
export { MIN_VPC_PREFIX, MAX_VPC_PREFIX } from "./cidr.js";
