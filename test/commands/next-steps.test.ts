// The printed commands ("next:", the equivalent command) start the way this run was started: what npx,
// npm, a global install and a clone really put in process.argv[1] and the environment.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { connectFlagAnswers } from "../../src/commands/connect.js";
import { connectionNext, connectMissing, deploymentNext, equivalentConnect, invocation } from "../../src/commands/next-steps.js";
import { ANSWER_KEYS, type Answers, type ConnectAnswers } from "../../src/config/answers.js";
import { resolveConnectAnswers } from "../../src/config/connect-answers.js";
import { resolveAnswers } from "../../src/config/resolve.js";
import { type Flags, parseFlags } from "../../src/config/flags.js";
import { wrapCommand } from "../../src/ui/format.js";

const npmEnv = { npm_command: "exec", npm_lifecycle_event: "npx", npm_execpath: "/usr/lib/node_modules/npm/bin/npm-cli.js", PATH: "/usr/bin:/bin" };

describe("invocation", () => {
  it("is npx for a run through npx or npm exec (the bin in npx's cache)", () => {
    expect(invocation("/root/.npm/_npx/9151e521479dfc89/node_modules/.bin/xregion-private-api", npmEnv, "/home/me/work")).toBe("npx xregion-private-api");
  });

  it("is npx for a project's own install run by an npm script, even though npm put its .bin on PATH", () => {
    const bin = "/home/me/app/node_modules/.bin/xregion-private-api";
    const env = { npm_command: "run", npm_lifecycle_event: "infra", PATH: "/home/me/app/node_modules/.bin:/usr/bin" };
    expect(invocation(bin, env, "/home/me/app")).toBe("npx xregion-private-api");
    expect(invocation(bin, { PATH: "/usr/bin" }, "/home/me/app")).toBe("npx xregion-private-api");
  });

  it("is the bare name for a global install, whose bin is on PATH", () => {
    expect(invocation("/usr/local/bin/xregion-private-api", { PATH: "/home/me/bin:/usr/local/bin:/usr/bin" }, "/home/me")).toBe("xregion-private-api");
  });

  it("is node and the path for a clone, relative when the run is inside it", () => {
    expect(invocation("/home/me/xregion-private-api/dist/cli.js", { PATH: "/usr/bin" }, "/home/me/xregion-private-api")).toBe("node dist/cli.js");
    expect(invocation("/home/me/xregion-private-api/dist/cli.js", { PATH: "/usr/bin" }, "/tmp/try")).toBe("node /home/me/xregion-private-api/dist/cli.js");
  });

  it("is node and the path for a clone's dist run from an npm script: the inherited npm variables do not make it npx", () => {
    expect(invocation("/home/me/x/dist/cli.js", { ...npmEnv, npm_command: "run", npm_lifecycle_event: "demo" }, "/tmp/xregion-demo-1")).toBe(
      "node /home/me/x/dist/cli.js",
    );
  });

  it("quotes a path a shell would split", () => {
    expect(invocation("/home/me/My Projects/x/dist/cli.js", { PATH: "/usr/bin" }, "/tmp")).toBe("node '/home/me/My Projects/x/dist/cli.js'");
    expect(invocation("/home/me/it's/dist/cli.js", { PATH: "/usr/bin" }, "/tmp")).toBe(`node '/home/me/it'\\''s/dist/cli.js'`);
  });

  it("is npx when Node was given no script path", () => {
    expect(invocation(undefined, {}, "/tmp")).toBe("npx xregion-private-api");
  });

  it("is what XREGION_INVOCATION says when set: a wrapper, or the demo's emulator in front of the clone's CLI", () => {
    const demo = "AWS_ENDPOINT_URL=http://127.0.0.1:5055 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing node /home/me/x/dist/cli.js";
    expect(invocation("/home/me/x/dist/cli.js", { PATH: "/usr/bin", XREGION_INVOCATION: demo }, "/tmp/xregion-demo-1")).toBe(demo);
    expect(invocation("/home/me/x/dist/cli.js", { PATH: "/usr/bin", XREGION_INVOCATION: " " }, "/tmp")).toBe("node /home/me/x/dist/cli.js");
  });
});

describe("equivalentConnect", () => {
  it("repeats a connect of several client regions as one shell command: a value holding ';' is quoted", () => {
    const command = equivalentConnect("npx xregion-private-api", {
      name: "orders", apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "eu-west-1,ap-southeast-2",
      clientVpc: "vpc-0123456789abcdef0,vpc-0fedcba9876543210", clientSubnets: "subnet-0123456789abcdef0;subnet-0fedcba9876543210", peering: "auto", probe: true,
    });
    expect(command).toBe(
      "npx xregion-private-api connect --name orders --api-region us-east-1 --api-id a1b2c3d4e5 --client-region eu-west-1,ap-southeast-2 --client-vpc vpc-0123456789abcdef0,vpc-0fedcba9876543210 --client-subnets 'subnet-0123456789abcdef0;subnet-0fedcba9876543210'",
    );
  });
});

// A printed command as a person pastes it (wrapped at 50 columns): the words a POSIX shell hands the CLI, then
// the CLI's own flag parser.
function pasted(command: string): Flags {
  const [program, ...rest] = wrapCommand(command, 2, 50).join("\n").trim().split(" ");
  expect(program).toBe("xr");
  const words = execFileSync("sh", ["-c", `printf '%s\\0' ${rest.join(" ")}`], { encoding: "utf8" }).split("\0").slice(0, -1);
  return parseFlags(words, () => {}) as Flags;
}

describe("connectionNext", () => {
  const SEVERAL: ConnectAnswers = {
    name: "orders", apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "eu-west-1,ap-southeast-2", stage: "prod", endpoint: "vpce-0123456789abcdef0",
    clientVpc: "vpc-0123456789abcdef0,vpc-0fedcba9876543210", clientSubnets: "subnet-0123456789abcdef0;subnet-0fedcba9876543210", clientSecurityGroups: ";sg-0123456789abcdef0", peering: "new", probe: false,
  };

  it("prints a connect that, pasted where no answers file is, resumes the same connection (every answer as its flag, ';' quoted)", async () => {
    const [connect, disconnect] = connectionNext("xr", SEVERAL, ["connect", "disconnect"]);
    const flags = pasted(connect!);
    expect(flags.command).toBe("connect");
    const { answers } = await resolveConnectAnswers({ flags: connectFlagAnswers(flags), file: undefined, filePath: "/nowhere/xregion-private-api.json" }, undefined);
    expect(answers).toEqual(SEVERAL);
    expect(pasted(disconnect!)).toMatchObject({ command: "disconnect", name: "orders", apiRegion: "us-east-1", clientRegion: "eu-west-1,ap-southeast-2" });
  });
});

describe("deploymentNext", () => {
  const SEVERAL: Answers = {
    name: "orders", apiRegion: "us-east-1", apiCidr: "10.1.0.0/16", apiAzs: "us-east-1b,us-east-1c",
    clients: [{ region: "eu-west-1", cidr: "10.2.0.0/16", azs: "eu-west-1a,eu-west-1b" }, { region: "ap-southeast-2", cidr: "10.3.0.0/16" }],
  };

  it("prints a deploy that, pasted where no answers file is, resumes the same deployment (its ranges and zones, not the defaults)", async () => {
    const [deploy, teardown] = deploymentNext("xr", SEVERAL, ["deploy", "teardown"]);
    const flags = pasted(deploy!);
    expect(flags.command).toBe("deploy");
    const given = Object.fromEntries(ANSWER_KEYS.flatMap((key) => (flags[key] === undefined ? [] : [[key, flags[key]]])));
    const { answers } = await resolveAnswers({ flags: given, file: undefined, filePath: "/nowhere/xregion-private-api.json" }, undefined, "all", true);
    expect(answers).toEqual(SEVERAL);
    expect(pasted(teardown!)).toMatchObject({ command: "teardown", name: "orders", apiRegion: "us-east-1", clientRegion: "eu-west-1,ap-southeast-2" });
  });
});

describe("connectMissing", () => {
  const FILE = "/work/my answers.json";
  const SAVED = { name: "orders", apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "eu-west-1,ap-southeast-2", function: "caller-eu,caller-ap", peering: "auto", probe: true };
  const place = (regions: string[]) => ({ name: "orders", apiRegion: "us-east-1", clients: regions.map((region) => ({ region })) });

  it("connects just the missing regions the answers file lists, with their saved clients, when pasted", async () => {
    const command = connectMissing("xr", FILE, SAVED, place(["eu-west-1", "ap-southeast-2"]), ["ap-southeast-2"]);
    const flags = pasted(command);
    expect(flags).toMatchObject({ command: "connect", config: FILE, clientRegion: "ap-southeast-2" });
    const { answers } = await resolveConnectAnswers({ flags: connectFlagAnswers(flags), file: SAVED, filePath: FILE }, undefined);
    expect(answers).toMatchObject({ clientRegion: "ap-southeast-2", function: "caller-ap", apiId: "a1b2c3d4e5" });
  });

  it("names the file's API and leaves only the client to name for a region the file does not list", () => {
    expect(connectMissing("xr", FILE, SAVED, place(["us-west-2"]), ["us-west-2"])).toBe(
      "xr connect --config '/work/my answers.json' --name orders --api-region us-east-1 --client-region us-west-2 --api-id a1b2c3d4e5 --function <name|ARN>",
    );
  });
});
