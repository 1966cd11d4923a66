import { Box, Text } from "ink";
import type { ResourceRow as ResourceRowView } from "../progress-state.js";
import { Row } from "./Row.js";
import { resourceElapsed, resourceGlyph, resourceLabel } from "./row-text.js";
import { usePaint } from "./use-paint.js";

export interface ResourceRowProps {
  readonly row: ResourceRowView;
  readonly now: number;
  // Only the first failure's reason is worth reading; the rest are "Resource creation cancelled".
  readonly showReason: boolean;
}

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
