import { Box, Text } from "ink";
import type { LatencyStats, VerifyReport } from "../../steps/verify-types.js";
import { formatMs } from "../format.js";
import { wrapLines } from "../wrap.js";
import { Lines } from "./Lines.js";

type Column = "cold" | "min" | "p50" | "p95" | "max";

const ORDER: readonly Column[] = ["cold", "min", "p50", "p95", "max"];
// What a narrower terminal drops first: with a handful of warm samples max and min say least.
const DROPPED_FIRST: readonly Column[] = ["max", "min", "p95"];
const NAME = 16;
const CELL = 7;

/** The columns that fit `width` (16 for the row names, 7 per column: all five need 51), in table order. */
export function latencyColumns(width: number): readonly Column[] {
  const fit = Math.max(2, Math.floor((width - NAME) / CELL));
  const dropped = new Set(DROPPED_FIRST.slice(0, Math.max(0, ORDER.length - fit)));
  return ORDER.filter((column) => !dropped.has(column));
}

function cell(column: Column, cold: number | null | undefined, warm: LatencyStats | undefined): number | null | undefined {
  return column === "cold" ? cold : warm?.[column];
}

export function LatencyTable({ report, width }: { readonly report: VerifyReport; readonly width: number }) {
  const columns = latencyColumns(width);
  const row = (name: string, cold: number | null | undefined, warm: LatencyStats | undefined) =>
    [name.padEnd(NAME), ...columns.map((c) => formatMs(cell(c, cold, warm)).padStart(CELL))].join("");
  const warmCount = report.warm.roundTrip?.count ?? 0;
  const warmColumns = columns.filter((c) => c !== "cold").join("/");
  const note = `cold: the first invocation; ${warmColumns} over ${warmCount} warm sample${warmCount === 1 ? "" : "s"}`;
  return (
    <Box flexDirection="column">
      <Text bold>{["latency (ms)".padEnd(NAME), ...columns.map((c) => c.padStart(CELL))].join("")}</Text>
      <Text>{row("inside function", report.cold?.insideMs, report.warm.inside)}</Text>
      <Text>{row("round trip", report.cold?.roundTripMs, report.warm.roundTrip)}</Text>
      <Lines lines={wrapLines([note], width, 0)} dimColor />
    </Box>
  );
}
