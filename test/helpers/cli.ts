// Runs the built CLI as a user's shell would: a real process, no TTY on stdin, its own working folder; or, while
// the test goes on (runNode), as a CI job runs it against the emulator.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";

export const CLI = resolve(import.meta.dirname, "../../dist/cli.js");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly cwd: string;
}

const made: string[] = [];
// Imported while a test file is collected, so this runs when that file's tests are done.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new folder in the temporary directory, removed after the test file that made it. */
export function tempDir(prefix = "xregion-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * No credentials and AWS on loopback unless the caller says otherwise (moto's env): a run that reaches
 * for AWS finds a port that refuses, never the internet or the instance metadata service. Every CLI child
 * process a test starts without moto gets these.
 */
export const OFFLINE = { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_EC2_METADATA_DISABLED: "true" } as const;

// Root writes anywhere, so a test that needs a permission refused (`permissionsApply`) runs the CLI as root
// without the capabilities that override file permissions (setpriv, util-linux): the mode bits then apply
// to it as to an ordinary user, and it still reads everything root owns, wherever the clone and this
// Node lie (another user, such as nobody, could not reach a clone under /root or a private mkdtemp).
const NO_OVERRIDE = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", "--"];

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; permissionsApply?: boolean } = {}): CliRun {
  const cwd = options.cwd ?? tempDir();
  const asRoot = options.permissionsApply === true && process.getuid?.() === 0;
  const [program, ...programArgs] = [...(asRoot ? ["setpriv", ...NO_OVERRIDE] : []), process.execPath, CLI, ...args];
  const result = spawnSync(program!, programArgs, {
    cwd,
    env: { PATH: process.env["PATH"], HOME: cwd, CI: "true", NO_COLOR: "1", ...OFFLINE, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    timeout: options.timeoutMs ?? 20_000,
  });
  if (result.error) throw new Error(`could not run ${program}: ${result.error.message}${asRoot ? " (setpriv is util-linux's: apt-get install util-linux)" : ""}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, cwd };
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

/** What a run of a node script printed, how it ended and how long it took. */
export interface NodeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The environment without FORCE_COLOR, which would override NO_COLOR. */
export function withoutColourForcing(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}

/** A CI job's environment on an emulator (its endpoint and test keys in `env`): CI=true, no colour. */
export function ciEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...withoutColourForcing(env), CI: "true", NO_COLOR: "1" };
}

/**
 * A node script (the built CLI) run with no stdin while the test goes on, its output collected: SIGTERM after
 * `timeoutMs` (a script that started a server still stops it), SIGINT once, when stdout first matches `interrupt`.
 */
export function runNode(args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number; interrupt?: RegExp }): Promise<NodeRun> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      // One Ctrl-C, as a person presses it: a second one would tell the CLI to detach.
      if (!interrupted && options.interrupt?.test(stdout)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs);
    child.once("error", fail);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
