import { Box, Text } from "ink";
import type { StageOutputs } from "../progress-state.js";

// The stacks' outputs, grouped by stack with the keys aligned: the ids a user pastes into the console.
export function OutputsList({ stages }: { readonly stages: readonly StageOutputs[] }) {
  const keyWidth = Math.max(...stages.flatMap((s) => Object.keys(s.outputs).map((k) => k.length)));
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text dimColor>outputs:</Text>
      {stages.map((s) => (
        <Box key={s.stage} flexDirection="column" paddingLeft={2}>
          <Text>
            {s.stackName} <Text dimColor>({s.region})</Text>
          </Text>
          {Object.entries(s.outputs).map(([key, value]) => (
            <Box key={key} paddingLeft={2}>
              <Box width={keyWidth + 2} flexShrink={0}>
                <Text dimColor>{key}</Text>
              </Box>
              <Text>{value}</Text>
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}
