// What each hop lacks, worked out from the snapshot with the evaluators doctor uses (net/): the routes a
// route table needs, the rules a security group needs, and what forbids adding them (a route that already
// carries the addresses elsewhere, a quota). Pure.
import type { VpcSide } from "../../aws/path-facts.js";
import { blocksOf, intersect, isEmpty, parseBlock, union, type AddressSet } from "../../net/address-set.js";
import { routeRange, tableOfSubnet, type Route, type RouteTable } from "../../net/route-match.js";
import { sgAdmits, type SecurityGroup } from "../../net/security-groups.js";
import type { HopName } from "../doctor/doctor.js";
import { describeSet } from "../doctor/path-context.js";
import type { Refusal } from "./types.js";

// Amazon VPC quotas (awsdocs/amazon-vpc-user-guide, amazon-vpc-limits.md; connect.md §3.2, §4.1): each is
// the default, adjustable in Service Quotas under the code named.
/** Routes per route table (IPv4, non-propagated): L-93826ACB. */
export const ROUTES_PER_TABLE = 50;
/** Inbound or outbound IPv4 rules per security group: L-0EA8095F. */
export const RULES_PER_GROUP = 60;
/** Active VPC peering connections per VPC: L-7E9ECCDB. */
export const PEERINGS_PER_VPC = 50;

/** A route one of our stacks adds: in which table, to which block. */
export interface RouteNeed {
  readonly table: string;
  readonly destination: string;
}

/** A rule one of our stacks adds: on which group, for which block (TCP 443). */
export interface RuleNeed {
  readonly group: string;
  readonly cidr: string;
}

/** The blocks covering some subnets of a side, exactly (their union in the fewest aligned blocks). */
export function subnetBlocks(side: VpcSide, subnetIds: readonly string[]): { readonly blocks: string[]; readonly set: AddressSet } | undefined {
  if (!side.subnets.ok) return undefined;
  const cidrs = side.subnets.value.filter((s) => subnetIds.includes(s.id)).map((s) => s.cidr);
  const set = union(...cidrs.map((c) => parseBlock(c) ?? []));
  return { blocks: blocksOf(set), set };
}

/** The route tables that the subnets use (explicit association, else the main table), each once, in subnet order. */
export function tablesOf(tables: readonly RouteTable[], subnetIds: readonly string[]): RouteTable[] {
  const out: RouteTable[] = [];
  for (const subnetId of subnetIds) {
    const found = tableOfSubnet(tables, subnetId)?.table;
    if (found && !out.includes(found)) out.push(found);
  }
  return out;
}

const prefixOf = (route: Route) => Number(route.destination.split("/")[1]);
const isDefault = (route: Route) => route.destination === "0.0.0.0/0";

/**
 * The routes the tables need so that each block goes to the peering `via` (undefined: one not made yet), and
 * the refusals: a route for the block itself to anything else (a second one cannot be added), a more specific
 * route that keeps some of `carried` (the addresses the path needs) elsewhere, or a broader active route other
 * than the default one that carries them now (a more specific route of ours would silently divert that traffic).
 */
export function routeNeeds(
  side: VpcSide,
  tables: readonly RouteTable[],
  blocks: readonly string[],
  carried: AddressSet,
  via: string | undefined,
  hop: HopName,
): { needs: RouteNeed[]; refusals: Refusal[] } {
  const needs: RouteNeed[] = [];
  const refusals: Refusal[] = [];
  const refuse = (table: RouteTable, route: Route, why: string) => {
    const fix = `aws ec2 delete-route --route-table-id ${table.id} --destination-cidr-block ${route.destination} --region ${side.region}`;
    refusals.push({
      reason: "route-elsewhere",
      hop,
      // The route for the very block is named once: "sends 10.20.0.0/23 to 10.20.0.0/23" said it twice.
      message: `${table.id} already ${why === route.destination ? "routes" : `sends ${why} to`} ${route.destination} → ${route.target} (${route.state}), not to the peering between the two VPCs: connect will not divert or duplicate it; change or remove that route yourself (e.g. ${fix}), then run connect again.`,
    });
  };
  for (const table of tables) {
    for (const block of blocks) {
      const range = parseBlock(block)!;
      const ours = (r: Route) => via !== undefined && r.target === via && r.state === "active";
      const same = table.routes.find((r) => r.destination === block);
      if (same) {
        if (!ours(same)) refuse(table, same, block);
        continue;
      }
      let add = false;
      for (const part of routeRange(table.routes, range).parts) {
        const route = part.route;
        if (!route) {
          add = true;
          continue;
        }
        if (ours(route)) continue;
        const keeps = !isEmpty(intersect(part.addresses, carried));
        if (keeps && prefixOf(route) > Number(block.split("/")[1])) refuse(table, route, describeSet(intersect(part.addresses, carried)));
        else if (keeps && route.state === "active" && !isDefault(route)) refuse(table, route, describeSet(intersect(part.addresses, carried)));
        else add = true;
      }
      if (add) needs.push({ table: table.id, destination: block });
    }
  }
  return { needs, refusals };
}

/**
 * The TCP 443 rules that let `peers` through: on `edit` (one group) when the groups of one interface
 * (`together`) do not already admit them all, for each block that holds an address still missing.
 */
export function ruleNeeds(together: readonly SecurityGroup[], edit: string, direction: "ingress" | "egress", peers: AddressSet, blocks: readonly string[]): RuleNeed[] {
  const decision = sgAdmits(together, direction, { protocol: "tcp", port: 443, peers });
  if (isEmpty(decision.missing)) return [];
  return blocks.filter((b) => !isEmpty(intersect(parseBlock(b)!, decision.missing))).map((cidr) => ({ group: edit, cidr }));
}

/** What exists now plus what we add, against a quota: the refusal when it does not fit. */
export function overQuota(what: string, have: number, adding: number, limit: number, code: string, quota: string, hop: HopName): Refusal | undefined {
  if (adding === 0 || have + adding <= limit) return undefined;
  return {
    reason: "quota",
    hop,
    message: `${what} has ${have} and connect would add ${adding}, beyond AWS's ${limit} (${quota}): remove unused ones, or raise the quota (Service Quotas, code ${code}), then run connect again.`,
  };
}
