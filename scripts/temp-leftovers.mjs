#!/usr/bin/env node
// Does a test run clean up after itself? Runs the suites (vitest, every project, or the paths given) with
// a temporary directory of their own and lists the xregion-* folders left in it: none is the goal.
//
//   npm run build && node scripts/temp-leftovers.mjs [vitest args, e.g. --project unit]
//
// A directory of its own, because other runs on the machine share the usual one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const scratch = mkdtempSync(join(tmpdir(), "temp-leftovers-"));
const run = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...process.argv.slice(2)], {
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch },
});
const left = readdirSync(scratch).filter((name) => name.startsWith("xregion-"));
rmSync(scratch, { recursive: true, force: true });
console.log(`vitest exited ${run.status}; xregion-* folders left in the temporary directory: ${left.length}${left.length ? `\n  ${left.join("\n  ")}` : ""}`);
process.exitCode = left.length === 0 && run.status === 0 ? 0 : 1;
