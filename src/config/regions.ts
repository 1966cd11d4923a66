// Regions come from the partition data the AWS SDK itself ships, so a region AWS adds arrives with an
// SDK upgrade and nobody keeps a list by hand.
import { closest } from "fastest-levenshtein";
import { partitionsInfo } from "aws-sdk-partitions";

export interface RegionInfo {
  readonly id: string;
  readonly description: string;
  readonly partition: string;
}

// Pseudo-regions such as "aws-global" name an endpoint, not a place a VPC can live.
const PSEUDO = /global$/;

export const REGIONS: readonly RegionInfo[] = partitionsInfo.partitions.flatMap((partition) =>
  Object.entries(partition.regions)
    .filter(([id]) => !PSEUDO.test(id))
    .map(([id, info]) => ({ id, description: info?.description ?? id, partition: partition.id })),
);

const BY_ID = new Map(REGIONS.map((r) => [r.id, r]));

export function findRegion(id: string): RegionInfo | undefined {
  return BY_ID.get(id);
}

// The nearest known id, for "did you mean" hints on typos such as "us-east1".
export function closestRegion(id: string): string {
  // No region id is longer than this: the rest of a long value cannot make it closer to one.
  return closest(id.slice(0, 32), REGIONS.map((r) => r.id));
}
