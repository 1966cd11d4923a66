// One Node.js floor: package.json's engines, which scripts/check-node.mjs enforces before the tests
// (npm's pretest) and .ci/run uses to decide whether to install Node 24. The range must be what every
// tool we build and test with accepts, and nothing else may name a version of its own.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_RANGE, nodeProblem, satisfies } from "../../scripts/check-node.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string }; devDependencies: Record<string, string> };
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

  it("refuses an older Node with one line naming the floor and bash .ci/run", () => {
    const problem = nodeProblem("20.20.2")!;
    expect(problem.split("\n")).toHaveLength(1);
    expect(problem).toContain(`Node.js ${lowerBounds[0]} or newer is needed`);
    expect(problem).toContain("bash .ci/run");
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
    expect(run.stderr).toContain("bash .ci/run");
    expect(pkg).toMatchObject({ scripts: { pretest: "node scripts/check-node.mjs" } });
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
