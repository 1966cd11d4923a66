import { Text } from "ink";
import { usePaint } from "./use-paint.js";

const BARS = "▁▂▃▄▅▆▇█";

// One bar per value, scaled between the smallest and the largest; the newest `width` values when there
// are more than fit.
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(1, width));
  const low = Math.min(...shown);
  const span = Math.max(...shown) - low;
  return shown.map((v) => BARS[span === 0 ? 0 : Math.round(((v - low) / span) * (BARS.length - 1))]).join("");
}

export interface SparklineProps {
  readonly label: string;
  readonly values: readonly number[];
  readonly width: number;
}

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
