// What a stage or resource row says, from its view; pure so the reducer tests and the components agree.
import type { StageRef } from "../../steps/events.js";
import { stageCount } from "../../steps/stages.js";
import { failureStatus } from "../format.js";
import type { ResourceRow, StageView } from "../progress-state.js";
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

/** A stage's row label, longest first, and its region, which the row keeps whatever the width. */
export function stageLabels(stage: StageRef): { readonly labels: readonly string[]; readonly keep: string } {
  const of = `${stage.stage}/${stageCount(stage.key)}`;
  return { labels: [`stage ${of} ${stage.stackName}`, `${of} ${stage.stackName}`], keep: ` (${stage.region})` };
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
