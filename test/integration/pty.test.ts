// The guided deploy in a real pseudo-terminal: the built CLI in a tmux pane, no CI variable,
// TERM=xterm-256color, a fresh folder without an answers file, moto behind the SDK. NEEDS tmux on PATH:
// .ci/run installs it, and without it this test fails rather than skip, so CI never drops it silently.
// Answers are typed key by key; each step waits for its question on the screen.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinContinuations } from "../helpers/output.js";
import { clientAnswer } from "../helpers/payloads.js";
import { openTerminal, tmuxAvailable, type Terminal } from "../helpers/pty.js";
import { expectNothingDeployed, type MotoAws } from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1";
const B = "eu-west-1";
const C = "ap-southeast-2";
// What the client function answers (moto never runs it), cold: the API's URL as stage 1 gives it.
const ANSWER = JSON.stringify(clientAnswer({
  url: `https://a1b2c3d4e5.execute-api.${A}.amazonaws.com/v1/hello`,
  body: JSON.stringify({ message: "Hello from the private API", region: A }),
  timings: { dnsMs: 24.8, connectMs: 73.2, tlsMs: 161.5, firstByteMs: 96.1, totalMs: 357.9 },
}));

describe("the guided deploy in a terminal (tmux)", () => {
  const suite = motoSuite([A, B, C]);
  let moto: MotoServer;
  let aws: MotoAws;
  let cli: MotoSuite["cli"];
  let cwd: string;
  let term: Terminal | undefined;

  beforeAll(() => {
    if (!tmuxAvailable()) throw new Error("tmux is not on PATH: install it (apt-get install tmux) to run the pseudo-terminal test");
    ({ cli, moto, aws } = suite);
    cwd = mkdtempSync(join(tmpdir(), "xregion-pty-cwd-"));
  });

  afterAll(() => {
    term?.close();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it("asks every question (a second client region too, with its own range clear of the others), rejects an overlapping range with a free one to try, and Ctrl-C at the confirmation deploys nothing", async () => {
    const { CI: _ci, ...env } = moto.env();
    expect(existsSync(join(cwd, "xregion-private-api.json"))).toBe(false);
    term = openTerminal({ command: [process.execPath, cli.path, "deploy"], cwd, env, columns: 78 });
    const t = term;

    await t.waitFor("? Deployment name (prefixes the stacks and SSM paths) (xregion)");
    await t.type("pty");
    t.press("Enter");

    await t.waitFor("? Region A — where the private API lives");
    await t.type(A);
    await t.waitFor(/❯ us-east-1 — US East \(N\. Virginia\)\n\n/); // the list, narrowed to one region
    t.press("Enter");
    await t.waitFor("✔ Region A — where the private API lives us-east-1");

    await t.waitFor("? Region B — where the client function runs");
    await t.waitFor(/type to search • ↑↓ navigate • ⏎ select$/m);
    // A region of another partition is not offered, and the list says why instead of finding nothing.
    await t.type("cn-north");
    await t.waitFor(/^\? Region B — where the client function runs cn-north\n.*region B cn-north-1 in\s+aws-cn: VPC peering never crosses partitions/ms);
    t.press("BSpace", "cn-north".length);
    await t.type(B);
    await t.waitFor(/❯ eu-west-1 — Europe \(Ireland\)\n\n/);
    t.press("Enter");
    await t.waitFor("✔ Region B — where the client function runs eu-west-1");

    // A second client region: offered without region A and region B, then no third.
    await t.waitFor("? Add another client region? (y/N)");
    await t.type("y");
    t.press("Enter");
    await t.waitFor("? Client region 2 — where another client function runs");
    await t.type(C);
    await t.waitFor(/❯ ap-southeast-2 — Asia Pacific \(Sydney\)\n\n/);
    t.press("Enter");
    await t.waitFor("✔ Client region 2 — where another client function runs ap-southeast-2");
    await t.waitFor("? Add another client region? (y/N)");
    t.press("Enter");

    await t.waitFor("? IPv4 range of the API VPC (region A) (10.10.0.0/16)");
    t.press("Enter");
    await t.waitFor("✔ IPv4 range of the API VPC (region A) 10.10.0.0/16");

    await t.waitFor("? IPv4 range of the client VPC in eu-west-1 (10.20.0.0/16)");
    const overlapping = "10.10.0.0/24";
    await t.type(overlapping);
    t.press("Enter");
    const refused = await t.waitFor(/overlap[\s\S]*try\s+this range \d+\.\d+\.\d+\.\d+\/24/);
    // Wider than the terminal (78 columns puts its edge inside a range), the message breaks between words.
    expect(refused.replace(/\n/g, " ")).toContain("the API range 10.10.0.0/16 and this range 10.10.0.0/24 overlap in 10.10.0.0/24");
    const rows = t.rows();
    const message = rows.slice(rows.lastIndexOf("> the API range"));
    expect(message.match(/10\.10\.0\.0\/24/g)).toHaveLength(2);
    for (const row of message.split("\n")) expect(row.length).toBeLessThanOrEqual(78);
    const suggested = /try\s+this range (\d+\.\d+\.\d+\.\d+\/24)/.exec(refused)![1]!;
    expect(suggested).not.toBe(overlapping);

    t.press("BSpace", overlapping.length);
    await t.waitFor(/\? IPv4 range of the client VPC in eu-west-1 \(10\.20\.0\.0\/16\)$/m); // empty again
    await t.type(suggested);
    t.press("Enter");
    await t.waitFor(`✔ IPv4 range of the client VPC in eu-west-1 ${suggested}`);
    // The second region's suggestion keeps clear of the API range and the first region's.
    const second = /\? IPv4 range of the client VPC in ap-southeast-2 \((\d+\.\d+\.\d+\.\d+\/\d+)\)/.exec(await t.waitFor("? IPv4 range of the client VPC in ap-southeast-2"))![1]!;
    expect([ "10.10.0.0/16", suggested ]).not.toContain(second);
    t.press("Enter");
    await t.waitFor(`✔ IPv4 range of the client VPC in ap-southeast-2 ${second}`);

    // The plan and the equivalent command, preflight against moto, then the one confirmation.
    const confirming = await t.waitFor('? Deploy the stages of "pty" (stage 1 and 2 client regions) now? (Y/n)', 20_000);
    // Broken before words with " \\" to fit the terminal (the shell joins it again), started the way this
    // run was: node and the path of the built CLI, as from a clone.
    expect(joinContinuations(confirming)).toContain(
      `  node ${cli.path} deploy --name pty --api-region ${A} --client-region ${B},${C} --api-cidr 10.10.0.0/16 --client-cidr ${suggested},${second} --yes`,
    );
    expect(confirming).toContain('Deployment "pty"');
    expect(confirming).toContain("AWS account 123456789012");
    // Saved before the first AWS call, so a cancelled run still needs no re-typing.
    expect(JSON.parse(readFileSync(join(cwd, "xregion-private-api.json"), "utf8"))).toEqual({
      name: "pty",
      apiRegion: A,
      clientRegion: `${B},${C}`,
      apiCidr: "10.10.0.0/16",
      clientCidr: `${suggested},${second}`,
    });

    t.press("C-c");
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).toMatch(/\? Deploy the stages of "pty" \(stage 1 and 2 client regions\) now\? \(Y\/n\)\ncancelled$/m);
    await expectNothingDeployed(aws, [A, B, C]);
  });

  it("refuses a mistyped flag before the first question", async () => {
    term?.close();
    const { CI: _ci, ...env } = moto.env();
    term = openTerminal({ command: [process.execPath, cli.path, "deploy", "--api-region", "us-eats-1"], cwd, env, columns: 80 });
    expect(await term.exitCode()).toBe(2);
    expect(term.screen()).toMatch(/^error: --api-region "us-eats-1" is not an AWS region: did you mean us-east-1\?$/m);
    expect(term.screen()).not.toContain("Deployment name");
  });

  it("tells missing credentials while the questions are on screen, and stops before the plan", async () => {
    term?.close();
    // No keys, no profile files, no instance metadata: the SDK's chain finds nothing, as on a new machine.
    const { CI: _ci, AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...moto_ } = moto.env();
    const env = { ...moto_, AWS_CONFIG_FILE: join(cwd, "none", "config"), AWS_SHARED_CREDENTIALS_FILE: join(cwd, "none", "credentials") };
    const folder = join(cwd, "nocreds");
    mkdirSync(folder);
    term = openTerminal({ command: [process.execPath, cli.path, "deploy"], cwd: folder, env, columns: 80 });
    const t = term;
    await t.waitFor("? Deployment name");
    await t.type("nocreds");
    t.press("Enter");
    for (const [question, answer] of [["? Region A", A], ["? Region B", B]] as const) {
      await t.waitFor(question);
      await t.type(answer);
      await t.waitFor(/❯ \S+-\S+-\d — /);
      t.press("Enter");
    }
    await t.waitFor("? Add another client region? (y/N)");
    t.press("Enter");
    await t.waitFor("? IPv4 range of the API VPC");
    t.press("Enter");
    await t.waitFor("? IPv4 range of the client VPC");
    const notice = /^✖ No AWS credentials found: .*— fix: aws configure/m;
    // Our own line, wrapped at the terminal's width under a hanging indent: read it as one.
    const unwrapped = (text: string) => text.replace(/\n {2}(?=\S)/g, " ");
    // Told while there are still questions to answer: above one of them, not after the last.
    const asking = unwrapped(t.screen());
    expect(asking).toMatch(notice);
    expect(asking.search(notice)).toBeLessThan(asking.indexOf("? IPv4 range of the client VPC"));
    t.press("Enter");
    expect(await t.exitCode()).toBe(1);
    const screen = unwrapped(t.screen());
    expect(screen).toMatch(/^error: No AWS credentials found/m);
    expect(screen).toMatch(/^error: No AWS credentials found: .* fix: aws configure/m);
    expect(screen.match(notice)).toHaveLength(1);
    // Before the plan and the confirmation; the answers are kept for the run after the fix.
    expect(screen).not.toContain('Deployment "nocreds"');
    expect(screen).not.toContain("? Deploy the three stages");
    expect(JSON.parse(readFileSync(join(folder, "xregion-private-api.json"), "utf8"))).toMatchObject({ name: "nocreds", apiRegion: A, clientRegion: B });
  });

  it("draws the live view from the bundle through a whole deploy, then the teardown, in the same terminal", async () => {
    term?.close();
    const { CI: _ci, ...env } = moto.env();
    const flags = ["--name", "live", "--api-region", A, "--client-region", B];
    await moto.queueLambdaResults(B, [ANSWER]);
    term = openTerminal({ command: [process.execPath, cli.path, "deploy", "--yes", "--samples", "1", ...flags], cwd, env, columns: 80 });
    expect(await term.exitCode(30_000)).toBe(0);
    const screen = term.screen();
    // Finished stages folded into rows with their status and time, then the result: Ink's, not plain lines.
    for (const row of [/✔ stage 1\/3 live-api \(us-east-1\) +CREATE_COMPLETE +\d+s/, /✔ stage 2\/3 live-client \(eu-west-1\) +CREATE_COMPLETE/, /✔ stage 3\/3 live-routes \(us-east-1\) +CREATE_COMPLETE/]) {
      expect(screen).toMatch(row);
    }
    expect(screen).not.toContain("[1/3 api us-east-1]");
    expect(screen).toMatch(/latency \(ms\) +cold +min +p50 +p95 +max/);
    expect(screen).toContain("✔ verification passed");
    expect(screen).toMatch(/outputs:\n {2}live-api \(us-east-1\)\n {4}VpcId +vpc-/);

    // The stacks are looked up before the question, which names those that exist; "no" deletes nothing.
    term.close();
    term = openTerminal({ command: [process.execPath, cli.path, "teardown", ...flags], cwd, env, columns: 120 });
    await term.waitFor("? Delete live-routes (us-east-1) and live-client (eu-west-1) and live-api (us-east-1)? (y/N)", 20_000);
    term.press("Enter");
    expect(await term.exitCode()).toBe(0);
    expect(term.screen()).toMatch(/^✔ Delete live-routes .* No\nNothing deleted\.$/m);

    term.close();
    term = openTerminal({ command: [process.execPath, cli.path, "teardown", "--yes", ...flags], cwd, env, columns: 80 });
    expect(await term.exitCode(30_000)).toBe(0);
    expect(term.screen()).toMatch(/✔ stage 1\/3 live-api \(us-east-1\) +DELETE_COMPLETE/);
    await expectNothingDeployed(aws, [A, B]);
  });

  it("lays the live view out for 50 columns: no line folded by the terminal but a whole URL, every stage with its region", async () => {
    term?.close();
    const { CI: _ci, ...env } = moto.env();
    const flags = ["--name", "narrow", "--api-region", A, "--client-region", B];
    await moto.queueLambdaResults(B, [ANSWER]);
    term = openTerminal({ command: [process.execPath, cli.path, "deploy", "--yes", "--samples", "1", ...flags], cwd, env, columns: 50 });
    expect(await term.exitCode(30_000)).toBe(0);
    // screen() joins what the terminal folded: a joined line wider than 50 is one the terminal had to fold.
    const lines = term.screen().split("\n");
    const folded = lines.filter((line) => line.length > 50 && /\S\s+\S/.test(line.trim()));
    expect(folded).toEqual([]);
    for (const [n, key, region] of [[1, "api", A], [2, "client", B], [3, "routes", A]] as const) {
      expect(lines.some((line) => new RegExp(`^✔ (stage )?${n}/3 narrow-${key} \\(${region}\\) +\\S+ +\\d+s$`).test(line))).toBe(true);
    }
    expect(lines.find((line) => line.startsWith("latency (ms)"))?.trim().split(/\s+/).slice(2)).toEqual(["cold", "min", "p50", "p95"]);
    expect(lines.some((line) => /^ +https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/v1\/hello$/.test(line))).toBe(true);

    term.close();
    term = openTerminal({ command: [process.execPath, cli.path, "teardown", "--yes", ...flags], cwd, env, columns: 50 });
    expect(await term.exitCode(30_000)).toBe(0);
    expect(term.screen().split("\n").filter((line) => line.length > 50 && /\S\s+\S/.test(line.trim()))).toEqual([]);
    await expectNothingDeployed(aws, [A, B]);
  });

  it("redraws cleanly when the terminal is made narrower while a stage is running", async () => {
    term?.close();
    // Stacks revealed event by event, as the demo does, so that a stage is still running when the window shrinks.
    const paced = await startMotoServer({ paceMs: 60 });
    try {
      await paced.warmUp([A, B]);
      const { CI: _ci, ...env } = paced.env();
      const flags = ["--name", "resized", "--api-region", A, "--client-region", B];
      term = openTerminal({ command: [process.execPath, cli.path, "deploy", "--yes", "--samples", "1", ...flags], cwd, env, columns: 120 });
      await term.waitFor(/… stage 1\/3 resized-api \(us-east-1\) +CREATE_IN_PROGRESS/, 30_000);
      term.resize(90);
      await term.waitFor(/✔ stage 2\/3 resized-client/, 60_000);
      term.resize(84);
      await term.exitCode(60_000);
      const screen = term.screen();
      // Every live frame was erased whole: no running or waiting row is left behind, each stage shows once.
      expect(screen).not.toMatch(/_IN_PROGRESS|○ stage|^… /m);
      for (const n of [1, 2, 3]) expect(screen.match(new RegExp(`^✔ stage ${n}/3 `, "gm"))).toHaveLength(1);
    } finally {
      await paced.stop();
    }
  });

  it("answering no at the deploy's confirmation is a choice, not Ctrl-C: exit 0, nothing deployed, nothing to tear down", async () => {
    term?.close();
    const { CI: _ci, ...env } = moto.env();
    const flags = ["--name", "declined", "--api-region", A, "--client-region", B];
    const ranges = ["--api-cidr", "10.10.0.0/16", "--client-cidr", "10.20.0.0/16"];
    term = openTerminal({ command: [process.execPath, cli.path, "deploy", ...flags, ...ranges], cwd, env, columns: 80 });
    await term.waitFor('? Deploy the three stages of "declined" now? (Y/n)', 20_000);
    await term.type("n");
    term.press("Enter");
    expect(await term.exitCode()).toBe(0);
    expect(term.screen()).toMatch(/^✔ Deploy the three stages of "declined" now\? No\nNothing deployed\.$/m);
    await expectNothingDeployed(aws, [A, B]);

    // Nothing was deployed, so teardown has nothing to ask about.
    term.close();
    term = openTerminal({ command: [process.execPath, cli.path, "teardown", ...flags], cwd, env, columns: 120 });
    expect(await term.exitCode(20_000)).toBe(0);
    expect(term.screen()).toContain('Nothing to delete: no stack of "declined" exists.');
    expect(term.screen()).not.toContain("? Delete");
  });
});
