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
