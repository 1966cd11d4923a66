#!/usr/bin/env node
// npm run demo: try xregion-private-api without an AWS account. Starts the patched moto server (the
// integration tests' launcher) on 127.0.0.1, runs the built CLI's guided `deploy` against it in a fresh
// folder, then `teardown`, then stops moto. Without a terminal on stdin (`npm run demo </dev/null`, CI)
// it runs the same with flags: deploy --name demo --api-region us-east-1 --client-region eu-west-1 --yes.
//
//   npm run demo [-- --port 5055]     (or XREGION_DEMO_PORT=5055; a free port otherwise)
//
// Needs the Node of package.json's engines, moto 5.2.1 in `python3` (or XREGION_PYTHON), and a built
// dist/ (`npm run demo` builds first).
//
// Moto runs in a helper process of its own process group (this file, re-run with --hold-moto): a Ctrl-C in
// the terminal then reaches the CLI, which cancels its running operation against a moto that is still up,
// instead of killing the emulator under it.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { nodeProblem } from "./check-node.mjs";
import { clientAnswers } from "./client-answers.mjs";
import { loadMotoServer, MOTO_NEEDED, parsePort } from "./moto-helper.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist/cli.js");
const ANSWERS_FILE = "xregion-private-api.json";
const SAMPLES = 10;
const PACE_MS = Number(process.env.XREGION_DEMO_PACE_MS ?? 120);

if (process.argv[2] === "--hold-moto") await holdMoto(process.argv[3], parsePort(process.argv[4], "--port"));
else process.exitCode = await main();

async function main() {
  const problem = nodeProblem();
  if (problem) {
    console.error(problem);
    return 2;
  }
  let port;
  try {
    const at = process.argv.indexOf("--port");
    port = at > 0 ? parsePort(process.argv[at + 1] ?? "", "--port") : parsePort(process.env.XREGION_DEMO_PORT, "XREGION_DEMO_PORT");
    if (at > 0 && port === undefined) throw new Error("--port needs a number: npm run demo -- --port 5055");
  } catch (error) {
    console.error(error.message);
    return 2;
  }
  if (!existsSync(CLI)) {
    console.error(`${CLI} does not exist: run \`npm run build\` first (or use \`npm run demo\`, which does).`);
    return 2;
  }
  const guided = process.stdin.isTTY === true;
  const cwd = mkdtempSync(join(tmpdir(), "xregion-demo-"));
  let moto;
  let child; // the CLI while it runs: Ctrl-C is its to handle
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    child?.kill("SIGTERM");
    await moto?.stop();
    rmSync(cwd, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGINT", () => {
    if (!child) void stop(130);
  });
  process.on("SIGTERM", () => void stop(143));
  process.on("SIGHUP", () => void stop(129));

  console.log("Starting moto, a local AWS emulator, on 127.0.0.1 …");
  try {
    moto = await startHolder(cwd, port);
  } catch (error) {
    console.error(`${error.message}\nThe demo needs ${MOTO_NEEDED}.`);
    await stop(1);
  }
  printHeader(moto.endpoint, cwd, guided);

  const run = (args) =>
    new Promise((done) => {
      child = spawn(process.execPath, [CLI, ...args], { cwd, env: moto.env, stdio: "inherit" });
      child.once("error", (error) => {
        console.error(`could not run the CLI: ${error.message}`);
        done(1);
      });
      child.once("exit", (code, signal) => {
        child = undefined;
        done(code ?? (signal === "SIGINT" ? 130 : 1));
      });
    });

  const deployArgs = guided
    ? ["deploy", "--samples", String(SAMPLES)]
    : ["deploy", "--name", "demo", "--api-region", "us-east-1", "--client-region", "eu-west-1", "--yes", "--samples", String(SAMPLES)];
  const deployed = await run(deployArgs);

  let tornDown = 0;
  if (!existsSync(join(cwd, ANSWERS_FILE))) {
    console.log("\nNothing was deployed.");
  } else if (!guided || (await ask("\nTear the demo deployment down now? (Y/n) "))) {
    console.log(`\n$ xregion-private-api teardown --yes\n`);
    tornDown = await run(["teardown", "--yes"]);
  } else {
    console.log("\nLeft as it is; it disappears with the emulator in a moment anyway.");
  }
  console.log("\nStopping the emulator. To try it on AWS, from this folder: npx xregion-private-api (or node dist/cli.js)");
  await stop(deployed !== 0 ? deployed : tornDown);
}

function printHeader(endpoint, cwd, guided) {
  const lines = [
    "",
    "xregion-private-api — demo without an AWS account",
    "─────────────────────────────────────────────────",
    `The real CLI runs against moto, a local AWS emulator on ${endpoint}:`,
    "nothing leaves this machine and no credentials are used.",
    "",
    "Real: the CLI, the three CloudFormation templates, change sets and stack",
    "events, and the VPCs, subnets, peering connection, routes, private hosted zone",
    "and function that moto creates from them, then the teardown.",
    "Not real: no packet crosses the peering connection and the client function",
    `never runs: its ${SAMPLES} answers (HTTP 200, a plausible cross-region latency`,
    "profile) are queued in the emulator; \"round trip\" times the local emulator.",
    "Stack events are paced to show progress: ~20 s for three stages, not minutes.",
    "",
    `Working folder (the answers file is saved there): ${cwd}`,
    guided
      ? "Answer the questions (Enter takes the default); Ctrl-C cancels."
      : "No terminal on stdin: running with flags (--name demo --api-region us-east-1\n--client-region eu-west-1 --yes).",
    "",
  ];
  console.log(lines.join("\n"));
}

function ask(question) {
  return new Promise((done) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    rl.on("SIGINT", () => {
      rl.close();
      done(false);
    });
    rl.question(question, (reply) => {
      rl.close();
      done(!/^n/i.test(reply.trim()));
    });
  });
}

// Starts the helper that owns moto and waits for its first line: the endpoint and the environment.
async function startHolder(cwd, port) {
  const holder = spawn(process.execPath, [fileURLToPath(import.meta.url), "--hold-moto", cwd, ...(port === undefined ? [] : [String(port)])], {
    detached: true, // its own process group: a Ctrl-C in the terminal does not reach moto
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((done) => holder.once("exit", done));
  const first = await new Promise((done, fail) => {
    let text = "";
    holder.stdout.on("data", (chunk) => {
      text += chunk.toString("utf8");
      const end = text.indexOf("\n");
      if (end >= 0) done(JSON.parse(text.slice(0, end)));
    });
    holder.once("exit", (code) => fail(new Error(`the moto helper exited (code ${code}) before it was ready`)));
  });
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_")));
  return {
    endpoint: first.endpoint,
    env: { ...env, ...first.env },
    async stop() {
      holder.stdin.end(); // the helper stops moto when its stdin closes
      const timer = setTimeout(() => holder.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// --hold-moto <folder> [port]: start moto, print {endpoint, env} as one JSON line, queue the client function's
// answers in region B as soon as the CLI has saved the answers file in <folder>, and stop moto when stdin
// closes (the demo finished or died) or on SIGTERM.
async function holdMoto(folder, port) {
  const { startMotoServer } = await loadMotoServer();
  // About 20 s for the three stages instead of AWS's 3-5 minutes, but long enough to watch them build.
  const moto = await startMotoServer({ paceMs: PACE_MS, ...(port === undefined ? {} : { port }) });
  const env = Object.fromEntries(Object.entries(moto.env()).filter(([key]) => key.startsWith("AWS_")));
  process.stdout.write(`${JSON.stringify({ endpoint: moto.endpoint, env })}\n`);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(watch);
    await moto.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => {}); // the demo decides when moto stops
  process.on("SIGTERM", stop);
  process.stdin.on("end", stop).on("error", stop).resume();

  // The regions are only known once the questions are answered; the CLI saves them before its first AWS
  // call, and verification comes after three stacks, so polling the file is early enough.
  const file = join(folder, ANSWERS_FILE);
  const watch = setInterval(async () => {
    let answers;
    try {
      answers = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      return; // not there (or half there) yet
    }
    if (typeof answers.clientRegion !== "string") return;
    clearInterval(watch);
    try {
      await moto.queueLambdaResults(answers.clientRegion, clientAnswers(answers, SAMPLES));
    } catch (error) {
      console.error(`demo: could not queue the client function's answers: ${error.message}`);
    }
  }, 50);
}
