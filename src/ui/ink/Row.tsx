import { Box, Text } from "ink";
import { formatDuration } from "../format.js";
import { Glyph, type GlyphKind } from "./Glyph.js";
import { fitRow, ROW_MAX } from "./row-text.js";
import { usePaint } from "./use-paint.js";

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

// `[glyph] label … status elapsed`, laid out for the width (row-text.ts, fitRow): never wider, so a row
// never wraps, and statuses stay aligned at the row's right edge.
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
