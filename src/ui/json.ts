import type { Writable } from "node:stream";
import type { Renderer } from "./renderer.js";

// NDJSON for machines: one event per line, in emit order, and nothing else on this stream. Each line
// names its event twice: `type` (the name `doctor`'s hop lines were specified with, first on the line)
// and `kind` (the original name, kept for existing readers). Both always hold the same value.
export function createJsonRenderer(stream: Writable): Renderer {
  return {
    onEvent(event) {
      stream.write(`${JSON.stringify({ type: event.kind, ...event })}\n`);
    },
    close() {},
  };
}
