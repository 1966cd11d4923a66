// What a stage or resource row says, from its view; pure so the reducer tests and the components agree.
import type { StageRef } from "../../steps/events.js";
import { stageCount } from "../../steps/stages.js";
import { failureStatus } from "../format.js";
import type { RegionView, ResourceRow, StageView } from "../progress-view.js";
import type { GlyphKind } from "./rows.js";
const FINISHED = {
  created: "CREATE_COMPLETE",
  updated: "UPDATE_COMPLETE",
  "no-op": "no changes",
  deleted: "DELETE_COMPLETE",
  absent: "not deployed",
} as const;

const STARTING = {
  create: "CREATE_IN_PROGRESS",
  update: "UPDATE_IN_PROGRESS",
  delete: "DELETE_IN_PROGRESS",
  check: "WAITING",
} as const;

/**
 * A stage's row label, longest first, and its region, which the row keeps whatever the width. With
 * several client regions, a stage 3 in region A also names its client region.
 */
export function stageLabels(stage: StageRef, plural = false): { readonly labels: readonly string[]; readonly keep: string } {
  const of = `${stage.stage}/${stageCount(stage.key)}`;
  const client = plural && stage.clientRegion !== undefined && stage.clientRegion !== stage.region ? ` ← ${stage.clientRegion}` : "";
  return { labels: [`stage ${of} ${stage.stackName}`, `${of} ${stage.stackName}`], keep: ` (${stage.region}${client})` };
}

// ------------------------------------------------------------------ a client region's row
/** A client region's row: its labels (longest first), status and elapsed time. */
export interface RegionRowText {
  readonly labels: readonly string[];
  readonly keep: string;
  readonly status: string;
  readonly elapsedMs: number | undefined;
}

// Region ids are at most 14 characters (ap-southeast-2); padded so the stage columns line up.
const REGION_WIDTH = 15;

/**
 * A region at work: its region, the stage at work and the resource in progress (or the step the tool
 * takes), the stack's status, the time since the region started. A region that ended: its stages' outcomes.
 */
export function regionRowText(view: RegionView, now: number): RegionRowText {
  const stage = view.current;
  const elapsedMs = view.startedAt === undefined ? undefined : Math.max(0, (view.finishedAt ?? now) - view.startedAt);
  if (view.phase === "waiting" || !stage) return { labels: [view.region], keep: "", status: "waiting", elapsedMs: undefined };
  const name = view.region.padEnd(REGION_WIDTH);
  if (view.phase === "running") {
    const where = `${stage.stage}/${stageCount(stage.key)} ${stage.key}`;
    const busy = busyWith(stage);
    // What is in progress gives way first, cut at its end: the region and its stage stay.
    return { labels: busy ? [`${name}${where} · ${busy}`] : [`${name}${where}`, view.region], keep: "", status: stageStatus(stage), elapsedMs };
  }
  const outcomes = view.ended.map((s) => `${s.key} ${shortStatus(stageStatus(s))}`);
  return { labels: [`${name}${outcomes.join(" · ")}`, `${name}${view.ended.map((s) => s.key).join(" · ")}`, view.region], keep: "", status: regionStatus(view), elapsedMs };
}

// What the stage is doing now: the latest resource still changing, else the latest step of the tool's own.
function busyWith(stage: StageView): string | undefined {
  const resource = visibleResources(stage).findLast((row) => !isSettled(row.status));
  if (resource) return resourceLabel(resource);
  return stage.steps.findLast((step) => step.state === "running")?.label;
}

/** A region's word once it ended: up, removed, failed (with the stack's status) or cancelled. */
export function regionStatus(view: RegionView): string {
  const stage = view.current;
  if (view.phase === "failed" && stage) return stageStatus(stage);
  if (view.phase === "cancelled") return "CANCELLED";
  if (view.phase === "done") return view.ended.every((s) => s.outcome === "deleted" || s.outcome === "absent") ? "REMOVED" : "UP";
  return stage ? stageStatus(stage) : "waiting";
}

/** A region row's mark. */
export function regionGlyph(view: RegionView): GlyphKind {
  if (view.phase === "waiting") return "pending";
  if (view.phase === "done") return "done";
  return view.current ? stageGlyph(view.current) : "pending";
}

// CloudFormation's words, shortened for a narrow terminal (the glyph already tells done from failed).
const SHORT: Readonly<Record<string, string>> = {
  CREATE_IN_PROGRESS: "CREATING",
  UPDATE_IN_PROGRESS: "UPDATING",
  DELETE_IN_PROGRESS: "DELETING",
  CREATE_COMPLETE: "CREATED",
  UPDATE_COMPLETE: "UPDATED",
  DELETE_COMPLETE: "DELETED",
  ROLLBACK_IN_PROGRESS: "ROLLING BACK",
  UPDATE_ROLLBACK_IN_PROGRESS: "ROLLING BACK",
  ROLLBACK_COMPLETE: "ROLLED BACK",
  UPDATE_ROLLBACK_COMPLETE: "ROLLED BACK",
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: "CLEANING UP",
};

/** A stack or resource status short enough for a narrow row. */
export function shortStatus(status: string): string {
  return SHORT[status] ?? (status.endsWith("_FAILED") ? "FAILED" : status);
}

/** Rows never run past this, so a terminal made narrower down to it does not fold the live rows. */
export const ROW_MAX = 80;

/** A row's parts fitted to the width. */
export interface FittedRow {
  readonly label: string;
  readonly status: string;
  readonly elapsed: string;
}

/**
 * A row's texts for `room` columns (glyph and space included), giving way least useful first: the time
 * column's padding, the long status word, the longer label, then the label's end. `keep` (a stage's
 * region) is never cut.
 */
export function fitRow(labels: readonly string[], keep: string, status: string, elapsed: string, room: number): FittedRow {
  const tight = elapsed === "" ? "" : ` ${elapsed}`;
  const tries: { status: string; elapsed: string }[] = [
    { status, elapsed: elapsed.padStart(7) },
    { status, elapsed: tight },
    { status: shortStatus(status), elapsed: elapsed.padStart(7) },
    { status: shortStatus(status), elapsed: tight },
  ];
  const free = (t: { status: string; elapsed: string }) => room - 2 - 1 - t.status.length - t.elapsed.length - keep.length;
  const [first = "", ...shorter] = labels;
  const all = [...tries.map((t) => ({ ...t, label: first })), ...shorter.map((label) => ({ ...tries.at(-1)!, label }))];
  const fits = all.find((t) => t.label.length <= free(t));
  const chosen = fits ?? all.at(-1)!;
  const space = Math.max(1, free(chosen));
  const label = chosen.label.length <= space ? chosen.label : `${chosen.label.slice(0, Math.max(0, space - 1))}…`;
  return { label: (label + keep).padEnd(room - 2 - chosen.status.length - chosen.elapsed.length), status: chosen.status, elapsed: chosen.elapsed };
}

/** What a stage row says: the stack's status or the outcome. */
export function stageStatus(stage: StageView): string {
  if (stage.phase === "failed") return failureStatus(stage.failure?.status) ?? "FAILED";
  if (stage.phase === "cancelled") return stage.cancelled?.status ?? "CANCELLED";
  if (stage.phase === "done") return stage.outcome ? FINISHED[stage.outcome] : "done";
  return stage.stackStatus ?? (stage.action ? STARTING[stage.action] : "");
}

/** A stage row's mark. */
export function stageGlyph(stage: StageView): GlyphKind {
  if (stage.phase === "failed") return "failed";
  if (stage.phase === "cancelled") return "cancelled";
  if (stage.phase === "running") return "running";
  return stage.outcome === "absent" ? "skipped" : "done";
}

/** How long a stage has run, or ran. */
export function stageElapsed(stage: StageView, now: number): number | undefined {
  if (stage.startedAt === undefined) return undefined;
  return Math.max(0, (stage.finishedAt ?? now) - stage.startedAt);
}

/** A resource row's label: its description, or its id and type. */
export function resourceLabel(row: ResourceRow): string {
  return row.description ?? `${row.logicalId} (${row.resourceType})`;
}

/** A resource row's mark. */
export function resourceGlyph(row: ResourceRow): GlyphKind {
  if (row.failure) return "failed";
  if (row.status.endsWith("_SKIPPED")) return "skipped";
  return isSettled(row.status) ? "done" : "running";
}

/** How long a resource has been changing. */
export function resourceElapsed(row: ResourceRow, now: number): number {
  return Math.max(0, (isSettled(row.status) ? row.lastAt : now) - row.firstAt);
}

function isSettled(status: string): boolean {
  return status.endsWith("_COMPLETE") || status.endsWith("_FAILED") || status.endsWith("_SKIPPED");
}

/** Rows worth a line: the template describes them in plain English, or they failed. */
export function visibleResources(stage: StageView): readonly ResourceRow[] {
  return stage.resources.filter((row) => row.description !== undefined || row.failure !== undefined);
}
