// The package as npm ships it, made as a fresh clone or `npm publish` makes it: the tracked files only (no
// dist/ from an earlier build; `prepack` must build it), packed, installed into an empty folder without
// the registry (it has no runtime dependencies), and run through its bin — the path a first `npx` run takes.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS_TABLE } from "../../src/aws/access-denied.js";
import { OFFLINE, tempDir } from "../helpers/cli.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** A copy of the files git tracks, as a clone has them, with the checkout's node_modules linked in. */
function cleanCopy(): string {
  const copy = tempDir("xregion-clone-");
  for (const file of execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  return copy;
}

describe("packed tarball", () => {
  let clone = "";
  let prefix = "";
  let packed: { filename: string; files: { path: string }[] };
  let builtBeforePack = true;

  const runBin = (args: readonly string[], cwd: string) =>
    spawnSync(join(prefix, "node_modules/.bin/xregion-private-api"), args, {
      cwd,
      env: { PATH: process.env["PATH"], HOME: cwd, CI: "true", ...OFFLINE },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });

  beforeAll(() => {
    clone = cleanCopy();
    builtBeforePack = existsSync(join(clone, "dist"));
    const out = tempDir("xregion-pack-");
    packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: clone, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }))[0];
    prefix = tempDir("xregion-install-");
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, join(out, packed.filename)], {
      stdio: "ignore",
    });
  }, 120_000);

  it("is packed from a checkout without dist/, which prepack builds", () => {
    expect(builtBeforePack).toBe(false);
    expect(existsSync(join(clone, "dist/cli.js"))).toBe(true);
  });

  it("ships the bundle, the templates and the pages the README and the CLI's refusals name, and no sources or tests", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["dist/cli.js", "dist/template-facts.json", "templates/1-api.yaml", "templates/2-client.yaml", "templates/3-routes.yaml", "package.json", "README.md", PERMISSIONS_TABLE]));
    expect(paths.some((p) => p.startsWith("src/") || p.startsWith("test/") || p.startsWith("scripts/"))).toBe(false);
  });

  it("installs nothing but itself", () => {
    expect(readdirSync(join(prefix, "node_modules")).filter((d) => !d.startsWith("."))).toEqual(["xregion-private-api"]);
  });

  it("answers --help through its bin", () => {
    const run = runBin(["--help"], tempDir());
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: xregion-private-api /);
  });

  it("runs plan through its bin, offline, with the shipped templates", () => {
    const cwd = tempDir();
    const run = runBin(["plan", "--api-region", "us-east-1", "--client-region", "eu-west-1", "--out", "p"], cwd);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(join(cwd, "p/2-client.yaml"))).toBe(true);
  });
});
