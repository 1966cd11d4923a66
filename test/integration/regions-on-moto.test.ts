// Many client regions through the built CLI on the strict emulator: three client regions deploy side by
// side, each path passes doctor and verify (the matrix has three rows); removing one leaves the others
// passing; removing all leaves nothing. Then a one-region deployment made by the tool as it was before
// (built from LEGACY_COMMIT) is managed by this one: status, verify, doctor, a second region added without
// touching the first, teardown. The client functions' answers are queued in moto per region (it never runs
// the code): realistic DESIGN section 9 answers, not proof of a network path.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DescribeStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAnswer } from "../helpers/payloads.js";
import { ciEnv, type NodeRun, runNode, tempDir } from "../helpers/cli.js";
import { describeStack, expectNothingDeployed, expectPeeringActive, expectRoutesThroughPeering, outputsOf, securityGroupRules, subnetRouteTables, type MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1";
const CLIENTS = ["eu-west-1", "ap-southeast-2", "us-west-2"] as const;
const RANGES = { "eu-west-1": "10.20.0.0/16", "ap-southeast-2": "10.21.0.0/16", "us-west-2": "10.22.0.0/16" } as const;
const NAME = "mr";
const ROUTES = { "eu-west-1": "mr-routes", "ap-southeast-2": "mr-routes-ap-southeast-2", "us-west-2": "mr-routes-us-west-2" } as const;

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
function run(args: readonly string[], options: { path?: string; cwd?: string } = {}): Promise<NodeRun> {
  return runNode([options.path ?? cli.path, ...args], { cwd: options.cwd ?? cwd, env: ciEnv(moto.env()), timeoutMs: 60_000 });
}

function shown(result: NodeRun): string {
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

// main as it was before many client regions (with connect): its templates (no endpoint group output, a routes
// stack without the client-region tag) and its engine, built as a user would have installed it. Needs the
// repository's history (a shallow clone lacks it: git fetch --unshallow).
const LEGACY_COMMIT = "bce339b";

/** dist/cli.js of LEGACY_COMMIT, built beside this checkout's node_modules; removed after the suite. */
function buildLegacyCli(): { readonly path: string; remove(): void } {
  const root = resolve(import.meta.dirname, "../..");
  const dir = mkdtempSync(join(tmpdir(), "xregion-legacy-"));
  const archive = execFileSync("git", ["-C", root, "archive", LEGACY_COMMIT, "package.json", "src", "scripts", "templates"], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: dir, stdio: "ignore" });
  return { path: join(dir, "dist/cli.js"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe("a one-region deployment made before many client regions", () => {
  const OLD = ["--name", "old", "--api-region", A];
  let legacy: ReturnType<typeof buildLegacyCli>;
  let here: string;
  beforeAll(() => {
    legacy = buildLegacyCli();
    here = tempDir("xregion-legacy-run-");
  });
  afterAll(() => legacy?.remove());

  const resources = async (region: string, stack: string) =>
    ((await aws.cfn(region).send(new DescribeStackResourcesCommand({ StackName: stack }))).StackResources ?? []).map((r) => `${r.LogicalResourceId} ${r.PhysicalResourceId}`).sort();

  it("is deployed by the tool as it was, and status, verify and doctor of this one manage it", async () => {
    await queue(["eu-west-1"], 1);
    const made = await run(["deploy", "--yes", ...OLD, "--client-region", "eu-west-1", "--samples", "1"], { path: legacy.path, cwd: here });
    expect(made.code, shown(made)).toBe(0);
    expect(outputsOf(await describeStack(aws.cfn(A), "old-api"))).not.toHaveProperty("EndpointSecurityGroupId");
    expect((await describeStack(aws.cfn(A), "old-routes"))?.Tags?.map((t) => t.Key)).not.toContain("xregion-private-api:client-region");

    const status = await run(["status"], { cwd: here });
    expect(status.code, shown(status)).toBe(0);
    expect(status.stdout).toContain('Deployment "old" is deployed.');
    await queue(["eu-west-1"], 1);
    const verify = await run(["verify", "--samples", "1"], { cwd: here });
    expect(verify.code, shown(verify)).toBe(0);
    // One region: the table it always had, no matrix.
    expect(verify.stdout).toMatch(/latency \(ms\) +cold/);
    expect(verify.stdout).not.toContain("client region ");
    const doctor = await run(["doctor"], { cwd: here });
    expect(doctor.code, shown(doctor)).toBe(0);
    expect(doctor.stdout).toContain("Every hop of the path checks out.");
  });

  it("takes a second client region with a deploy that leaves the first region's stacks as they were", async () => {
    const client = await describeStack(aws.cfn("eu-west-1"), "old-client");
    const clientResources = await resources("eu-west-1", "old-client");
    const routeResources = await resources(A, "old-routes");
    await queue(["eu-west-1", "us-west-2"], 1);
    const added = await run(["deploy", "--yes", "--client-region", "eu-west-1,us-west-2", "--samples", "1"], { cwd: here });
    expect(added.code, shown(added)).toBe(0);
    expect(added.stdout).toContain("[2/3 client eu-west-1] old-client is up to date");
    expect(added.stdout).not.toMatch(/\[3\/3 routes us-east-1 ← eu-west-1\] \d+ changes?/);
    // The first region's stacks: not a resource changed (stage 1 took its new output and a new API deployment).
    expect((await describeStack(aws.cfn("eu-west-1"), "old-client"))?.LastUpdatedTime).toEqual(client?.LastUpdatedTime);
    expect(await resources("eu-west-1", "old-client")).toEqual(clientResources);
    expect(await resources(A, "old-routes")).toEqual(routeResources);
    // The new region got the name form, the tag and its own rule; stage 1's own rule is still the only one for the first range.
    const routes = await describeStack(aws.cfn(A), "old-routes-us-west-2");
    expect(routes?.Tags).toContainEqual({ Key: "xregion-private-api:client-region", Value: "us-west-2" });
    const api = outputsOf(await describeStack(aws.cfn(A), "old-api"));
    const inbound = (await securityGroupRules(aws.ec2(A), api.EndpointSecurityGroupId!)).inbound.map((r) => r.split(" (")[0]).sort();
    expect(inbound).toEqual(["tcp 443-443 10.10.0.0/16", "tcp 443-443 10.20.0.0/16", "tcp 443-443 10.21.0.0/16"]);
    expect(JSON.parse(readFileSync(join(here, "xregion-private-api.json"), "utf8"))).toMatchObject({ clientRegion: "eu-west-1,us-west-2", clientCidr: "10.20.0.0/16,10.21.0.0/16" });
  });

  it("is torn down, both regions and stage 1, by this one", async () => {
    const gone = await run(["teardown", "--yes"], { cwd: here });
    expect(gone.code, shown(gone)).toBe(0);
    expect(gone.stdout).toContain('Deleted 5 stacks of "old".');
    await expectNothingDeployed(aws, [A, "eu-west-1", "us-west-2"]);
  });
});

