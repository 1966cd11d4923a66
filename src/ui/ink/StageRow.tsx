import { Box } from "ink";
import { visibleResources, type StageView } from "../progress-state.js";
import { wrapLines } from "../wrap.js";
import { Lines } from "./Lines.js";
import { NoteLine } from "./NoteLine.js";
import { ResourceRow } from "./ResourceRow.js";
import { Row } from "./Row.js";
import { StepRows } from "./StepRows.js";
import { stageElapsed, stageGlyph, stageLabels, stageStatus } from "./row-text.js";

// A running stage shows every described resource; a finished one folds them away, a failed one keeps
// only its failed rows, the root cause's reason under it.
// `live`: the running stage, redrawn in place by Ink (Lines.tsx, whole).
export function StageRow({ stage, now, width, live = false }: { readonly stage: StageView; readonly now: number; readonly width: number; readonly live?: boolean }) {
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
      <Row glyph={stageGlyph(stage)} {...stageLabels(stage)} status={stageStatus(stage)} elapsedMs={stageElapsed(stage, now)} width={width} bold />
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
    </Box>
  );
}
