import { Writable } from "node:stream";

// A terminal as Ink sees one: a TTY of a given width that keeps everything written to it.
export function fakeTerminal(columns: number): Writable & { columns: number; rows: number; isTTY: true; output(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { columns, rows: 40, isTTY: true as const, output: () => chunks.join("") });
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
