// The live view's rows: marks, lines as fitted, a stage and its resources and steps, notes, and the
// hooks they share (colour on or off, a ticking clock).
import { Box, Text, type TextProps } from "ink";
import { stripVTControlCharacters } from "node:util";
import { formatDuration, wrapLines } from "../format.js";
import { createContext, useContext, useEffect, useState } from "react";
import { type Note, type RegionView, type ResourceRow as ResourceRowView, type StageView, type StepRow } from "../progress-view.js";
import {
  fitRow,
  regionGlyph,
  regionRowText,
  resourceElapsed,
  resourceGlyph,
  resourceLabel,
  ROW_MAX,
  stageElapsed,
  stageGlyph,
  stageLabels,
  stageStatus,
  visibleResources,
} from "./row-text.js";

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

/** Lines already fitted to the width, their style, and whether they may run past the edge. */
export interface LinesProps extends Pick<TextProps, "bold" | "dimColor" | "color"> {
  // Already fitted to the width (format.ts, wrapLines): whole words, an id or URL wider than the room on a line of its own.
  readonly lines: readonly string[];
  // Draws a line's content when it needs more than one style (a coloured first word).
  readonly render?: (line: string, index: number) => React.ReactNode;
  // false in the live rows: Ink redraws those in place, counting its own lines, so nothing may run past
  // the edge there (the terminal would fold it and the next redraw leave the fold behind).
  readonly whole?: boolean;
}

/**
 * Lines shown exactly as fitted. Ink would wrap them again at the box's edge, splitting a word wider than
 * the box mid-token and starting continuation lines with a space; a box as wide as the widest line lets
 * such a word run past the edge whole, for the terminal to fold without breaking a copy.
 */
export function Lines({ lines, render, whole = true, ...style }: LinesProps) {
  const widest = Math.max(1, ...lines.map((line) => stripVTControlCharacters(line).length));
  return (
    <Box flexDirection="column" {...(whole ? { width: widest, flexShrink: 0 } : {})}>
      {lines.map((line, i) => (
        <Text key={i} {...style}>
          {render ? render(line, i) : line}
        </Text>
      ))}
    </Box>
  );
}

/** One row: mark, label, status, time and emphasis. */
export interface RowProps {
  readonly glyph: GlyphKind;
  // Longest first: a narrower terminal gets a shorter one before the label is cut.
  readonly labels: readonly string[];
  // Shown after the label whatever the width (a stage's region).
  readonly keep?: string;
  readonly status: string;
  readonly elapsedMs: number | undefined;
  readonly width: number;
  readonly indent?: number;
  readonly bold?: boolean;
  readonly dim?: boolean;
}

/**
 * `[glyph] label … status elapsed`, laid out for the width (row-text.ts, fitRow): never wider, so a row
 * never wraps, and statuses stay aligned at the row's right edge.
 */
export function Row({ glyph, labels, keep = "", status, elapsedMs, width, indent = 0, bold = false, dim = false }: RowProps) {
  const paint = usePaint();
  const colour = glyph === "failed" ? paint("red") : undefined;
  const elapsed = elapsedMs === undefined ? "" : formatDuration(elapsedMs);
  const fitted = fitRow(labels, keep, status, elapsed, Math.min(width, ROW_MAX) - indent);
  return (
    <Box paddingLeft={indent}>
      <Glyph kind={glyph} />
      <Text bold={bold} dimColor={dim}>
        {" "}
        {fitted.label}
      </Text>
      <Text color={colour} dimColor={dim}>
        {fitted.status}
      </Text>
      <Text dimColor>{fitted.elapsed}</Text>
    </Box>
  );
}

/** A resource row, the clock, and whether to show its reason. */
export interface ResourceRowProps {
  readonly row: ResourceRowView;
  readonly now: number;
  readonly width: number;
  // Drawn in the live rows (Lines, whole).
  readonly live: boolean;
  // Only the first failure's reason is worth reading; the rest are "Resource creation cancelled".
  readonly showReason: boolean;
}

/** One resource of the running stage. */
export function ResourceRow({ row, now, width, live, showReason }: ResourceRowProps) {
  const paint = usePaint();
  const reason = showReason ? row.failure?.reason : undefined;
  return (
    <Box flexDirection="column">
      <Row indent={2} glyph={resourceGlyph(row)} labels={[resourceLabel(row)]} status={row.status} elapsedMs={resourceElapsed(row, now)} width={width} />
      {reason !== undefined && (
        <Box paddingLeft={6}>
          <Lines whole={!live} lines={wrapLines([reason], width - 6, 0)} color={paint("red")} />
        </Box>
      )}
    </Box>
  );
}

const GLYPH: Record<StepRow["state"], GlyphKind> = { running: "running", done: "done", fallback: "skipped" };

/** The tool's own steps for a stage (freeing the client function's network interfaces), one row each. */
export function StepRows({ steps, now, width }: { readonly steps: readonly StepRow[]; readonly now: number; readonly width: number }) {
  return (
    <>
      {steps.map((step) => (
        <Row
          key={step.step}
          indent={2}
          glyph={GLYPH[step.state]}
          labels={[step.label]}
          width={width}
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
 * `live`: the running stage, redrawn in place by Ink (Lines, whole). `plural`: a run with several client
 * regions (a stage 3 names its client region).
 */
export function StageRow({ stage, now, width, live = false, plural = false }: { readonly stage: StageView; readonly now: number; readonly width: number; readonly live?: boolean; readonly plural?: boolean }) {
  return (
    <Box flexDirection="column">
      <Row glyph={stageGlyph(stage)} {...stageLabels(stage, plural)} status={stageStatus(stage)} elapsedMs={stageElapsed(stage, now)} width={width} bold />
      <StageBody stage={stage} now={now} width={width} live={live} />
    </Box>
  );
}

/** What goes under a stage's row: its tool steps, notes, the resources worth a line, and why it ended badly. */
export function StageBody({ stage, now, width, live = false }: { readonly stage: StageView; readonly now: number; readonly width: number; readonly live?: boolean }) {
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
    <>
      <StepRows steps={stage.steps} now={now} width={width} />
      {stage.notes.map((note, i) => (
        <NoteLine key={i} note={note} indent={2} width={width} live={live} />
      ))}
      {rows.map((row) => (
        <ResourceRow key={row.logicalId} row={row} now={now} width={width} live={live} showReason={row.logicalId === stage.rootCauseId} />
      ))}
      {explanation !== undefined && (
        <Box paddingLeft={4}>
          <Lines whole={!live} lines={wrapLines(explanation.split("\n"), width - 4, 0)} />
        </Box>
      )}
    </>
  );
}

/**
 * One client region's row: while at work, its stage, the resource in progress and the elapsed time; once
 * ended, one line (a failed or cancelled region keeps its failing stage's cause under it).
 */
export function RegionRow({ view, now, width, live = false }: { readonly view: RegionView; readonly now: number; readonly width: number; readonly live?: boolean }) {
  const text = regionRowText(view, now);
  const ended = view.phase === "failed" || view.phase === "cancelled";
  return (
    <Box flexDirection="column">
      <Row glyph={regionGlyph(view)} labels={text.labels} keep={text.keep} status={text.status} elapsedMs={text.elapsedMs} width={width} bold={view.phase !== "waiting"} dim={view.phase === "waiting"} />
      {ended && view.current && <StageBody stage={view.current} now={view.current.finishedAt ?? now} width={width} live={live} />}
    </Box>
  );
}

const WARNING = "warning:";

/** Wrapped here rather than by Ink (Lines): whole words, ids and URLs never split. */
export function NoteLine({ note, indent = 0, width, live = false }: { readonly note: Note; readonly indent?: number; readonly width: number; readonly live?: boolean }) {
  const paint = usePaint();
  const warning = note.tone === "warning";
  const text = warning ? `${WARNING} ${note.text}` : note.text;
  const lines = wrapLines(text.split("\n"), width - indent, warning ? 2 : 0);
  return (
    <Box paddingLeft={indent}>
      {note.tone === "heading" && <Lines whole={!live} lines={lines} bold />}
      {warning && (
        <Lines
          lines={lines}
          dimColor
          render={(line, i) => (i === 0 ? <><Text color={paint("yellow")}>{WARNING}</Text>{line.slice(WARNING.length)}</> : line)}
        />
      )}
      {note.tone === "info" && <Lines whole={!live} lines={lines} dimColor />}
      {note.tone === "attention" && <Lines whole={!live} lines={lines} color={paint("yellow")} />}
    </Box>
  );
}
