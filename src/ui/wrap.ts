// Text fitted to the terminal, so that a 60-column window gets whole words instead of lines cut mid-word:
// the plan and prompt errors (printed outside Ink), notes and next commands (inside it, where Ink would
// otherwise cut them itself). Pipes and files keep one line per item.
// fast-wrap-ansi, not wrap-ansi: @inquirer/prompts already bundles it, and wrap-ansi's emoji tables
// added ~40 ms to `plan` and to the first question (npm run bench).
import { wrapAnsi } from "fast-wrap-ansi";

/** The width to wrap to: the terminal's, or none when the stream is not a terminal. */
export function terminalColumns(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/**
 * Word-wraps each line; continuation lines hang `hang` spaces deeper than the line's own indent. A word
 * wider than the room (an ARN, a URL) is never split: it gets a line of its own, whole, and the terminal
 * folds it without breaking a copy.
 */
export function wrapLines(lines: readonly string[], columns: number | undefined, hang = 2): string[] {
  if (!columns) return [...lines];
  return lines.flatMap((line) => {
    const indent = /^ */.exec(line)![0].length;
    const width = Math.max(20, columns - indent - hang);
    const [first = "", ...rest] = wrapAnsi(line.slice(indent), width, { hard: false, trim: true }).split("\n");
    return [" ".repeat(indent) + first, ...rest.map((part) => " ".repeat(indent + hang) + part)];
  });
}

/**
 * A shell command split with ` \` so that it still pastes and runs as one command: before its flags,
 * each flag kept with its value, and between the words before them when even those do not fit.
 */
export function wrapCommand(command: string, indent: number, columns: number | undefined): string[] {
  const pad = " ".repeat(indent);
  if (!columns || indent + command.length <= columns) return [pad + command];
  const [head = "", ...flags] = command.split(/ (?=--)/);
  // Words of the head split only outside single quotes (a quoted path may hold spaces).
  const units = [...head.split(/ (?=(?:[^']*'[^']*')*[^']*$)/), ...flags];
  const lines: string[] = [];
  let current = pad + units[0];
  for (const unit of units.slice(1)) {
    if (current.length + 1 + unit.length + 2 > columns) {
      lines.push(`${current} \\`);
      current = `${pad}    ${unit}`;
    } else {
      current += ` ${unit}`;
    }
  }
  return [...lines, current];
}
