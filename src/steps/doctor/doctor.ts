// `doctor`: read the path once (aws/path-snapshot), judge every hop that can be judged — not only up to
// the first broken one — and emit one `doctor-hop` event per hop, in path order.
import type { PathSnapshot } from "../../aws/path-facts.js";
import { type PathQuery, readPathSnapshot } from "../../aws/path-snapshot.js";
import type { StepContext } from "../context.js";
import type { ProgressEvent } from "../events.js";
import { judgeApiPolicy, judgeApiStage, judgeEndpoint } from "./judge-api.js";
import { judgeDns, judgeFunction } from "./judge-function.js";
import { judgeClientEgress, judgeClientRoute, judgeEndpointIngress, judgePeering, judgeReturnRoute } from "./judge-network.js";
import { pathContext, type PathContext } from "./path-context.js";

/** Doctor's context: it reads the path; it changes nothing. */
export type DoctorContext = StepContext<"ec2" | "lambda" | "apiGateway" | "route53">;

/** Every hop's verdict, whether all passed, and the first broken hop. */
export interface DoctorReport {
  readonly hops: readonly HopVerdict[];
  /** Every hop passed. */
  readonly ok: boolean;
  /** The first hop that is broken, if any. */
  readonly broken: HopVerdict | undefined;
}

const JUDGES: Record<HopName, (ctx: PathContext) => Judgement> = {
  function: judgeFunction,
  dns: judgeDns,
  "client-egress": judgeClientEgress,
  "client-route": judgeClientRoute,
  peering: judgePeering,
  "return-route": judgeReturnRoute,
  "endpoint-ingress": judgeEndpointIngress,
  endpoint: judgeEndpoint,
  "api-policy": judgeApiPolicy,
  "api-stage": judgeApiStage,
};

/** Every hop judged from one snapshot, in path order. Pure. */
export function judgePath(snapshot: PathSnapshot): HopVerdict[] {
  const ctx = pathContext(snapshot);
  return HOPS.map((hop) => ({ hop, ...JUDGES[hop](ctx) }));
}

/** Reads the path once and judges each hop in path order. */
export async function doctor(ctx: DoctorContext, query: PathQuery): Promise<DoctorReport> {
  const now = () => ctx.clock.now();
  const snapshot = await readPathSnapshot(ctx.clients, query);
  const hops = judgePath(snapshot);
  for (const verdict of hops) ctx.emit({ kind: "doctor-hop", ...verdict, region: query.clientRegion, at: now() });
  return { hops, ok: hops.every((h) => h.ok === true), broken: hops.find((h) => h.ok === false) };
}

/** One client region's path as doctorEach judged it. */
export interface RegionReport {
  readonly query: PathQuery;
  readonly report: DoctorReport;
}

/**
 * Several client regions' paths judged side by side, their events told one region's table after another,
 * each under a line naming its region when there are several (doctor's, and connect's proof). A query may
 * still be on its way (a connection's client network is read first).
 */
export async function doctorEach(ctx: DoctorContext, queries: readonly (PathQuery | Promise<PathQuery>)[], judge = doctor): Promise<RegionReport[]> {
  const several = queries.length > 1;
  const runs = queries.map((pending) => {
    const held: ProgressEvent[] = [];
    const run = (async () => {
      const query = await pending;
      return { query, report: await judge({ ...ctx, emit: (event) => held.push(event) }, query) };
    })();
    // Awaited in order below; a region that fails before its turn must not be an unhandled rejection meanwhile.
    run.catch(() => undefined);
    return { held, run };
  });
  const reports: RegionReport[] = [];
  for (const { held, run } of runs) {
    const ended = await run;
    if (several) ctx.emit({ kind: "info", message: `Client region ${ended.query.clientRegion} → ${ended.query.apiRegion}:`, at: ctx.clock.now() });
    for (const event of held) ctx.emit(event);
    reports.push(ended);
  }
  return reports;
}

/**
 * The hops of the path in the order a request takes them. The names are a contract (the `--json`
 * `doctor-hop` events carry them): change them only with the README, docs/doctor.md and every reader of that stream.
 */
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

/** One hop of the path, in path order. */
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

/** A hop's verdict without its name: ok, broken or not checkable, the evidence, the fix. */
export type Judgement = Omit<HopVerdict, "hop">;

/** A hop that works, with the evidence. */
export const pass = (detail: string): Judgement => ({ ok: true, detail, fix: null });
/** A broken hop, with the evidence and the fix. */
export const fail = (detail: string, fix: string): Judgement => ({ ok: false, detail, fix });
/** A hop that could not be checked, and why. */
export const unknown = (detail: string): Judgement => ({ ok: null, detail, fix: null });

/** The first broken or uncheckable judgement of several checks of one hop, else all their evidence. */
export function combine(judgements: readonly Judgement[]): Judgement {
  const broken = judgements.find((j) => j.ok === false);
  if (broken) return broken;
  const open = judgements.find((j) => j.ok === null);
  if (open) return open;
  return pass(judgements.map((j) => j.detail).join("; "));
}
