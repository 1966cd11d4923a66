import { Box, Text } from "ink";
import type { VerifyReport, VerifySample } from "../../steps/verify-types.js";
import { Glyph } from "./Glyph.js";
import { wrapLines } from "../wrap.js";
import { LatencyTable } from "./LatencyTable.js";
import { Lines } from "./Lines.js";
import { responseLines } from "./response-text.js";
import { Sparkline } from "./Sparkline.js";

// The cold sample is apart in the table; the sparkline shows only the warm ones so it is not flattened.
export const warmRoundTrips = (samples: readonly VerifySample[]) => samples.filter((s) => s.index > 1).map((s) => s.roundTripMs);

export function VerifyView({ report, width }: { readonly report: VerifyReport; readonly width: number }) {
  // The latest answer the API itself gave; a DNS or connect failure has no response to show.
  const last = report.samples.findLast((s) => s.kind === "answer" && s.answer.status !== null);
  const answer = last?.kind === "answer" ? last.answer : undefined;
  return (
    <Box flexDirection="column" marginTop={1}>
      {answer && (
        <Box flexDirection="column" marginBottom={1}>
          <Text bold>response {answer.status}</Text>
          <Box paddingLeft={2} flexDirection="column">
            <Lines lines={wrapLines(responseLines(answer.body), width - 2)} />
          </Box>
        </Box>
      )}
      <LatencyTable report={report} width={width} />
      <Sparkline label="warm round trips" values={warmRoundTrips(report.samples)} width={width} />
      {report.ok && (
        <Text>
          <Glyph kind="done" /> verification passed
        </Text>
      )}
    </Box>
  );
}
