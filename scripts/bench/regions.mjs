// Many client regions (issue 22): the whole deploy of three client regions against one, on the launcher
// with AWS-like durations at 1:60 (a minute becomes a second). The launcher models what AWS takes for a
// change set (10 s), a VPC function's Pending (75 s) and a peering's provisioning (30 s); each stage's stack
// is kept in progress at least as long as that stage takes on AWS (--stage-seconds below: an interface
// endpoint and a private REST API, a client VPC with its peering, private zone and function, a few routes
// and a rule). Stage 1 runs once either way and the regions' stages 2 and 3 side by side, so three regions
// should cost little more than one: target ≤ 1.5×. Then one frame of the live view at 80 columns while
// three regions deploy, read from a real terminal (tmux), as a person sees it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { clientAnswers } from "../client-answers.mjs";
import { loadMotoServer } from "../moto-helper.mjs";
import { median } from "./measure.mjs";

const SCALE = 60;
// Seconds on AWS, per stage (assumed from typical consoles, not measured here): stage 1 waits for the
// interface endpoint (minutes), stage 2 for the peering, the zone and the function, stage 3 for routes.
const STAGE_SECONDS = { 1: 180, 2: 150, 3: 30 };
const A = "us-east-1";
const CLIENTS = [
  { region: "eu-west-1", cidr: "10.20.0.0/16" },
  { region: "ap-southeast-2", cidr: "10.21.0.0/16" },
  { region: "us-west-2", cidr: "10.22.0.0/16" },
];

export async function regionsRows(root, runs = Number(process.env.BENCH_REGIONS_RUNS ?? 2)) {
  const { startMotoServer } = await loadMotoServer();
  const moto = await startMotoServer({ timeScale: SCALE, stageSeconds: STAGE_SECONDS });
  const cli = join(root, "dist/cli.js");
  const cwd = mkdtempSync(join(tmpdir(), "xregion-bench-regions-"));
  const { CI: _ci, ...base } = moto.env();
  const env = { ...base, CI: "true", NO_COLOR: "1" };
  const flags = (name, clients) => [
    "--name", name, "--api-region", A,
    "--client-region", clients.map((c) => c.region).join(","), "--client-cidr", clients.map((c) => c.cidr).join(","),
  ];
  const queue = async (clients) => {
    for (const c of clients) await moto.queueLambdaResults(c.region, clientAnswers({ apiRegion: A, clientCidr: c.cidr }, 1));
  };
  const deploy = async (name, clients) => {
    await queue(clients);
    const started = performance.now();
    const run = await cliRun(cli, ["deploy", ...flags(name, clients), "--yes", "--samples", "1"], { cwd, env });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`deploy ${name} exited ${run.status}: ${run.stdout.slice(-800)}${run.stderr.slice(-800)}`);
    return ms;
  };
  const teardown = async (name, clients) => {
    const run = await cliRun(cli, ["teardown", ...flags(name, clients), "--yes"], { cwd, env });
    if (run.status !== 0) throw new Error(`teardown ${name} exited ${run.status}: ${run.stdout.slice(-800)}`);
  };
  try {
    await moto.warmUp([A, ...CLIENTS.map((c) => c.region)]);
    const one = [];
    const three = [];
    for (let i = 0; i < runs; i++) {
      one.push(await deploy(`one${i}`, CLIENTS.slice(0, 1)));
      await teardown(`one${i}`, CLIENTS.slice(0, 1));
      three.push(await deploy(`three${i}`, CLIENTS));
      await teardown(`three${i}`, CLIENTS);
    }
    const ratio = median(three.map((v, i) => v / one[i]));
    console.log(
      `deploy, 3 client regions                     ${median(three).toFixed(0).padStart(6)} ms  vs 1 client region          ${median(one).toFixed(0).padStart(6)} ms  ratio ${ratio.toFixed(2)}× (target ≤ 1.5×)${ratio <= 1.5 ? "  within target" : "  OVER TARGET"}`,
    );
    console.log(
      `  (1:${SCALE} scale; each stack in progress at least ${Object.entries(STAGE_SECONDS).map(([stage, s]) => `stage ${stage} ${s} s`).join(", ")} of AWS's; runs: 3 regions ${three.map((v) => v.toFixed(0)).join(", ")} ms, 1 region ${one.map((v) => v.toFixed(0)).join(", ")} ms)`,
    );
    await liveFrame(cli, cwd, base, queue, flags);
  } finally {
    await moto.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
}

// The live view at 80 columns, caught while the three regions are at work (each region's row with its stage
// and the resource in progress), then the deploy left to finish and torn down.
async function liveFrame(cli, cwd, base, queue, flags) {
  const { openTerminal, tmuxAvailable } = await loadPty();
  if (!tmuxAvailable()) return void console.log("  (no tmux on PATH: the live view at 80 columns is not shown)");
  await queue(CLIENTS);
  const term = openTerminal({ command: [process.execPath, cli, "deploy", ...flags("frame", CLIENTS), "--yes", "--samples", "1"], cwd, env: base, columns: 80, rows: 24 });
  try {
    // Every region at work on its stage 2 or 3 at once (the rows below stage 1's).
    const atWork = new RegExp(`^\\S (${CLIENTS.map((c) => c.region).join("|")}) +[23]/3 `);
    const deadline = Date.now() + 60_000;
    let frame;
    while (!frame) {
      const rows = term.rows().split("\n");
      const live = rows.slice(rows.findLastIndex((row) => /stage 1\/3 frame-api/.test(row)));
      // With a resource in progress shown on one row at least, as most of a real deploy's minutes look.
      const working = live.filter((row) => atWork.test(row));
      if (working.length === CLIENTS.length && working.some((row) => row.includes(" · "))) frame = live;
      else if (Date.now() > deadline) throw new Error(`the live view never showed the three regions at work:\n${rows.slice(-12).join("\n")}`);
      else await new Promise((resolve) => setTimeout(resolve, 40));
    }
    console.log("  the live view at 80 columns, three client regions at work:");
    for (const line of frame) console.log(`  │ ${line}`);
    await term.exitCode(120_000);
  } finally {
    term.close();
  }
  await cliRun(cli, ["teardown", ...flags("frame", CLIENTS), "--yes"], { cwd, env: { ...base, CI: "true" } });
}

// The built CLI, run without blocking this process: its event loop keeps reading the launcher's log, which
// would otherwise fill its pipe and stop moto mid-request (spawnSync here deadlocks a three-region run).
function cliRun(cli, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

// test/helpers/pty.ts compiled as loadMotoServer compiles its helper.
async function loadPty() {
  const source = fileURLToPath(new URL("../../test/helpers/pty.ts", import.meta.url));
  const { outputFiles } = await build({ entryPoints: [source], bundle: true, platform: "node", format: "esm", write: false, logLevel: "warning", define: { "import.meta.url": JSON.stringify(pathToFileURL(source).href) } });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`);
}
