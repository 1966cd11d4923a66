// Small text helpers shared by the renderers, so plain, json-mode stderr and Ink say things the same way.
import type { StageRef } from "../steps/events.js";

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "-" : String(Math.round(ms));
}

export function stageLabel(ref: Pick<StageRef, "stage" | "key" | "region">): string {
  return `[${ref.stage}/3 ${ref.key} ${ref.region}]`;
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * The stack status worth showing beside a failed stage, or undefined when the stack's status says
 * nothing about the failure: a stage can fail before it changes anything (a refused change set), and
 * then its stack still reads UPDATE_COMPLETE.
 */
export function failureStatus(status: string | undefined): string | undefined {
  return status !== undefined && /FAILED|ROLLBACK/.test(status) ? status : undefined;
}
