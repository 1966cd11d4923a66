import { Box, Text } from "ink";
import { hopLine } from "../hop-text.js";
import type { DoctorHop } from "../progress-state.js";
import { wrapLines } from "../wrap.js";
import { usePaint } from "./use-paint.js";

// A doctor hop, printed once: the mark, the hop and its evidence, and under a broken hop its fix.
export function HopLine({ hop, width }: { readonly hop: DoctorHop; readonly width: number }) {
  const paint = usePaint();
  const line = hopLine(hop);
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0} marginRight={1}>
          <Text color={line.tone && paint(line.tone)}>{line.mark}</Text>
        </Box>
        <Text>{wrapLines([line.head], width - 2, "endpoint-ingress".length + 2).join("\n")}</Text>
      </Box>
      {line.fix && (
        <Box paddingLeft={4}>
          <Text dimColor>{wrapLines([`fix: ${line.fix}`], width - 4, "fix: ".length).join("\n")}</Text>
        </Box>
      )}
    </Box>
  );
}
