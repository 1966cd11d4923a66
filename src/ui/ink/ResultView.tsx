import { Box, Text } from "ink";
import type { Outcome } from "../progress-state.js";
import { wrapCommand, wrapLines } from "../wrap.js";
import { FailureBox } from "./FailureBox.js";
import { Glyph } from "./Glyph.js";
import { Lines } from "./Lines.js";
import { OutputsList } from "./OutputsList.js";
import { usePaint } from "./use-paint.js";

// A next command wider than the terminal breaks before a flag with " \", so it still pastes and runs.
export function ResultView({ outcome, width }: { readonly outcome: Outcome; readonly width: number }) {
  const paint = usePaint();
  return (
    <Box flexDirection="column" marginTop={1}>
      {outcome.outputs.length > 0 && <OutputsList stages={outcome.outputs} width={width} />}
      {!outcome.ok && outcome.failure && <FailureBox failure={outcome.failure} width={width} />}
      <Box>
        <Glyph kind={outcome.ok ? "done" : "failed"} />
        <Text> </Text>
        <Lines lines={wrapLines([outcome.summary], width - 2, 0)} bold color={paint(outcome.ok ? "green" : "red")} />
      </Box>
      {outcome.next.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>next:</Text>
          {outcome.next.map((command) => (
            <Lines key={command} lines={wrapCommand(command, 2, width)} />
          ))}
        </Box>
      )}
    </Box>
  );
}
