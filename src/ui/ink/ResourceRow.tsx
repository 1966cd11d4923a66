import { Box } from "ink";
import type { ResourceRow as ResourceRowView } from "../progress-state.js";
import { wrapLines } from "../wrap.js";
import { Lines } from "./Lines.js";
import { Row } from "./Row.js";
import { resourceElapsed, resourceGlyph, resourceLabel } from "./row-text.js";
import { usePaint } from "./use-paint.js";

export interface ResourceRowProps {
  readonly row: ResourceRowView;
  readonly now: number;
  readonly width: number;
  // Drawn in the live rows (Lines.tsx, whole).
  readonly live: boolean;
  // Only the first failure's reason is worth reading; the rest are "Resource creation cancelled".
  readonly showReason: boolean;
}

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
