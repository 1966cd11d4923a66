#!/usr/bin/env node
// npm run demo: try xregion-private-api without an AWS account. Starts the patched moto server (the
// integration tests' launcher) on 127.0.0.1, runs the built CLI's guided `deploy` against it in a fresh
// folder, then `teardown`, then stops moto. Without a terminal on stdin (`npm run demo </dev/null`, CI)
// it runs the same with flags: deploy --name demo --api-region us-east-1 --client-region eu-west-1 --yes.
//
//   npm run demo [-- --port 5055]     (or XREGION_DEMO_PORT=5055; a free port otherwise)
//
// Needs the Node of package.json's engines, moto 5.2.1 in `python3` (or XREGION_PYTHON), and a built
// dist/ (`npm run demo` sets all but moto up first: scripts/with-node.mjs, then the build). A failure to
// start is one or two lines: what is wrong, and the command that fixes it (moto-helper.mjs, startMoto).
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
import { clientAnswers, QUEUED_ANSWERS } from "./client-answers.mjs";
import { MotoProblem, parsePort, startMoto } from "./moto-helper.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist/cli.js");
const ANSWERS_FILE = "xregion-private-api.json";
const SAMPLES = 10;
const PACE_MS = Number(process.env.XREGION_DEMO_PACE_MS ?? 120);
const STAGES = ["api", "client", "routes"];

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
    console.error(`${CLI} does not exist: npm run demo builds it first, or run npm run build`);
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
    console.error(error.message);
    await stop(1);
  }
  // The commands the CLI prints (next:, the equivalent command) reach this emulator from any terminal:
  // its address and moto's test keys lead them (README, "XREGION_INVOCATION").
  const cli = `node ${shellWord(CLI)}`;
  const invocation = `AWS_ENDPOINT_URL=${moto.endpoint} AWS_ACCESS_KEY_ID=${moto.env.AWS_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${moto.env.AWS_SECRET_ACCESS_KEY} ${cli}`;
  printHeader(moto.endpoint, cwd, guided);

  const run = (args) =>
    new Promise((done) => {
      child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...moto.env, XREGION_INVOCATION: invocation }, stdio: "inherit" });
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
  if ((await stacksLeft(moto, join(cwd, ANSWERS_FILE))) === 0) {
    console.log("\nNothing was deployed.");
  } else if (!guided || (await ask("\nThe emulator stays up until you answer: the next: commands above work against it from another\nterminal. Tear the demo deployment down now? (Y/n) "))) {
    console.log(`\n$ ${cli} teardown --yes\n`);
    tornDown = await run(["teardown", "--yes"]);
  } else {
    console.log("\nLeft as it is; it disappears with the emulator in a moment anyway.");
  }
  console.log("\nStopping the emulator. To try it on AWS, from this folder: npx xregion-private-api (or node dist/cli.js)");
  await stop(deployed !== 0 ? deployed : tornDown);
}

// How many of the deployment's stacks exist in the emulator (none when no answers were saved).
async function stacksLeft(moto, answersFile) {
  let answers;
  try {
    answers = JSON.parse(readFileSync(answersFile, "utf8"));
  } catch {
    return 0;
  }
  const { CloudFormationClient, DescribeStacksCommand } = await import("@aws-sdk/client-cloudformation");
  let found = 0;
  for (const [stage, region] of [[0, answers.apiRegion], [1, answers.clientRegion], [2, answers.apiRegion]]) {
    const cfn = new CloudFormationClient(moto.clientConfig(region));
    try {
      const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: `${answers.name}-${STAGES[stage]}` }));
      found += Stacks.filter((stack) => stack.StackStatus !== "DELETE_COMPLETE").length;
    } catch {
      // ValidationError: the stack does not exist
    } finally {
      cfn.destroy();
    }
  }
  return found;
}

// A path as one shell word: quoted only when it holds something a shell would split or expand.
function shellWord(text) {
  return /^[\w./+:@%=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
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
    "never runs: what it answers on a working path (HTTP 200 from the API stage 1",
    "made, through its endpoint, with a plausible cross-region latency profile) is",
    "queued in the emulator; \"round trip\" times the local emulator.",
    "Stack events are paced to show progress: ~20 s for three stages, not minutes.",
    "The commands the CLI prints carry the emulator's address: while the demo waits,",
    "they run against it from another terminal, never against an AWS account.",
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

// Starts the helper that owns moto and waits for its first line: the endpoint and the environment, or the
// problem that kept moto from starting (one or two lines, to print as they are).
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
    holder.once("exit", (code) => fail(new Error(`The emulator's helper stopped (code ${code}) before moto was ready.\nto see all it printed: XREGION_DEBUG=1 npm run demo`)));
  });
  if (first.problem) throw new MotoProblem(first.problem);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_")));
  return {
    endpoint: first.endpoint,
    env: { ...env, ...first.env },
    clientConfig: (region) => ({ region, endpoint: first.endpoint, credentials: { accessKeyId: first.env.AWS_ACCESS_KEY_ID, secretAccessKey: first.env.AWS_SECRET_ACCESS_KEY } }),
    async stop() {
      holder.stdin.end(); // the helper stops moto when its stdin closes
      const timer = setTimeout(() => holder.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// --hold-moto <folder> [port]: start moto, print {endpoint, env} (or {problem}) as one JSON line, queue the
// client function's answers in region B once stage 1 exists (they name its API and endpoint), and stop
// moto when stdin closes (the demo finished or died) or on SIGTERM.
async function holdMoto(folder, port) {
  let moto;
  try {
    // About 20 s for the three stages instead of AWS's 3-5 minutes, but long enough to watch them build.
    moto = await startMoto(
      { paceMs: PACE_MS, ...(port === undefined ? {} : { port }) },
      { portFix: (free) => `npm run demo -- --port ${free}`, rerun: "npm run demo" },
    );
  } catch (error) {
    const problem = error instanceof MotoProblem ? error.lines : [`The emulator did not start: ${error.message}`, "to see all it printed: XREGION_DEBUG=1 npm run demo"];
    process.stdout.write(`${JSON.stringify({ problem })}\n`);
    process.exit(1);
  }
  const env = Object.fromEntries(Object.entries(moto.env()).filter(([key]) => key.startsWith("AWS_")));
  process.stdout.write(`${JSON.stringify({ endpoint: moto.endpoint, env })}\n`);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(watch);
    await moto.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => {}); // the demo decides when moto stops
  process.on("SIGTERM", stop);
  process.stdin.on("end", stop).on("error", stop).resume();

  // The regions are known once the CLI has saved the answers file (before its first AWS call), the API
  // and its endpoint once stage 1 is complete; verification comes after two more stacks, so polling for
  // them is early enough.
  const file = join(folder, ANSWERS_FILE);
  let watch;
  const look = async () => {
    const queued = await queueAnswers(moto, file).catch((error) => {
      console.error(`demo: could not queue the client function's answers: ${error.message}`);
      return true;
    });
    if (!queued && !stopped) watch = setTimeout(look, 50);
  };
  await look();
}

// Queues what the client function answers, naming the API and endpoint stage 1 made, once they exist:
// true when done. Enough for the deploy's verification and many a later `verify`.
async function queueAnswers(moto, file) {
  let answers;
  try {
    answers = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return false; // not there (or half there) yet
  }
  if (typeof answers.clientRegion !== "string" || typeof answers.apiRegion !== "string") return false;
  const [{ CloudFormationClient, DescribeStacksCommand }, { EC2Client, DescribeNetworkInterfacesCommand, DescribeVpcEndpointsCommand }] = await Promise.all([
    import("@aws-sdk/client-cloudformation"),
    import("@aws-sdk/client-ec2"),
  ]);
  const cfn = new CloudFormationClient(moto.clientConfig(answers.apiRegion));
  const ec2 = new EC2Client(moto.clientConfig(answers.apiRegion));
  try {
    const stack = await cfn.send(new DescribeStacksCommand({ StackName: `${answers.name}-api` })).then(
      (out) => out.Stacks?.[0],
      () => undefined, // not created yet
    );
    const output = (key) => stack?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
    const apiId = output("ApiId");
    const vpceId = output("EndpointId");
    if (!apiId || !vpceId) return false;
    // The addresses the API's name resolves to: the endpoint's own interfaces.
    const { VpcEndpoints = [] } = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpceId] }));
    const interfaces = VpcEndpoints[0]?.NetworkInterfaceIds ?? [];
    const { NetworkInterfaces = [] } = interfaces.length > 0 ? await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: interfaces })) : {};
    const endpointAddresses = NetworkInterfaces.map((n) => n.PrivateIpAddress).filter(Boolean);
    await moto.queueLambdaResults(answers.clientRegion, clientAnswers({ ...answers, apiId, vpceId, ...(endpointAddresses.length > 0 ? { endpointAddresses } : {}) }, QUEUED_ANSWERS));
    return true;
  } finally {
    cfn.destroy();
    ec2.destroy();
  }
}
