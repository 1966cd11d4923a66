// First `npx` run of the packed package from an empty cache, next to `npx create-vite --help` from an
// empty cache: both download and install before the first byte of help appears.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pair, timeOnce } from "./measure.mjs";

export async function npxRows(root) {
  const packDir = mkdtempSync(join(tmpdir(), "xregion-pack-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: root, encoding: "utf8" }))[0];
  const tarball = join(packDir, packed.filename);
  console.log(`tarball ${packed.filename}: ${(statSync(tarball).size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${packed.entryCount} files, ${Object.keys(packed.bundled ?? {}).length} bundled deps`);
  const fresh = () => mkdtempSync(join(tmpdir(), "xregion-npx-cache-"));
  const npx = (args) => () => {
    const cache = fresh();
    try {
      return timeOnce("npx", ["--yes", "--cache", cache, ...args], { env: { ...process.env, npm_config_update_notifier: "false" } });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  };
  const row = await pair("npx xregion-private-api --help (tarball)", 3, npx(["--package", tarball, "xregion-private-api", "--help"]), npx(["create-vite", "--help"]));
  const installed = fresh();
  execFileSync("npm", ["install", "--prefix", installed, "--cache", join(installed, ".cache"), tarball], { stdio: "ignore" });
  const files = readdirSync(join(installed, "node_modules"), { recursive: true }).length;
  console.log(`installed: ${files} files and folders under node_modules`);
  rmSync(installed, { recursive: true, force: true });
  rmSync(packDir, { recursive: true, force: true });
  return [{ ...row, anchor: "npx create-vite --help", budget: 2 }];
}
