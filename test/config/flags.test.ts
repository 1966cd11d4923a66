import { describe, expect, it } from "vitest";
import { parseFlags, type Flags } from "../../src/config/flags.js";

const parse = (argv: string[]) => parseFlags(argv, () => {}) as Flags;

describe("--no-permission-check", () => {
  it("turns deploy's permission check off; it is on unless given", () => {
    expect(parse(["deploy"]).permissionCheck).toBe(true);
    expect(parse(["deploy", "--no-permission-check"]).permissionCheck).toBe(false);
    expect(parse(["--no-permission-check"])).toMatchObject({ command: "deploy", permissionCheck: false });
  });

  it("is refused by the commands that do not check permissions", () => {
    for (const command of ["plan", "status", "verify", "teardown"]) {
      expect(() => parse([command, "--no-permission-check"])).toThrow(/unknown option '--no-permission-check'/);
    }
  });
});
