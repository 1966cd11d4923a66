import { Box, Text } from "ink";
import type { VerifySample } from "../../steps/client-answer.js";
import { formatMs } from "../format.js";
import { Glyph } from "./Glyph.js";
import { Sparkline } from "./Sparkline.js";
import { warmRoundTrips } from "./VerifyView.js";

function describe(sample: VerifySample): string {
  if (sample.kind === "unexpected") return `unexpected answer: ${sample.detail}`;
  const { answer } = sample;
  if (answer.ok) return `HTTP ${answer.status ?? "?"} in ${formatMs(answer.timings.totalMs)} ms`;
  return `${answer.error?.layer ?? "failed"}: ${answer.error?.message ?? ""}`;
}

export function SamplesLive({ samples, width }: { readonly samples: readonly VerifySample[]; readonly width: number }) {
  const last = samples.at(-1);
  if (!last) return null;
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0} marginRight={1}>
          <Glyph kind="running" />
        </Box>
        <Text wrap="truncate-end">
          invoking the client: sample {last.index} ({last.index === 1 ? "cold" : "warm"}) {describe(last)}
        </Text>
      </Box>
      <Sparkline label="warm round trips" values={warmRoundTrips(samples)} width={width} />
    </Box>
  );
}
