import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/steps/events.js";
import { createInkRenderer, wantsColor } from "../../src/ui/ink-renderer.js";
import { at, deployStage1, failStage2, finishStage1, verifyPass } from "../helpers/script.js";
import { fakeTerminal, screen } from "../helpers/output.js";

async function run(events: readonly ProgressEvent[], columns = 60) {
  const terminal = fakeTerminal(columns);
  const renderer = createInkRenderer({ stdout: terminal, now: () => at(40) });
  // Two bursts with a pause between, as a stage's events arrive over several polls.
  for (const event of events.slice(0, 5)) renderer.onEvent(event);
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const event of events.slice(5)) renderer.onEvent(event);
  await renderer.close();
  return screen(terminal.output());
}

describe("Ink renderer on a terminal", () => {
  it("leaves the stage rows, the failed row's reason and the root-cause box on a 60-column screen", async () => {
    const lines = await run([...deployStage1, ...finishStage1, ...failStage2]);
    const text = lines.join("\n");
    expect(lines[0]).toBe("deploy demo");
    expect(text).toMatch(/✔ stage 1\/3 demo-api \(us-east-1\) +CREATE_COMPLETE +2m10s/);
    expect(text).toMatch(/✖ stage 2\/3 demo-client \(eu-west-1\) +ROLLBACK_COMPLETE +58s/);
    expect(text).toMatch(/✖ Peering to the API's VPC +DELETE_COMPLETE +35s\n +VpcPeeringConnection failed/);
    expect(text).toMatch(/╭─+╮\n│ stage 2\/3 failed: ROLLBACK_COMPLETE +│/);
    expect(text).toContain("✖ deploy failed at stage 2");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(60);
  });

  it("erases the live rows once their stage has finished", async () => {
    const text = (await run([...deployStage1, ...finishStage1])).join("\n");
    expect(text).toContain("CREATE_COMPLETE");
    expect(text).not.toContain("CREATE_IN_PROGRESS");
    expect(text).not.toContain("interface endpoint");
  });

  it("leaves the response, the latency table and the next commands after a verified deploy", async () => {
    const lines = await run([...deployStage1, ...finishStage1, ...verifyPass]);
    const text = lines.join("\n");
    expect(text).toMatch(/round trip +1450 +185 +200 +260 +260/);
    expect(text).toContain('"message": "hello from the private API"');
    expect(text).toContain("✔ The client in eu-west-1 reaches the private API in");
    expect(text).toContain("  npx xregion-private-api verify --name demo");
    expect(text).not.toContain("invoking the client");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(60);
  });

  it("lays out for the columns it is given rather than the terminal's", async () => {
    const terminal = fakeTerminal(120);
    const renderer = createInkRenderer({ stdout: terminal, columns: 60, now: () => at(40) });
    [...deployStage1, ...finishStage1, ...failStage2].forEach((event) => renderer.onEvent(event));
    await renderer.close();
    const lines = screen(terminal.output());
    expect(Math.max(...lines.map((line) => line.length))).toBe(60);
  });

  it("does not read stdin, so Ctrl-C stays with the CLI's SIGINT handler", async () => {
    const before = process.stdin.listenerCount("readable") + process.stdin.listenerCount("data");
    const renderer = createInkRenderer({ stdout: fakeTerminal(60) });
    renderer.onEvent(deployStage1[0] as ProgressEvent);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(process.stdin.listenerCount("readable") + process.stdin.listenerCount("data")).toBe(before);
    await renderer.close();
  });

  it("can be closed twice, drawing the final frame once", async () => {
    const terminal = fakeTerminal(60);
    const renderer = createInkRenderer({ stdout: terminal });
    renderer.onEvent(deployStage1[0] as ProgressEvent);
    await Promise.all([renderer.close(), renderer.close()]);
    expect(screen(terminal.output())).toEqual(["deploy demo"]);
  });
});

describe("colour", () => {
  const tty = { isTTY: true } as Parameters<typeof wantsColor>[0];
  it.each([
    ["a terminal", {}, true],
    ["NO_COLOR", { NO_COLOR: "1" }, false],
    ["NODE_DISABLE_COLORS", { NODE_DISABLE_COLORS: "1" }, false],
    ["FORCE_COLOR=0", { FORCE_COLOR: "0" }, false],
  ])("is %s → %s on a stream without its own colour rule", (_name, env, expected) => {
    expect(wantsColor(tty, env)).toBe(expected);
  });

  it("asks a real terminal stream, which applies Node's rule to the environment", () => {
    const asked: unknown[] = [];
    const stream = { isTTY: true, hasColors: (_count?: number, env?: object) => (asked.push(env), false) } as Parameters<typeof wantsColor>[0];
    expect(wantsColor(stream, { NO_COLOR: "1" })).toBe(false);
    expect(asked).toEqual([{ NO_COLOR: "1" }]);
  });
});
