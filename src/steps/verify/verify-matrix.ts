// Several client regions verified: one row per region (cold, warm p50 and p95, status) and the slowest
// named. Latency is the client function's own HTTPS call (inside the function), which is the path under
// test; the round trip adds the distance from this terminal to each region, which says nothing of it.
import type { VerifyReport } from "./client-answer.js";

/** One client region's row. */
export interface MatrixRow {
  readonly region: string;
  readonly ok: boolean;
  // The cold (first) call and the warm calls' p50 and p95, inside the function, in milliseconds.
  readonly coldMs: number | null;
  readonly warmP50Ms: number | null;
  readonly warmP95Ms: number | null;
  // "ok", or the layer that failed.
  readonly status: string;
}

/** The rows in the regions' order, and the slowest region that answered (by warm p50, else cold). */
export interface VerifyMatrix {
  readonly rows: readonly MatrixRow[];
  readonly slowest: string | undefined;
}

/** The matrix of the regions' reports, in the order given. */
export function verifyMatrix(reports: readonly { readonly region: string; readonly report: VerifyReport }[]): VerifyMatrix {
  const rows = reports.map(({ region, report }): MatrixRow => ({
    region,
    ok: report.ok,
    coldMs: report.cold?.insideMs ?? null,
    warmP50Ms: report.warm.inside?.p50 ?? null,
    warmP95Ms: report.warm.inside?.p95 ?? null,
    status: report.ok ? "ok" : (report.failure?.layer ?? "failed"),
  }));
  const timed = rows.flatMap((row) => {
    const ms = row.warmP50Ms ?? row.coldMs;
    return row.ok && ms !== null ? [{ region: row.region, ms }] : [];
  });
  const slowest = timed.length > 1 ? timed.reduce((a, b) => (b.ms > a.ms ? b : a)).region : undefined;
  return { rows, slowest };
}
