// The live view of a verification: samples as they come, a sparkline, and the latency table.
import { Box, Text } from "ink";
import type { VerifyReport, VerifySample } from "../../steps/client-answer.js";
import { formatMs, wrapLines } from "../format.js";
import { latencyColumns, latencyTable, responseLines } from "../wording.js";
import { Glyph, Lines, usePaint } from "./rows.js";

/** The latency figures of a verification. */
export function LatencyTable({ report, width }: { readonly report: VerifyReport; readonly width: number }) {
  const table = latencyTable(report, latencyColumns(width));
  return (
    <Box flexDirection="column">
      <Text bold>{table.header}</Text>
      {table.rows.map((row, i) => (
        <Text key={i}>{row}</Text>
      ))}
      <Lines lines={wrapLines([table.note], width, 0)} dimColor />
    </Box>
  );
}

function describe(sample: VerifySample): string {
  if (sample.kind === "unexpected") return `unexpected answer: ${sample.detail}`;
  const { answer } = sample;
  if (answer.ok) return `HTTP ${answer.status ?? "?"} in ${formatMs(answer.timings.totalMs)} ms`;
  return `${answer.error?.layer ?? "failed"}: ${answer.error?.message ?? ""}`;
}

/** The samples so far, with a sparkline of their round trips. */
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

const BARS = "▁▂▃▄▅▆▇█";

/**
 * One bar per value, scaled between the smallest and the largest; the newest `width` values when there
 * are more than fit.
 */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(1, width));
  const low = Math.min(...shown);
  const span = Math.max(...shown) - low;
  return shown.map((v) => BARS[span === 0 ? 0 : Math.round(((v - low) / span) * (BARS.length - 1))]).join("");
}

/** A labelled sparkline's values and width. */
export interface SparklineProps {
  readonly label: string;
  readonly values: readonly number[];
  readonly width: number;
}

/** A labelled sparkline. */
export function Sparkline({ label, values, width }: SparklineProps) {
  const paint = usePaint();
  if (values.length === 0) return null;
  const range = `${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))} ms`;
  const room = width - label.length - range.length - 4;
  return (
    <Text>
      {label}  <Text color={paint("cyan")}>{sparkline(values, room)}</Text>  <Text dimColor>{range}</Text>
    </Text>
  );
}

/** The cold sample is apart in the table; the sparkline shows only the warm ones so it is not flattened. */
export const warmRoundTrips = (samples: readonly VerifySample[]) => samples.filter((s) => s.index > 1).map((s) => s.roundTripMs);

/** A finished verification: the table, the failure, the API's answer. */
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
