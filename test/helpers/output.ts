// What a renderer wrote, read back: a captured stream (a CI log or a pipe), a fake terminal, the screen
// Ink leaves, and its frames.
import { Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";

/** What a shell makes of a command wrapped with " \\" continuations (wrapCommand): the one line typed. */
export function joinContinuations(text: string): string {
  return text.replace(/ \\\n +/g, " ");
}

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

// A terminal as Ink sees one: a TTY of a given width that keeps everything written to it.
export function fakeTerminal(columns: number): ReturnType<typeof captureStream> & { columns: number; rows: number; isTTY: true; output(): string } {
  const stream = captureStream();
  return Object.assign(stream, { columns, rows: 40, isTTY: true as const, output: () => stream.text() });
}

// What is left on screen: replays the few controls Ink's log-update uses (erase line, cursor up, column 0)
// so a live row that was redrawn or erased does not count; colours and modes are dropped.
export function screen(output: string): string[] {
  const lines = [""];
  let row = 0;
  for (const token of output.split(/(\u001b\[[0-9;?]*[A-Za-z]|\n)/)) {
    const up = /^\u001b\[(\d*)A$/.exec(token);
    if (token === "\n") {
      row += 1;
      lines[row] ??= "";
    } else if (token === "\u001b[2K") {
      lines[row] = "";
    } else if (up) {
      row = Math.max(0, row - Number(up[1] || 1));
    } else if (!token.startsWith("\u001b")) {
      lines[row] += token;
    }
  }
  while (lines.at(-1) === "") lines.pop();
  return lines;
}

// Ink draws asynchronously (throttled, effects after commit): wait for the content, never for a fixed time.
export const text = (frame: string | undefined) => stripVTControlCharacters(frame ?? "");

export async function waitForText(read: () => string | undefined, wanted: string | RegExp, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = text(read());
    if (typeof wanted === "string" ? current.includes(wanted) : wanted.test(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(wanted)}; last frame:\n${current}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const widest = (output: string) => Math.max(0, ...output.split("\n").map((line) => line.length));
