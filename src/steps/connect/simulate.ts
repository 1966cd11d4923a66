// The path as it will be once our stacks exist: the snapshot with our peering, routes, rules and zone added,
// judged by doctor's own judges. A hop that would still fail is one connect cannot mend (a NACL, a policy,
// the function itself): the plan refuses it with doctor's evidence and fix, before anything is created.
import type { PathSnapshot, PeeringFacts, VpcSide } from "../../aws/path-facts.js";
import { zoneFor } from "../../net/private-zones.js";
import type { SgRule } from "../../net/security-groups.js";
import type { RouteNeed, RuleNeed } from "./needs.js";

/** Stands for the peering connection our client stack will create, until it has an id. */
export const NEW_PEERING = "pcx-(new)";
/** Stands for the private zone our client stack will create. */
export const NEW_ZONE = "(new zone)";

/** What our stacks will add, as the simulation needs it. */
export interface Additions {
  /** The peering the routes go to: a reused one's id, or NEW_PEERING. */
  readonly via: string;
  readonly createPeering: boolean;
  readonly clientRoutes: readonly RouteNeed[];
  readonly returnRoutes: readonly RouteNeed[];
  readonly egress: readonly RuleNeed[];
  readonly ingress: readonly RuleNeed[];
  readonly zone: boolean;
}

const https = (cidr: string): SgRule => ({ protocol: "tcp", fromPort: 443, toPort: 443, cidrs: [cidr], prefixListIds: [], groupIds: [] });

function withAdditions(side: VpcSide, routes: readonly RouteNeed[], rules: readonly RuleNeed[], direction: "ingress" | "egress", via: string): VpcSide {
  return {
    ...side,
    routeTables: side.routeTables.ok
      ? {
          ok: true,
          value: side.routeTables.value.map((t) => ({
            ...t,
            routes: [...t.routes, ...routes.filter((r) => r.table === t.id).map((r) => ({ destination: r.destination, target: via, state: "active" as const }))],
          })),
        }
      : side.routeTables,
    securityGroups: side.securityGroups.ok
      ? {
          ok: true,
          value: side.securityGroups.value.map((g) => ({ ...g, [direction]: [...g[direction], ...rules.filter((r) => r.group === g.id).map((r) => https(r.cidr))] })),
        }
      : side.securityGroups,
  };
}

/** The snapshot with our additions in place (the client and API sides must have been read). */
export function afterConnect(snapshot: PathSnapshot, add: Additions): PathSnapshot {
  const client = snapshot.clientSide!;
  const api = snapshot.apiSide!;
  const endpoint = snapshot.endpoint?.facts;
  let peerings = snapshot.peerings;
  if (add.createPeering && peerings?.ok) {
    const cidrs = (side: VpcSide) => (side.vpc.ok ? side.vpc.value.cidrs : []);
    const made: PeeringFacts = {
      id: NEW_PEERING,
      status: "active",
      message: undefined,
      requester: { vpcId: client.vpcId, region: client.region, cidrs: cidrs(client) },
      accepter: { vpcId: api.vpcId, region: api.region, cidrs: cidrs(api) },
    };
    peerings = { ok: true, value: [...peerings.value, made] };
  }
  let dns: Pick<PathSnapshot, "zones" | "zone" | "records"> = snapshot;
  const target = endpoint?.dnsEntries[0];
  if (add.zone && snapshot.zones?.ok && target) {
    const zones = [...snapshot.zones.value, { id: NEW_ZONE, name: `${snapshot.hostname}.` }];
    const alias = { name: `${snapshot.hostname}.`, type: "A", values: [], alias: { dnsName: target.name, hostedZoneId: target.hostedZoneId } };
    dns = { zones: { ok: true, value: zones }, zone: zoneFor(zones, snapshot.hostname), records: { ok: true, value: [alias] } };
  }
  return {
    ...snapshot,
    ...dns,
    peerings,
    clientSide: withAdditions(client, add.clientRoutes, add.egress, "egress", add.via),
    apiSide: withAdditions(api, add.returnRoutes, add.ingress, "ingress", add.via),
  };
}
