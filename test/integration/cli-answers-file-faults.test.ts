// The answers file on a bad day, through the built CLI: a folder the user may not write to (a warning,
// and the run goes on), a folder where the file should be, a huge value, a file that does not parse (the
// run stops with exit 2 and the file is left exactly as it was).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesIn, runCli, tempDir } from "../helpers/cli.js";

const REGIONS = ["--api-region", "us-east-1", "--client-region", "eu-west-1"];
const FILE = "xregion-private-api.json";

describe("an answers file in a folder nobody may write to", () => {
  it("warns, naming the file and --config, and the deploy goes on to AWS", () => {
    const cwd = tempDir();
    chmodSync(cwd, 0o555);
    // As an ordinary user would be refused, even when the suite runs as root (runCli, permissionsApply).
    const run = runCli(["deploy", "--name", "demo", ...REGIONS, "--yes"], { cwd, permissionsApply: true });
    chmodSync(cwd, 0o755);
    expect(run.stdout).toContain(`warning: could not save ${join(cwd, FILE)}: its folder is not writable (EACCES); pass --config with a writable path to keep the answers; the deploy goes on`);
    // It got as far as asking AWS who we are: the failure is the credentials', exit 1, not EACCES.
    expect(run.stderr).toMatch(/^error: No AWS credentials found/m);
    expect(run.stderr).not.toContain("unexpected failure");
    expect(run.code).toBe(1);
    expect(filesIn(cwd)).toEqual([]);
  });
});

describe("an answers file that cannot be used", () => {
  it("says a folder is in the way, and how to fix it, in one line", () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, FILE));
    const run = runCli(["deploy", "--name", "demo", ...REGIONS, "--yes"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${join(cwd, FILE)} is a folder, not an answers file: rename or remove that folder, or pass --config with a file's path\n`);
  });

  it("cuts a 5 MB value short in the message", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, FILE), JSON.stringify({ name: "x".repeat(5_000_000), apiRegion: "us-east-1", clientRegion: "eu-west-1" }));
    const run = runCli(["plan"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.length).toBeLessThan(300);
    expect(run.stderr).toBe(
      `error: "name" in ${join(cwd, FILE)} "${"x".repeat(40)}"… (5,000,000 characters) is not a valid deployment name: ` +
        "use lowercase letters, digits and hyphens, starting with a letter, at most 24 characters (e.g. xxxxxxxxxxxxxxxxxxxxxxxx)\n",
    );
  });

  it("stops with exit 2 at a file that does not parse, naming where, and leaves it as it was", () => {
    const cwd = tempDir();
    const broken = '{\n  "name": "demo",\n  "apiRegion": us-east-1,\n  "clientRegion": "eu-west-1"\n}\n';
    writeFileSync(join(cwd, FILE), broken);
    const run = runCli(["deploy", ...REGIONS, "--yes"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: ${join(cwd, FILE)} is not valid JSON (line 3, column 16: unexpected 'u'): fix it there, or delete the file and answer the questions again; it is left as it is\n`,
    );
    expect(readFileSync(join(cwd, FILE), "utf8")).toBe(broken);
    expect(filesIn(cwd)).toEqual([FILE]);
  });

  it("gives the position V8 reports, and the end for a file cut short", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, FILE), '{\n  "name": "demo"\n  "apiRegion": "us-east-1"\n}\n');
    expect(runCli(["plan"], { cwd }).stderr).toContain("(line 3, column 3: expected ',' or '}' after property value)");
    writeFileSync(join(cwd, FILE), '{\n  "name": "de');
    expect(runCli(["plan"], { cwd }).stderr).toContain("(line 2, column 14: unterminated string)");
  });
});

// --config names where the answers are read from and saved to: CI's first run names a file not there yet.
describe("--config with a file that does not exist yet", () => {
  it("is created by deploy, which says so, before its first AWS call", () => {
    const cwd = tempDir();
    const run = runCli(["deploy", "--config", "prod.json", "--name", "prod", ...REGIONS, "--yes"], { cwd });
    expect(run.stdout).toContain("Created prod.json with these answers (--config); later runs read them from it.");
    expect(JSON.parse(readFileSync(join(cwd, "prod.json"), "utf8"))).toMatchObject({ name: "prod", apiRegion: "us-east-1", clientRegion: "eu-west-1" });
    // Then it went on to AWS (none here): the failure is the credentials', not the file's.
    expect(run.stderr).toMatch(/^error: No AWS credentials found/m);
    expect(run.code).toBe(1);
  });

  it("reads as empty for plan, which writes nothing to it", () => {
    const cwd = tempDir();
    const run = runCli(["plan", "--config", "prod.json", "--name", "prod", ...REGIONS, "--out", "out"], { cwd });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(filesIn(cwd).filter((f) => !f.startsWith("out"))).toEqual([]);
  });

  it("is refused by a command that reads an existing deployment's answers, saying who creates it", () => {
    const run = runCli(["status", "--config", "prod.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: --config ${join(run.cwd, "prod.json")} does not exist: deploy creates it with its answers (plan reads it as empty); check the path, or drop --config to use ./${FILE}\n`,
    );
  });
});
