import { Writable } from "node:stream";

// A stream that keeps what was written, like a CI log or a pipe (not a TTY).
export function captureStream(): Writable & { text(): string; lines(): string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, {
    text: () => chunks.join(""),
    lines: () => chunks.join("").split("\n").slice(0, -1),
  });
}
