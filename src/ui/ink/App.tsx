import { Box, Static, useWindowSize } from "ink";
import { HistoryLine } from "./HistoryLine.js";
import type { ProgressStore } from "./progress-store.js";
import { Row } from "./Row.js";
import { stageLabels } from "./row-text.js";
import { SamplesLive } from "./SamplesLive.js";
import { StageRow } from "./StageRow.js";
import { StepRows } from "./StepRows.js";
import { ColorContext } from "./use-paint.js";
import { useNow } from "./use-now.js";
import { useProgress } from "./use-progress.js";

export interface AppProps {
  readonly store: ProgressStore;
  readonly now?: () => number;
  // Overrides the terminal's width (tests, or a caller that knows better).
  readonly columns?: number | undefined;
  readonly color?: boolean;
}

const systemNow = () => Date.now();

// Finished lines go to <Static> and are printed once; only the running stage and the samples redraw.
export function App({ store, now = systemNow, columns, color = true }: AppProps) {
  const state = useProgress(store);
  const terminal = useWindowSize();
  const width = columns ?? terminal.columns;
  const clock = useNow(now, state.running !== undefined);
  return (
    <ColorContext value={color}>
      <Static items={[...state.history]} style={{ width }}>
        {(item) => (
          <Box key={item.key} width={width} flexDirection="column">
            <HistoryLine item={item} width={width} />
          </Box>
        )}
      </Static>
      {/* No width of its own unless told one: when the terminal narrows, Ink lays this out again at once,
          before React hears of the new width, and a frame wider than the terminal would be folded by it
          and leave its fold behind. */}
      <Box flexDirection="column" {...(columns === undefined ? {} : { width })}>
        {state.running && <StageRow stage={state.running} now={clock} width={width} live />}
        {state.pending.map((stage) => (
          <Box key={stage.stage} flexDirection="column">
            <Row glyph="pending" {...stageLabels(stage)} status="waiting" elapsedMs={undefined} width={width} bold dim />
            <StepRows steps={state.ahead[stage.stage] ?? []} now={clock} width={width} />
          </Box>
        ))}
        <SamplesLive samples={state.samples} width={width} />
      </Box>
    </ColorContext>
  );
}
