// What a stage or resource row says, from its view; pure so the reducer tests and the components agree.
import type { StageRef } from "../../steps/events.js";
import { failureStatus } from "../format.js";
import { isSettled, type ResourceRow, type StageView } from "../progress-state.js";
import type { GlyphKind } from "./Glyph.js";

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

export function stageTitle(stage: StageRef): string {
  return `stage ${stage.stage}/3 ${stage.stackName} (${stage.region})`;
}

export function stageStatus(stage: StageView): string {
  if (stage.phase === "failed") return failureStatus(stage.failure?.status) ?? "FAILED";
  if (stage.phase === "cancelled") return stage.cancelled?.status ?? "CANCELLED";
  if (stage.phase === "done") return stage.outcome ? FINISHED[stage.outcome] : "done";
  return stage.stackStatus ?? (stage.action ? STARTING[stage.action] : "");
}

export function stageGlyph(stage: StageView): GlyphKind {
  if (stage.phase === "failed") return "failed";
  if (stage.phase === "cancelled") return "cancelled";
  if (stage.phase === "running") return "running";
  return stage.outcome === "absent" ? "skipped" : "done";
}

export function stageElapsed(stage: StageView, now: number): number | undefined {
  if (stage.startedAt === undefined) return undefined;
  return Math.max(0, (stage.finishedAt ?? now) - stage.startedAt);
}

export function resourceLabel(row: ResourceRow): string {
  return row.description ?? `${row.logicalId} (${row.resourceType})`;
}

export function resourceGlyph(row: ResourceRow): GlyphKind {
  if (row.failure) return "failed";
  if (row.status.endsWith("_SKIPPED")) return "skipped";
  return isSettled(row.status) ? "done" : "running";
}

export function resourceElapsed(row: ResourceRow, now: number): number {
  return Math.max(0, (isSettled(row.status) ? row.lastAt : now) - row.firstAt);
}
