// Output into a reader that stops early (`xregion-private-api --help | head`): the write fails with EPIPE,
// and the CLI leaves quietly with 0 instead of printing a stack trace.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI, OFFLINE, tempDir } from "../helpers/cli.js";

function runIntoClosedPipe(args: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done, fail) => {
    const cwd = tempDir();
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env["PATH"], HOME: cwd, CI: "true", ...OFFLINE }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the CLI writes its first byte
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", fail);
    child.once("close", (code, signal) => done({ code, signal, stderr }));
  });
}

describe("stdout closed by its reader", () => {
  for (const args of [["--help"], ["plan", "--help"], ["plan", "--api-region", "us-east-1", "--client-region", "eu-west-1"]]) {
    it(`${args.join(" ")} exits 0 without a word on stderr`, async () => {
      const run = await runIntoClosedPipe(args);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    });
  }
});
