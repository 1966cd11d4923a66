// How the Route 53 Resolver of a VPC answers a name from its private hosted zones, as AWS documents it:
// of the private zones associated with the VPC, the most specific one whose name covers the hostname
// answers alone, even when it has no record for it (then NXDOMAIN: no fall-back to public DNS or to a
// less specific zone); inside the zone, the name's own records, else the closest wildcard.

/** A private hosted zone by id and name. */
export interface ZoneRef {
  readonly id: string;
  readonly name: string;
}

/** One record of a private zone. */
export interface DnsRecord {
  readonly name: string;
  readonly type: string;
  readonly values: readonly string[];
  readonly alias?: { readonly dnsName: string; readonly hostedZoneId: string } | undefined;
}

/** What the zone answers for a name: a record, no data (the name has other types only), or no such name. */
export type DnsAnswer =
  | { readonly kind: "alias" | "cname" | "address"; readonly record: DnsRecord }
  // The name exists with other types only: an empty answer, not an error.
  | { readonly kind: "nodata"; readonly types: readonly string[] }
  | { readonly kind: "nxdomain" };

/** A DNS name in one spelling: lower case, no final dot, Route 53's `\052` read as `*`. */
export function normalName(name: string): string {
  return name.replace(/\\052/g, "*").replace(/\.$/, "").toLowerCase();
}

/** Whether `zone` is `host` itself or one of its parent domains (label by label, not by text). */
export function covers(zone: string, host: string): boolean {
  const z = normalName(zone);
  const h = normalName(host);
  return h === z || h.endsWith(`.${z}`);
}

/** The zone that answers for `hostname`: the longest zone name covering it, or undefined. */
export function zoneFor<Z extends ZoneRef>(zones: readonly Z[], hostname: string): Z | undefined {
  let best: Z | undefined;
  for (const zone of zones) {
    if (!covers(zone.name, hostname)) continue;
    if (!best || normalName(zone.name).length > normalName(best.name).length) best = zone;
  }
  return best;
}

/** What the zone answers for an A query of `hostname` (a CNAME answers any type); RFC 4592 wildcards. */
export function answerFor(records: readonly DnsRecord[], hostname: string, zoneName: string): DnsAnswer {
  const host = normalName(hostname);
  const zone = normalName(zoneName);
  const names = records.map((r) => normalName(r.name));
  const at = (name: string) => records.filter((_, i) => names[i] === name);
  // A name exists when it has records or a name below it does (an empty non-terminal); the apex always.
  const exists = (name: string) => name === zone || names.some((n) => n === name || n.endsWith(`.${name}`));
  const own = at(host);
  if (own.length > 0) return pick(own);
  if (exists(host)) return { kind: "nodata", types: [] };
  // The closest existing ancestor decides: its wildcard answers if it has one, else the name does not exist.
  const labels = host.split(".");
  for (let i = 1; i < labels.length; i++) {
    const parent = labels.slice(i).join(".");
    if (!exists(parent)) continue;
    const wildcard = at(`*.${parent}`);
    return wildcard.length > 0 ? pick(wildcard) : { kind: "nxdomain" };
  }
  return { kind: "nxdomain" };
}

function pick(records: readonly DnsRecord[]): DnsAnswer {
  const cname = records.find((r) => r.type === "CNAME");
  if (cname) return { kind: "cname", record: cname };
  const a = records.find((r) => r.type === "A");
  if (a) return a.alias ? { kind: "alias", record: a } : { kind: "address", record: a };
  return { kind: "nodata", types: records.map((r) => r.type) };
}
