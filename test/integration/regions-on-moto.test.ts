// Many client regions through the built CLI on the strict emulator: three client regions deploy side by
// side, each path passes doctor and verify (the matrix has three rows); removing one leaves the others
// passing; removing all leaves nothing. The client functions' answers are queued in moto per region (it
// never runs the code): realistic DESIGN section 9 answers, not proof of a network path.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { clientAnswer } from "../helpers/payloads.js";
import { tempDir } from "../helpers/cli.js";
import { describeStack, expectNothingDeployed, expectPeeringActive, expectRoutesThroughPeering, outputsOf, securityGroupRules, subnetRouteTables, type MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1";
const CLIENTS = ["eu-west-1", "ap-southeast-2", "us-west-2"] as const;
const RANGES = { "eu-west-1": "10.20.0.0/16", "ap-southeast-2": "10.21.0.0/16", "us-west-2": "10.22.0.0/16" } as const;
const NAME = "mr";
const ROUTES = { "eu-west-1": "mr-routes", "ap-southeast-2": "mr-routes-ap-southeast-2", "us-west-2": "mr-routes-us-west-2" } as const;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// AWS's durations at 1:600, as the CLI suite runs them.
const suite = motoSuite([A, ...CLIENTS], { timeScale: 600 });
let moto: MotoServer;
let aws: MotoAws;
let cli: MotoSuite["cli"];
let cwd: string;
beforeAll(() => {
  ({ moto, aws, cli } = suite);
  cwd = tempDir("xregion-regions-moto-");
});

/** The CLI as a CI job runs it: CI=true, no stdin, no colour, only moto's endpoint and test keys. */
function run(args: readonly string[], path = cli.path, timeoutMs = 60_000): Promise<Run> {
  const { FORCE_COLOR: _force, ...env } = moto.env();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [path, ...args], { cwd, env: { ...env, CI: "true", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.once("error", fail);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

function shown(result: Run): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n--- moto\n${moto.output().slice(-1500)}`;
}

// A working path's answers from one client region, its calls `slower` ms longer than the first region's.
function answers(region: keyof typeof RANGES, n: number, slower: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(
      clientAnswer({
        url: `https://a1b2c3d4e5.execute-api.${A}.amazonaws.com/v1/hello`,
        body: JSON.stringify({ message: "Hello from the private API", region: A, sourceIp: RANGES[region].replace("0.0/16", "0.77") }),
        timings: { dnsMs: i === 0 ? 24 : 1, connectMs: 70 + slower / 4, tlsMs: 150 + slower / 2, firstByteMs: 80 + slower / 4, totalMs: (i === 0 ? 330 : 300) + slower },
        resolvedAddresses: ["10.10.0.37", "10.10.1.142"],
      }),
    ),
  );
}

async function queue(regions: readonly (keyof typeof RANGES)[], n: number): Promise<void> {
  for (const region of regions) await moto.queueLambdaResults(region, answers(region, n, { "eu-west-1": 0, "ap-southeast-2": 180, "us-west-2": 60 }[region]));
}

const flags = (regions: readonly string[]) => ["--name", NAME, "--api-region", A, "--client-region", regions.join(",")];
const answersFile = () => JSON.parse(readFileSync(join(cwd, "xregion-private-api.json"), "utf8")) as Record<string, unknown>;

describe("three client regions on the strict emulator", () => {
  it("deploy --yes creates stage 1, then the three regions' stacks side by side, each with its own return route and endpoint rule", async () => {
    await queue(CLIENTS, 2);
    const result = await run(["deploy", "--yes", ...flags(CLIENTS), "--samples", "2"]);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain(`deploy ${NAME} (client regions eu-west-1, ap-southeast-2, us-west-2)`);
    expect(result.stdout).toContain(`[3/3 routes ${A} ← ap-southeast-2] created mr-routes-ap-southeast-2`);
    expect(result.stdout).toMatch(/client region +cold +warm p50 +warm p95 +status\neu-west-1 +330 +300 +300 +ok\nap-southeast-2 +510 +480 +480 +ok +← slowest\nus-west-2 +390 +360 +360 +ok\n/);
    expect(result.stdout).toContain(`The clients in eu-west-1, ap-southeast-2 and us-west-2 reach the private API in ${A}.`);

    const api = outputsOf(await describeStack(aws.cfn(A), `${NAME}-api`));
    const rules = await securityGroupRules(aws.ec2(A), api.EndpointSecurityGroupId!);
    // Stage 1's own rule admits the first region; each other region's routes stack adds its own.
    expect(rules.inbound.map((r) => r.split(" (")[0]).sort()).toEqual(["tcp 443-443 10.10.0.0/16", "tcp 443-443 10.20.0.0/16", "tcp 443-443 10.21.0.0/16", "tcp 443-443 10.22.0.0/16"]);
    const apiTables = await subnetRouteTables(aws.ec2(A), api.VpcId!);
    for (const region of CLIENTS) {
      const client = outputsOf(await describeStack(aws.cfn(region), `${NAME}-client`));
      const routes = await describeStack(aws.cfn(A), ROUTES[region]);
      expect(routes?.Tags, region).toContainEqual({ Key: "xregion-private-api:client-region", Value: region });
      await expectPeeringActive(aws, client.PeeringConnectionId!, { vpcId: client.VpcId!, region, cidr: RANGES[region] }, { vpcId: api.VpcId!, region: A, cidr: "10.10.0.0/16" });
      expectRoutesThroughPeering(apiTables, RANGES[region], client.PeeringConnectionId!);
    }
    expect(answersFile()).toMatchObject({ clientRegion: CLIENTS.join(","), clientCidr: Object.values(RANGES).join(",") });
  });

  it("doctor judges each region's path and verify --json gives one verify-result per region and the matrix", async () => {
    const doctor = await run(["doctor"]);
    expect(doctor.code, shown(doctor)).toBe(0);
    for (const region of CLIENTS) expect(doctor.stdout).toContain(`Client region ${region} → ${A}:`);
    expect(doctor.stdout.match(/^✔ /gm)).toHaveLength(30);
    expect(doctor.stdout).toContain("Every hop of every client region's path checks out (eu-west-1, ap-southeast-2, us-west-2).");

    await queue(CLIENTS, 2);
    const verify = await run(["verify", "--json", "--samples", "2"]);
    expect(verify.code, shown(verify)).toBe(0);
    const events = verify.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, any>);
    // The regions are verified side by side: their results come as each ends, each naming its region.
    expect(events.filter((e) => e.type === "verify-result").map((e) => [e.region, e.report.ok]).sort()).toEqual(CLIENTS.map((r) => [r, true]).sort());
    const matrix = events.find((e) => e.type === "verify-matrix");
    expect(matrix?.matrix.rows.map((r: { region: string }) => r.region)).toEqual([...CLIENTS]);
    expect(matrix?.matrix.slowest).toBe("ap-southeast-2");
  });

  it("teardown --client-region removes that region's stacks and rule only; the others still pass and the answers file keeps them", async () => {
    const result = await run(["teardown", "--yes", "--client-region", "ap-southeast-2"]);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain(`Deleted 2 stacks of client region ap-southeast-2; ${NAME}-api and eu-west-1, us-west-2 stay.`);
    expect(await describeStack(aws.cfn("ap-southeast-2"), `${NAME}-client`)).toBeUndefined();
    expect(await describeStack(aws.cfn(A), ROUTES["ap-southeast-2"])).toBeUndefined();
    expect((await describeStack(aws.cfn(A), `${NAME}-api`))?.StackStatus).toMatch(/_COMPLETE$/);
    const api = outputsOf(await describeStack(aws.cfn(A), `${NAME}-api`));
    expect((await securityGroupRules(aws.ec2(A), api.EndpointSecurityGroupId!)).inbound.join()).not.toContain("10.21.0.0/16");
    expect(answersFile()).toMatchObject({ clientRegion: "eu-west-1,us-west-2", clientCidr: "10.20.0.0/16,10.22.0.0/16" });
    expect(answersFile()).not.toHaveProperty("lastVerify");

    await queue(["eu-west-1", "us-west-2"], 1);
    const verify = await run(["verify", "--samples", "1"]);
    expect(verify.code, shown(verify)).toBe(0);
    expect(verify.stdout, shown(verify)).toMatch(/client region .*\neu-west-1 .*ok.*\nus-west-2 .*ok.*\n/);
    const doctor = await run(["doctor"]);
    expect(doctor.code, shown(doctor)).toBe(0);
  });

  it("teardown without --client-region removes every region side by side, then stage 1: nothing is left", async () => {
    const result = await run(["teardown", "--yes"]);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain(`Deleted 5 stacks of "${NAME}".`);
    await expectNothingDeployed(aws, [A, ...CLIENTS]);
  });
});
