// Two Availability Zones per VPC, chosen from AWS's answers instead of `!GetAZs` order: a zone name maps
// to a different physical zone (zone id) in every account, and some zones cannot hold what a stack puts
// there (DESIGN §10.1). The rules and the choice are pure; preflight asks AWS and passes the answers in.
import { isLambdaZoneRefusal, isOffered, LAMBDA_REFUSED_ZONE_IDS, type OfferedZones, subnetZoneRefusal, type ZoneInfo } from "../../aws/ec2-lookups.js";
import type { Zone, ZonePair } from "../plan.js";
import type { RegionRole } from "../stages.js";

/** What a region answered about its zones, and for region A where the execute-api endpoint service is offered. */
export interface RegionZones {
  readonly role: RegionRole;
  readonly region: string;
  readonly zones: readonly ZoneInfo[];
  // Where DescribeVpcEndpointServices says execute-api is offered (region A only).
  readonly offered?: OfferedZones | undefined;
  readonly serviceName?: string | undefined;
}

/** Where a VPC's zones came from: the flag, the stack that already uses them, or the tool's choice. */
export type ZoneSource = "flags" | "existing stack" | "chosen";

/** The zones chosen for one region, and why these. */
export interface ZoneChoice {
  readonly role: RegionRole;
  readonly region: string;
  readonly zones: ZonePair;
  readonly source: ZoneSource;
  // The zones the existing stack's subnets are in, when this choice moves them (CloudFormation replaces them).
  readonly moves: ZonePair | undefined;
}

/** The zones chosen, or the line that says why none can be. */
export type ZoneOutcome =
  | { readonly ok: true; readonly choice: ZoneChoice }
  // usage: a flag named zones that cannot be used (exit 2); region: the region cannot hold the VPC (exit 1).
  | { readonly ok: false; readonly kind: "usage" | "region"; readonly message: string };

/** The flag that sets each region's zones. */
export const ZONE_FLAG: Record<RegionRole, string> = { api: "--api-azs", client: "--client-azs" };
const VPC: Record<RegionRole, string> = { api: "API VPC", client: "client VPC" };

/** Why a zone cannot hold this VPC's subnets, or undefined when it can. */
export function zoneRefusal(zone: ZoneInfo, region: RegionZones): string | undefined {
  if (zone.type !== "availability-zone") return `it is a ${zone.type || "zone of unknown type"}, not an Availability Zone`;
  if (zone.state !== "available") return `its state is ${zone.state || "unknown"}`;
  // Only a zone AWS says is not opted into is refused: emulators (stock moto, LocalStack) answer no
  // OptInStatus at all, and their zones hold subnets.
  if (zone.optIn === "not-opted-in") return "it needs an opt-in (not-opted-in)";
  if (region.role === "api" && !(region.offered && isOffered(region.offered, zone))) {
    return `the ${region.serviceName ?? "execute-api"} endpoint service is not offered there`;
  }
  if (region.role === "client" && LAMBDA_REFUSED_ZONE_IDS.has(zone.id)) return `Lambda does not run VPC functions in ${zone.id}`;
  return undefined;
}

/** The zones this VPC may use, in name order (the order of the choice). */
export function usableZones(region: RegionZones): Zone[] {
  return region.zones.filter((zone) => zoneRefusal(zone, region) === undefined).map(({ name, id }) => ({ name, id }));
}

/**
 * A VPC's two zones: the flag's when given (each must be usable), else the ones the existing stack uses
 * while they stay usable, else the first two usable zones by name, so the same account gets the same answer.
 */
export function chooseZones(region: RegionZones, requested: readonly string[] | undefined, existing: readonly string[] | undefined): ZoneOutcome {
  const usable = usableZones(region);
  const byName = new Map(region.zones.map((zone) => [zone.name, zone]));
  const current = existing?.length === 2 ? pair(existing, byName) : undefined;
  const decided = (zones: ZonePair, source: ZoneSource): ZoneOutcome => ({
    ok: true,
    choice: { role: region.role, region: region.region, zones, source, moves: current && !samePair(current, zones) ? current : undefined },
  });

  if (requested) {
    const flag = ZONE_FLAG[region.role];
    for (const name of requested) {
      const zone = byName.get(name);
      const why = zone ? zoneRefusal(zone, region) : `this account has no zone ${name} in ${region.region}`;
      if (why) return { ok: false, kind: "usage", message: `${flag} ${requested.join(",")}: ${zone ? zoneLabel(zone) : name} cannot hold the ${VPC[region.role]}: ${why}; ${usableHint(usable, flag, region.region)}` };
    }
    return decided(pair(requested, byName), "flags");
  }
  if (current && current.every((zone) => usable.some((u) => u.name === zone.name))) return decided(current, "existing stack");
  const [first, second] = usable;
  if (!first || !second) return { ok: false, kind: "region", message: tooFewMessage(region, usable) };
  return decided([first, second], "chosen");
}

/** Why a region cannot hold this VPC at all (fewer than two usable zones), or undefined. */
export function capacityProblem(region: RegionZones): string | undefined {
  const usable = usableZones(region);
  return usable.length < 2 ? tooFewMessage(region, usable) : undefined;
}

function pair(names: readonly string[], byName: ReadonlyMap<string, ZoneInfo>): ZonePair {
  const zone = (name: string): Zone => ({ name, id: byName.get(name)?.id });
  return [zone(names[0] ?? ""), zone(names[1] ?? "")];
}

function samePair(a: ZonePair, b: ZonePair): boolean {
  return a[0].name === b[0].name && a[1].name === b[1].name;
}

function zoneLabel(zone: Pick<Zone, "name" | "id">): string {
  return zone.id ? `${zone.name} (${zone.id})` : zone.name;
}

function usableHint(usable: readonly Zone[], flag: string, region: string): string {
  if (usable.length < 2) return `${region} has ${usable.length === 0 ? "no zone" : "only one zone"} that can: choose another region`;
  return `usable zones in ${region}: ${usable.map(zoneLabel).join(", ")}: pass e.g. ${flag} ${usable[0]?.name},${usable[1]?.name}`;
}

function tooFewMessage(region: RegionZones, usable: readonly Zone[]): string {
  const found = usable.length === 0 ? "no Availability Zone" : `only one Availability Zone (${zoneLabel(usable[0] as Zone)})`;
  const refused = region.zones
    .flatMap((zone) => {
      const why = zoneRefusal(zone, region);
      return why ? [`${zoneLabel(zone)}: ${why}`] : [];
    })
    .join("; ");
  return `region ${region.region} has ${found} the ${VPC[region.role]} can use; it needs 2: choose another region${refused ? ` (${refused})` : ""}`;
}

/** What to do when a stage failed on a zone a flag can move it off (EC2's or Lambda's refusal), else undefined. */
export function zoneFailureAdvice(role: RegionRole, region: string, zones: ZonePair | undefined, reason: string | undefined): string | undefined {
  const subnet = subnetZoneRefusal(reason);
  if (subnet) return subnetZoneAdvice(role, region, zones, subnet);
  if (role === "client" && isLambdaZoneRefusal(reason)) return lambdaZoneAdvice(region, zones);
  return undefined;
}

/**
 * EC2 refused a subnet's zone and named the zones it takes instead. A re-run would choose the same zones
 * (the failed stack is re-created, its zones not kept), so name the flag, with a pair that keeps the chosen
 * zone EC2 accepts; preflight still checks the pair against the other rules (endpoint service, Lambda).
 */
function subnetZoneAdvice(role: RegionRole, region: string, zones: ZonePair | undefined, refusal: { readonly zone: string; readonly allowed: readonly string[] }): string {
  const kept = (zones ?? []).map((z) => z.name).filter((name) => refusal.allowed.includes(name));
  const pair = [...new Set([...kept, ...refusal.allowed])].slice(0, 2);
  const example = pair.length === 2 ? `, e.g. ${ZONE_FLAG[role]} ${pair.join(",")}` : "";
  return (
    `EC2 refused a subnet of the ${VPC[role]} in ${refusal.zone}: this account can create subnets in ${region} only in ${refusal.allowed.join(", ")}. ` +
    `Run deploy again with two of them${example}.`
  );
}

/** Lambda refused a client subnet's zone; its message names none, so say which zones they were and the flag that moves them. */
export function lambdaZoneAdvice(region: string, zones: ZonePair | undefined): string {
  const known = zones?.find((zone) => zone.id !== undefined && LAMBDA_REFUSED_ZONE_IDS.has(zone.id));
  const where = known
    ? `${zoneLabel(known)}, where Lambda runs no VPC functions`
    : zones
      ? `${zones.map(zoneLabel).join(" or ")} in ${region}`
      : `one of the client subnets' zones in ${region}`;
  return `Lambda refused the Availability Zone ${where}: run deploy again with two other zones of ${region}, ${ZONE_FLAG.client} <zone>,<zone>.`;
}
