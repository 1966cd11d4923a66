import { afterAll, describe, expect, it, vi } from "vitest";

// chalk decides its level when first imported: force colour on before Ink loads, so an absent colour
// code is our doing and not the test runner's missing terminal.
const previous = vi.hoisted(() => {
  const value = process.env["FORCE_COLOR"];
  process.env["FORCE_COLOR"] = "1";
  return value;
});

const { createInkRenderer } = await import("../../src/ui/ink-renderer.js");
const { deployStage1, failStage2, finishStage1 } = await import("../helpers/script.js");
const { fakeTerminal } = await import("../helpers/output.js");

afterAll(() => {
  if (previous === undefined) delete process.env["FORCE_COLOR"];
  else process.env["FORCE_COLOR"] = previous;
});

// SGR foreground colours (31 red, 32 green, 33 yellow, 36 cyan…); bold and dim are not colour.
const COLOUR = /\u001b\[(3[0-79]|9[0-7]|38;)/;

async function output(env: NodeJS.ProcessEnv): Promise<string> {
  const terminal = fakeTerminal(60);
  const renderer = createInkRenderer({ stdout: terminal, env });
  [...deployStage1, ...finishStage1, ...failStage2].forEach((event) => renderer.onEvent(event));
  await renderer.close();
  return terminal.output();
}

describe("colour on the Ink screen", () => {
  it("paints status marks and the failure box when colour is on", async () => {
    const raw = await output({});
    // Each mark in its own colour, right before it: done green, failed red; the box's border red.
    expect(raw).toMatch(/\u001b\[32m✔/);
    expect(raw).toMatch(/\u001b\[31m✖/);
    expect(raw).toMatch(/\u001b\[31m╭─/);
    expect(raw).toMatch(/\u001b\[31m╰─/);
    
  });

  it("writes no colour codes when NO_COLOR is set", async () => {
    const raw = await output({ NO_COLOR: "1" });
    expect(raw).toContain("ROLLBACK_COMPLETE");
    expect(raw).not.toMatch(COLOUR);
  });
});
