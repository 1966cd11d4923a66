import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalColumns, wrapCommand, wrapLines } from "../../src/ui/format.js";
import { joinContinuations } from "../helpers/output.js";

const COST =
  "  • Interface endpoint (execute-api) in us-east-1: about $0.01 per AZ-hour × 2 AZs ≈ $0.48/day ($14.60/month) while deployed, plus $0.01 per GB processed.";
const COMMAND =
  "npx xregion-private-api deploy --name demo --api-region us-east-1 --client-region eu-west-1 --api-cidr 10.10.0.0/16 --client-cidr 10.20.0.0/16 --yes";

describe("terminalColumns", () => {
  it("is the terminal's width, and none for a pipe or a file", () => {
    expect(terminalColumns({ isTTY: true, columns: 60 })).toBe(60);
    expect(terminalColumns({ isTTY: false, columns: 60 })).toBeUndefined();
    expect(terminalColumns({})).toBeUndefined();
  });
});

describe("wrapLines", () => {
  it("leaves lines alone when there is no terminal width", () => {
    expect(wrapLines([COST, "short"], undefined)).toEqual([COST, "short"]);
  });

  it("fits a 60-column terminal with whole words, continuation lines hanging under the text", () => {
    const lines = wrapLines([COST], 60);
    expect(lines).toEqual([
      "  • Interface endpoint (execute-api) in us-east-1: about",
      "    $0.01 per AZ-hour × 2 AZs ≈ $0.48/day ($14.60/month)",
      "    while deployed, plus $0.01 per GB processed.",
    ]);
  });

  it("never loses or splits a word and never passes the width (words shorter than the width)", () => {
    const word = fc.stringMatching(/^[a-z0-9$().\/-]{1,15}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 40, max: 120 }), (words, indent, columns) => {
        const line = " ".repeat(indent) + words.join(" ");
        const wrapped = wrapLines([line], columns);
        for (const part of wrapped) expect(part.length).toBeLessThanOrEqual(columns);
        expect(wrapped.join(" ").split(/ +/).filter(Boolean)).toEqual(words);
      }),
    );
  });
});

describe("wrapping what must not be split", () => {
  const URL = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/hello";
  it("gives a word wider than the room a line of its own, whole", () => {
    expect(wrapLines([`InvokeUrl ${URL} (the API's address)`], 50)).toEqual(["InvokeUrl", `  ${URL}`, "  (the API's address)"]);
  });

  it("breaks a command between the words before its flags when they do not fit, never inside a quoted path", () => {
    const command = "node '/home/me/my clones/xregion-private-api/dist/cli.js' teardown --name demo --api-region us-east-1";
    const lines = wrapCommand(command, 2, 50);
    expect(lines).toEqual([
      "  node \\",
      "      '/home/me/my clones/xregion-private-api/dist/cli.js' \\",
      "      teardown --name demo \\",
      "      --api-region us-east-1",
    ]);
    expect(joinContinuations(lines.join("\n")).trim()).toBe(command);
  });
});

describe("wrapCommand", () => {
  it("keeps a command that fits on one line", () => {
    expect(wrapCommand(COMMAND, 2, 200)).toEqual([`  ${COMMAND}`]);
    expect(wrapCommand(COMMAND, 2, undefined)).toEqual([`  ${COMMAND}`]);
  });

  it("breaks before flags with a backslash, so the lines still paste as one command", () => {
    const lines = wrapCommand(COMMAND, 2, 60);
    expect(lines).toEqual([
      "  npx xregion-private-api deploy --name demo \\",
      "      --api-region us-east-1 --client-region eu-west-1 \\",
      "      --api-cidr 10.10.0.0/16 --client-cidr 10.20.0.0/16 \\",
      "      --yes",
    ]);
    // What a shell makes of it: the continuations joined, the original command.
    expect(joinContinuations(lines.join("\n")).trim()).toBe(COMMAND);
  });
});
