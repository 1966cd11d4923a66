// The live view laid out by the terminal's width: at 50, 60, 80 and 120 columns no line runs past the
// edge except an id or URL too long for any line (kept whole), no stage row loses its region, the
// latency table drops columns rather than wrapping, and nothing is split mid-word; a terminal that
// reports no size is drawn at COLUMNS × LINES or 80 × 24.
import fs from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { ProgressEvent } from "../../src/steps/events.js";
import { createInkRenderer } from "../../src/ui/ink-renderer.js";
import { fitRow, ROW_MAX } from "../../src/ui/ink/row-text.js";
import { at, client, deployStage1, failStage2, finishStage1, routes, verifyPass } from "../helpers/script.js";
import { fakeTerminal, joinContinuations, screen } from "../helpers/output.js";

const URL = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/hello";
const ROLE = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane.doe@example.com";

const longDeploy: ProgressEvent[] = [
  ...deployStage1.map((e) => (e.kind === "identity" ? { ...e, arn: ROLE } : e)),
  ...finishStage1.map((e) => (e.kind === "stage-finished" ? { ...e, outputs: { ApiId: "a1b2c3d4e5", InvokeUrl: URL } } : e)),
  { kind: "warning", message: `the client VPC range 10.20.0.0/16 overlaps existing VPC vpc-0123456789abcdef0 "shared-services" 10.20.0.0/16 in eu-west-1`, at: at(131) },
  { kind: "stage-started", action: "create", at: at(132), ...client },
  { kind: "stage-finished", outcome: "created", outputs: { FunctionName: "demo-client" }, at: at(180), ...client },
  { kind: "stage-started", action: "create", at: at(181), ...routes },
  { kind: "stage-finished", outcome: "created", outputs: {}, at: at(190), ...routes },
  ...verifyPass,
];

async function draw(events: readonly ProgressEvent[], columns: number): Promise<string[]> {
  const terminal = fakeTerminal(columns);
  const renderer = createInkRenderer({ stdout: terminal, now: () => at(40) });
  for (const event of events) renderer.onEvent(event);
  await renderer.close();
  return screen(terminal.output());
}

// A line past the edge is allowed only as one whole word on its own (after its indent).
const tooWide = (lines: readonly string[], columns: number) => lines.filter((line) => line.length > columns && /\S\s+\S/.test(line.trim()));

describe.each([50, 60, 80, 120])("at %i columns", (columns) => {
  it("fits every line, keeps ids and URLs whole, and every stage row its region", async () => {
    const lines = await draw(longDeploy, columns);
    const text = lines.join("\n");
    expect(tooWide(lines, columns)).toEqual([]);
    expect(lines.some((line) => line.trim() === URL || line.endsWith(` ${URL}`))).toBe(true);
    expect(lines.some((line) => line.includes(ROLE))).toBe(true);
    for (const [stage, name, region] of [[1, "demo-api", "us-east-1"], [2, "demo-client", "eu-west-1"], [3, "demo-routes", "us-east-1"]] as const) {
      expect(text).toMatch(new RegExp(`✔ (stage )?${stage}/3 ${name} \\(${region}\\) +(CREATE_COMPLETE|CREATED) +\\d`));
    }
    // Rows stop at 80 columns, so a terminal narrowed to that does not fold them.
    for (const line of lines.filter((l) => /^✔ (stage )?\d\/3/.test(l))) expect(line.length).toBe(Math.min(columns, ROW_MAX));
    // The table keeps its shape: a column is dropped rather than a row wrapped.
    const header = lines.find((line) => line.startsWith("latency (ms)"))!;
    expect(header.length).toBeLessThanOrEqual(columns);
    expect(header.trim().split(/\s+/).slice(2)).toEqual(columns < 51 ? ["cold", "min", "p50", "p95"] : ["cold", "min", "p50", "p95", "max"]);
    expect(lines.find((line) => line.startsWith("round trip"))!.trim().split(/\s+/)).toHaveLength(columns < 51 ? 6 : 7);
    // A next command breaks only before a word, with a continuation the shell joins again.
    const next = text.slice(text.indexOf("next:"));
    expect(joinContinuations(next)).toContain("npx xregion-private-api verify --name demo");
  });

  it("draws a failure with its cause whole and within the width", async () => {
    const lines = await draw([...deployStage1, ...finishStage1, ...failStage2], columns);
    expect(tooWide(lines, columns)).toEqual([]);
    const text = lines.join("\n");
    expect(text).toMatch(/✖ (stage )?2\/3 demo-client \(eu-west-1\) +(ROLLBACK_COMPLETE|ROLLED BACK)/);
    // Every word of the root cause is there, none cut in two.
    for (const word of "VpcPeeringConnection failed: the CIDR 10.0.0.0/16 overlaps the peer's 10.0.0.0/16".split(" ")) {
      expect(text.split(/[\s│]+/)).toContain(word);
    }
  });
});

describe("fitting a row", () => {
  it("gives way in order: the time's padding, the long status word, the word 'stage', then the name — never the region", () => {
    const row = (room: number, elapsed = "39s") => {
      const fitted = fitRow(["stage 2/3 demo-client", "2/3 demo-client"], " (eu-west-1)", "CREATE_IN_PROGRESS", elapsed, room);
      return `… ${fitted.label}${fitted.status}${fitted.elapsed}`;
    };
    expect(row(80)).toBe(`… ${"stage 2/3 demo-client (eu-west-1)".padEnd(53)}CREATE_IN_PROGRESS    39s`);
    expect(row(58)).toBe("… stage 2/3 demo-client (eu-west-1) CREATE_IN_PROGRESS 39s");
    expect(row(50)).toBe("… stage 2/3 demo-client (eu-west-1)   CREATING 39s");
    expect(row(45, "11m38s")).toBe("… 2/3 demo-client (eu-west-1) CREATING 11m38s");
    expect(row(36, "11m38s")).toBe("… 2/3 d… (eu-west-1) CREATING 11m38s");
    for (const room of [30, 36, 44, 50, 58, 80]) expect(row(room).length).toBeLessThanOrEqual(room);
  });
});

describe("a terminal that reports no size", () => {
  async function drawUnsized(env: NodeJS.ProcessEnv, resize = false) {
    const terminal = Object.assign(fakeTerminal(0), { rows: 0 });
    const opened: string[] = [];
    const openSync = vi.spyOn(fs, "openSync").mockImplementation((path) => {
      opened.push(String(path));
      throw Object.assign(new Error("no such device"), { code: "ENXIO" });
    });
    try {
      const renderer = createInkRenderer({ stdout: terminal, now: () => at(40), env });
      for (const event of longDeploy.slice(0, 8)) renderer.onEvent(event);
      if (resize) {
        Object.assign(terminal, { columns: 0, rows: 0 });
        terminal.emit("resize");
      }
      for (const event of longDeploy.slice(8)) renderer.onEvent(event);
      await renderer.close();
    } finally {
      openSync.mockRestore();
    }
    return { lines: screen(terminal.output()), opened, size: [terminal.columns, terminal.rows], listening: terminal.listenerCount("resize") };
  }

  it("is laid out at 80 × 24, and Ink never opens /dev/tty to ask (one leaked descriptor per frame)", async () => {
    const { lines, opened, size } = await drawUnsized({});
    expect(opened).not.toContain("/dev/tty");
    expect(size).toEqual([80, 24]);
    expect(tooWide(lines, 80)).toEqual([]);
    expect(lines.some((line) => line.length > 60)).toBe(true);
  });

  it("takes COLUMNS and LINES when they are set, again after a resize that reports no size, and stops listening once closed", async () => {
    const { lines, opened, size, listening } = await drawUnsized({ COLUMNS: "56", LINES: "30" }, true);
    expect(opened).not.toContain("/dev/tty");
    expect(size).toEqual([56, 30]);
    expect(listening).toBe(0);
    expect(tooWide(lines, 56)).toEqual([]);
  });
});
