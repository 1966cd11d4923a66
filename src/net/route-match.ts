// Which route a VPC router picks, as AWS documents it: a subnet uses the route table explicitly
// associated with it, else the VPC's main table; among the routes whose destination contains the
// address, the longest prefix wins; a route whose target is gone is a blackhole and drops the packet.
import { intersect, isEmpty, subtract, union, type AddressSet } from "./address-set.js";
import { parseCidr } from "./cidr.js";

/** One route of a route table: destination, target and state. */
export interface Route {
  /** A CIDR block, or a managed prefix list id (pl-…) whose ranges are not known here. */
  readonly destination: string;
  /** "local", or the target's id: pcx-…, igw-…, nat-…, tgw-…, vpce-…, eni-… */
  readonly target: string;
  readonly state: "active" | "blackhole";
}

/** A route table and its routes. */
export interface RouteTable {
  readonly id: string;
  readonly main: boolean;
  /** Subnets explicitly associated with this table. */
  readonly subnetIds: readonly string[];
  readonly routes: readonly Route[];
}

/** The table a subnet uses, and whether by explicit association or as the VPC's main table. */
export function tableOfSubnet(
  tables: readonly RouteTable[],
  subnetId: string,
): { readonly table: RouteTable; readonly via: "explicit" | "main" } | undefined {
  const explicit = tables.find((t) => t.subnetIds.includes(subnetId));
  if (explicit) return { table: explicit, via: "explicit" };
  const main = tables.find((t) => t.main);
  return main ? { table: main, via: "main" } : undefined;
}

/** Part of a destination range and the route that carries it (undefined: no route, dropped). */
export interface RoutedPart {
  readonly addresses: AddressSet;
  readonly route: Route | undefined;
}

/** Where a range's traffic goes: the route chosen for each part of it. */
export interface RangeRouting {
  readonly parts: readonly RoutedPart[];
  /** Routes to prefix lists: they may take part of the range, but their ranges are not known here. */
  readonly unchecked: readonly Route[];
}

/** How the router sends each address of `range`: longest prefix first, each address decided once. */
export function routeRange(routes: readonly Route[], range: AddressSet): RangeRouting {
  const byPrefix = routes
    .flatMap((route) => {
      const cidr = parseCidr(route.destination);
      return cidr ? [{ route, block: [{ first: cidr.first, last: cidr.last }], prefix: cidr.prefix }] : [];
    })
    .sort((a, b) => b.prefix - a.prefix);
  const parts: RoutedPart[] = [];
  let rest = range;
  for (const { route, block } of byPrefix) {
    const taken = intersect(rest, block);
    if (isEmpty(taken)) continue;
    parts.push({ addresses: taken, route });
    rest = subtract(rest, taken);
  }
  if (!isEmpty(rest)) parts.push({ addresses: union(rest), route: undefined });
  const unchecked = routes.filter((r) => r.destination.startsWith("pl-"));
  return { parts, unchecked };
}

/** The route one address takes, or undefined when no route contains it. */
export function routeFor(routes: readonly Route[], address: number): Route | undefined {
  return routeRange(routes, [{ first: address, last: address }]).parts[0]?.route;
}
