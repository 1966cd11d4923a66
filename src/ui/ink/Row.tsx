import { Box, Text } from "ink";
import { formatDuration } from "../format.js";
import { Glyph, type GlyphKind } from "./Glyph.js";
import { usePaint } from "./use-paint.js";

export interface RowProps {
  readonly glyph: GlyphKind;
  readonly label: string;
  readonly status: string;
  readonly elapsedMs: number | undefined;
  readonly indent?: number;
  readonly bold?: boolean;
  readonly dim?: boolean;
}

// `[glyph] label … status elapsed`: the label gives way (truncated) so status and time stay readable.
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
