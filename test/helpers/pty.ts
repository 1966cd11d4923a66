// A real terminal for a test: the command runs in a tmux pane (a pseudo-terminal, so stdin.isTTY is true
// and raw-mode prompts work), keys are typed into it, and the screen is read back as a person sees it.
// NEEDS tmux (3.x) on PATH; `tmuxAvailable()` lets a test say so plainly where there is none.
//
//   const term = openTerminal({ command: [process.execPath, cli, "deploy"], cwd, env });
//   await term.waitFor("Deployment name");
//   await term.type("pty");
//   term.press("Enter");
//   const code = await term.exitCode();
//   term.close();
//
// Each terminal gets its own tmux server (`-L <unique socket>`, no config file), so nothing is shared with
// a tmux the user runs, and close() ends that server only.

import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TerminalOptions {
  /** The program and its arguments, run directly (no shell). */
  readonly command: readonly string[];
  readonly cwd: string;
  /** The whole environment of the program (TERM is set from `term`; TMUX variables are dropped). */
  readonly env: NodeJS.ProcessEnv;
  readonly term?: string;
  readonly columns?: number;
  readonly rows?: number;
}

/** Keys by tmux's names: Enter, BSpace, Tab, Up, Down, Escape, C-c, … */
export type Key = "Enter" | "BSpace" | "Tab" | "Up" | "Down" | "Left" | "Right" | "Escape" | "C-c" | "C-d";

export interface Terminal {
  /** Everything shown so far (scrollback and screen), wrapped lines joined, trailing blanks trimmed. */
  screen(): string;
  /** The same, row by row as the terminal shows it: a line the terminal wrapped stays cut where it was. */
  rows(): string;
  /** Resolves with the screen once it matches; rejects with the screen after `timeoutMs`. */
  waitFor(match: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Types text one key at a time, `delayMs` apart, like a person. */
  type(text: string, delayMs?: number): Promise<void>;
  press(key: Key, times?: number): void;
  /** Changes the terminal's width, as a person dragging the window's edge. */
  resize(columns: number): void;
  /** The program's exit code once it has ended (the pane stays open to be read; 128+n for signal n). */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Stops this terminal's tmux server (and the program, if it still runs). */
  close(): void;
}

export function tmuxAvailable(): boolean {
  return spawnSync("tmux", ["-V"], { encoding: "utf8" }).status === 0;
}

export function openTerminal(options: TerminalOptions): Terminal {
  const socket = `xregion-test-${process.pid}-${randomUUID().slice(0, 8)}`;
  const scratch = mkdtempSync(join(tmpdir(), "xregion-pty-"));
  const config = join(scratch, "tmux.conf");
  const exitFile = join(scratch, "exit-status");
  const term = options.term ?? "xterm-256color";
  // Keep the pane after the program ends, to read its last screen and its exit status.
  writeFileSync(config, [`set -g remain-on-exit on`, `set -g history-limit 10000`, `set -g default-terminal ${term}`, ""].join("\n"));
  const env = Object.fromEntries(Object.entries(options.env).filter(([key]) => key !== "TMUX" && key !== "TMUX_PANE"));
  const tmux = (...args: string[]): string => {
    const result = spawnSync("tmux", ["-L", socket, "-f", config, ...args], { encoding: "utf8", env: { ...env, TERM: term } });
    if (result.status !== 0) throw new Error(`tmux ${args[0]} failed: ${result.stderr || result.error?.message}`);
    return result.stdout;
  };

  tmux(
    "new-session", "-d", "-s", "main", "-c", options.cwd,
    "-x", String(options.columns ?? 120), "-y", String(options.rows ?? 40),
    // A shell waits for the program and writes its exit status to a file: tmux's own #{pane_dead_status}
    // sometimes never arrives (the process stays a zombie while no client is attached). The trap keeps
    // the shell alive through a Ctrl-C in cooked mode; the program gets the default SIGINT handling.
    "sh", "-c", `trap : INT; "$@"; echo $? > '${exitFile}'`, "sh", "env", `TERM=${term}`, ...options.command,
  );

  const capture = (...join: string[]): string =>
    tmux("capture-pane", "-p", ...join, "-S", "-", "-E", "-", "-t", "main")
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
      .trimEnd();
  const screen = (): string => capture("-J");

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let closed = false;

  return {
    screen,
    rows: () => capture(),
    async waitFor(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (typeof match === "string" ? text.includes(match) : match.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(match)}; it shows:\n${text}`);
        await sleep(50);
      }
    },
    async type(text, delayMs = 15) {
      for (const char of text) {
        tmux("send-keys", "-t", "main", "-l", char);
        await sleep(delayMs);
      }
    },
    press(key, times = 1) {
      tmux("send-keys", "-t", "main", ...Array.from({ length: times }, () => key));
    },
    resize(columns) {
      tmux("resize-window", "-t", "main", "-x", String(columns));
    },
    async exitCode(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = existsSync(exitFile) ? readFileSync(exitFile, "utf8").trim() : "";
        if (status !== "") return Number(status);
        if (Date.now() > deadline) throw new Error(`the program did not end within ${timeoutMs} ms; the terminal shows:\n${screen()}`);
        await sleep(50);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      spawnSync("tmux", ["-L", socket, "kill-server"], { env });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
