// Where a broken answers file is broken, as V8's JSON.parse messages give it, turned into line and column.
import { describe, expect, it } from "vitest";
import { jsonErrorAt } from "../../src/config/json-error.js";

const at = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonErrorAt(text, (error as Error).message);
  }
  throw new Error(`${text} parsed`);
};

describe("where a JSON text is broken", () => {
  it("takes the position V8 gives, on the line it falls on", () => {
    expect(at('{\n  "name": "demo",\n  "apiRegion" "us-east-1"\n}')).toBe("line 3, column 15: expected ':' after property name");
  });

  it("finds an unexpected character itself, past the same character inside strings", () => {
    expect(at('{\n  "name": "undo",\n  "profile": undefined\n}')).toBe("line 3, column 14: unexpected 'u'");
  });

  it("puts a text that ends too soon at its end", () => {
    expect(at('{\n  "name": "demo",')).toBe("line 2, column 18: expected double-quoted property name");
  });
});
