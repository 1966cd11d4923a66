import type { StepRow } from "../progress-state.js";
import type { GlyphKind } from "./Glyph.js";
import { Row } from "./Row.js";

const GLYPH: Record<StepRow["state"], GlyphKind> = { running: "running", done: "done", fallback: "skipped" };

// The tool's own steps for a stage (freeing the client function's network interfaces), one row each.
export function StepRows({ steps, now, width }: { readonly steps: readonly StepRow[]; readonly now: number; readonly width: number }) {
  return (
    <>
      {steps.map((step) => (
        <Row
          key={step.step}
          indent={2}
          glyph={GLYPH[step.state]}
          labels={[step.label]}
          width={width}
          status={step.status}
          elapsedMs={Math.max(0, (step.state === "running" ? now : step.lastAt) - step.firstAt)}
        />
      ))}
    </>
  );
}
