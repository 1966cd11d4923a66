// The two VPC ranges checked together: they must not overlap, and where they do, a free range is suggested.
import { type Cidr, overlapOf } from "./cidr.js";
import { suggestFree } from "./suggest.js";

const DEFAULT_LABELS = { api: "--api-cidr", client: "--client-cidr" } as const;

/**
 * Peering between overlapping VPCs goes straight to `failed` in AWS, minutes into a deploy; catching it
 * here turns that into a one-line fix. The suggestion moves the client range because the API side is
 * usually the one that already exists or is shared with other consumers.
 */
export function checkPair(api: Cidr, client: Cidr, labels: { api: string; client: string } = DEFAULT_LABELS): string | undefined {
  const overlap = overlapOf(api, client);
  if (overlap === undefined) return undefined;
  const free = suggestFree(client.prefix, [api], client);
  const fix =
    free === undefined
      ? `choose a ${labels.client} that does not overlap ${api.text}`
      : `try ${labels.client} ${free.text}`;
  const problem =
    api.text === client.text
      ? `${labels.api} and ${labels.client} are both ${api.text}`
      : `${labels.api} ${api.text} and ${labels.client} ${client.text} overlap in ${overlap.text}`;
  return `${problem}: peered VPCs need disjoint ranges; ${fix}`;
}

/** A range to check beside others: where it came from (a flag, a line of the answers file) and, for a client range, its region. */
export interface LabelledRange {
  readonly label: string;
  readonly cidr: Cidr;
  readonly region?: string | undefined;
}

/**
 * The API range and every client range checked together: the first overlap, or undefined. Peered VPCs
 * need disjoint ranges, and so do the client ranges among themselves: the API VPC's route table routes
 * to each client VPC by its range, one route per destination (research/connect.md §4.1). The later range
 * of a pair is the one moved, to a free range clear of all the others. Without an API range (not given
 * yet), the client ranges among themselves.
 */
export function checkRanges(api: LabelledRange | undefined, clients: readonly LabelledRange[]): string | undefined {
  const all = api ? [api, ...clients] : clients;
  const named = (r: LabelledRange) => `${r.label} ${r.cidr.text}${clients.length > 1 && r.region ? ` (${r.region})` : ""}`;
  for (const [j, later] of clients.entries()) {
    for (const earlier of [...(api ? [api] : []), ...clients.slice(0, j)]) {
      const overlap = overlapOf(earlier.cidr, later.cidr);
      if (overlap === undefined) continue;
      const free = suggestFree(later.cidr.prefix, all.filter((r) => r !== later).map((r) => r.cidr), later.cidr);
      const where = clients.length > 1 && later.region ? ` for ${later.region}` : "";
      const none = clients.length > 1 ? `choose a ${later.label}${where} that overlaps no other range` : `choose a ${later.label} that does not overlap ${earlier.cidr.text}`;
      const fix = free === undefined ? none : `try ${later.label} ${free.text}${where}`;
      const problem =
        earlier.cidr.text === later.cidr.text && clients.length === 1
          ? `${earlier.label} and ${later.label} are both ${later.cidr.text}`
          : `${named(earlier)} and ${named(later)} overlap in ${overlap.text}`;
      const why = earlier === api ? "peered VPCs need disjoint ranges" : "the API VPC routes to each client VPC by its range, so client ranges must be disjoint";
      return `${problem}: ${why}; ${fix}`;
    }
  }
  return undefined;
}
