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

// --help lists `help [command]`; it must do what it says.
describe("help <command>", () => {
  const helpOf = (argv: string[]) => {
    let text = "";
    expect(parseFlags(argv, (chunk) => (text += chunk))).toBe("exit-ok");
    return text;
  };

  it("prints that command's help, with its own flags, as <command> --help does", () => {
    for (const command of ["deploy", "plan", "status", "verify", "teardown", "doctor"]) {
      const text = helpOf(["help", command]);
      expect(text).toBe(helpOf([command, "--help"]));
      expect(text).toContain(`Usage: xregion-private-api ${command} [options]`);
      expect(text).toContain("--config <file>");
    }
    expect(helpOf(["help", "doctor"])).toContain("--function <name|arn>");
  });

  it("alone prints the overall help, which lists it; an unknown command gets the nearest", () => {
    const overall = helpOf(["help"]);
    expect(overall).toBe(helpOf(["--help"]));
    expect(overall).toMatch(/^ {2}help \[command\]/m);
    expect(() => parse(["help", "deplyo"])).toThrow("unknown command 'deplyo': did you mean 'deploy'?");
  });
});
