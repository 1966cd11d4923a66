// Small text helpers shared by the renderers, so plain, json-mode stderr and Ink say things the same way,
// and the wrapping of text to the terminal's width.
import { wrapAnsi } from "fast-wrap-ansi";
import type { StageRef } from "../steps/events.js";

/** A duration as the rows show it: 12s, 3m05s, 1h02m. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** Milliseconds rounded to a whole number, or `-` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "-" : String(Math.round(ms));
}

/** A stage's label for plain lines: [1/3 api us-east-1]. */
export function stageLabel(ref: Pick<StageRef, "stage" | "key" | "region">): string {
  return `[${ref.stage}/3 ${ref.key} ${ref.region}]`;
}

/** The text cut to `max` characters, saying how many more there were. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * The stack status worth showing beside a failed stage, or undefined when the stack's status says
 * nothing about the failure: a stage can fail before it changes anything (a refused change set), and
 * then its stack still reads UPDATE_COMPLETE.
 */
export function failureStatus(status: string | undefined): string | undefined {
  return status !== undefined && /FAILED|ROLLBACK/.test(status) ? status : undefined;
}

// Text fitted to the terminal, so that a 60-column window gets whole words instead of lines cut mid-word:
// the plan and prompt errors (printed outside Ink), notes and next commands (inside it, where Ink would
// otherwise cut them itself). Pipes and files keep one line per item.
// fast-wrap-ansi, not wrap-ansi: @inquirer/prompts already bundles it, and wrap-ansi's emoji tables
// added ~40 ms to `plan` and to the first question (npm run bench).
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
