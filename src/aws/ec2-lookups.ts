// Read-only EC2 questions asked before any change: is the region usable, and which ranges are taken.
import { DescribeAvailabilityZonesCommand, paginateDescribeVpcs } from "@aws-sdk/client-ec2";
import type { AwsClients } from "./clients.js";

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

export async function availableZones(clients: Pick<AwsClients, "ec2">, region: string): Promise<string[]> {
  try {
    const answer = await clients.ec2(region).send(
      new DescribeAvailabilityZonesCommand({
        Filters: [
          { Name: "state", Values: ["available"] },
          // Local and Wavelength zones cannot hold the endpoint's subnets.
          { Name: "zone-type", Values: ["availability-zone"] },
        ],
      }),
    );
    return (answer.AvailabilityZones ?? []).flatMap((zone) => (zone.ZoneName ? [zone.ZoneName] : [])).sort();
  } catch (error) {
    throw regionError(error, region);
  }
}

function regionError(error: unknown, region: string): RegionUnavailableError {
  const name = error instanceof Error ? error.name : "Error";
  const detail = error instanceof Error ? `${name}: ${error.message}` : String(error);
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
      `region ${region} refused ec2:DescribeAvailabilityZones: your role or an organisation policy does not allow it there (${detail})`,
      options,
    );
  }
  return new RegionUnavailableError(region, `region ${region} is not reachable (${detail})`, options);
}

export interface ExistingVpc {
  readonly id: string;
  readonly name: string | undefined;
  readonly cidrs: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

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
