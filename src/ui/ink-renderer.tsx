// The terminal renderer: events go into a store, Ink draws it (the App, its store and history here; the
// rows, verify and result components in ink/). Keys and Ctrl-C stay the CLI's (its SIGINT
// handler cancels, then detaches), so Ink neither reads stdin nor patches the console.
import { Box, render, Static, useWindowSize } from "ink";
import type { Writable } from "node:stream";
import { useSyncExternalStore } from "react";
import type { ProgressEvent } from "../steps/events.js";
import { Additions, ConnectPlan } from "./ink/connect.js";
import { HopLine, ResultView } from "./ink/result.js";
import { ColorContext, NoteLine, RegionRow, Row, StageRow, StepRows, useNow } from "./ink/rows.js";
import { stageLabels } from "./ink/row-text.js";
import { MatrixView, RegionSamplesLive, RegionVerifyLine, SamplesLive, VerifyView } from "./ink/verify.js";
import { initialState, reduce } from "./progress-state.js";
import type { HistoryItem, ProgressState, RegionView } from "./progress-view.js";
import { type Renderer, unreachable } from "./renderer.js";

/** Where the live view draws, and the clock and environment it reads. */
export interface InkRendererOptions {
  readonly stdout: Writable & { readonly columns?: number; readonly isTTY?: boolean; hasColors?(count?: number, env?: object): boolean };
  // Width to lay out for; the terminal's own width (following resizes) when absent.
  readonly columns?: number;
  // The clock behind the running stage's elapsed time; tests pin it.
  readonly now?: () => number;
  readonly env?: NodeJS.ProcessEnv;
  // The run's client regions: the live view starts after the run did (its run-started went to the plain
  // lines before the questions ended), and several of them get a row each.
  readonly clientRegions?: readonly string[] | undefined;
}

/** A renderer whose close waits for the last frame. */
export interface InkRenderer extends Renderer {
  // Unmounts and resolves once the final frame has been written.
  close(): Promise<void>;
}

/** The live view: events into the store, Ink draws it. */
export function createInkRenderer(options: InkRendererOptions): InkRenderer {
  const { stdout, columns, now } = options;
  const store = createProgressStore({ ...initialState, plural: (options.clientRegions?.length ?? 0) > 1 });
  const env = options.env ?? process.env;
  const color = wantsColor(stdout, env);
  const unsize = giveSize(stdout, env);
  const instance = render(<App store={store} now={now} columns={columns} color={color} />, {
    stdout: stdout as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let closed: Promise<void> | undefined;
  return {
    onEvent: (event) => store.dispatch(event),
    close() {
      closed ??= (async () => {
        // Events dispatched just before close() are not drawn yet: let React commit them first.
        await instance.waitUntilRenderFlush();
        instance.unmount();
        await instance.waitUntilExit();
        unsize();
      })();
      return closed;
    },
  };
}

/**
 * A terminal that reports no size (a pseudo-terminal nobody sized: `script`, some CI runners, `docker exec
 * -t`) makes Ink ask terminal-size on every frame, which opens /dev/tty and never closes it: one file
 * descriptor per frame (80 in a two-second deploy on moto). Such a terminal gets COLUMNS × LINES, else
 * 80 × 24, again after every resize that reports no size, until the renderer closes.
 */
function giveSize(stdout: InkRendererOptions["stdout"], env: NodeJS.ProcessEnv): () => void {
  if (stdout.isTTY !== true) return () => {};
  const sized = stdout as { columns?: number; rows?: number };
  const apply = () => {
    if (!(sized.columns! > 0)) sized.columns = positive(env["COLUMNS"]) ?? 80;
    if (!(sized.rows! > 0)) sized.rows = positive(env["LINES"]) ?? 24;
  };
  apply();
  stdout.on("resize", apply);
  return () => stdout.off("resize", apply);
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * A real terminal answers with Node's own rule (NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR, TERM=dumb);
 * anything else gets the same rule from the environment.
 */
export function wantsColor(stream: InkRendererOptions["stdout"], env: NodeJS.ProcessEnv): boolean {
  if (typeof stream.hasColors === "function") return stream.hasColors(16, env);
  if (env["NO_COLOR"] !== undefined || env["NODE_DISABLE_COLORS"] !== undefined) return false;
  if (env["FORCE_COLOR"] !== undefined) return env["FORCE_COLOR"] !== "0" && env["FORCE_COLOR"] !== "false";
  return stream.isTTY === true;
}

/** The screen's store, clock, width and colour. */
export interface AppProps {
  readonly store: ProgressStore;
  readonly now?: () => number;
  // Overrides the terminal's width and height (tests, or a caller that knows better).
  readonly columns?: number | undefined;
  readonly rows?: number | undefined;
  readonly color?: boolean;
}

const systemNow = () => Date.now();

/** Finished lines go to <Static> and are printed once; only the running stage, the regions at work and the samples redraw. */
export function App({ store, now = systemNow, columns, rows, color = true }: AppProps) {
  const state = useProgress(store);
  const terminal = useWindowSize();
  const width = columns ?? terminal.columns;
  const clock = useNow(now, state.running !== undefined || state.regions.some((r) => r.phase === "running"));
  const pending = state.pending.map((stage) => (
    <Box key={`${stage.stage} ${stage.clientRegion ?? ""}`} flexDirection="column">
      <Row glyph="pending" {...stageLabels(stage)} status="waiting" elapsedMs={undefined} width={width} bold dim />
      <StepRows steps={state.ahead[stage.stage] ?? []} now={clock} width={width} />
    </Box>
  ));
  // Teardown deletes the client regions before stage 1; deploy does stage 1 first.
  const regionsFirst = state.regions.length > 0 && state.regions.some((r) => r.stages[0]?.stage === 3);
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
        {state.running && <StageRow stage={state.running} now={clock} width={width} live plural={state.plural} />}
        {!regionsFirst && pending}
        <RegionRows regions={state.regions} now={clock} width={width} height={rows ?? terminal.rows} />
        {regionsFirst && pending}
        <SamplesLive samples={state.samples} width={width} />
        <RegionSamplesLive samples={state.regionSamples} width={width} />
      </Box>
    </ColorContext>
  );
}

/**
 * The client regions at work, running ones first: one row each. More than the terminal's height holds
 * collapse into one "+N waiting" (or "+N more") row, so the live block never scrolls.
 */
export function RegionRows({ regions, now, width, height }: { readonly regions: readonly RegionView[]; readonly now: number; readonly width: number; readonly height: number | undefined }) {
  if (regions.length === 0) return null;
  const ordered = [...regions.filter((r) => r.phase !== "waiting"), ...regions.filter((r) => r.phase === "waiting")];
  // The rows left under the live block's other lines (the samples line, Ink's cursor line).
  const room = Math.max(2, (height ?? 24) - 3);
  const shown = ordered.length <= room ? ordered : ordered.slice(0, room - 1);
  const hidden = ordered.slice(shown.length);
  const waiting = hidden.filter((r) => r.phase === "waiting").length;
  return (
    <Box flexDirection="column">
      {shown.map((view) => (
        <RegionRow key={view.region} view={view} now={now} width={width} live />
      ))}
      {hidden.length > 0 && (
        <Row glyph="pending" labels={[waiting === hidden.length ? `+${hidden.length} waiting` : `+${hidden.length} more`]} status="" elapsedMs={undefined} width={width} dim />
      )}
    </Box>
  );
}

/**
 * The bridge between `onEvent` (called by the engine, outside React) and the screen: one state, folded by
 * the pure reducer, read through useSyncExternalStore.
 */
export interface ProgressStore {
  getState(): ProgressState;
  dispatch(event: ProgressEvent): void;
  subscribe(listener: () => void): () => void;
}

/** The external store the reducer folds events into. */
export function createProgressStore(initial: ProgressState = initialState): ProgressStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(event) {
      state = reduce(state, event);
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The store's state, re-rendered on every event. */
export function useProgress(store: ProgressStore): ProgressState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

/** Printed once by <Static>: a finished item never changes, so its time is its own, not the clock's. */
export function HistoryLine({ item, width }: { readonly item: HistoryItem; readonly width: number }) {
  switch (item.kind) {
    case "note":
      return <NoteLine note={item.note} width={width} />;
    case "stage":
      return <StageRow stage={item.stage} now={item.stage.finishedAt ?? item.stage.startedAt ?? 0} width={width} />;
    case "region":
      return <RegionRow view={item.region} now={item.region.finishedAt ?? item.region.startedAt ?? 0} width={width} />;
    case "verify":
      return <VerifyView report={item.report} width={width} />;
    case "region-verify":
      return <RegionVerifyLine verified={item.verified} width={width} />;
    case "matrix":
      return <MatrixView matrix={item.matrix} width={width} />;
    case "hop":
      return <HopLine hop={item.hop} width={width} />;
    case "connect-plan":
      return <ConnectPlan plan={item.plan} width={width} />;
    case "connect-additions":
      return <Additions carriers={item.carriers} width={width} />;
    case "result":
      return <ResultView outcome={item.outcome} width={width} />;
    default:
      return unreachable(item);
  }
}
