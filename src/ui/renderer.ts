// How a run is shown: the renderer contract, the NDJSON renderer, and the one place that decides, from the
// terminal and CI, whether a person is there to answer questions and to watch live rows.
import type { Writable } from "node:stream";
import type { ProgressMode } from "../config/flags.js";
import type { ProgressEvent } from "../steps/events.js";

/** Chosen once per run by the CLI; steps only know `emit`, which the CLI wires to `onEvent`. */
export interface Renderer {
  onEvent(event: ProgressEvent): void;
  // Stops timers and flushes; the CLI calls it once, whatever the outcome.
  close(): void;
}

/** `--json` wants NDJSON on stdout and the human lines on stderr at once: one emit, two renderers. */
export function fanOut(...renderers: readonly Renderer[]): Renderer {
  return {
    onEvent(event) {
      for (const renderer of renderers) renderer.onEvent(event);
    },
    close() {
      for (const renderer of renderers) renderer.close();
    },
  };
}

/**
 * NDJSON for machines: one event per line, in emit order, and nothing else on this stream. Each line
 * names its event twice: `type` (the name `doctor`'s hop lines were specified with, first on the line)
 * and `kind` (the original name, kept for existing readers). Both always hold the same value.
 */
export function createJsonRenderer(stream: Writable): Renderer {
  return {
    onEvent(event) {
      stream.write(`${JSON.stringify({ type: event.kind, ...event })}\n`);
    },
    close() {},
  };
}

/** The end of every `switch` over events or their views: a kind added to the union and not rendered fails to compile. */
export function unreachable(value: never): never {
  throw new Error(`unhandled kind: ${JSON.stringify(value)}`);
}

/** CI=true (any value but "false" or "0") means nobody is watching, even when a TTY is attached. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const ci = env["CI"];
  return Boolean(ci && ci !== "false" && ci !== "0");
}

/** A guided run needs a person at a terminal: questions are asked only then. */
export function isInteractive(stdin: { readonly isTTY?: boolean | undefined }, env: NodeJS.ProcessEnv): boolean {
  return stdin.isTTY === true && !isCI(env);
}

/** `auto` draws live rows only for a person at a terminal; CI logs and pipes get one line per change. */
export function wantsInk(progress: ProgressMode, stdout: { readonly isTTY?: boolean | undefined }, env: NodeJS.ProcessEnv): boolean {
  if (progress === "ink") return true;
  return progress === "auto" && stdout.isTTY === true && !isCI(env);
}
