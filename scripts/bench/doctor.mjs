// `doctor` over the whole path on the patched moto: our deployment (deployed once with the CLI), checked
// BENCH_RUNS times as a CI job runs it; the figure is the whole process, start-up included, against a
// 2 s budget (issue 13). Every run must pass all ten hops, or the figure means nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadMotoServer } from "../moto-helper.mjs";
import { median, runNode } from "./measure.mjs";

const BUDGET_MS = 2000;

export async function doctorRows(root, runs = Number(process.env.BENCH_RUNS ?? 9)) {
  const { startMotoServer } = await loadMotoServer();
  const moto = await startMotoServer();
  const cwd = mkdtempSync(join(tmpdir(), "xregion-bench-doctor-"));
  try {
    await moto.warmUp(["us-east-1", "eu-west-1"]);
    const env = { ...moto.env(), CI: "true", NO_COLOR: "1" };
    const cli = join(root, "dist/cli.js");
    const flags = ["--name", "benchdoc", "--api-region", "us-east-1", "--client-region", "eu-west-1"];
    await runNode([cli, "deploy", ...flags, "--yes", "--samples", "1"], { cwd, env });
    const times = [];
    // The first run also wakes moto's Route 53 and API Gateway backends: not counted.
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      const doctor = await runNode([cli, "doctor", ...flags], { cwd, env });
      const ms = performance.now() - started;
      if (doctor.code !== 0) throw new Error(`doctor exited ${doctor.code}:\n${doctor.stderr}${doctor.stdout}`);
      if (i > 0) times.push(ms);
    }
    const m = median(times);
    console.log(
      `doctor, whole path (10 hops, 2 regions)      ${m.toFixed(0).padStart(6)} ms  (budget ≤ ${BUDGET_MS} ms)${m <= BUDGET_MS ? "  within budget" : "  OVER BUDGET"}  min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)} ms`,
    );
  } finally {
    await moto.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
}
