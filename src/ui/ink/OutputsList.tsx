import { Box, Text } from "ink";
import type { StageOutputs } from "../progress-state.js";
import { Lines } from "./Lines.js";

// The ids a user pastes into the console or a script, not the plumbing one stage hands the next (the
// endpoint's hosted zone, the SSM parameter name): those are in --outputs-file and `status`.
const SHOWN = ["VpcId", "ApiId", "InvokeUrl", "EndpointId", "PeeringConnectionId", "FunctionName", "HostedZoneId"];

export function OutputsList({ stages, width }: { readonly stages: readonly StageOutputs[]; readonly width: number }) {
  const shown = stages
    .map((s) => ({ ...s, entries: SHOWN.flatMap((key) => (s.outputs[key] === undefined ? [] : [[key, s.outputs[key]] as const])) }))
    .filter((s) => s.entries.length > 0);
  if (shown.length === 0) return null;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text dimColor>outputs:</Text>
      {shown.map((s) => {
        // Per stack, so that one long key does not push every value (and the invoke URL) to a wrap.
        const keyWidth = Math.max(...s.entries.map(([key]) => key.length));
        return (
          <Box key={s.stage} flexDirection="column" paddingLeft={2}>
            <Text>
              {s.stackName} <Text dimColor>({s.region})</Text>
            </Text>
            {s.entries.map(([key, value]) =>
              // An id or URL is never split: one that does not fit beside its key goes under it, whole.
              4 + keyWidth + 2 + value.length <= width ? (
                <Box key={key} paddingLeft={2}>
                  <Box width={keyWidth + 2} flexShrink={0}>
                    <Text dimColor>{key}</Text>
                  </Box>
                  <Text>{value}</Text>
                </Box>
              ) : (
                <Box key={key} paddingLeft={2} flexDirection="column">
                  <Text dimColor>{key}</Text>
                  <Box paddingLeft={2}>
                    <Lines lines={[value]} />
                  </Box>
                </Box>
              ),
            )}
          </Box>
        );
      })}
      <Text dimColor>all outputs: status, or --outputs-file FILE</Text>
    </Box>
  );
}
