// The whole `deploy` against the patched moto, next to the AWS CLI deploying the same three stages and
// invoking once (test/integration/aws-cli-baseline.sh), on the same server in the same run; and our
// peak memory (max RSS as the kernel counts it, via /usr/bin/time) during the deploy.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "./measure.mjs";

const ANSWER = JSON.stringify({
  ok: true,
  url: "https://abcde12345.execute-api.us-east-1.amazonaws.com/v1/hello",
  status: 200,
  body: '{"message":"hello"}',
  timings: { dnsMs: 2, connectMs: 70, tlsMs: 150, firstByteMs: 80, totalMs: 305 },
  resolvedAddresses: ["10.10.0.10"],
  error: null,
});

export async function motoRows(root, runs = Number(process.env.BENCH_MOTO_RUNS ?? 3)) {
  const { startMotoServer } = await import("../../test/integration/moto-server.ts");
  const moto = await startMotoServer();
  try {
    await moto.warmUp(["us-east-1", "eu-west-1"]);
    const ours = [];
    const theirs = [];
    const rss = [];
    for (let i = 0; i < runs; i++) {
      const cwd = mkdtempSync(join(tmpdir(), "xregion-bench-moto-"));
      const env = { ...moto.env(), CI: "true" };
      const flags = ["--name", `bench${i}`, "--api-region", "us-east-1", "--client-region", "eu-west-1"];
      await moto.queueLambdaResults("eu-west-1", [ANSWER]);
      const rssFile = join(cwd, "rss");
      const started = performance.now();
      const run = spawnSync("/usr/bin/time", ["-f", "%M", "-o", rssFile, process.execPath, join(root, "dist/cli.js"), "deploy", ...flags, "--yes", "--samples", "1"], {
        cwd, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8",
      });
      ours.push(performance.now() - started);
      if (run.status !== 0) throw new Error(`deploy exited ${run.status}: ${run.stderr.slice(-600)}${run.stdout.slice(-600)}`);
      rss.push(Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024);
      spawnSync(process.execPath, [join(root, "dist/cli.js"), "teardown", ...flags, "--yes"], { cwd, env, stdio: "ignore" });
      rmSync(cwd, { recursive: true, force: true });

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
    printPeak("peak memory during deploy, plain (max RSS)", rss);

    // The same deploy as a person runs it: stdout a terminal, so the live Ink view (React and yoga's
    // WebAssembly layout engine) is loaded too. util-linux `script` gives it the pseudo-terminal.
    const inkRss = [];
    for (let i = 0; i < runs; i++) {
      const cwd = mkdtempSync(join(tmpdir(), "xregion-bench-ink-"));
      const { CI: _ci, ...env } = { ...moto.env(), TERM: "xterm-256color" };
      const flags = `--name ink${i} --api-region us-east-1 --client-region eu-west-1`;
      await moto.queueLambdaResults("eu-west-1", [ANSWER]);
      const rssFile = join(cwd, "rss");
      const command = `/usr/bin/time -f %M -o ${rssFile} ${process.execPath} ${join(root, "dist/cli.js")} deploy ${flags} --yes --samples 1`;
      const run = spawnSync("script", ["-qfec", command, "/dev/null"], { cwd, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
      if (run.status !== 0) throw new Error(`deploy in a terminal exited ${run.status}: ${run.stdout.slice(-600)}`);
      inkRss.push(Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024);
      spawnSync(process.execPath, [join(root, "dist/cli.js"), "teardown", ...flags.split(" "), "--yes"], { cwd, env: { ...env, CI: "true" }, stdio: "ignore" });
      rmSync(cwd, { recursive: true, force: true });
    }
    printPeak("peak memory during deploy, live view (RSS)", inkRss);
  } finally {
    await moto.stop();
  }
}

function printPeak(label, runs) {
  const peak = Math.max(...runs);
  const verdict = peak <= 120 ? "  within budget" : "  OVER BUDGET";
  console.log(`${label.padEnd(45)}${peak.toFixed(0).padStart(6)} MB  (budget ≤ 120 MB)${verdict}  runs: ${runs.map((r) => r.toFixed(0)).join(", ")} MB`);
}
