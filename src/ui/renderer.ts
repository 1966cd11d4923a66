import type { ProgressEvent } from "../steps/events.js";

// Chosen once per run by the CLI; steps only know `emit`, which the CLI wires to `onEvent`.
export interface Renderer {
  onEvent(event: ProgressEvent): void;
  // Stops timers and flushes; the CLI calls it once, whatever the outcome.
  close(): void;
}

// `--json` wants NDJSON on stdout and the human lines on stderr at once: one emit, two renderers.
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
