// The API VPC is the hub every client region joins: its quotas are the ceiling (research/connect.md §4.1,
// Amazon VPC quotas in awsdocs/amazon-vpc-user-guide amazon-vpc-limits.md). Counted from AWS plus what the
// deploy adds, before anything is created; a deploy that would cross one stops (exit 2) naming it. Pure.
import type { HubCounts } from "../../aws/hub-counts.js";

/** One quota: AWS's default, its Service Quotas code (to read or raise this account's), and its name. */
export interface Quota {
  readonly limit: number;
  readonly code: string;
  readonly name: string;
  // The largest value AWS allows it raised to, where the quota page gives one.
  readonly max?: number;
}

/** The three quotas a client region counts against on the API side. */
export const HUB_QUOTAS = {
  // "This quota can be increased up to a maximum of 125" (Amazon VPC endpoints and quotas, vpc-service.html).
  peerings: { limit: 50, code: "L-7E9ECCDB", name: "active VPC peering connections per VPC", max: 125 },
  routes: { limit: 50, code: "L-93826ACB", name: "routes per route table", max: 1000 },
  rules: { limit: 60, code: "L-0EA8095F", name: "inbound rules per security group" },
} as const satisfies Record<string, Quota>;

/** What a new stage 1 holds before any client region: its local route and its group's two inline rules. */
export const NEW_HUB: HubCounts = { activePeerings: 0, routes: { "the API route table": 1 }, ingressRules: 2 };

/** The client regions that add a peering, a return route (one per table) and an ingress rule. */
export interface HubAdditions {
  readonly peerings: readonly string[];
  readonly routes: readonly string[];
  readonly rules: readonly string[];
}

/** Every quota the additions would cross, one line each naming the limit and the way out; none when all fit. */
export function hubLimitProblems(counts: HubCounts, adds: HubAdditions, where: { readonly vpc: string; readonly group: string }): string[] {
  const problems: string[] = [];
  const over = (quota: Quota, have: number, regions: readonly string[], holder: string) => {
    if (regions.length === 0 || have + regions.length <= quota.limit) return;
    const raise = `raise it in Service Quotas (${quota.code}${quota.max ? `, up to ${quota.max}` : ""})`;
    problems.push(
      `${holder} has ${have} and these client regions add ${regions.length} (${regions.join(", ")}): more than the quota of ${quota.limit} ${quota.name}; ` +
        `deploy at most ${Math.max(0, quota.limit - have)} new client region${quota.limit - have === 1 ? "" : "s"} now, or ${raise}`,
    );
  };
  over(HUB_QUOTAS.peerings, counts.activePeerings, adds.peerings, `the API VPC ${where.vpc}`);
  for (const [table, routes] of Object.entries(counts.routes)) over(HUB_QUOTAS.routes, routes, adds.routes, `route table ${table}`);
  if (counts.ingressRules !== undefined) over(HUB_QUOTAS.rules, counts.ingressRules, adds.rules, `the endpoint's security group ${where.group}`);
  return problems;
}
