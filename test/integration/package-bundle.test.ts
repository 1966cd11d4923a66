// What the build leaves out matters as much as what it ships: the AWS SDK's schemas are tree-shaken to
// the operations we call (scripts/build.mjs, schemaKeysInlined), which is most of the deploy's memory.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { OFFLINE, tempDir } from "../helpers/cli.js";

const DIST = resolve(import.meta.dirname, "../../dist");
const CLI = join(DIST, "cli.js");

/** The internal modules Node loaded for a run of `args` (process.moduleLoadList at exit), stdout a pipe. */
function modulesLoaded(args: readonly string[]): { stdout: string; modules: string[] } {
  const atExit = 'process.on("exit",()=>process.stderr.write(JSON.stringify(process.moduleLoadList)))';
  const run = spawnSync(process.execPath, [`--import=data:text/javascript,${encodeURIComponent(atExit)}`, ...args], {
    env: { PATH: process.env["PATH"], CI: "true", ...OFFLINE },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  expect(run.status).toBe(0);
  return { stdout: run.stdout, modules: JSON.parse(run.stderr) as string[] };
}

/** The bundle's files a run of `args` loaded (resolved through Node's module hooks), and its exit code. */
function filesLoaded(args: readonly string[], cwd: string): { code: number | null; files: string[] } {
  const hook = [
    'import { registerHooks } from "node:module";',
    "const seen = new Set();",
    "registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });",
    'process.on("exit", () => process.stderr.write("\\n" + JSON.stringify([...seen])));',
  ].join("\n");
  const run = spawnSync(process.execPath, [`--import=data:text/javascript,${encodeURIComponent(hook)}`, CLI, ...args], {
    cwd,
    env: { PATH: process.env["PATH"], CI: "true", ...OFFLINE },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  const urls = JSON.parse(run.stderr.trimEnd().split("\n").at(-1)!) as string[];
  return { code: run.status, files: urls.filter((url) => url.startsWith("file:")).map((url) => basename(new URL(url).pathname)) };
}

/** The chunks a chunk imports statically, and theirs: what loading it loads. */
function staticClosure(chunk: string): Set<string> {
  const seen = new Set([chunk]);
  for (const file of seen) {
    const text = readFileSync(join(DIST, "chunks", file), "utf8");
    for (const [, imported] of text.matchAll(/\bimport\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+)["']/g)) seen.add(imported!);
  }
  return seen;
}

function bundleText(): string {
  return readdirSync(join(DIST, "chunks"))
    .filter((file) => file.endsWith(".js"))
    .map((file) => readFileSync(join(DIST, "chunks", file), "utf8"))
    .join("\n");
}

describe("the bundle", () => {
  it("carries the EC2 shapes of the two calls preflight makes, and not the other few thousand", () => {
    const text = bundleText();
    expect(text).toContain("DescribeVpcsRequest");
    expect(text).toContain("DescribeAvailabilityZonesRequest");
    for (const unused of ["RunInstancesRequest", "CreateTransitGatewayRequest", "ModifyInstanceAttributeRequest"]) {
      expect(text, unused).not.toContain(unused);
    }
  });

  // Node builds an imported built-in's ES namespace by reading every export, and some are getters that
  // load more (node:fs's promises loads readline); commander's child_process loads net and dgram.
  it("prints --help without loading what only a command needs", () => {
    const baseline = new Set(modulesLoaded(["-e", "0"]).modules);
    const help = modulesLoaded([CLI, "--help"]);
    expect(help.stdout).toContain("Usage: xregion-private-api");
    const extra = help.modules.filter((name) => !baseline.has(name));
    for (const heavy of ["NativeModule child_process", "NativeModule net", "NativeModule internal/fs/promises", "NativeModule internal/readline/interface", "NativeModule internal/worker"]) {
      expect(extra).not.toContain(heavy);
    }
    expect(extra.length).toBeLessThan(5);
  });

  // signal-exit 3 (two copies, Ink's and restore-cursor's) loaded node:assert and its diff engine for one
  // argument check; stack-utils loaded node:module to list the built-ins at start (inkHelpersTrimmed).
  it("loads the live view without node:assert or node:module", () => {
    const chunk = readdirSync(join(DIST, "chunks")).find((file) => file.startsWith("ink-renderer-"));
    expect(chunk).toBeDefined();
    const live = modulesLoaded(["--input-type=module", "-e", `await import(${JSON.stringify(join(DIST, "chunks", chunk!))});`]);
    expect(live.modules).toContain("NativeModule tty");
    for (const unused of ["NativeModule assert", "NativeModule internal/assert/myers_diff", "NativeModule module"]) {
      expect(live.modules).not.toContain(unused);
    }
  });

  // The same reading of every export, where it costs most: node:http's getters load undici (Node's fetch,
  // 15 MB) when the SDK imports node:http for an http:// endpoint; yoga's loader would call fetch itself.
  // yoga's WebAssembly as a file beside its loader, not as base64 in the live view's source (a string on
  // V8's heap for the whole run): the live view's chunk above loads it, or its import would fail.
  it("imports no Node built-in as an ES module, gives yoga no fetch to call, and ships its WebAssembly as a file", () => {
    const text = bundleText() + readFileSync(CLI, "utf8");
    expect(text).not.toMatch(/\bfrom\s*["']node:/);
    expect(text).not.toMatch(/\bimport\(\s*["']node:/);
    const yoga = readdirSync(join(DIST, "chunks"))
      .filter((file) => file.endsWith(".js"))
      .map((file) => readFileSync(join(DIST, "chunks", file), "utf8"))
      .filter((chunk) => chunk.includes("data:application/octet-stream;base64,"));
    expect(yoga).toHaveLength(1);
    expect(yoga[0]).not.toMatch(/typeof fetch/);
    expect(yoga[0]).not.toMatch(/data:application\/octet-stream;base64,[A-Za-z0-9+/]/);
    expect(readFileSync(join(DIST, "chunks", "yoga.wasm")).subarray(0, 4)).toEqual(Buffer.from("\0asm", "latin1"));
  });
});

// ip-cidr and its ip-address chain (about 50 kB) cost the first question 2 ms when net/ loaded with the
// command: they load with net/, which the command imports only after the questions (docs/how-it-is-built.md, "The package").
describe("the range parser", () => {
  const chunks = readdirSync(join(DIST, "chunks")).filter((file) => file.endsWith(".js"));
  const parser = chunks.filter((file) => readFileSync(join(DIST, "chunks", file), "utf8").includes("Invalid CIDR address."));

  it("is bundled once, and loads with the plan, not with --help or on the way to the first question", () => {
    expect(parser).toHaveLength(1);
    const cwd = tempDir("xregion-parser-");
    expect(filesLoaded(["--help"], cwd).files).not.toContain(parser[0]);
    // Without a terminal deploy stops where it would ask the first question (exit 2, no region).
    const deploy = filesLoaded(["deploy"], cwd);
    expect(deploy.code).toBe(2);
    expect(deploy.files.some((file) => /^deploy-/.test(file))).toBe(true);
    expect(deploy.files).not.toContain(parser[0]);
    // The questions' own chunk does not bring it either.
    const questions = chunks.filter((file) => file.startsWith("prompts-"));
    expect(questions).toHaveLength(1);
    expect(staticClosure(questions[0]!)).not.toContain(parser[0]);
    // And it is found where it is used.
    const plan = filesLoaded(["plan", "--api-region", "us-east-1", "--client-region", "eu-west-1", "--out", join(cwd, "plan")], cwd);
    expect(plan.code).toBe(0);
    expect(plan.files).toContain(parser[0]);
  });
});
