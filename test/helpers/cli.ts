// Runs the built CLI as a user's shell would: a real process, no TTY on stdin, its own working folder.
import { spawnSync } from "node:child_process";
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

// No credentials and AWS on loopback unless the caller says otherwise (moto's env): a run that reaches
// for AWS finds a port that refuses, never the internet or the instance metadata service.
const OFFLINE = { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_EC2_METADATA_DISABLED: "true" };

// `uid`/`gid` run it as another user (a test run by root that needs a permission to be refused).
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; uid?: number; gid?: number } = {}): CliRun {
  const cwd = options.cwd ?? tempDir();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env["PATH"], HOME: cwd, CI: "true", NO_COLOR: "1", ...OFFLINE, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    timeout: options.timeoutMs ?? 20_000,
    ...(options.uid !== undefined && { uid: options.uid }),
    ...(options.gid !== undefined && { gid: options.gid }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, cwd };
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}
