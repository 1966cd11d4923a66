// The sentences both renderers print (plain lines and the live view), so they say the same things:
// changes, the function's readiness, doctor's hops, permissions, releasing interfaces, the API's answer.
//
// One planned change in words, for the plain lines and the live view alike. Replacing or removing a
// resource is what an update can lose data or break traffic with, so it is flagged.
import { describeFunction } from "../steps/verify/diagnose.js";
import type { HopName } from "../steps/doctor/doctor.js";
import type { ChangeView, ProgressEvent } from "../steps/events.js";
import type { PermissionFinding, PermissionReport } from "../steps/permissions/permission-check.js";
import type { PermissionScope } from "../steps/permissions/permissions.js";
import type { LatencyStats, VerifyReport } from "../steps/verify/client-answer.js";
import type { VerifyMatrix } from "../steps/verify/verify-matrix.js";
import { formatDuration, formatMs } from "./format.js";
import { unreachable } from "./renderer.js";

/** A change in words, and whether it is risky. */
export interface ChangeText {
  readonly text: string;
  readonly risky: boolean;
}

const REPLACEMENT: Record<string, string> = {
  True: " (replaced: a new resource)",
  Conditional: " (may be replaced)",
};

/** One planned change in words. */
export function changeText(change: ChangeView): ChangeText {
  const what = change.description ? `${change.description} (${change.logicalId})` : `${change.logicalId} (${change.resourceType})`;
  const replacement = change.action === "Modify" ? REPLACEMENT[change.replacement ?? ""] ?? "" : "";
  return { text: `${change.action.padEnd(6)} ${what}${replacement}`, risky: change.action === "Remove" || replacement !== "" };
}

/** The line that heads a change set's list. */
export function changeSummary(count: number): string {
  return count === 1 ? "the change set has 1 change:" : `the change set has ${count} changes:`;
}

// The client function's readiness in words, shared by the plain lines and the Ink notes so both say the same.
type FunctionEvent = Extract<ProgressEvent, { kind: "function-waiting" | "function-ready" | "function-state" }>;

/** The line for a function event, and whether it deserves attention (not ready to invoke). */
export function functionText(event: FunctionEvent): { readonly text: string; readonly attention: boolean } {
  const f = event.function;
  const state = describeFunction(f);
  switch (event.kind) {
    case "function-waiting":
      return event.cause === "inactive"
        ? { text: `the function ${f.functionName} was inactive; Lambda is restoring its network interfaces (can take a minute): ${state}`, attention: true }
        : { text: `waiting for the function ${f.functionName} to be ready: ${state}`, attention: false };
    case "function-ready":
      return { text: `the function ${f.functionName} is ready (${state}) after ${formatDuration(event.waitedMs)}`, attention: false };
    case "function-state":
      return { text: `function ${f.functionName} (${f.region}): ${state}`, attention: !event.ready };
    default:
      return unreachable(event);
  }
}

/**
 * One doctor hop as text, the same for the plain lines and the live view: ✔ passed, ✘ broken,
 * – could not be checked; the hop's name in a fixed column, then the evidence, then the fix.
 */
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

/** One doctor hop as text: mark, name, evidence, fix. */
export function hopLine(hop: { readonly hop: HopName; readonly ok: boolean | null; readonly detail: string; readonly fix: string | null }): HopLine {
  const mark = hop.ok === true ? "✔" : hop.ok === false ? "✘" : "–";
  const tone = hop.ok === true ? "green" : hop.ok === false ? "red" : undefined;
  const detail = hop.ok === null ? `could not check: ${hop.detail}` : hop.detail;
  return { mark, tone, name: hop.hop.padEnd(NAME_WIDTH), detail, fix: hop.fix ?? undefined };
}

// The permission check in words, for the plain lines and the live view alike: one line when it passed or
// was skipped; when actions are denied, one block listing them by stage and resource.
const SCOPE_LABEL: Record<PermissionScope, string> = {
  preflight: "preflight",
  api: "stage 1/3 (private API)",
  client: "stage 2/3 (client function and peering)",
  routes: "stage 3/3 (return routes)",
  verify: "verify",
  status: "status",
  doctor: "doctor",
  teardown: "teardown",
  connect: "connect (reads and proof)",
  "connect-client": "connect stage 1/2 (client side)",
  "connect-api": "connect stage 2/2 (API side)",
  disconnect: "disconnect",
  "verify-connection": "verify (a connection)",
  "status-connection": "status (a connection)",
  "doctor-connection": "doctor (a connection)",
};

/** What to do about denied actions, in words. */
export const SKIP_FLAG_ADVICE =
  "grant them and run deploy again (docs/permissions.md), or pass --no-permission-check if the simulation is wrong " +
  "for this account (conditions on tags, session policies, heavy SCPs, permissions boundaries)";

/** The report's lines; the first says what happened, the rest (if any) list what was denied. */
export function permissionLines(report: PermissionReport): string[] {
  switch (report.outcome) {
    case "skipped":
      return [`permission check skipped: ${report.reason}`];
    case "passed":
      return [`permission check: ${report.principal} may do everything this deployment needs (${report.checked} actions checked on their resources)${undecidedText(report.undecided)}`];
    case "denied": {
      const count = report.denied.length;
      return [
        `permission check: ${report.principal} may not do ${count} action${count === 1 ? "" : "s"} this deployment needs; nothing was created${undecidedText(report.undecided)}`,
        ...deniedLines(report.denied),
        SKIP_FLAG_ADVICE,
      ];
    }
  }
}

function deniedLines(denied: readonly PermissionFinding[]): string[] {
  const byScope = new Map<PermissionScope, Map<string, string[]>>();
  for (const f of denied) {
    const resources = byScope.get(f.scope) ?? new Map<string, string[]>();
    const where = f.resource === "*" ? `any resource in ${f.region}` : f.resource;
    resources.set(where, [...(resources.get(where) ?? []), f.decision === "explicitDeny" ? `${f.action} (explicit deny)` : f.action]);
    byScope.set(f.scope, resources);
  }
  const lines: string[] = [];
  for (const [scope, resources] of byScope) {
    lines.push(`  ${SCOPE_LABEL[scope]}`);
    for (const [resource, actions] of resources) lines.push(`    ${resource}: ${actions.join(", ")}`);
  }
  return lines;
}

function undecidedText(undecided: readonly PermissionFinding[]): string {
  if (undecided.length === 0) return "";
  const keys = [...new Set(undecided.flatMap((f) => f.missingContext))].sort();
  const n = undecided.length;
  return ` (${n} more action${n === 1 ? "" : "s"} depend on ${keys.join(", ")}, which the simulation cannot know: not counted as denied)`;
}

// What the rows for freeing the client function's network interfaces say (teardown, stage 2), so the
// live view and the plain lines word them alike.
/** The two events behind those rows. */
export type ReleaseEvent = Extract<ProgressEvent, { kind: "function-detach" | "interfaces-release" }>;

/** One row: what it is doing, its status word, and whether it is still going, done, or given up on. */
export interface ReleaseStepText {
  readonly step: ReleaseEvent["kind"];
  readonly label: string;
  readonly status: string;
  readonly state: "running" | "done" | "fallback";
}

/** Whether the event is one of the release steps (detaching, deleting interfaces). */
export function isReleaseEvent(event: ProgressEvent): event is ReleaseEvent {
  return event.kind === "function-detach" || event.kind === "interfaces-release";
}

/** The row an event leaves behind. */
export function releaseStepText(e: ReleaseEvent): ReleaseStepText {
  if (e.kind === "function-detach") {
    const label = `Detaching the ${e.key === "connect-client" ? "probe" : "client function"} from its VPC`;
    switch (e.phase) {
      case "started":
        return { step: e.kind, label, status: "IN_PROGRESS", state: "running" };
      case "done":
        return { step: e.kind, label, status: "DETACHED", state: "done" };
      case "not-possible":
        return { step: e.kind, label, status: "NOT POSSIBLE", state: "fallback" };
    }
  }
  const label = `Releasing ${e.total} network interface${e.total === 1 ? "" : "s"}`;
  switch (e.phase) {
    case "started":
    case "progress":
      return { step: e.kind, label, status: `${e.deleted}/${e.total} DELETED`, state: "running" };
    case "done":
      return { step: e.kind, label, status: "DELETED", state: "done" };
    case "stuck":
      return { step: e.kind, label, status: `${e.total - e.deleted} STILL IN USE`, state: "fallback" };
    case "not-possible":
      return { step: e.kind, label, status: "NOT POSSIBLE", state: "fallback" };
  }
}

// The API's answer as people read it: JSON pretty-printed, and never more than a screenful.
const MAX_LINES = 12;

/** The API's answer as people read it: JSON pretty-printed, at most a screenful. */
export function responseLines(body: string | null): string[] {
  if (body === null || body === "") return ["(no body)"];
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON: shown as it came.
  }
  const lines = text.split("\n");
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `… (${lines.length - MAX_LINES} more lines)`];
}

// The latency table both renderers print: the plain lines with every column, the live view with the
// columns its width holds.
/** One column of the latency table. */
export type LatencyColumn = "cold" | "min" | "p50" | "p95" | "max";

const LATENCY_COLUMNS: readonly LatencyColumn[] = ["cold", "min", "p50", "p95", "max"];
// What a narrower terminal drops first: with a handful of warm samples max and min say least.
const DROPPED_FIRST: readonly LatencyColumn[] = ["max", "min", "p95"];
const NAME = 16;
const CELL = 7;

/** The columns that fit `width` (16 for the row names, 7 per column: all five need 51), in table order. */
export function latencyColumns(width: number | undefined): readonly LatencyColumn[] {
  if (width === undefined) return LATENCY_COLUMNS;
  const fit = Math.max(2, Math.floor((width - NAME) / CELL));
  const dropped = new Set(DROPPED_FIRST.slice(0, Math.max(0, LATENCY_COLUMNS.length - fit)));
  return LATENCY_COLUMNS.filter((column) => !dropped.has(column));
}

/** The latency table of a verification in the given columns: its header, its two rows, and what the columns mean. */
export function latencyTable(report: VerifyReport, columns: readonly LatencyColumn[]): { header: string; rows: readonly string[]; note: string } {
  const cell = (column: LatencyColumn, cold: number | null | undefined, warm: LatencyStats | undefined) => (column === "cold" ? cold : warm?.[column]);
  const row = (name: string, cold: number | null | undefined, warm: LatencyStats | undefined) =>
    [name.padEnd(NAME), ...columns.map((c) => formatMs(cell(c, cold, warm)).padStart(CELL))].join("");
  const warmCount = report.warm.roundTrip?.count ?? 0;
  const warmColumns = columns.filter((c) => c !== "cold").join("/");
  return {
    header: ["latency (ms)".padEnd(NAME), ...columns.map((c) => c.padStart(CELL))].join(""),
    rows: [row("inside function", report.cold?.insideMs, report.warm.inside), row("round trip", report.cold?.roundTripMs, report.warm.roundTrip)],
    note: `cold: the first invocation; ${warmColumns} over ${warmCount} warm sample${warmCount === 1 ? "" : "s"}`,
  };
}

// ------------------------------------------------------------------ several client regions' verification
const MATRIX_NAME = 16;
const MATRIX_CELL = 9;

/**
 * The latency matrix of a verification of several client regions, for both renderers: a header, one row
 * per region (cold, warm p50 and p95 inside the client function, in ms; and ok or the failing layer), and
 * a note naming the slowest region.
 */
export function matrixLines(matrix: VerifyMatrix): { readonly header: string; readonly rows: readonly string[]; readonly note: string } {
  const cell = (ms: number | null) => formatMs(ms).padStart(MATRIX_CELL);
  return {
    header: ["client region".padEnd(MATRIX_NAME), "cold".padStart(MATRIX_CELL), "warm p50".padStart(MATRIX_CELL), "warm p95".padStart(MATRIX_CELL), "  status"].join(""),
    rows: matrix.rows.map((row) =>
      [row.region.padEnd(MATRIX_NAME), cell(row.coldMs), cell(row.warmP50Ms), cell(row.warmP95Ms), `  ${row.status}${row.region === matrix.slowest ? "  ← slowest" : ""}`].join(""),
    ),
    note: `ms inside the client function (its HTTPS call to the API)${matrix.slowest ? `; slowest: ${matrix.slowest}` : ""}`,
  };
}

/** One client region's verification in one line, before the matrix: how many samples answered, or where it failed. */
export function regionVerifyText(region: string, report: VerifyReport): string {
  const passed = report.samples.filter((s) => s.kind === "answer" && s.answer.ok).length;
  if (report.ok) return `${region}: verification passed, ${passed}/${report.samples.length} samples ok`;
  const failure = report.failure;
  return `${region}: verification failed${failure ? ` at the ${failure.layer} layer: ${failure.message}` : ""}`;
}

