import { Box, Text } from "ink";
import type { LatencyStats, VerifyReport } from "../../steps/client-answer.js";
import { formatMs } from "../format.js";

// 16 + 5 × 7 = 51 columns: fits a 60-column terminal without wrapping.
const cells = (name: string, values: readonly (number | null | undefined)[]) =>
  [name.padEnd(16), ...values.map((v) => formatMs(v).padStart(7))].join("");

const row = (name: string, cold: number | null | undefined, warm: LatencyStats | undefined) =>
  cells(name, [cold, warm?.min, warm?.p50, warm?.p95, warm?.max]);

export function LatencyTable({ report }: { readonly report: VerifyReport }) {
  const warmCount = report.warm.roundTrip?.count ?? 0;
  return (
    <Box flexDirection="column">
      <Text bold>{["latency (ms)".padEnd(16), ...["cold", "min", "p50", "p95", "max"].map((h) => h.padStart(7))].join("")}</Text>
      <Text>{row("inside function", report.cold?.insideMs, report.warm.inside)}</Text>
      <Text>{row("round trip", report.cold?.roundTripMs, report.warm.roundTrip)}</Text>
      <Text dimColor>
        cold: the first invocation; min/p50/p95/max over {warmCount} warm sample{warmCount === 1 ? "" : "s"}
      </Text>
    </Box>
  );
}
