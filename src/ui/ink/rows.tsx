// The live view's rows: marks, a stage and its resources and steps, notes, and the hooks they share
// (colour on or off, a ticking clock).
import { Box, Text } from "ink";
import type { StageRef } from "../../steps/events.js";
import { formatDuration, wrapLines } from "../format.js";
import { createContext, useContext, useEffect, useState } from "react";
import { type Note, type ResourceRow, type ResourceRow as ResourceRowView, type StageView, type StepRow, visibleResources } from "../progress-state.js";

/**
 * Elapsed times keep moving while a stage waits with no events (stage 2's delete can be quiet for 30
 * minutes): re-render once a second while `active`, and read the clock fresh on every render.
 */
export function useNow(clock: () => number, active: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    // A renderer nobody closed must not keep the process alive.
    timer.unref();
    return () => clearInterval(timer);
  }, [active]);
  return clock();
}

/**
 * chalk (Ink's colouring) ignores NO_COLOR and looks at process.stdout, not our stream; the renderer
 * decides once and components only name a colour when colour is on.
 */
export const ColorContext = createContext(true);

/** The colours the live view uses. */
export type Colour = "green" | "red" | "yellow" | "cyan";

/** The colour to use, or none when colour is off. */
export function usePaint(): (colour: Colour) => Colour | undefined {
  const enabled = useContext(ColorContext);
  return (colour) => (enabled ? colour : undefined);
}

/** A row's state mark. */
export type GlyphKind = "done" | "failed" | "running" | "skipped" | "pending" | "cancelled";

// Copilot's status marks; "running" is a still frame so every frame is predictable.
const SHAPES: Record<GlyphKind, readonly [string, Colour | undefined]> = {
  done: ["✔", "green"],
  failed: ["✖", "red"],
  running: ["…", "yellow"],
  skipped: ["-", undefined],
  pending: ["○", undefined],
  cancelled: ["⊘", "yellow"],
};

/** A row's state mark, coloured. */
export function Glyph({ kind }: { readonly kind: GlyphKind }) {
  const paint = usePaint();
  const [shape, colour] = SHAPES[kind];
  return <Text color={colour && paint(colour)}>{shape}</Text>;
}

/** One row: mark, label, status, time and emphasis. */
export interface RowProps {
  readonly glyph: GlyphKind;
  readonly label: string;
  readonly status: string;
  readonly elapsedMs: number | undefined;
  readonly indent?: number;
  readonly bold?: boolean;
  readonly dim?: boolean;
}

/** `[glyph] label … status elapsed`: the label gives way (truncated) so status and time stay readable. */
export function Row({ glyph, label, status, elapsedMs, indent = 0, bold = false, dim = false }: RowProps) {
  const paint = usePaint();
  const colour = glyph === "failed" ? paint("red") : undefined;
  return (
    <Box paddingLeft={indent}>
      <Box flexShrink={0} marginRight={1}>
        <Glyph kind={glyph} />
      </Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text bold={bold} dimColor={dim} wrap="truncate-end">
          {label}
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text color={colour} dimColor={dim}>
          {status}
        </Text>
        {/* The time column is kept when empty, so that statuses stay aligned. */}
        <Text dimColor>{(elapsedMs === undefined ? "" : formatDuration(elapsedMs)).padStart(7)}</Text>
      </Box>
    </Box>
  );
}

/** A resource row, the clock, and whether to show its reason. */
export interface ResourceRowProps {
  readonly row: ResourceRowView;
  readonly now: number;
  // Only the first failure's reason is worth reading; the rest are "Resource creation cancelled".
  readonly showReason: boolean;
}

/** One resource of the running stage. */
export function ResourceRow({ row, now, showReason }: ResourceRowProps) {
  const paint = usePaint();
  const reason = showReason ? row.failure?.reason : undefined;
  return (
    <Box flexDirection="column">
      <Row indent={2} glyph={resourceGlyph(row)} label={resourceLabel(row)} status={row.status} elapsedMs={resourceElapsed(row, now)} />
      {reason !== undefined && (
        <Box paddingLeft={6}>
          <Text color={paint("red")}>{reason}</Text>
        </Box>
      )}
    </Box>
  );
}

const GLYPH: Record<StepRow["state"], GlyphKind> = { running: "running", done: "done", fallback: "skipped" };

/** The tool's own steps for a stage (freeing the client function's network interfaces), one row each. */
export function StepRows({ steps, now }: { readonly steps: readonly StepRow[]; readonly now: number }) {
  return (
    <>
      {steps.map((step) => (
        <Row
          key={step.step}
          indent={2}
          glyph={GLYPH[step.state]}
          label={step.label}
          status={step.status}
          elapsedMs={Math.max(0, (step.state === "running" ? now : step.lastAt) - step.firstAt)}
        />
      ))}
    </>
  );
}

/**
 * A running stage shows every described resource; a finished one folds them away, a failed one keeps
 * only its failed rows, the root cause's reason under it.
 */
export function StageRow({ stage, now, width }: { readonly stage: StageView; readonly now: number; readonly width: number }) {
  const shown = visibleResources(stage);
  const rows = stage.phase === "running" ? shown : stage.phase === "failed" ? shown.filter((r) => r.failure) : [];
  const causeShown = rows.some((r) => r.logicalId === stage.rootCauseId && r.failure?.reason);
  const explanation =
    stage.phase === "cancelled"
      ? stage.cancelled?.message
      : stage.phase === "failed" && !causeShown
        ? stage.failure?.rootCause?.reason ?? stage.failure?.message
        : undefined;
  return (
    <Box flexDirection="column">
      <Row glyph={stageGlyph(stage)} label={stageTitle(stage)} status={stageStatus(stage)} elapsedMs={stageElapsed(stage, now)} bold />
      <StepRows steps={stage.steps} now={now} />
      {stage.notes.map((note, i) => (
        <NoteLine key={i} note={note} indent={2} width={width} />
      ))}
      {rows.map((row) => (
        <ResourceRow key={row.logicalId} row={row} now={now} showReason={row.logicalId === stage.rootCauseId} />
      ))}
      {explanation !== undefined && (
        <Box paddingLeft={4}>
          <Text>{explanation}</Text>
        </Box>
      )}
    </Box>
  );
}

/** Wrapped here rather than by Ink, whose wrapping starts a continuation line with the space it broke at. */
export function NoteLine({ note, indent = 0, width }: { readonly note: Note; readonly indent?: number; readonly width: number }) {
  const paint = usePaint();
  const text = wrapLines(note.text.split("\n"), width - indent - (note.tone === "warning" ? "warning: ".length : 0), 0).join("\n");
  return (
    <Box paddingLeft={indent}>
      {note.tone === "heading" && <Text bold>{text}</Text>}
      {note.tone === "warning" && (
        <Text dimColor>
          <Text color={paint("yellow")}>warning:</Text> {text}
        </Text>
      )}
      {note.tone === "info" && <Text dimColor>{text}</Text>}
      {note.tone === "attention" && <Text color={paint("yellow")}>{text}</Text>}
    </Box>
  );
}

// What a stage or resource row says, from its view; pure so the reducer tests and the components agree.
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

/** A stage's title: number, name and region. */
export function stageTitle(stage: StageRef): string {
  return `stage ${stage.stage}/3 ${stage.stackName} (${stage.region})`;
}

/** What a stage row says: the stack's status or the outcome. */
export function stageStatus(stage: StageView): string {
  if (stage.phase === "failed") return stage.failure?.status ?? "FAILED";
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
