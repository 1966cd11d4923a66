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
    expect(parse(["connect", "--no-permission-check"]).permissionCheck).toBe(false);
    for (const command of ["plan", "status", "verify", "teardown", "disconnect"]) {
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
    for (const command of ["deploy", "plan", "status", "verify", "teardown", "doctor", "connect", "disconnect"]) {
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

describe("connect and disconnect", () => {
  it("connect takes the existing API, endpoint and client, the peering, the probe and --dry-run", () => {
    const flags = parse([
      "connect", "--api-id", "a1b2c3d4e5", "--stage", "prod", "--endpoint", "vpce-0123456789abcdef0", "--client-vpc", "vpc-0123456789abcdef0",
      "--client-subnets", "subnet-0a,subnet-0b", "--client-security-groups", "sg-0a", "--peering", "new", "--no-probe", "--dry-run", "--samples", "2",
    ]);
    expect(flags).toMatchObject({
      command: "connect", apiId: "a1b2c3d4e5", stage: "prod", endpoint: "vpce-0123456789abcdef0", clientVpc: "vpc-0123456789abcdef0",
      clientSubnets: "subnet-0a,subnet-0b", clientSecurityGroups: "sg-0a", peering: "new", probe: false, dryRun: true, samples: 2, permissionCheck: true,
    });
    expect(parse(["connect", "--function", "orders-caller"])).toMatchObject({ functionName: "orders-caller", dryRun: false });
  });

  it("leaves the probe unset unless --probe or --no-probe is given, so the answers file's choice holds", () => {
    expect(parse(["connect"]).probe).toBeUndefined();
    expect(parse(["connect", "--probe"]).probe).toBe(true);
    expect(parse(["connect", "--no-probe"]).probe).toBe(false);
  });

  it("disconnect takes what finds a connection and --yes, nothing of connect's", () => {
    expect(parse(["disconnect", "--name", "orders", "--yes"])).toMatchObject({ command: "disconnect", name: "orders", yes: true });
    expect(() => parse(["disconnect", "--api-id", "a1b2c3d4e5"])).toThrow(/unknown option '--api-id'/);
    expect(() => parse(["disconnect", "--dry-run"])).toThrow(/unknown option '--dry-run'/);
    // The address ranges are a deployment's.
    expect(() => parse(["connect", "--api-cidr", "10.1.0.0/16"])).toThrow(/unknown option '--api-cidr'/);
  });
});

describe("--max-parallel", () => {
  it("bounds how many client regions deploy or are deleted at once: 4 unless given, 1 to 32", () => {
    expect(parse(["deploy"]).maxParallel).toBe(4);
    expect(parse(["deploy", "--max-parallel", "1"]).maxParallel).toBe(1);
    expect(parse(["teardown", "--max-parallel", "32"]).maxParallel).toBe(32);
    for (const bad of ["0", "33", "2.5", "four", "-1"]) {
      expect(() => parse(["deploy", "--max-parallel", bad]), bad).toThrow(/^--max-parallel .* must be a whole number from 1 to 32: pass e\.g\. --max-parallel 4$/);
    }
  });

  it("is refused by the commands that create and delete nothing", () => {
    for (const command of ["plan", "status", "verify", "doctor"]) {
      expect(() => parse([command, "--max-parallel", "2"])).toThrow(/unknown option '--max-parallel'/);
    }
  });
});
