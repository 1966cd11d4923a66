// Read-only EC2 questions asked before any change: is the region usable, which zones it offers, and
// which ranges are taken.
import { DescribeAvailabilityZonesCommand, DescribeVpcEndpointServicesCommand, paginateDescribeVpcs } from "@aws-sdk/client-ec2";
import type { AwsClients } from "./clients.js";
import { describeAwsError } from "./errors.js";

/** A region this account cannot use (opt-in not enabled, or unknown): the CLI names the fix. */
export class RegionUnavailableError extends Error {
  override readonly name = "RegionUnavailableError";
  constructor(
    readonly region: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// Callers check credentials first (STS), so these answers here mean the region, not the keys.
const NOT_ENABLED = new Set(["AuthFailure", "OptInRequired"]);

/** One zone as DescribeAvailabilityZones describes it; the tool decides from these which it may use. */
export interface ZoneInfo {
  readonly name: string;
  readonly id: string;
  // availability-zone, local-zone or wavelength-zone: only the first holds what the stacks create.
  readonly type: string;
  readonly state: string;
  // opt-in-not-required, opted-in or not-opted-in; "" when the answer has none (emulators).
  readonly optIn: string;
}

/** No Filters: the tool classifies every zone itself, so it can say why a zone named in a flag is refused. */
export async function describeZones(clients: Pick<AwsClients, "ec2">, region: string): Promise<ZoneInfo[]> {
  try {
    const answer = await clients.ec2(region).send(new DescribeAvailabilityZonesCommand({}));
    return (answer.AvailabilityZones ?? [])
      .flatMap((zone) =>
        zone.ZoneName && zone.ZoneId
          ? [{ name: zone.ZoneName, id: zone.ZoneId, type: zone.ZoneType ?? "", state: zone.State ?? "", optIn: zone.OptInStatus ?? "" }]
          : [],
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw regionError(error, region, "ec2:DescribeAvailabilityZones");
  }
}

/**
 * Where a region offers an interface endpoint service. `ServiceDetail` answers zone names (as this caller
 * maps them) and now also zone ids (the same physical zone in every account): "Either AvailabilityZone or
 * AvailabilityZoneId can be specified, but not both" (EC2 API reference, ServiceDetail), so an answer may
 * carry ids alone. Ids are preferred when present; DescribeAvailabilityZones maps them to this account's names.
 */
export interface OfferedZones {
  readonly ids: ReadonlySet<string> | undefined;
  readonly names: ReadonlySet<string>;
}

/** Whether the service is offered in the zone: by its id when the answer had ids, else by its name. */
export function isOffered(offered: OfferedZones, zone: Pick<ZoneInfo, "name" | "id">): boolean {
  return offered.ids ? offered.ids.has(zone.id) : offered.names.has(zone.name);
}

/** The zones in which a region offers an interface endpoint service. */
export async function endpointServiceZones(clients: Pick<AwsClients, "ec2">, region: string, serviceName: string): Promise<OfferedZones> {
  try {
    const answer = await clients.ec2(region).send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }));
    const service = (answer.ServiceDetails ?? []).find((s) => s.ServiceName === serviceName);
    const ids = service?.AvailabilityZoneIds ?? [];
    return { ids: ids.length > 0 ? new Set(ids) : undefined, names: new Set(service?.AvailabilityZones ?? []) };
  } catch (error) {
    // AWS answers InvalidServiceName when the region does not offer the service at all.
    if (error instanceof Error && error.name === "InvalidServiceName") return { ids: undefined, names: new Set() };
    throw regionError(error, region, "ec2:DescribeVpcEndpointServices");
  }
}

function regionError(error: unknown, region: string, action: string): RegionUnavailableError {
  const name = error instanceof Error ? error.name : "Error";
  const detail = describeAwsError(error);
  const options = { cause: error };
  if (NOT_ENABLED.has(name)) {
    return new RegionUnavailableError(
      region,
      `region ${region} is not enabled for this account: enable it in the console under Account > AWS Regions (${detail})`,
      options,
    );
  }
  if (name === "UnauthorizedOperation") {
    return new RegionUnavailableError(
      region,
      `region ${region} refused ${action}: your role or an organisation policy does not allow it there (${detail})`,
      options,
    );
  }
  return new RegionUnavailableError(region, `region ${region} is not reachable (${detail})`, options);
}

/** A VPC already in the region, for the overlap check against the ranges asked for. */
export interface ExistingVpc {
  readonly id: string;
  readonly name: string | undefined;
  readonly cidrs: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Every VPC of the region with its IPv4 ranges. */
export async function listVpcs(clients: Pick<AwsClients, "ec2">, region: string): Promise<ExistingVpc[]> {
  const vpcs: ExistingVpc[] = [];
  for await (const page of paginateDescribeVpcs({ client: clients.ec2(region) }, {})) {
    for (const vpc of page.Vpcs ?? []) {
      const tags = Object.fromEntries((vpc.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
      // Secondary ranges count too; ranges being removed or failed do not.
      const associated = (vpc.CidrBlockAssociationSet ?? [])
        .filter((a) => a.CidrBlockState?.State === "associated" && a.CidrBlock)
        .map((a) => a.CidrBlock as string);
      const cidrs = associated.length > 0 ? associated : vpc.CidrBlock ? [vpc.CidrBlock] : [];
      vpcs.push({ id: vpc.VpcId ?? "", name: tags["Name"], cidrs, tags });
    }
  }
  return vpcs;
}

// What Lambda refuses about a VPC function's subnets, by Availability Zone id (ids name the same physical
// zone in every account; names such as us-east-1a do not).
/**
 * Zone ids where Lambda has been observed to refuse VPC functions — observed, not documented. Lambda refused
 * a us-east-1 zone for a VPC function on a real account (keboola/developer-portal#81, 2017); its message
 * names no zone, and use1-az3 is the us-east-1 id kept here for it. No AWS page was found stating it for
 * Lambda: the Lambda Developer Guide's VPC page, once cited here, has no such statement (not in the
 * archived awsdocs/aws-lambda-developer-guide, nor in a search of AWS's documentation). So the list only
 * steers the choice; lambdaZoneAdvice covers a zone it misses.
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

// EC2's answer to CreateSubnet in a zone DescribeAvailabilityZones lists as available but in which this
// account may not create subnets (InvalidParameterValue): "Value (us-east-1c) for parameter
// availabilityZone is invalid. Subnets can currently only be created in the following availability zones:
// us-east-1e, us-east-1a, us-east-1d, us-east-1b." The Subnet's CREATE_FAILED reason on real accounts
// (buildkite/elastic-ci-stack-for-aws#156, awslabs/ecs-refarch-continuous-deployment#12; inside
// CloudFormation's "Resource handler returned message" wording, aws/aws-cdk#32017). Nothing warns before:
// `Fn::GetAZs` and DescribeAvailabilityZones list such a zone (widdix/aws-cf-templates#36).
const SUBNET_ZONE_REFUSAL = /Value \(([^)]+)\) for parameter availabilityZone is invalid\. Subnets can currently only be created in the following availability zones: ([^.]+)\./i;

/** EC2's refusal of a subnet's zone: the zone refused and the ones it names instead; undefined for any other reason. */
export function subnetZoneRefusal(reason: string | undefined): { readonly zone: string; readonly allowed: readonly string[] } | undefined {
  const found = reason === undefined ? null : SUBNET_ZONE_REFUSAL.exec(reason);
  if (!found) return undefined;
  return { zone: found[1]!, allowed: found[2]!.split(",").map((z) => z.trim()).filter(Boolean) };
}

// AWS service names that differ by partition. China names its endpoint services with a "cn." prefix
// (AWS China docs, "Amazon VPC endpoint service names"); every other partition uses com.amazonaws.
// China's regions are the only ones whose code starts with "cn-".
/** The interface endpoint service of API Gateway's execute-api in a region, as DescribeVpcEndpointServices names it. */
export function executeApiServiceName(region: string): string {
  return `${region.startsWith("cn-") ? "cn." : ""}com.amazonaws.${region}.execute-api`;
}
