// What Lambda refuses about a VPC function's subnets, by Availability Zone id (ids name the same physical
// zone in every account; names such as us-east-1a do not).

/**
 * Zone ids where Lambda does not run VPC functions. Source: AWS Lambda Developer Guide, "Giving Lambda
 * functions access to resources in an Amazon VPC" (docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html):
 * use1-az3 in us-east-1 is not supported for VPC-connected functions.
 */
export const LAMBDA_REFUSED_ZONE_IDS: ReadonlySet<string> = new Set(["use1-az3"]);

// Lambda's answer to CreateFunction/UpdateFunctionConfiguration with such a subnet
// (InvalidParameterValueException): "The provided subnets contain availability zone Lambda doesn't
// support." It names no zone, so the tool names the ones it chose. Seen in CloudFormation reasons since
// 2017 (keboola/developer-portal#81) and matched by AWS's own Quick Start subnet tests.
const UNSUPPORTED_ZONE = /subnets contain availability zone Lambda doesn'?t support/i;

/** True when a failure reason is Lambda refusing a subnet's Availability Zone. */
export function isLambdaZoneRefusal(reason: string | undefined): boolean {
  return reason !== undefined && UNSUPPORTED_ZONE.test(reason);
}
