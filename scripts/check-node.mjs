#!/usr/bin/env node
// The one Node.js floor, read from package.json's "engines" (the versions every tool we build and test
// with supports: @inquirer/prompts 8 asks for ^22.22.2 || ^24.15.0 || >=26, vitest 5 and commander 15
// for 22.12 or newer). with-node.mjs reads it to decide whether to install Node 24 (for `npm test` and
// `npm run demo`); it runs before the suites and the demo themselves (npm's pre-scripts), and the demo and
// scripts/moto.mjs import it. Plain JavaScript that still parses on old Node, so
// an old Node gets this one line instead of a crash minutes later (vitest on Node 20: Map.groupBy).
//
//   node scripts/check-node.mjs [--quiet]   exit 0 when this Node fits, 1 with one line when it does not
import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** The engines range of package.json ("^22.22.2 || ^24.15.0 || >=26.0.0"). */
export const NODE_RANGE = pkg.engines.node;

/** What a person types to use the Node that `npm test` and `npm run demo` installed, in their own shell. */
export const USE_TOOLS_NODE = 'export PATH="$PWD/.tools/node/node_modules/.bin:$PATH"';

/** Whether `version` ("22.18.0") satisfies `range`: alternatives of `^x.y.z` and `>=x.y.z`, the only forms we use. */
export function satisfies(version, range) {
  const have = numbers(version);
  return range.split("||").some((alternative) => {
    const match = /^\s*(\^|>=)\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(alternative);
    if (!match) throw new Error(`package.json engines.node: "${alternative.trim()}" is not ^x.y.z or >=x.y.z`);
    const want = numbers(match[2]);
    return compare(have, want) >= 0 && (match[1] === ">=" || have[0] === want[0]);
  });
}

/** The one line to print when this Node is outside the range, or undefined when it fits. */
export function nodeProblem(version = process.versions.node) {
  if (satisfies(version, NODE_RANGE)) return undefined;
  const floor = NODE_RANGE.split("||")[0].replace(/[\^>=\s]/g, "");
  return `Node.js ${floor} or newer is needed (${NODE_RANGE}), this is v${version}: \`npm test\` and \`npm run demo\` install Node 24 into .tools/ themselves; to use it here: ${USE_TOOLS_NODE}`;
}

/**
 * The version of the `node` that PATH in `env` leads to (what npm scripts and their children run), or
 * undefined when there is none: with-node.mjs asks it, since the Node running a script may be another.
 */
export function pathNodeVersion(env) {
  const probe = spawnSync("node", ["-p", "process.versions.node"], { env, encoding: "utf8" });
  const version = probe.status === 0 ? probe.stdout.trim() : "";
  return /^\d+\.\d+\.\d+/.test(version) ? version : undefined;
}

function numbers(version) {
  const parts = version.replace(/^v/, "").split(/[.-]/).map(Number);
  return [parts[0] || 0, parts[1] || 0, parts[2] || 0];
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const problem = nodeProblem();
  if (problem) {
    if (!process.argv.includes("--quiet")) console.error(problem);
    process.exit(1);
  }
}
