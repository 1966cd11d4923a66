import { describe, expect, it } from "vitest";
import { responseLines } from "../../src/ui/wording.js";
import { sparkline } from "../../src/ui/ink/verify.js";

describe("sparkline", () => {
  it.each([
    ["scales from the lowest bar to the highest", [100, 150, 200], 10, "▁▅█"],
    ["stays flat when every sample is the same", [120, 120, 120], 10, "▁▁▁"],
    ["keeps the newest samples when they do not fit", [1, 2, 3, 4, 5, 6], 3, "▁▅█"],
    ["draws one sample as one bar", [42], 10, "▁"],
  ])("%s", (_name, values, width, expected) => {
    expect(sparkline(values, width)).toBe(expected);
  });
});

describe("response body", () => {
  it("pretty-prints JSON", () => {
    expect(responseLines('{"message":"hi","n":[1]}')).toEqual(["{", '  "message": "hi",', '  "n": [', "    1", "  ]", "}"]);
  });

  it("shows anything else as it came", () => {
    expect(responseLines("plain <b>text</b>")).toEqual(["plain <b>text</b>"]);
  });

  it("says when there is no body", () => {
    expect(responseLines(null)).toEqual(["(no body)"]);
    expect(responseLines("")).toEqual(["(no body)"]);
  });

  it("stops after a screenful and says how much is left", () => {
    const lines = responseLines(JSON.stringify(Array.from({ length: 30 }, (_, i) => i)));
    expect(lines).toHaveLength(13);
    expect(lines.at(-1)).toBe("… (20 more lines)");
  });
});
