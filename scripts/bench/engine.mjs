// Bundles the engine benchmark (TypeScript, using the test suite's scripted CloudFormation) and runs it
// from a folder inside the repository, so the bundle finds templates/ as the CLI does.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { aliases } from "../aliases.mjs";

export async function engineRows(root) {
  const dir = mkdtempSync(join(root, ".bench-"));
  const outfile = join(dir, "engine-bench.mjs");
  try {
    await build({
      entryPoints: [join(root, "scripts/bench/engine-bench.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      alias: aliases,
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
      logLevel: "warning",
    });
    process.stdout.write(execFileSync(process.execPath, [outfile], { encoding: "utf8", cwd: root }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
