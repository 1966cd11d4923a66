// Each command's --help lists the flags that command uses, with their defaults and limits, and says which
// are required; a flag it does not use is still accepted (one set of flags for every command) but not shown.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** The flags a help text lists, in order. */
function listed(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
}

/** One flag's description, its wrapped lines joined. */
function described(help: string, flag: string): string {
  const lines = help.slice(help.indexOf(`  ${flag} `)).split("\n");
  const end = lines.findIndex((line, i) => i > 0 && !/^ {20,}\S/.test(line));
  return lines
    .slice(0, end)
    .map((line) => line.trim())
    .join(" ")
    .replace(/^--\S+( <\w+>)?\s+/, "");
}

describe("per-command help", () => {
  const help = (command: string) => {
    const run = runCli([command, "--help"]);
    expect(run.code).toBe(0);
    return run.stdout;
  };

  it("leaves out what a command does not use", () => {
    expect(listed(help("plan"))).not.toContain("--profile");
    expect(listed(help("plan"))).not.toContain("--progress");
    for (const command of ["status", "verify", "teardown"]) {
      expect(listed(help(command))).not.toContain("--api-cidr");
      expect(listed(help(command))).not.toContain("--client-cidr");
    }
    expect(listed(help("deploy"))).toEqual(expect.arrayContaining(["--api-cidr", "--client-cidr", "--profile", "--progress", "--yes", "--samples"]));
  });

  it("still accepts a flag it hides, so one set of flags works for every command", () => {
    const run = runCli(["plan", "--profile", "dev", "--progress", "plain", "--api-region", "us-east-1", "--client-region", "eu-west-1"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("states defaults and limits, and marks the regions required", () => {
    const deploy = help("deploy");
    expect(described(deploy, "--name")).toMatch(/lowercase letters, digits and hyphens, at most 24 \(default xregion\)$/);
    expect(described(deploy, "--api-cidr")).toContain("/16 to /27 (default 10.10.0.0/16)");
    expect(described(deploy, "--samples")).toContain("1 to 100 (default 5)");
    expect(described(deploy, "--progress")).toContain('default: "auto"');
    for (const flag of ["--api-region", "--client-region"]) expect(described(deploy, flag)).toContain("required (asked in a terminal, or read from the answers file)");
    expect(described(help("plan"), "--out")).toContain("(default ./xregion-plan)");
  });

  it("describes a flag for the command it is in", () => {
    expect(described(help("teardown"), "--yes")).toBe("do not ask for confirmation; required without a terminal");
    expect(described(help("deploy"), "--yes")).not.toContain("teardown");
    expect(described(help("plan"), "--config")).toBe("answers file, read; one that does not exist yet reads as empty (default ./xregion-private-api.json)");
    expect(described(help("deploy"), "--config")).toBe("answers file, read, then saved with this run's answers; a new file is created (default ./xregion-private-api.json)");
    expect(described(help("status"), "--config")).toBe("answers file, of an existing deployment or connection, read (default ./xregion-private-api.json)");
    expect(described(help("plan"), "--json")).not.toContain("--progress");
  });
});
