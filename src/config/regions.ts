// Regions come from the partition data the AWS SDK itself ships, so a region AWS adds arrives with an
// SDK upgrade and nobody keeps a list by hand.
import { partitionsInfo } from "aws-sdk-partitions";
import { closest } from "fastest-levenshtein";

/** A region the SDK knows, with its partition and name. */
export interface RegionInfo {
  readonly id: string;
  readonly description: string;
  readonly partition: string;
}

// Pseudo-regions such as "aws-global" name an endpoint, not a place a VPC can live.
const PSEUDO = /global$/;

/** Every region of the SDK's partitions file. */
export const REGIONS: readonly RegionInfo[] = partitionsInfo.partitions.flatMap((partition) =>
  Object.entries(partition.regions)
    .filter(([id]) => !PSEUDO.test(id))
    .map(([id, info]) => ({ id, description: info?.description ?? id, partition: partition.id })),
);

const BY_ID = new Map(REGIONS.map((r) => [r.id, r]));

/** The region with this id, if the SDK knows it. */
export function findRegion(id: string): RegionInfo | undefined {
  return BY_ID.get(id);
}

/** The nearest known id, for "did you mean" hints on typos such as "us-east1". */
export function closestRegion(id: string): string {
  // No region id is longer than this: the rest of a long value cannot make it closer to one.
  return closest(id.slice(0, 32), REGIONS.map((r) => r.id));
}

// What each AWS partition offers this pattern, checked against AWS's own documentation (README,
// "Partitions"). A partition is listed as deployable only when every piece exists there: private REST
// APIs and their execute-api endpoint service, inter-region VPC peering, Route 53 private hosted zones
// holding an alias to an interface endpoint, and the function's runtime.
/** Why a partition cannot hold this pattern: the missing piece and where AWS says so. */
export interface MissingPiece {
  readonly piece: string;
  readonly source: string;
}

/** The partitions the templates are made for (AWS and China). */
export const DEPLOYABLE_PARTITIONS: readonly string[] = ["aws", "aws-cn"];

const MISSING: Readonly<Record<string, MissingPiece>> = {
  "aws-us-gov": {
    piece:
      "Route 53 private hosted zones in AWS GovCloud (US) take alias records only to records in the same zone, " +
      "and stage 2 resolves the API's hostname with an alias at its zone apex to region A's VPC endpoint",
    source: "https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-r53.html",
  },
};

// The isolated partitions (aws-iso*, aws-eusc) name their endpoint services in ways AWS's public
// documentation does not give, so template 1 cannot name the execute-api service there.
function missingPiece(partition: string): MissingPiece | undefined {
  if (DEPLOYABLE_PARTITIONS.includes(partition)) return undefined;
  return (
    MISSING[partition] ?? {
      piece: `the execute-api endpoint service name in the ${partition} partition is not known to template 1`,
      source: "AWS's public documentation (aws and aws-cn only)",
    }
  );
}

/** The one-line refusal for a region whose partition lacks a piece of the pattern, or undefined. */
export function partitionProblem(region: string, labels: string): string | undefined {
  const info = findRegion(region);
  const missing = info && missingPiece(info.partition);
  if (!missing) return undefined;
  return `${labels} in ${info.partition} cannot be deployed: ${missing.piece} (source: ${missing.source})`;
}

// Regions launched before 20 March 2019 are enabled in every account and can never be disabled; every
// later region of the aws partition is opt-in ("Enable or disable AWS Regions in your account",
// manage-acct-regions.html). So this list never grows, and a new region is opt-in by default. Listed
// in the order the wizard offers them: the Americas, Europe, Asia Pacific.
const ENABLED_BY_DEFAULT = [
  "us-east-1", "us-east-2", "us-west-2", "us-west-1", "ca-central-1", "sa-east-1",
  "eu-west-1", "eu-central-1", "eu-west-2", "eu-west-3", "eu-north-1",
  "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ap-south-1", "ap-northeast-2", "ap-northeast-3",
];

/** Whether an account must enable the region before using it (only the aws partition has opt-in regions). */
export function isOptIn(region: RegionInfo): boolean {
  return region.partition === "aws" && !ENABLED_BY_DEFAULT.includes(region.id);
}

// Enabled-by-default regions in the list's order, then the rest in the SDK's (alphabetical) order.
function rank(region: RegionInfo): number {
  const index = ENABLED_BY_DEFAULT.indexOf(region.id);
  return index === -1 ? ENABLED_BY_DEFAULT.length : index;
}

/**
 * The regions to offer, in the order to offer them: deployable partitions only (the given one alone when
 * set), each partition's regions enabled by default before its opt-in ones.
 */
export function offeredRegions(partition?: string): RegionInfo[] {
  const partitions = partition ? [partition].filter((p) => DEPLOYABLE_PARTITIONS.includes(p)) : DEPLOYABLE_PARTITIONS;
  return partitions.flatMap((p) => REGIONS.filter((r) => r.partition === p).sort((x, y) => rank(x) - rank(y)));
}
