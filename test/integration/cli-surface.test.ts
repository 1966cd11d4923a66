import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("command surface", () => {
  it("prints the version", () => {
    const run = runCli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists every command in --help", () => {
    const run = runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["deploy", "plan", "status", "verify", "teardown"]) expect(run.stdout).toContain(command);
    expect(run.stdout).toMatch(/Exit codes: 0 ok, 1 AWS or deployment failure, 2 bad input, 130 interrupted/);
  });

  for (const [command, flags] of [
    ["deploy", ["--name", "--api-region", "--client-region", "--api-cidr", "--client-cidr", "--profile", "--config", "--yes", "--progress", "--json", "--samples", "--outputs-file", "--no-permission-check"]],
    ["plan", ["--name", "--api-region", "--client-region", "--api-cidr", "--client-cidr", "--config", "--out", "--json"]],
    ["status", ["--name", "--api-region", "--client-region", "--profile", "--config", "--json", "--outputs-file"]],
    ["verify", ["--name", "--samples", "--profile", "--json"]],
    ["teardown", ["--name", "--api-region", "--client-region", "--yes", "--profile", "--json"]],
  ] as const) {
    it(`documents the flags of ${command} in its --help`, () => {
      const run = runCli([command, "--help"]);
      expect(run.code).toBe(0);
      for (const flag of flags) expect(run.stdout).toContain(flag);
    });
  }

  it("says in deploy's help when to skip the permission check, and offers it nowhere else", () => {
    expect(runCli(["deploy", "--help"]).stdout.replace(/\s+/g, " ")).toMatch(/--no-permission-check .*heavy SCPs, permissions boundaries/);
    const run = runCli(["verify", "--no-permission-check"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--no-permission-check'/);
  });
});
