// The moto helpers as a person starts them by hand: the launcher under an interpreter without moto (named
// by XREGION_PYTHON), a port that is taken, its refusal of any connection beyond loopback, and
// `node scripts/moto.mjs`, whose server must let a deploy verify (moto never runs the client function: the
// script queues its realistic answers). Then what `npm run demo` and `node scripts/moto.mjs` print when
// moto cannot start: two lines, what is wrong and the command that fixes it.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { afterAll, describe, expect, it } from "vitest";
import { copyOfBuiltCli } from "./moto-assertions.js";
import { freePort, startMotoServer } from "./moto-server.js";

const ROOT = resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "xregion-moto-scripts-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the moto launcher and its helpers", () => {
  it("refuses, in one line naming the fix, an interpreter without moto 5.2.1 (XREGION_PYTHON names it)", async () => {
    // python3 without its site-packages: no moto there.
    const python = join(scratch, "python-without-moto");
    writeFileSync(python, '#!/bin/sh\nexec python3 -S "$@"\n');
    chmodSync(python, 0o755);
    const direct = spawnSync(python, [join(ROOT, "test/integration/moto/launcher.py"), "--port", "1"], { encoding: "utf8" });
    expect(direct.status).toBe(1);
    expect(direct.stderr.trim()).toMatch(/^moto 5\.2\.1 is needed, found none: \S*python\S* -m pip install 'moto\[server\]==5\.2\.1'$/);

    const before = process.env["XREGION_PYTHON"];
    process.env["XREGION_PYTHON"] = python;
    try {
      await expect(startMotoServer({ startTimeoutMs: 10_000 })).rejects.toThrow(/moto 5\.2\.1 is needed, found none/);
    } finally {
      if (before === undefined) delete process.env["XREGION_PYTHON"];
      else process.env["XREGION_PYTHON"] = before;
    }
  });

  it("refuses a port something else listens on, instead of talking to it", async () => {
    const other = createServer();
    const port = await new Promise<number>((done) => other.listen(0, "127.0.0.1", () => done((other.address() as { port: number }).port)));
    try {
      await expect(startMotoServer({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      other.close();
    }
  });

  it("keeps moto on loopback: a connection beyond it is refused, and stopping the server fails naming it", async () => {
    // Without keys of its own, botocore inside moto asks the instance metadata service when a REST
    // request comes in (moto/core/responses.py _get_method_urls creates a client to read the routes).
    const moto = await startMotoServer({ launcherEnv: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_EC2_METADATA_DISABLED: "false" } });
    const lambda = new LambdaClient(moto.clientConfig("us-east-1"));
    try {
      // Still answered: the refusal only leaves botocore without credentials it never signs with.
      expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    } finally {
      lambda.destroy();
    }
    await expect(moto.stop()).rejects.toThrow(/beyond loopback, to 169\.254\.169\.254:80 \(refused\)/);
  });

  it("node scripts/moto.mjs queues the function's answers, so a deploy against it verifies", async () => {
    const cli = copyOfBuiltCli();
    const port = await freePort();
    const script = spawn(process.execPath, [join(ROOT, "scripts/moto.mjs"), "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    script.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise((done) => script.once("exit", done));
    try {
      const printed: string[] = [];
      for await (const line of createInterface({ input: script.stdout })) {
        printed.push(line);
        if (line.startsWith("# Deploy with")) break;
      }
      const text = printed.join("\n");
      expect(text, stderr).toContain(`moto (patched) on http://127.0.0.1:${port}`);
      expect(text).toMatch(/answers of a working path \(HTTP 200 from an API in us-east-1,\n# 10\.10\.0\.0\/16, called from 10\.20\.0\.0\/16\) are queued in eu-west-1/);
      const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_")));
      for (const [, key, value] of text.matchAll(/^export (\w+)=(.*)$/gm)) env[key!] = value;
      const cwd = join(scratch, "work");
      mkdirSync(cwd);
      const flags = ["--name", "mine", "--api-region", "us-east-1", "--client-region", "eu-west-1"];
      const deploy = spawnSync(process.execPath, [cli.path, "deploy", ...flags, "--yes"], {
        cwd,
        env: { ...env, CI: "true", NO_COLOR: "1" },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(deploy.status, `${deploy.stdout}\n${deploy.stderr}`).toBe(0);
      expect(deploy.stdout).toContain("verification passed");
      expect(deploy.stdout).toContain('"message":"Hello from the private API","region":"us-east-1"');
    } finally {
      script.kill("SIGTERM"); // the script stops its moto server
      await exited;
      cli.remove();
    }
  });

  it("the bench's AWS CLI baseline deploys the templates as they are, passing every stage the parameters it needs", async () => {
    // npm run bench times a deploy against this script doing the same work by hand; a template that gains a
    // parameter without it stops the bench (it did when stage 3 took the endpoint's group).
    const moto = await startMotoServer({ timeScale: 1e6 });
    try {
      const run = spawnSync("bash", [join(ROOT, "test/integration/aws-cli-baseline.sh")], {
        env: { ...process.env, MOTO_ENDPOINT: moto.endpoint, NAME: "baseline" },
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(run.status, run.stderr.slice(-800)).toBe(0);
      expect(JSON.parse(run.stdout.trim().split("\n").pop()!)).toMatchObject({ tool: "aws-cli", stage3Ms: expect.any(Number), totalMs: expect.any(Number) });
    } finally {
      await moto.stop();
    }
  }, 150_000);
});

// What a newcomer sees when the demo or scripts/moto.mjs cannot start moto: exactly two lines on stderr,
// what is wrong and `fix: <command>`, never the compiled helper's data: URL or a stack trace.
describe("the demo and scripts/moto.mjs when moto cannot start", () => {
  const python = (name: string, body: string) => {
    const path = join(scratch, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const run = (script: string, args: readonly string[], env: NodeJS.ProcessEnv) => {
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", script), ...args], {
      env: { PATH: process.env["PATH"], HOME: scratch, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.stderr).not.toMatch(/data:text|base64|^\s+at /m);
    return { code: result.status, told: result.stderr.trim().split("\n") };
  };
  const FIX_MOTO = /^fix: \S*python\S* -m pip install 'moto\[server\]==5\.2\.1'$/;

  it("moto missing", () => {
    const { code, told } = run("demo.mjs", [], { XREGION_PYTHON: python("python-without-moto", 'exec python3 -S "$@"') });
    expect(code).toBe(1);
    expect(told).toEqual(["The emulator cannot start: moto 5.2.1 is needed, found none.", expect.stringMatching(FIX_MOTO)]);
  });

  it("the wrong moto", () => {
    // An interpreter whose only package is a moto 4.2.0 (its metadata is what the launcher reads).
    const site = join(scratch, "old-moto");
    mkdirSync(join(site, "moto-4.2.0.dist-info"), { recursive: true });
    writeFileSync(join(site, "moto-4.2.0.dist-info/METADATA"), "Metadata-Version: 2.1\nName: moto\nVersion: 4.2.0\n");
    const { code, told } = run("moto.mjs", [], { XREGION_PYTHON: python("python-old-moto", `PYTHONPATH='${site}' exec python3 -S "$@"`) });
    expect(code).toBe(1);
    expect(told).toEqual(["The emulator cannot start: moto 5.2.1 is needed, found 4.2.0.", expect.stringMatching(FIX_MOTO)]);
  });

  it("no Python at all, or XREGION_PYTHON naming none", () => {
    const { code, told } = run("demo.mjs", [], { PATH: join(scratch, "empty-bin") });
    expect(code).toBe(1);
    expect(told).toEqual([
      "The emulator (moto, in Python) cannot start: there is no python3 on this machine.",
      expect.stringMatching(/^fix: (sudo )?apt-get install -y python3-pip && python3 -m pip install 'moto\[server\]==5\.2\.1'$/),
    ]);
    const named = run("demo.mjs", [], { XREGION_PYTHON: join(scratch, "no-such-python") });
    expect(named.told).toEqual([`The emulator (moto, in Python) cannot start: XREGION_PYTHON names ${join(scratch, "no-such-python")}, which does not exist.`, "fix: unset XREGION_PYTHON"]);
  });

  it("a busy port: not moto's fault, and a free one to use instead", async () => {
    const other = createServer();
    const port = await new Promise<number>((done) => other.listen(0, "127.0.0.1", () => done((other.address() as { port: number }).port)));
    try {
      for (const [script, args, fix] of [
        ["demo.mjs", ["--port", String(port)], /^fix: npm run demo -- --port (\d+)$/],
        ["moto.mjs", ["--port", String(port)], /^fix: node scripts\/moto\.mjs --port (\d+)$/],
      ] as const) {
        const { code, told } = run(script, args, {});
        expect(code).toBe(1);
        expect(told).toEqual([`Port ${port} on 127.0.0.1 is taken by another program, so the emulator cannot listen there.`, expect.stringMatching(fix)]);
        expect(Number(fix.exec(told[1]!)![1])).not.toBe(port);
        expect(told.join("\n")).not.toMatch(/moto 5\.2\.1|pip install/);
      }
    } finally {
      other.close();
    }
  });
});
