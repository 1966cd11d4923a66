// The package as npm ships it: packed, installed into an empty folder without the registry (it has no
// runtime dependencies), and run through its bin — the path a first `npx` run takes.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("packed tarball", () => {
  let prefix = "";
  let packed: { filename: string; files: { path: string }[] };

  beforeAll(() => {
    const out = tempDir("xregion-pack-");
    packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: ROOT, encoding: "utf8" }))[0];
    prefix = tempDir("xregion-install-");
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, join(out, packed.filename)], {
      stdio: "ignore",
    });
  }, 120_000);

  it("ships the bundle and the three templates, and no sources or tests", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["dist/cli.js", "dist/template-facts.json", "templates/1-api.yaml", "templates/2-client.yaml", "templates/3-routes.yaml", "package.json", "README.md"]));
    expect(paths.some((p) => p.startsWith("src/") || p.startsWith("test/"))).toBe(false);
  });

  it("installs nothing but itself", () => {
    expect(readdirSync(join(prefix, "node_modules")).filter((d) => !d.startsWith("."))).toEqual(["xregion-private-api"]);
  });

  it("runs plan through its bin, offline, with the shipped templates", () => {
    const bin = join(prefix, "node_modules/.bin/xregion-private-api");
    const cwd = tempDir();
    const run = spawnSync(bin, ["plan", "--api-region", "us-east-1", "--client-region", "eu-west-1", "--out", "p"], {
      cwd,
      env: { PATH: process.env["PATH"], HOME: cwd, CI: "true" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(join(cwd, "p/2-client.yaml"))).toBe(true);
  });
});
