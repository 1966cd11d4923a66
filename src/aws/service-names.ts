// AWS service names that differ by partition. China names its endpoint services with a "cn." prefix
// (AWS China docs, "Amazon VPC endpoint service names"); every other partition uses com.amazonaws.
// China's regions are the only ones whose code starts with "cn-".

/** The interface endpoint service of API Gateway's execute-api in a region, as DescribeVpcEndpointServices names it. */
export function executeApiServiceName(region: string): string {
  return `${region.startsWith("cn-") ? "cn." : ""}com.amazonaws.${region}.execute-api`;
}
