// A connection with several client regions joins each region's VPC to the same API VPC: the API VPC's
// peerings, its endpoint subnets' route tables and the endpoint's security group carry every region's
// additions. Each region's plan checks its own additions against the quotas (plan.ts); this sums them over
// the regions, in order, as deploy's hub-limits.ts does, and refuses client subnets whose blocks overlap each
// other (the API side would need two routes for one range). Before anything is created. Pure.
import { overlapOf, parseCidr } from "../../net/cidr.js";
import { HUB_QUOTAS, type Quota } from "../deploy/hub-limits.js";
import type { ConnectFacts } from "./plan.js";
import type { ConnectPlan, Refusal } from "./types.js";

/** One client region's plan and what it was made from. */
export interface RegionPlan {
  readonly plan: ConnectPlan;
  readonly facts: ConnectFacts;
}

/** The plans with the refusals that only the regions together call for, each on the region where it arises. */
export function withHubLimits(regions: readonly RegionPlan[]): ConnectPlan[] {
  const extra: Refusal[][] = regions.map(() => []);
  overlaps(regions, extra);
  sums(regions, extra);
  return regions.map(({ plan }, i) => (extra[i]!.length === 0 ? plan : { ...plan, refusals: [...plan.refusals, ...extra[i]!] }));
}

// A client block that overlaps another client region's: the API VPC's route tables cannot send one range to
// two peering connections. The blocks are the client subnets' (what the API side routes back), not the client
// VPCs' ranges: a hub may be peered with VPCs whose ranges overlap when its routes name disjoint subnets
// (AWS VPC peering guide, "VPC peering configurations with specific routes").
function overlaps(regions: readonly RegionPlan[], extra: Refusal[][]): void {
  const ranges = regions.map((r) => ({ region: regionOf(r), vpcId: r.facts.snapshot.clientSide?.vpcId, blocks: r.plan.clientBlocks }));
  ranges.forEach((later, j) => {
    for (const earlier of ranges.slice(0, j)) {
      const pair = later.blocks.flatMap((c) => earlier.blocks.filter((e) => { const [x, y] = [parseCidr(c), parseCidr(e)]; return x && y && overlapOf(x, y); }).map((e) => [c, e] as const))[0];
      if (!pair) continue;
      extra[j]!.push({
        reason: "overlap",
        hop: "return-route",
        message: `${later.vpcId}'s client subnets ${pair[0]} (${later.region}) overlap ${earlier.vpcId}'s ${pair[1]} (${earlier.region}), another client region of this connection: the API VPC's route tables cannot send one range to two peering connections; call from client subnets whose blocks are disjoint (--function's subnets, or --client-subnets), or leave one of them out of --client-region.`,
      });
      return;
    }
  });
}

interface Holder {
  readonly quota: Quota;
  readonly text: string;
  readonly have: number;
  // What each region adds to it, in the regions' order.
  readonly adds: number[];
}

// The API side's quotas summed over the regions: the first region whose additions pass one gets the refusal.
function sums(regions: readonly RegionPlan[], extra: Refusal[][]): void {
  const holders = new Map<string, Holder>();
  const add = (key: string, make: () => Omit<Holder, "adds">, i: number, n: number) => {
    if (n === 0) return;
    let holder = holders.get(key);
    if (!holder) holders.set(key, (holder = { ...make(), adds: regions.map(() => 0) }));
    holder.adds[i]! += n;
  };
  regions.forEach(({ plan, facts }, i) => {
    const { counts, snapshot } = facts;
    const apiVpc = snapshot.endpoint?.facts.vpcId;
    if (apiVpc && plan.peering.kind === "create" && !plan.peering.kept) {
      add(`peerings ${apiVpc}`, () => ({ quota: HUB_QUOTAS.peerings, text: `the API VPC ${apiVpc} (${snapshot.apiRegion})`, have: counts.peerings[apiVpc] ?? 0 }), i, 1);
    }
    const fresh = (family: string) => plan.api.resources.filter((r) => r.logicalId.startsWith(family) && !r.kept);
    for (const r of fresh("ReturnRoute")) add(`routes ${r.on}`, () => ({ quota: HUB_QUOTAS.routes, text: `route table ${r.on} (${snapshot.apiRegion})`, have: counts.routes[r.on] ?? 0 }), i, 1);
    for (const r of fresh("EndpointIngress")) add(`rules ${r.on}`, () => ({ quota: HUB_QUOTAS.rules, text: `the endpoint's security group ${r.on} (${snapshot.apiRegion})`, have: counts.rules[r.on]?.ingress ?? 0 }), i, 1);
  });
  for (const { quota, text, have, adds } of holders.values()) {
    let sum = 0;
    for (const [i, n] of adds.entries()) {
      sum += n;
      // A region over the quota alone was refused by its own plan.
      if (n === 0 || have + n > quota.limit || have + sum <= quota.limit) continue;
      const before = adds.slice(0, i).flatMap((m, k) => (m > 0 ? [`${regionOf(regions[k]!)} ${m}`] : []));
      const raise = `raise it in Service Quotas (${quota.code}${quota.max ? `, up to ${quota.max}` : ""})`;
      extra[i]!.push({
        reason: "quota",
        hop: quota === HUB_QUOTAS.peerings ? "peering" : quota === HUB_QUOTAS.routes ? "return-route" : "endpoint-ingress",
        message: `${text} has ${have} ${quota.name.replace(/ per .*/, "")} and this connection's client regions add ${sum} (${[...before, `${regionOf(regions[i]!)} ${n}`].join(", ")}): more than the quota of ${quota.limit} ${quota.name}; connect fewer client regions at once (${before.length > 0 ? `the ones before ${regionOf(regions[i]!)} fit` : "none fits"}), or ${raise}.`,
      });
      break;
    }
  }
}

function regionOf(region: RegionPlan): string {
  return region.plan.options.clientRegion;
}
