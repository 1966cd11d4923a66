// Small text helpers shared by the renderers, so plain, json-mode stderr and Ink say things the same way,
// and the wrapping of text to the terminal's width.
import { wrapAnsi } from "fast-wrap-ansi";
import { stripVTControlCharacters } from "node:util";
import { BIN } from "../package.js";
import type { StageRef } from "../steps/events.js";
import { stageCount } from "../steps/stages.js";

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

/**
 * A stage's label for plain lines: [1/3 api us-east-1], [1/2 connect-client eu-west-1]. With several
 * client regions (`plural`), a stage 3 in region A names its client region too: [3/3 routes us-east-1 ← eu-west-1].
 */
export function stageLabel(ref: Pick<StageRef, "stage" | "key" | "region" | "clientRegion">, plural = false): string {
  const client = plural && ref.clientRegion !== undefined && ref.clientRegion !== ref.region ? ` ← ${ref.clientRegion}` : "";
  return `[${ref.stage}/${stageCount(ref.key)} ${ref.key} ${ref.region}${client}]`;
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
 * folds it without breaking a copy. A command in the line (a `fix:`, a next step, `aws …` in an error)
 * breaks only before its flags and with " \\", as wrapCommand does, so that it still pastes as one.
 */
export function wrapLines(lines: readonly string[], columns: number | undefined, hang = 2): string[] {
  if (!columns) return [...lines];
  return lines.flatMap((line) => {
    const indent = /^ */.exec(line)![0].length;
    const body = line.slice(indent);
    const pieces = commandPieces(body);
    if (pieces.some((piece) => piece.command !== undefined)) return fill(pieces, indent, indent + hang, columns);
    const width = Math.max(20, columns - indent - hang);
    const [first = "", ...rest] = wrapAnsi(body, width, { hard: false, trim: true }).split("\n");
    return [" ".repeat(indent) + first, ...rest.map((part) => " ".repeat(indent + hang) + part)];
  });
}

/**
 * A shell command split with ` \` so that it still pastes and runs as one command: before its flags,
 * each flag kept with its value, and between the words before them when even those do not fit.
 */
export function wrapCommand(command: string, indent: number, columns: number | undefined): string[] {
  const pad = " ".repeat(indent);
  if (!columns || indent + visible(command) <= columns) return [pad + command];
  return fill(commandUnits(command.split(/ +/), 0), indent, indent, columns);
}

/**
 * The text up to its first command, and the rest from that command on ("" when there is none): a
 * command inside a border would be copied with it, so a box shows the first part and the rest goes under.
 */
export function splitAtCommand(text: string): readonly [string, string] {
  const pieces = commandPieces(text);
  const at = pieces.findIndex((piece) => piece.command !== undefined);
  if (at < 0) return [text, ""];
  return [pieces.slice(0, at).map((p) => p.text).join(" "), pieces.slice(at).map((p) => p.text).join(" ")];
}

// A piece of a line: a word of prose, or a unit of a command (numbered, so that a break inside one gets
// its " \\"): a word before the flags, a flag with its value, or `&&`.
interface Piece {
  readonly text: string;
  readonly command: number | undefined;
}

// The words that start a command in our text: the programs we tell people to run, the ways this tool is
// started, and `NAME=value` in front of one of them.
const PROGRAMS = new Set(["aws", "npx", "npm", "node", "sudo", "apt-get", "python3", "chmod", "unset", "export", BIN]);
const ASSIGNMENT = /^[A-Z][A-Z0-9_]*=\S*$/;

function startsCommand(words: readonly string[], at: number): boolean {
  let i = at;
  while (i < words.length && ASSIGNMENT.test(plain(words[i]!))) i++;
  const word = plain(words[i] ?? "").replace(/^[`(]/, "");
  return PROGRAMS.has(word) && (i > at || i + 1 < words.length);
}

/** The line's words and command units, in order. */
function commandPieces(body: string): Piece[] {
  const words = body.split(/ +/).filter(Boolean);
  const gaps = body.match(/ +/g) ?? [];
  const pieces: Piece[] = [];
  let commands = 0;
  for (let i = 0; i < words.length; ) {
    if (!startsCommand(words, i)) {
      pieces.push({ text: words[i]!, command: undefined });
      i++;
      continue;
    }
    const end = commandEnd(words, gaps, i);
    if (!looksLikeCommand(words.slice(i, end))) {
      pieces.push({ text: words[i]!, command: undefined });
      i++;
      continue;
    }
    pieces.push(...commandUnits(words.slice(i, end), commands++));
    i = end;
  }
  return pieces;
}

// Prose names programs too ("the aws partition", "in aws too,"): a command has a flag, or is a few bare
// lowercase words that end where the line or a wider gap or a parenthesis does ("aws configure   (or …").
function looksLikeCommand(words: readonly string[]): boolean {
  const bare = words.map(plain);
  if (bare.some((word) => /^-{1,2}[A-Za-z]/.test(word))) return true;
  return bare.length <= 3 && bare.every((word) => /^([A-Z][A-Z0-9_]*=\S*|[a-z0-9][\w./-]*)$/.test(word));
}

// Where the command that starts at words[from] ends (exclusive): after a word ending in `,` `;` `.` or a
// closing backtick or parenthesis it did not open, before a word opening a parenthesis or after a wider
// gap, as prose goes on; never inside quotes or `$( … )`.
function commandEnd(words: readonly string[], gaps: readonly string[], from: number): number {
  let quote: string | undefined;
  let depth = 0;
  let parens = 0;
  for (let i = from; i < words.length; i++) {
    const word = plain(words[i]!);
    if (quote === undefined && depth === 0 && i > from && word.startsWith("(")) return i;
    for (let c = 0; c < word.length; c++) {
      const char = word[c]!;
      if (quote !== undefined) {
        if (char === quote) quote = undefined;
      } else if (char === "'" || char === '"') quote = char;
      else if (char === "$" && word[c + 1] === "(") {
        depth++;
        c++;
      } else if (char === ")" && depth > 0) depth--;
      else if (char === "(") parens++;
      else if (char === ")") parens--;
    }
    if (quote !== undefined || depth > 0) continue;
    if (/[,;.`]$/.test(word) || parens < 0) return i + 1;
    if ((gaps[i]?.length ?? 1) > 1) return i + 1;
  }
  return words.length;
}

// A command's units: the words before its flags one by one, each flag with the word after it (its value)
// unless that is a flag too, `&&` and the words of the next command one by one. Words inside quotes or
// `$( … )` stay one shell word.
function commandUnits(words: readonly string[], command: number): Piece[] {
  const shellWords: string[] = [];
  let open = "";
  for (const word of words) {
    open = open === "" ? word : `${open} ${word}`;
    if (balanced(open)) {
      shellWords.push(open);
      open = "";
    }
  }
  if (open !== "") shellWords.push(open);
  const units: Piece[] = [];
  for (let i = 0; i < shellWords.length; i++) {
    const word = shellWords[i]!;
    const value = shellWords[i + 1];
    const flag = /^-{1,2}[A-Za-z]/.test(plain(word));
    if (flag && value !== undefined && !/^-{1,2}[A-Za-z]/.test(plain(value)) && value !== "&&") {
      units.push({ text: `${word} ${value}`, command });
      i++;
    } else {
      units.push({ text: word, command });
    }
  }
  return units;
}

// Whether a stretch of text closes every quote and `$(` it opens.
function balanced(text: string): boolean {
  let quote: string | undefined;
  let depth = 0;
  for (let c = 0; c < text.length; c++) {
    const char = text[c]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "$" && text[c + 1] === "(") {
      depth++;
      c++;
    } else if (char === ")" && depth > 0) depth--;
  }
  return quote === undefined && depth === 0;
}

// Lays the pieces out greedily. Within a command a break ends the line with " \\" (room is kept for it)
// and its continuation lines sit 4 deeper, less when that lets a piece fit; a piece wider than any line
// gets a line of its own, whole.
function fill(pieces: readonly Piece[], indent: number, hangAt: number, columns: number): string[] {
  const lines: string[] = [];
  let current = " ".repeat(indent) + (pieces[0]?.text ?? "");
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const inside = piece.command !== undefined && pieces[i - 1]!.command === piece.command;
    const room = visible(piece.text) + (piece.command !== undefined && pieces[i + 1]?.command === piece.command ? 2 : 0);
    // A command that starts after prose starts on a line of its own unless its words before the flags
    // fit beside the prose ("aws \\" alone on a line pastes, but reads badly).
    const starting = piece.command !== undefined && !inside;
    if (visible(current) + 1 + (starting ? headWidth(pieces, i) : room) <= columns) {
      current += ` ${piece.text}`;
    } else {
      lines.push(inside ? `${current} \\` : current);
      const deeper = columns - room >= 1 ? Math.min(hangAt + 4, columns - room) : hangAt + 4;
      current = " ".repeat(inside ? deeper : hangAt) + piece.text;
    }
  }
  return [...lines, current];
}

// The width of a command's words before its first flag, from pieces[from], with the " \\" after them.
function headWidth(pieces: readonly Piece[], from: number): number {
  let width = -1;
  let i = from;
  for (; pieces[i]?.command === pieces[from]!.command && !/^(-{1,2}[A-Za-z]|&&)/.test(plain(pieces[i]!.text)); i++) width += 1 + visible(pieces[i]!.text);
  return width + (pieces[i]?.command === pieces[from]!.command ? 2 : 0);
}

const visible = (text: string): number => stripVTControlCharacters(text).length;
const plain = (text: string): string => stripVTControlCharacters(text);
