// The hops of the path in the order a request takes them. The names are a contract (the `--json`
// `doctor-hop` events carry them): change them only with the README and every reader of that stream.
export const HOPS = [
  "function",
  "dns",
  "client-egress",
  "client-route",
  "peering",
  "return-route",
  "endpoint-ingress",
  "endpoint",
  "api-policy",
  "api-stage",
] as const;

export type HopName = (typeof HOPS)[number];

/** One hop judged: ok (true), broken (false) or not checkable (null, the detail says why). */
export interface HopVerdict {
  readonly hop: HopName;
  readonly ok: boolean | null;
  /** The evidence, in AWS's own ids: `rtb-0abc: 10.10.0.0/16 → pcx-0123 (active)`. */
  readonly detail: string;
  /** For a broken hop: an AWS CLI command or one sentence; null otherwise. */
  readonly fix: string | null;
}

export type Judgement = Omit<HopVerdict, "hop">;

export const pass = (detail: string): Judgement => ({ ok: true, detail, fix: null });
export const fail = (detail: string, fix: string): Judgement => ({ ok: false, detail, fix });
export const unknown = (detail: string): Judgement => ({ ok: null, detail, fix: null });

/** The first broken or uncheckable judgement of several checks of one hop, else all their evidence. */
export function combine(judgements: readonly Judgement[]): Judgement {
  const broken = judgements.find((j) => j.ok === false);
  if (broken) return broken;
  const open = judgements.find((j) => j.ok === null);
  if (open) return open;
  return pass(judgements.map((j) => j.detail).join("; "));
}
