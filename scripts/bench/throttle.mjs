// The whole `deploy` against moto through a proxy that throttles 40 % of AWS calls (throttle-proxy.mjs),
// next to the same deploy through the same proxy throttling none, interleaved: how much longer it takes
// (time ratio) against how many more calls it makes (request ratio, every retry counted). Backing off well
// keeps the first near the second.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { clientAnswers } from "../client-answers.mjs";
import { loadMotoServer } from "../moto-helper.mjs";
import { median, runNode } from "./measure.mjs";
import { startThrottlingProxy } from "./throttle-proxy.mjs";

const RATE = 0.4;
const DEPLOY_TIMEOUT_MS = 300_000;

export async function throttleRows(root, runs = Number(process.env.BENCH_THROTTLE_RUNS ?? 3)) {
  const { startMotoServer } = await loadMotoServer();
  const moto = await startMotoServer({ timeScale: 1e6 }); // AWS's own durations out of the figures, as in moto.mjs
  const proxy = await startThrottlingProxy(moto.endpoint);
  try {
    await moto.warmUp(["us-east-1", "eu-west-1"]);
    const calm = [];
    const stormy = [];
    for (let i = 0; i < runs; i++) {
      calm.push(await deployThrough(moto, proxy, root, `calm${i}`, { rate: 0, seed: 1000 + i }));
      stormy.push(await deployThrough(moto, proxy, root, `storm${i}`, { rate: RATE, seed: 1000 + i }));
    }
    const timeRatio = median(stormy.map((s, i) => s.ms / calm[i].ms));
    const requestRatio = median(stormy.map((s, i) => s.requests / calm[i].requests));
    const show = (list) => list.map((r) => `${(r.ms / 1000).toFixed(1)} s/${r.requests}`).join(", ");
    console.log(`deploy, calm (time/calls per run)            ${(median(calm.map((r) => r.ms)) / 1000).toFixed(1).padStart(6)} s   runs: ${show(calm)}`);
    console.log(
      `deploy, ${RATE * 100} % of calls throttled               ${(median(stormy.map((r) => r.ms)) / 1000).toFixed(1).padStart(6)} s   runs: ${show(stormy)}; throttled ${stormy.map((r) => r.throttled).join(", ")}`,
    );
    const verdict = timeRatio <= requestRatio * 1.5 ? "  within budget" : "  OVER BUDGET";
    console.log(`time ratio ${timeRatio.toFixed(2)}× against request ratio ${requestRatio.toFixed(2)}× (budget: time ≤ 1.5 × requests)${verdict}`);
  } finally {
    await proxy.close();
    await moto.stop();
  }
}

// One `deploy --yes` of the built CLI through the proxy, timed and its AWS calls counted; then torn down
// through the proxy with nothing throttled.
async function deployThrough(moto, proxy, root, name, { rate, seed }) {
  const cwd = mkdtempSync(join(tmpdir(), "xregion-bench-throttle-"));
  const env = { ...moto.env(), AWS_ENDPOINT_URL: proxy.endpoint, CI: "true" };
  const cli = join(root, "dist/cli.js");
  const flags = ["--name", name, "--api-region", "us-east-1", "--client-region", "eu-west-1"];
  await moto.queueLambdaResults("eu-west-1", [...clientAnswers({ apiRegion: "us-east-1" }, 1)]);
  proxy.configure({ rate, seed });
  const started = performance.now();
  const run = await runNode([cli, "deploy", ...flags, "--yes", "--samples", "1"], { cwd, env, timeoutMs: DEPLOY_TIMEOUT_MS });
  const ms = performance.now() - started;
  const counts = proxy.counts();
  if (run.code !== 0) throw new Error(`deploy exited ${run.code} after ${(ms / 1000).toFixed(0)} s with ${rate * 100} % throttled: ${run.stderr.slice(-600)}${run.stdout.slice(-600)}`);
  proxy.configure({ rate: 0, seed });
  await runNode([cli, "teardown", ...flags, "--yes"], { cwd, env, timeoutMs: DEPLOY_TIMEOUT_MS });
  rmSync(cwd, { recursive: true, force: true });
  return { ms, ...counts };
}
