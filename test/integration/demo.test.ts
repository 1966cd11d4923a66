// `npm run demo` as a newcomer runs it in a terminal (tmux): the guided deploy against the demo's own moto,
// then, while the demo waits at its last question, the commands it printed under "next:" pasted into
// another shell that has no AWS settings at all — they must reach the demo's emulator, and verify, status
// and doctor must work there, naming the API and endpoint the demo deployed. Declining the deploy asks
// nothing more. NEEDS tmux on PATH, as the pseudo-terminal test does.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinContinuations } from "../helpers/output.js";
import { openTerminal, tmuxAvailable, type Terminal } from "../helpers/pty.js";
import { copyOfBuiltCli } from "./moto-assertions.js";

const ROOT = resolve(import.meta.dirname, "../..");
let cli: ReturnType<typeof copyOfBuiltCli>;
let demo: string;
let home: string;
let term: Terminal | undefined;

beforeAll(() => {
  if (!tmuxAvailable()) throw new Error("tmux is not on PATH: install it (apt-get install tmux) to run the demo's terminal test");
  // The demo and what it imports beside a private copy of the CLI (a build elsewhere cannot swap it).
  cli = copyOfBuiltCli();
  const copy = resolve(cli.path, "../..");
  for (const file of ["scripts", "test/integration/moto-server.ts", "test/integration/moto"]) cpSync(join(ROOT, file), join(copy, file), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  demo = join(copy, "scripts/demo.mjs");
  home = mkdtempSync(join(tmpdir(), "xregion-demo-home-"));
});

afterAll(() => {
  term?.close();
  cli?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});

// A newcomer's shell: no AWS variable, no ~/.aws, no CI.
const shell = () => ({ PATH: process.env["PATH"], HOME: home, XREGION_DEMO_PACE_MS: "10" });

async function answerTheQuestions(t: Terminal): Promise<void> {
  await t.waitFor("? Deployment name", 30_000);
  t.press("Enter");
  await t.waitFor("? Region A — where the private API lives");
  await t.type("us-east-1");
  await t.waitFor(/❯ us-east-1 — US East \(N\. Virginia\)\n\n/);
  t.press("Enter");
  await t.waitFor("? Region B — where the client function runs");
  await t.type("eu-west-1");
  await t.waitFor(/❯ eu-west-1 — Europe \(Ireland\)\n\n/);
  t.press("Enter");
  await t.waitFor("? Add another client region? (y/N)");
  t.press("Enter");
  await t.waitFor("? IPv4 range of the API VPC (region A)");
  t.press("Enter");
  await t.waitFor("? IPv4 range of the client VPC (region B)");
  t.press("Enter");
  await t.waitFor('? Deploy the three stages of "xregion" now? (Y/n)', 30_000);
}

describe("npm run demo in a terminal", () => {
  it("prints next commands that reach its emulator from any shell, where verify, status and doctor work on what it deployed", async () => {
    term = openTerminal({ command: [process.execPath, demo], cwd: home, env: shell(), columns: 80, rows: 50 });
    const t = term;
    await answerTheQuestions(t);
    t.press("Enter");
    const waiting = await t.waitFor("Tear the demo deployment down now? (Y/n)", 90_000);

    const apiId = /ApiId +(\w+)/.exec(waiting)?.[1];
    const endpointId = /EndpointId +(vpce-\w+)/.exec(waiting)?.[1];
    expect(apiId && endpointId, waiting).toBeTruthy();
    // The proof names what was deployed, not a made-up API.
    expect(waiting).toContain(`"apiId": "${apiId}"`);
    expect(waiting).toContain(`"vpceId": "${endpointId}"`);

    const next = joinContinuations(waiting.slice(waiting.lastIndexOf("\nnext:\n")))
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("AWS_ENDPOINT_URL="));
    expect(next.map((line) => / (verify|status|teardown) --name xregion /.exec(line)?.[1])).toEqual(["verify", "status", "teardown"]);
    const [verify, status] = next;
    expect(verify).toMatch(/^AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+ AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing node \S+\/dist\/cli\.js verify /);

    // Pasted into another shell, one after the other (doctor is verify's command with doctor instead).
    const paste = (command: string) => spawnSync("sh", ["-c", command], { cwd: home, env: { ...shell(), CI: "true", NO_COLOR: "1" }, encoding: "utf8", timeout: 60_000 });
    const verified = paste(verify!);
    expect(verified.status, `${verified.stdout}\n${verified.stderr}`).toBe(0);
    expect(verified.stdout).toContain("verification passed");
    expect(verified.stdout).toContain(`"apiId":"${apiId}"`);
    const shown = paste(status!);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`ApiId: ${apiId}`);
    const doctored = paste(verify!.replace(" verify ", " doctor "));
    expect(doctored.status, `${doctored.stdout}\n${doctored.stderr}`).toBe(0);
    expect(doctored.stdout).toContain(endpointId);

    t.press("Enter");
    expect(await t.exitCode(60_000)).toBe(0);
    const end = t.screen();
    expect(end).toContain('Deleted 3 stacks of "xregion".');
    // It says what it runs, the way it runs it: nothing named xregion-private-api is on PATH here.
    expect(end).toMatch(/^\$ node \S+\/dist\/cli\.js teardown --yes$/m);
    expect(end).not.toContain("$ xregion-private-api");
  });

  it("asks nothing more when the deploy is declined", async () => {
    term?.close();
    term = openTerminal({ command: [process.execPath, demo], cwd: home, env: shell(), columns: 80 });
    const t = term;
    await answerTheQuestions(t);
    await t.type("n");
    t.press("Enter");
    expect(await t.exitCode(30_000)).toBe(0);
    const end = t.screen();
    expect(end).toContain("Nothing was deployed.");
    expect(end).not.toContain("Tear the demo deployment down");
  });
});
