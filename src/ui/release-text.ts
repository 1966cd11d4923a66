// What the rows for freeing the client function's network interfaces say (teardown, stage 2), so the
// live view and the plain lines word them alike.
import type { ProgressEvent } from "../steps/events.js";

/** The two events behind those rows. */
export type ReleaseEvent = Extract<ProgressEvent, { kind: "function-detach" | "interfaces-release" }>;

/** One row: what it is doing, its status word, and whether it is still going, done, or given up on. */
export interface ReleaseStepText {
  readonly step: ReleaseEvent["kind"];
  readonly label: string;
  readonly status: string;
  readonly state: "running" | "done" | "fallback";
}

/** The row an event leaves behind. */
export function releaseStepText(e: ReleaseEvent): ReleaseStepText {
  if (e.kind === "function-detach") {
    const label = "Detaching the client function from its VPC";
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
