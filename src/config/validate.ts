// Validators shared by flags, the answers file and prompts: each returns the one-line message for a
// bad value, or undefined. The message names where the value came from and how to fix it.
import { cut, echo } from "../echo.js";
import { listItems } from "./answers.js";
import { closestRegion, findRegion, offeredRegions, partitionProblem } from "./regions.js";

/** The rule a deployment name follows, in words for error messages. */
export const NAME_RULE = "lowercase letters, digits and hyphens, starting with a letter, at most 24 characters";
const NAME = /^[a-z][a-z0-9-]{0,23}$/;

/** What is wrong with a deployment name, as one line naming the fix, or undefined. */
export function nameProblem(value: string, label = "--name"): string | undefined {
  if (NAME.test(value)) return undefined;
  const hint = value.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").slice(0, 24);
  const example = NAME.test(hint) ? hint : "xregion-demo";
  return `${label} ${echo(value)} is not a valid deployment name: use ${NAME_RULE} (e.g. ${example})`;
}

/** What is wrong with a region id, with the closest known region, or undefined. */
export function regionProblem(value: string, label: string): string | undefined {
  if (findRegion(value)) return undefined;
  return `${label} ${echo(value)} is not an AWS region: did you mean ${closestRegion(value)}?`;
}

/** What is wrong with the two regions together (the same region, different partitions), or undefined. */
export function regionPairProblem(api: string, client: string, labels = { api: "--api-region", client: "--client-region" }): string | undefined {
  if (api === client) {
    return `${labels.api} and ${labels.client} are both ${api}: the client must run in another region than the API; pick a different ${labels.client}`;
  }
  const a = findRegion(api);
  const b = findRegion(client);
  if (a && b && a.partition !== b.partition) {
    // An API region whose partition cannot hold the pattern at all is the problem to name first.
    const unusable = partitionProblem(api, `${labels.api} ${api}`);
    if (unusable) return unusable;
    const near = offeredRegions(a.partition).find((r) => r.id !== api);
    return `${labels.api} ${api} is in the ${a.partition} partition and ${labels.client} ${client} in ${b.partition}: VPC peering never crosses partitions; pick a ${labels.client} in ${a.partition} too, e.g. ${near?.id}`;
  }
  return partitionProblem(api, `${labels.api} ${api} and ${labels.client} ${client}`);
}

// The ranges are read by net/ with its parser (ip-cidr), loaded the first time a range is checked: once
// the first question is on screen, or before it only when a flag or the answers file gives a range.
const net = () => import("../net/index.js");

/** What is wrong with one VPC range, or undefined. */
export async function cidrProblem(value: string, label: string): Promise<string | undefined> {
  const check = (await net()).checkVpcCidr(value, label);
  return check.ok ? undefined : check.message;
}

/** A valid range as the tool writes it (10.0.0.0/16 for " 10.0.0.0/16 "), anything else as it is. */
export async function canonicalCidr(value: string): Promise<string> {
  const check = (await net()).checkVpcCidr(value, "");
  return check.ok ? check.cidr.text : value;
}

/** What a usable VPC range should make one think twice about (outside the private ranges, …): none when unusable. */
export async function cidrWarnings(value: string, label: string): Promise<string[]> {
  const check = (await net()).checkVpcCidr(value, label);
  return check.ok ? check.warnings : [];
}

/** What is wrong with the two VPC ranges together (overlap), or undefined. */
export async function cidrPairProblem(api: string, client: string, labels = { api: "--api-cidr", client: "--client-cidr" }): Promise<string | undefined> {
  const { checkPair, parseCidr } = await net();
  const a = parseCidr(api);
  const b = parseCidr(client);
  if (!a || !b) return undefined;
  return checkPair(a, b, labels);
}

/** Ranges with where each came from, checked together: the API range and every client range must be disjoint. */
export async function rangesProblem(
  api: { readonly label: string; readonly cidr: string } | undefined,
  clients: readonly { readonly label: string; readonly cidr: string; readonly region: string }[],
): Promise<string | undefined> {
  // One range or none overlaps nothing: the parser is not loaded for it (before the first question).
  if ((api ? 1 : 0) + clients.length < 2) return undefined;
  const { checkRanges, parseCidr } = await net();
  const a = api && parseCidr(api.cidr);
  const parsed = clients.map((c) => ({ ...c, cidr: parseCidr(c.cidr) }));
  if ((api && !a) || parsed.some((c) => !c.cidr)) return undefined;
  return checkRanges(api && a ? { label: api.label, cidr: a } : undefined, parsed.map((c) => ({ label: c.label, region: c.region, cidr: c.cidr! })));
}

/** What is wrong with a list of client regions by itself (an item that is no region, an empty one, a repeat), or undefined. */
export function clientRegionsProblem(text: string, label: string): string | undefined {
  const regions = listItems(text);
  if (regions.some((region) => region === "")) {
    return `${label} ${echo(text)} has an empty item: name the client regions separated by single commas, e.g. ${label} eu-west-1,ap-southeast-2`;
  }
  for (const region of regions) {
    const problem = regionProblem(region, label);
    if (problem) return problem;
  }
  const repeat = regions.find((region, i) => regions.indexOf(region) !== i);
  if (repeat !== undefined) return `${label} names ${repeat} twice: each client region gets one client side; drop the repeat`;
  return undefined;
}

/**
 * The zones of one client region in a --client-azs list (two per region, each region's zones carry its
 * name: eu-west-1a,eu-west-1b,ap-southeast-2a,ap-southeast-2b); none when the list names none of it.
 */
export function zonesOf(text: string, region: string): string[] {
  return splitZones(text).filter((zone) => isZoneOf(zone, region));
}

/** What is wrong with a --client-azs list for these client regions, or undefined: every zone of one of them, two per region named. */
export function clientZonesProblem(text: string, label: string, regions: readonly string[]): string | undefined {
  const [only] = regions;
  if (regions.length === 1 && only !== undefined) return zonesProblem(text, label, only);
  const stray = splitZones(text).find((zone) => !regions.some((region) => isZoneOf(zone, region)));
  if (stray !== undefined) {
    const example = regions.map((region) => `${region}a,${region}b`).join(",");
    return (
      `${label} ${echo(text)}: ${stray ? cut(stray) : "(empty)"} is not an Availability Zone name of any client region (${regions.join(", ")}): ` +
      `pass two distinct zones per client region, e.g. ${label.startsWith("--") ? `${label} ` : ""}${example}`
    );
  }
  for (const region of regions) {
    const zones = zonesOf(text, region);
    const problem = zones.length === 0 ? undefined : zonesProblem(zones.join(","), label, region);
    if (problem) return problem;
  }
  return undefined;
}

// Offline, only the shape: two distinct names of the region's own zones (us-east-1a). Whether the
// account has them and they can hold the stack is preflight's question.
/** The two zone names of a --api-azs/--client-azs value, or the one-line problem with it. */
export function zonesProblem(value: string, label: string, region: string): string | undefined {
  const zones = splitZones(value);
  const fix = `pass two distinct zones of ${region}, e.g. ${label.startsWith("--") ? `${label} ` : ""}${region}a,${region}b`;
  if (zones.length !== 2) return `${label} ${echo(value)} must name exactly two Availability Zones, comma-separated: ${fix}`;
  const foreign = zones.find((zone) => !isZoneOf(zone, region));
  if (foreign !== undefined) return `${label} ${echo(value)}: ${foreign ? cut(foreign) : "(empty)"} is not an Availability Zone name of ${region}: ${fix}`;
  if (zones[0] === zones[1]) return `${label} ${echo(value)} names ${cut(zones[0] ?? "")} twice: each subnet needs its own zone; ${fix}`;
  return undefined;
}

/** A --api-azs/--client-azs value as its zone names, trimmed. */
export function splitZones(value: string): string[] {
  return value.split(",").map((zone) => zone.trim());
}

/** Whether a name has the shape of one of the region's zones: the region code, then more, ending in a letter. */
export function isZoneOf(zone: string, region: string): boolean {
  return zone.length > region.length && zone.startsWith(region) && /^[a-z0-9-]*[a-z]$/.test(zone);
}

// The ids of what already exists (doctor's hand-made setup, connect's API and client), checked for their
// shape before any AWS call: a typo must not cost a round of reads that find nothing.
const FUNCTION = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
const API_ID = /^[a-z0-9]{10}$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;
const EC2_ID = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`);

/** What is wrong with a Lambda function name or ARN, or undefined. */
export function functionProblem(value: string, label = "--function"): string | undefined {
  if (FUNCTION.test(value)) return undefined;
  return `${label} ${echo(value)} is not a function name or ARN: pass e.g. ${label} my-client or ${label} arn:aws:lambda:eu-west-1:123456789012:function:my-client`;
}

/** What is wrong with a REST API id, or undefined. */
export function apiIdProblem(value: string, label = "--api-id"): string | undefined {
  if (API_ID.test(value)) return undefined;
  return `${label} ${echo(value)} is not a REST API id (10 lower-case letters and digits): pass e.g. ${label} a1b2c3d4e5`;
}

/** What is wrong with a stage name, or undefined. */
export function stageProblem(value: string, label = "--stage"): string | undefined {
  if (STAGE.test(value)) return undefined;
  return `${label} ${echo(value)} is not a stage name (letters, digits, - and _): pass e.g. ${label} v1`;
}

/** What is wrong with one EC2 id of a kind (vpce, vpc, subnet, sg, pcx), or undefined. */
export function ec2IdProblem(value: string, prefix: "vpce" | "vpc" | "subnet" | "sg" | "pcx", label: string): string | undefined {
  if (EC2_ID(prefix).test(value)) return undefined;
  return `${label} ${echo(value)} is not a ${prefix} id (${prefix}- and 8 or 17 hex digits): pass e.g. ${label} ${prefix}-0123456789abcdef0`;
}

/**
 * What is wrong with a comma-separated list of EC2 ids of a kind, or undefined. `example`: the value the fix
 * shows (default: two ids, comma-separated; several client regions' groups show their own form).
 */
export function ec2IdListProblem(value: string, prefix: "subnet" | "sg", label: string, example = `${prefix}-0123456789abcdef0,${prefix}-0fedcba9876543210`): string | undefined {
  const ids = splitList(value);
  if (ids.length === 0) return `${label} ${echo(value)} names no ${prefix} id: pass e.g. ${label} ${example}`;
  const bad = ids.find((id) => !EC2_ID(prefix).test(id));
  if (bad !== undefined) return `${label}: ${echo(bad)} is not a ${prefix} id (${prefix}- and 8 or 17 hex digits): pass e.g. ${label} ${example}`;
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  return twice === undefined ? undefined : `${label} names ${twice} twice: name each once`;
}

/** What is wrong with a --peering value, or undefined. */
export function peeringProblem(value: string, label = "--peering"): string | undefined {
  if (value === "auto" || value === "new" || EC2_ID("pcx").test(value)) return undefined;
  return `${label} ${echo(value)} must be auto, new or a peering connection id: pass ${label} auto (reuse an active one between the two VPCs, else create one), ${label} new, or ${label} pcx-0123456789abcdef0`;
}

/** A comma-separated list, trimmed, empty items dropped. */
export function splitList(value: string): string[] {
  return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
}
