#!/usr/bin/env node
// Runs a command on a Node that fits package.json's engines, from a fresh clone on any machine: `npm test`
// and `npm run demo` start here (and .ci/run through `npm test`), so the system Node is never a dead end.
//
//   node scripts/with-node.mjs <command> [args…]
//
// 1. The Node the command will run is the `node` on PATH (npm scripts and their children take it from
//    there). When it is below the floor, Node 24 from the npm package `node` goes into .tools/node
//    (git-ignored; once) and leads PATH from then on.
// 2. node_modules missing (a fresh clone): `npm ci`.
// 3. The command, with that PATH; its exit code is ours.
// Every failure is one line saying what is wrong and the command that fixes it. Plain JavaScript that
// parses on old Node, as check-node.mjs is.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { NODE_RANGE, pathNodeVersion, satisfies, USE_TOOLS_NODE } from "./check-node.mjs";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
const TOOLS = join(ROOT, ".tools/node");
const TOOLS_BIN = join(TOOLS, "node_modules/.bin");

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error("usage: node scripts/with-node.mjs <command> [args…]");
  process.exit(2);
}

const env = { ...process.env };
const found = pathNodeVersion(env);
if (found === undefined || !satisfies(found, NODE_RANGE)) {
  const tools = { ...env, PATH: [TOOLS_BIN, env.PATH].join(delimiter) };
  const ready = pathNodeVersion(tools);
  if (ready === undefined || !satisfies(ready, NODE_RANGE)) {
    console.log(`${found ? `Node v${found}` : "No node"} on PATH, below the floor (${NODE_RANGE}): installing Node 24 from the npm package \`node\` into .tools/node (once)`);
    const install = run("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", TOOLS, "node@24"], env);
    const installed = pathNodeVersion(tools);
    if (install !== 0 || installed === undefined || !satisfies(installed, NODE_RANGE)) {
      fail(`could not install Node 24 into .tools/node (npm exited ${install}; its output is above): install Node 24 yourself (https://nodejs.org), or retry: npm install --prefix .tools/node node@24`);
    }
    console.log(`Node v${installed} is in .tools/node; to use it in your own shell: ${USE_TOOLS_NODE}`);
  }
  env.PATH = tools.PATH;
}

if (!existsSync(join(ROOT, "node_modules"))) {
  console.log("node_modules is missing: npm ci");
  const installed = run("npm", ["ci", "--no-audit", "--no-fund"], env);
  if (installed !== 0) fail(`npm ci exited ${installed} (its output is above): fix what it names, then run the same command again`);
}

// Ctrl-C reaches the command itself (the terminal signals the whole process group): this script waits
// for it to finish its own way (the demo's CLI cancels its operation) and ends with its code. A signal
// sent to this script alone goes on to the command.
const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.once("error", (error) => fail(`could not run ${command}: ${error.message}`));
child.once("exit", (code, signal) => process.exit(code ?? exitCodeOf(signal)));

function run(program, programArgs, environment) {
  const child = spawnSync(program, programArgs, { cwd: ROOT, env: environment, stdio: "inherit" });
  if (child.error) fail(`could not run ${program}: ${child.error.message}`);
  return child.status ?? exitCodeOf(child.signal);
}

// A command stopped by a signal ends the way a shell reports it: 128 + the signal's number.
function exitCodeOf(signal) {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 9);
}

function fail(line) {
  console.error(line);
  process.exit(1);
}
