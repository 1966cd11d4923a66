// With --json, a machine reader always gets an ending: every command that fails on credentials still
// closes its NDJSON with a `result` event (ok false, the error line as summary). No credentials here, and
// the endpoint is a closed port on loopback, so nothing leaves the machine.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const LOCATE = ["--name", "demo", "--api-region", "us-east-1", "--client-region", "eu-west-1"];

describe("--json without credentials", () => {
  for (const command of [["deploy"], ["status"], ["verify"], ["teardown", "--yes"]]) {
    it(`${command[0]} ends its events with a failed result carrying the error line`, () => {
      const run = runCli([...command, ...LOCATE, "--json"]);
      expect(run.code).toBe(1);
      const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { kind: string; [key: string]: unknown });
      expect(events[0]).toMatchObject({ kind: "run-started", operation: command[0] });
      const errorLine = run.stderr.split("\n").find((line) => line.startsWith("error: "));
      expect(errorLine).toMatch(/^error: No AWS credentials found: /);
      expect(events.at(-1)).toEqual({ type: "result", kind: "result", operation: command[0], ok: false, summary: errorLine?.slice("error: ".length), next: [], at: expect.any(Number) });
      expect(events.filter((e) => e.kind === "result")).toHaveLength(1);
    });
  }
});
