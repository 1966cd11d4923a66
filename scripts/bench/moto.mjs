// The whole `deploy` against the patched moto, next to the AWS CLI deploying the same three stages and
// invoking once (test/integration/aws-cli-baseline.sh), on the same server in the same run; and our
// peak memory (max RSS as the kernel counts it, via /usr/bin/time) during the deploy.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { clientAnswers } from "../client-answers.mjs";
import { loadMotoServer } from "../moto-helper.mjs";
import { median } from "./measure.mjs";


export async function motoRows(root, runs = Number(process.env.BENCH_MOTO_RUNS ?? 3)) {
  const { startMotoServer } = await loadMotoServer();
  // The tool's own time: what AWS takes (the launcher models a change set's computing, a function's Pending,
  // a peering's provisioning, at 1:60 by default) any tool waits out; a time scale that makes it vanish
  // leaves the tools' own.
  const moto = await startMotoServer({ timeScale: 1e6 });
  try {
    await moto.warmUp(["us-east-1", "eu-west-1"]);
    const ours = [];
    const theirs = [];
    const rss = [];
    for (let i = 0; i < runs; i++) {
      const run = await deployOnce(moto, root, `bench${i}`, { terminal: false });
      ours.push(run.ms);
      rss.push(run.rssMb);

      const out = execFileSync("bash", [join(root, "test/integration/aws-cli-baseline.sh")], {
        env: { ...process.env, MOTO_ENDPOINT: moto.endpoint, NAME: `clibase${i}` },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      theirs.push(JSON.parse(out.trim().split("\n").pop()).totalMs);
    }
    const ratio = median(ours.map((v, i) => v / theirs[i]));
    console.log(
      `deploy (3 stages + 1 invoke)                 ${median(ours).toFixed(0).padStart(6)} ms  vs AWS CLI, same work       ${median(theirs).toFixed(0).padStart(6)} ms  ratio ${ratio.toFixed(2)}× (budget ≤ 1.5×)${ratio <= 1.5 ? "  within budget" : "  OVER BUDGET"}`,
    );
    printPeak("peak memory during deploy, plain (max RSS)", rss, 85);

    // The same deploy as a person runs it: stdout a terminal, so the live Ink view (React and yoga's
    // WebAssembly layout engine) is loaded too.
    const inkRss = [];
    for (let i = 0; i < runs; i++) inkRss.push((await deployOnce(moto, root, `ink${i}`, { terminal: true })).rssMb);
    printPeak("peak memory during deploy, live view (RSS)", inkRss, 100);
  } finally {
    await moto.stop();
  }
}

// One `deploy --yes` of the built CLI, timed, its peak RSS read by /usr/bin/time; then torn down. With
// `terminal`, util-linux `script` gives it a pseudo-terminal of 100 × 40 (a person's terminal has a size;
// `script` alone gives none) and CI is unset, so Ink draws the live view.
async function deployOnce(moto, root, name, { terminal }) {
  const cwd = mkdtempSync(join(tmpdir(), "xregion-bench-moto-"));
  const { CI: _ci, ...base } = moto.env();
  const env = terminal ? { ...base, TERM: "xterm-256color" } : { ...base, CI: "true" };
  const cli = join(root, "dist/cli.js");
  const flags = ["--name", name, "--api-region", "us-east-1", "--client-region", "eu-west-1"];
  const rssFile = join(cwd, "rss");
  const timed = ["/usr/bin/time", "-f", "%M", "-o", rssFile, process.execPath, cli, "deploy", ...flags, "--yes", "--samples", "1"];
  await moto.queueLambdaResults("eu-west-1", [...clientAnswers({ apiRegion: "us-east-1" }, 1)]);
  const started = performance.now();
  const run = terminal
    ? spawnSync("script", ["-qfec", `stty cols 100 rows 40; ${timed.join(" ")}`, "/dev/null"], { cwd, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" })
    : spawnSync(timed[0], timed.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`deploy exited ${run.status}: ${run.stderr.slice(-600)}${run.stdout.slice(-600)}`);
  const rssMb = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024;
  spawnSync(process.execPath, [cli, "teardown", ...flags, "--yes"], { cwd, env: { ...base, CI: "true" }, stdio: "ignore" });
  rmSync(cwd, { recursive: true, force: true });
  return { ms, rssMb };
}

// The highest of the runs against its budget: a person gets whichever run they get.
function printPeak(label, runs, budgetMb) {
  const peak = Math.max(...runs);
  const verdict = peak <= budgetMb ? "  within budget" : "  OVER BUDGET";
  console.log(`${label.padEnd(45)}${peak.toFixed(0).padStart(6)} MB  (budget ≤ ${budgetMb} MB)${verdict}  runs: ${runs.map((r) => r.toFixed(0)).join(", ")} MB`);
}
