// One Node.js floor: package.json's engines, which scripts/check-node.mjs enforces before the suites and
// the demo (npm's pre-scripts) and scripts/with-node.mjs reads to decide whether `npm test` and `npm run
// demo` install Node 24 first. The range must be what every tool we build and test with accepts, and
// nothing else may name a version of its own.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_RANGE, nodeProblem, satisfies, USE_TOOLS_NODE } from "../../scripts/check-node.mjs";
import { tempDir } from "../helpers/cli.js";

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const lowerBounds = NODE_RANGE.split("||").map((part) => part.replace(/[\^>=\s]/g, ""));

function enginesOf(dependency: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", dependency, "package.json"), "utf8")) as { engines?: { node?: string } };
  return manifest.engines?.node;
}

describe("the Node.js floor", () => {
  it("reads the range as npm does for the forms we use", () => {
    expect(satisfies("22.22.2", "^22.22.2 || ^24.15.0 || >=26.0.0")).toBe(true);
    expect(satisfies("22.30.0", "^22.22.2 || ^24.15.0 || >=26.0.0")).toBe(true);
    expect(satisfies("22.22.1", "^22.22.2 || ^24.15.0 || >=26.0.0")).toBe(false);
    expect(satisfies("23.11.0", "^22.22.2 || ^24.15.0 || >=26.0.0")).toBe(false);
    expect(satisfies("24.14.9", "^22.22.2 || ^24.15.0 || >=26.0.0")).toBe(false);
    expect(satisfies("27.1.0", "^22.22.2 || ^24.15.0 || >=26.0.0")).toBe(true);
    expect(satisfies("20.20.2", ">=22")).toBe(false);
    expect(satisfies("22.0.0", ">=22")).toBe(true);
  });

  it("is the package's engines, and the running Node fits it", () => {
    expect(NODE_RANGE).toBe(pkg.engines.node);
    expect(nodeProblem()).toBeUndefined();
  });

  it("is accepted by every build and test tool at each of its lower bounds, and no lower floor is", () => {
    const declared = Object.keys(pkg.devDependencies)
      .map((dependency) => ({ dependency, engines: enginesOf(dependency) }))
      .filter((d): d is { dependency: string; engines: string } => d.engines !== undefined && /^[\s\d.^>=|v]+$/.test(d.engines));
    expect(declared.map((d) => d.dependency)).toEqual(expect.arrayContaining(["vitest", "commander", "@inquirer/prompts", "ink"]));
    for (const bound of lowerBounds) {
      for (const { dependency, engines } of declared) expect(`${dependency} ${satisfies(bound, engines)}`).toBe(`${dependency} true`);
    }
    // 22.22.1 is refused by the prompts library the CLI bundles: the floor cannot go lower.
    expect(declared.filter((d) => !satisfies("22.22.1", d.engines)).map((d) => d.dependency)).toContain("@inquirer/prompts");
  });

  it("refuses an older Node with one line naming the floor, the commands that install their own, and how to use it", () => {
    const problem = nodeProblem("20.20.2")!;
    expect(problem.split("\n")).toHaveLength(1);
    expect(problem).toContain(`Node.js ${lowerBounds[0]} or newer is needed`);
    expect(problem).toContain("`npm test` and `npm run demo` install Node 24 into .tools/ themselves");
    expect(problem).toContain(USE_TOOLS_NODE);
  });

  // The machine's own older Node, when it has one (the development machine's system Node is 20).
  const older = spawnSync("which", ["-a", "node"], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .find((bin) => {
      const version = spawnSync(bin, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
      return version !== "" && !satisfies(version, NODE_RANGE);
    });
  it.runIf(older !== undefined)(`fails at once under an older Node (${older}) before any test runs`, () => {
    const run = spawnSync(older!, [join(ROOT, "scripts/check-node.mjs")], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("npm test");
    expect(pkg).toMatchObject({ scripts: { "pretest:all": "node scripts/check-node.mjs", "predemo:run": "node scripts/check-node.mjs" } });
  });

  it("is named nowhere else: the scripts and .ci/run defer to check-node.mjs", () => {
    const files = execFileSync("git", ["ls-files", "scripts", ".ci", "README.md"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
    for (const file of files.filter((f) => !f.startsWith("scripts/check-node."))) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const versions = [...text.matchAll(/\bNode(?:\.js)? (\d+(?:\.\d+)*)(?: or newer|\+)/gi)].map((m) => m[1]);
      for (const version of versions) expect(`${file}: Node ${version}`).toMatch(new RegExp(`: Node (${lowerBounds.map((b) => b.replace(/\./g, "\\.")).join("|")}|24)$`));
      expect(`${file} ${/process\.versions\.node/.test(text)}`).toBe(`${file} false`);
    }
  });
});

// `npm test` and `npm run demo` on a machine whose Node is below the floor, without one: a copy of the
// scripts in a fresh "clone", a `node` on PATH that says it is 20.20.2, and an `npm` that records what it
// is asked and does it the quick way (Node 24 is this test's own Node, linked; `npm ci` makes the folder).
describe("npm test and npm run demo on an old Node (scripts/with-node.mjs)", () => {
  function clone() {
    const root = tempDir("xregion-with-node-");
    mkdirSync(join(root, "scripts"));
    for (const file of ["with-node.mjs", "check-node.mjs"]) copyFileSync(join(ROOT, "scripts", file), join(root, "scripts", file));
    copyFileSync(join(ROOT, "package.json"), join(root, "package.json"));
    const bin = join(root, "fake-bin");
    mkdirSync(bin);
    const log = join(root, "npm.log");
    writeFileSync(join(bin, "node"), "#!/bin/sh\necho 20.20.2\n", { mode: 0o755 });
    writeFileSync(
      join(bin, "npm"),
      [
        "#!/bin/sh",
        `echo "$*" >> '${log}'`,
        'case "$1" in',
        `  install) [ -n "$NPM_FAILS" ] && exit 7; mkdir -p "$7/node_modules/.bin" && ln -s '${process.execPath}' "$7/node_modules/.bin/node" ;;`,
        "  ci) mkdir node_modules ;;",
        "esac",
      ].join("\n"),
      { mode: 0o755 },
    );
    const env = { PATH: [bin, "/usr/bin", "/bin"].join(delimiter), HOME: root };
    // The command reports the Node it runs on and the first folder of its PATH.
    const command = ["node", "-p", "process.versions.node + ' ' + process.env.PATH.split(require('path').delimiter)[0]"];
    const run = (extra: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [join(root, "scripts/with-node.mjs"), ...command], { cwd: root, env: { ...env, ...extra }, encoding: "utf8" });
    const npmCalls = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    return { root, run, npmCalls, log };
  }

  it("installs Node 24 into .tools/node once, runs npm ci when node_modules is missing, then the command on that Node", () => {
    const { root, run, npmCalls, log } = clone();
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    const tools = join(root, ".tools/node/node_modules/.bin");
    expect(first.stdout).toContain("Node v20.20.2 on PATH, below the floor");
    expect(first.stdout).toContain(`to use it in your own shell: ${USE_TOOLS_NODE}`);
    expect(first.stdout.trim().split("\n").at(-1)).toBe(`${process.versions.node} ${tools}`);
    expect(npmCalls()).toEqual([`install --no-save --no-package-lock --no-audit --no-fund --prefix ${join(root, ".tools/node")} node@24`, "ci --no-audit --no-fund"]);

    writeFileSync(log, "");
    const again = run();
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(`${process.versions.node} ${tools}`);
    expect(readFileSync(log, "utf8")).toBe("");
  });

  it("says in one line what failed and what to run when Node 24 cannot be installed", () => {
    const { run } = clone();
    const failed = run({ NPM_FAILS: "1" });
    expect(failed.status).toBe(1);
    expect(failed.stderr.trim().split("\n")).toEqual([
      "could not install Node 24 into .tools/node (npm exited 7; its output is above): install Node 24 yourself (https://nodejs.org), or retry: npm install --prefix .tools/node node@24",
    ]);
  });

  it("is how npm test and npm run demo start, and .ci/run runs exactly npm test, installing no Node of its own", () => {
    expect(pkg.scripts["test"]).toBe("node scripts/with-node.mjs npm run test:all --");
    expect(pkg.scripts["demo"]).toBe("node scripts/with-node.mjs npm run demo:run --");
    const ci = readFileSync(join(ROOT, ".ci/run"), "utf8");
    expect(ci.split("\n").filter((line) => /^\s*npm /.test(line))).toEqual(["npm test"]);
    expect(ci).not.toMatch(/npm install|node@/);
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("\nnpm test        # every suite");
  });
});
