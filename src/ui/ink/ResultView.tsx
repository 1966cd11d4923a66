import { Box, Text } from "ink";
import type { Outcome } from "../progress-state.js";
import { FailureBox } from "./FailureBox.js";
import { Glyph } from "./Glyph.js";
import { usePaint } from "./use-paint.js";

export function ResultView({ outcome }: { readonly outcome: Outcome }) {
  const paint = usePaint();
  return (
    <Box flexDirection="column" marginTop={1}>
      {!outcome.ok && outcome.failure && <FailureBox failure={outcome.failure} />}
      <Text bold color={paint(outcome.ok ? "green" : "red")}>
        <Glyph kind={outcome.ok ? "done" : "failed"} /> {outcome.summary}
      </Text>
      {outcome.next.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>next:</Text>
          {outcome.next.map((command) => (
            <Box key={command} paddingLeft={2}>
              <Text>{command}</Text>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
