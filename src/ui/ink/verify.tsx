// The live view of a verification: samples as they come, a sparkline, and the latency table.
import { Box, Text } from "ink";
import type { VerifyReport, VerifySample } from "../../steps/verify/client-answer.js";
import { formatMs, wrapLines } from "../format.js";
import type { VerifyMatrix } from "../../steps/verify/verify-matrix.js";
import type { RegionVerified } from "../progress-view.js";
import { latencyColumns, latencyTable, matrixLines, regionVerifyText, responseLines } from "../wording.js";
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

/** Several client regions being verified: one line saying how far each has got. */
export function RegionSamplesLive({ samples, width }: { readonly samples: Readonly<Record<string, readonly VerifySample[]>>; readonly width: number }) {
  const regions = Object.entries(samples).filter(([, list]) => list.length > 0);
  if (regions.length === 0) return null;
  const text = regions.map(([region, list]) => `${region} ${list.length}${list.some((s) => s.kind === "unexpected" || !s.answer.ok) ? " (failing)" : ""}`).join(" · ");
  return (
    <Box>
      <Box flexShrink={0} marginRight={1}>
        <Glyph kind="running" />
      </Box>
      <Box width={Math.max(1, width - 2)}>
        <Text wrap="truncate-end">invoking the clients, samples so far: {text}</Text>
      </Box>
    </Box>
  );
}

/** One client region's verification, folded to a line (the matrix follows once all have answered). */
export function RegionVerifyLine({ verified, width }: { readonly verified: RegionVerified; readonly width: number }) {
  const paint = usePaint();
  const { region, report } = verified;
  const lines = wrapLines([regionVerifyText(region, report)], width - 2);
  return (
    <Box>
      <Box flexShrink={0} marginRight={1}>
        <Glyph kind={report.ok ? "done" : "failed"} />
      </Box>
      <Lines lines={lines} {...(report.ok ? {} : { color: paint("red") })} />
    </Box>
  );
}

/** The latency matrix of several client regions: one row per region, the slowest named. */
export function MatrixView({ matrix, width }: { readonly matrix: VerifyMatrix; readonly width: number }) {
  const table = matrixLines(matrix);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{table.header}</Text>
      {table.rows.map((row, i) => (
        <Text key={i}>{row}</Text>
      ))}
      <Lines lines={wrapLines([table.note], width, 0)} dimColor />
    </Box>
  );
}

