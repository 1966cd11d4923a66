import { Box, Text } from "ink";
import { DETAIL_COLUMN, hopLine } from "../hop-text.js";
import type { DoctorHop } from "../progress-state.js";
import { wrapLines } from "../wrap.js";
import { usePaint } from "./use-paint.js";

const FIX = "    fix: ";

// A doctor hop, printed once: the mark, the hop and its evidence, and under a broken hop its fix.
// Wrapped here (see NoteLine): continuation lines line up under the evidence and under the command.
export function HopLine({ hop, width }: { readonly hop: DoctorHop; readonly width: number }) {
  const paint = usePaint();
  const line = hopLine(hop);
  const [first = "", ...rest] = wrapLines([line.detail], width - DETAIL_COLUMN, 0);
  const fix = line.fix ? wrapLines([line.fix], width - FIX.length, 0) : [];
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={line.tone && paint(line.tone)}>{line.mark}</Text>
        {` ${line.name}  ${[first, ...rest.map((l) => " ".repeat(DETAIL_COLUMN) + l)].join("\n")}`}
      </Text>
      {fix.length > 0 && <Text dimColor>{[FIX + fix[0], ...fix.slice(1).map((l) => " ".repeat(FIX.length) + l)].join("\n")}</Text>}
    </Box>
  );
}
