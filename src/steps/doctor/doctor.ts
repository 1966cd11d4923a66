// `doctor`: read the path once (aws/path-snapshot), judge every hop that can be judged — not only up to
// the first broken one — and emit one `doctor-hop` event per hop, in path order.
import type { AwsClients } from "../../aws/clients.js";
import type { PathSnapshot } from "../../aws/path-facts.js";
import { readPathSnapshot, type PathQuery } from "../../aws/path-snapshot.js";
import { systemClock, type Clock } from "../../aws/clock.js";
import type { Emit } from "../events.js";
import { HOPS, type HopName, type HopVerdict, type Judgement } from "./hops.js";
import { judgeApiPolicy, judgeApiStage, judgeEndpoint } from "./judge-api.js";
import { judgeClientEgress, judgeEndpointIngress } from "./judge-firewalls.js";
import { judgeDns, judgeFunction } from "./judge-function.js";
import { judgeClientRoute, judgePeering, judgeReturnRoute } from "./judge-routes.js";
import { pathContext, type PathContext } from "./path-context.js";

export interface DoctorContext {
  readonly clients: Pick<AwsClients, "ec2" | "lambda" | "apiGateway" | "route53">;
  readonly emit: Emit;
  readonly clock?: Pick<Clock, "now"> | undefined;
}

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

export async function doctor(ctx: DoctorContext, query: PathQuery): Promise<DoctorReport> {
  const now = () => (ctx.clock ?? systemClock).now();
  const snapshot = await readPathSnapshot(ctx.clients, query);
  const hops = judgePath(snapshot);
  for (const verdict of hops) ctx.emit({ kind: "doctor-hop", ...verdict, at: now() });
  return { hops, ok: hops.every((h) => h.ok === true), broken: hops.find((h) => h.ok === false) };
}
