// One doctor hop as text, the same for the plain lines and the live view: ✔ passed, ✘ broken,
// – could not be checked; the hop's name in a fixed column, then the evidence, then the fix.
import type { HopName } from "../steps/doctor/doctor.js";

export interface HopLine {
  readonly mark: "✔" | "✘" | "–";
  readonly tone: "green" | "red" | undefined;
  /** The hop's name padded to one column for every hop. */
  readonly name: string;
  readonly detail: string;
  readonly fix: string | undefined;
}

// The longest hop name, so the evidence starts in one column.
const NAME_WIDTH = "endpoint-ingress".length;

/** Where the evidence starts: the mark, a space, the name column, two spaces. */
export const DETAIL_COLUMN = 2 + NAME_WIDTH + 2;

export function hopLine(hop: { readonly hop: HopName; readonly ok: boolean | null; readonly detail: string; readonly fix: string | null }): HopLine {
  const mark = hop.ok === true ? "✔" : hop.ok === false ? "✘" : "–";
  const tone = hop.ok === true ? "green" : hop.ok === false ? "red" : undefined;
  const detail = hop.ok === null ? `could not check: ${hop.detail}` : hop.detail;
  return { mark, tone, name: hop.hop.padEnd(NAME_WIDTH), detail, fix: hop.fix ?? undefined };
}
