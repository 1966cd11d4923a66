import type { Writable } from "node:stream";
import type { Renderer } from "./renderer.js";

// NDJSON for machines: one event per line, in emit order, and nothing else on this stream.
export function createJsonRenderer(stream: Writable): Renderer {
  return {
    onEvent(event) {
      stream.write(`${JSON.stringify(event)}\n`);
    },
    close() {},
  };
}
