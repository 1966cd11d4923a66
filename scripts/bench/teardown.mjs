// Teardown against the launcher's model of Lambda's network interfaces (patches/lambda_interfaces.py),
// with AWS's durations scaled 1:60 (a minute becomes a second): Lambda lets go of a function's interfaces
// about 4 minutes after it left its VPC (alchemy-run/alchemy#937) and deletes them 30 minutes after (users
// report 20-40: serverless#5008, cloudformation-coverage-roadmap#392/#414); CloudFormation waits for them
// only when it deletes a function still in its VPC, as the plain delete does. Next to it, the plain stack
// deletes in the right order, as `aws cloudformation delete-stack` 3 → 2 → 1 takes them, each waited for
// by polling DescribeStacks every 100 ms (quicker than any waiter, so the baseline is its floor). moto
// deletes the stacks themselves at once: AWS's minute or two per stack, the same on both sides, is in
// neither figure.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "./measure.mjs";
import { clientAnswers } from "../client-answers.mjs";
import { loadMotoServer } from "../moto-helper.mjs";

const SCALE = 60;
const LETS_GO_MS = (4 * 60_000) / SCALE;
const REAPED_MS = (30 * 60_000) / SCALE;
const A = "us-east-1";
const B = "eu-west-1";

export async function teardownRows(root, runs = Number(process.env.BENCH_TEARDOWN_RUNS ?? 2)) {
  const { startMotoServer } = await loadMotoServer();
  const { CloudFormationClient, DeleteStackCommand, DescribeStacksCommand } = await import("@aws-sdk/client-cloudformation");
  const moto = await startMotoServer({ timeScale: SCALE });
  const cfn = { [A]: new CloudFormationClient(moto.clientConfig(A)), [B]: new CloudFormationClient(moto.clientConfig(B)) };
  const cli = join(root, "dist/cli.js");
  const cwd = mkdtempSync(join(tmpdir(), "xregion-bench-teardown-"));
  const { CI: _ci, ...base } = moto.env();
  const env = { ...base, CI: "true", NO_COLOR: "1" };
  const flags = (name) => ["--name", name, "--api-region", A, "--client-region", B];
  const deploy = async (name) => {
    await moto.queueLambdaResults(B, [...clientAnswers({ apiRegion: "us-east-1" }, 1)]);
    const run = spawnSync(process.execPath, [cli, "deploy", ...flags(name), "--yes", "--samples", "1"], { cwd, env, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`deploy ${name} exited ${run.status}: ${run.stdout.slice(-600)}${run.stderr.slice(-600)}`);
  };
  const gone = async (region, stack) => {
    for (;;) {
      try {
        const { Stacks } = await cfn[region].send(new DescribeStacksCommand({ StackName: stack }));
        if (Stacks?.[0]?.StackStatus === "DELETE_FAILED") throw new Error(`${stack} DELETE_FAILED`);
      } catch (error) {
        if (/does not exist/.test(String(error?.message))) return;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    await moto.warmUp([A, B]);
    const ours = [];
    const plain = [];
    for (let i = 0; i < runs; i++) {
      await deploy(`plain${i}`);
      let started = performance.now();
      for (const [region, stack] of [[A, `plain${i}-routes`], [B, `plain${i}-client`], [A, `plain${i}-api`]]) {
        await cfn[region].send(new DeleteStackCommand({ StackName: stack }));
        await gone(region, stack);
      }
      plain.push(performance.now() - started);

      await deploy(`ours${i}`);
      started = performance.now();
      const run = spawnSync(process.execPath, [cli, "teardown", ...flags(`ours${i}`), "--yes"], { cwd, env, encoding: "utf8" });
      if (run.status !== 0) throw new Error(`teardown exited ${run.status}: ${run.stdout.slice(-600)}`);
      ours.push(performance.now() - started);
    }
    const ratio = median(ours.map((v, i) => v / plain[i]));
    console.log(
      `teardown (3 stacks, ENIs released by us)     ${median(ours).toFixed(0).padStart(6)} ms  vs plain delete-stack 3→2→1 ${median(plain).toFixed(0).padStart(6)} ms  ratio ${ratio.toFixed(2)}× (target ≤ 0.25×)${ratio <= 0.25 ? "  within target" : "  OVER TARGET"}`,
    );
    console.log(`  (1:${SCALE} scale: Lambda lets go of the interfaces after ${LETS_GO_MS / 1000} s for 4 min and deletes them after ${REAPED_MS / 1000} s for 30 min; runs: ours ${ours.map((v) => v.toFixed(0)).join(", ")} ms, plain ${plain.map((v) => v.toFixed(0)).join(", ")} ms)`);
  } finally {
    for (const client of Object.values(cfn)) client.destroy();
    await moto.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
}
