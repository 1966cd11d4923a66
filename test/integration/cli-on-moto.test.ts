// The built CLI as a user's CI job runs it: a process with no terminal (CI=true, stdin closed), the real
// templates, two regions of one moto server (through our launcher). Each scenario drives the commands
// and then reads the real state back with the SDK. The client function's answers are queued in moto
// (it never runs the code): they are realistic DESIGN section 9 answers, not proof of a network path.

import { cpSync, readFileSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { CreateVpcCommand, DeleteVpcCommand, DescribeSubnetsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ciEnv, type NodeRun, runNode, tempDir, withoutColourForcing } from "../helpers/cli.js";
import type { ClientAnswer } from "../../src/steps/verify/client-answer.js";
import { clientAnswer } from "../helpers/payloads.js";
import {
  cloudWatchLogs,
  describeStack,
  expectNothingDeployed,
  expectPeeringActive,
  expectPrivateZone,
  expectRoutesThroughPeering,
  liveStacks,
  motoAws,
  nonDefaultVpcs,
  outputsOf,
  subnetRouteTables,
  type MotoAws,
} from "./moto-assertions.js";
import { freePort, startMotoServer, type MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1"; // the API
const B = "eu-west-1"; // the client
const NAME = "it";
const FLAGS = ["--name", NAME, "--api-region", A, "--client-region", B] as const;
const API_CIDR = "10.10.0.0/16"; // the defaults
const CLIENT_CIDR = "10.20.0.0/16";
const STACKS = { api: `${NAME}-api`, client: `${NAME}-client`, routes: `${NAME}-routes` } as const;

// Queued before the API exists, so the id in the URL is made up; verify does not compare it.
const API_ID = "a1b2c3d4e5";
const URL_CALLED = `https://${API_ID}.execute-api.${A}.amazonaws.com/v1/hello`;

function answer(overrides: Partial<ClientAnswer> = {}): string {
  const body = {
    message: "Hello from the private API",
    region: A,
    apiId: API_ID,
    stage: "v1",
    requestId: "8d3f2c1a-5b6e-4f70-9a81-2c3d4e5f6a7b",
    sourceIp: "10.20.0.77",
    vpceId: "vpce-0a1b2c3d4e5f60718",
    requestTime: "25/Nov/2026:11:30:00 +0000",
  };
  return JSON.stringify(clientAnswer({
    url: URL_CALLED,
    body: JSON.stringify(body),
    timings: { dnsMs: 2.1, connectMs: 71.4, tlsMs: 148.9, firstByteMs: 82.3, totalMs: 305.6 },
    resolvedAddresses: ["10.10.0.37", "10.10.1.142"], // the endpoint's interfaces in A's two subnets
    ...overrides,
  }));
}

/** n successful answers; the first (cold: fresh DNS cache, no TLS session) slower. */
function okAnswers(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    i === 0
      ? answer({ timings: { dnsMs: 24.8, connectMs: 73.2, tlsMs: 161.5, firstByteMs: 96.1, totalMs: 357.9 } })
      : answer({ timings: { dnsMs: 1.2 + i / 10, connectMs: 70.1 + i, tlsMs: 147.3 + i, firstByteMs: 79.8 + i, totalMs: 299.4 + 3 * i } }),
  );
}

const forbidden = answer({
  ok: false,
  status: 403,
  body: JSON.stringify({
    Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${A}:********9012:${API_ID}/v1/GET/hello with an explicit deny`,
  }),
  error: { layer: "http", message: "HTTP 403 Forbidden" },
});

// A deployment's life, not its timing: AWS's durations at 1:600 (Lambda's 4 minutes before a detached
// function's interfaces can go are 0.4 s; teardown-on-moto.test.ts runs them at a slower scale).
const suite = motoSuite([A, B], { timeScale: 600 });
let moto: MotoServer;
let aws: MotoAws;
let cli: MotoSuite["cli"];
beforeAll(() => ({ moto, aws, cli } = suite));

function workFolder(): string {
  const folder = tempDir("xregion-cli-moto-");
  return folder;
}

/** The CLI as a CI job runs it: CI=true, no stdin, no colour, only moto's endpoint and test keys. */
function run(args: readonly string[], cwd: string): Promise<NodeRun> {
  return runNode([cli.path, ...args], { cwd, env: ciEnv(moto.env()), timeoutMs: 30_000 });
}

/** For an assertion's message: what the run printed, and what moto said last. */
function shown(result: NodeRun): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n--- moto\n${moto.output().slice(-1500)}`;
}

type Event = { kind: string; [key: string]: unknown };

function ndjson(stdout: string): Event[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Event);
}

function readJson(path: string): Record<string, any> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;
}

/** The zones of a VPC's subnets, in name order. */
async function subnetZones(ec2: EC2Client, vpcId: string): Promise<string[]> {
  const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  return (Subnets ?? []).map((s) => s.AvailabilityZone ?? "").sort();
}

async function stackStates(): Promise<Record<string, string | undefined>> {
  return {
    api: (await describeStack(aws.cfn(A), STACKS.api))?.StackStatus,
    client: (await describeStack(aws.cfn(B), STACKS.client))?.StackStatus,
    routes: (await describeStack(aws.cfn(A), STACKS.routes))?.StackStatus,
  };
}

describe("one deployment's life through the CLI: deploy, re-deploy, verify, status, teardown", () => {
  let cwd: string;
  beforeAll(() => {
    cwd = workFolder();
  });

  it("deploy --yes creates the three stacks, proves the path with the function's answers and saves them", async () => {
    await moto.queueLambdaResults(B, okAnswers(3));
    const result = await run(["deploy", "--yes", ...FLAGS, "--samples", "3", "--outputs-file", "out.json"], cwd);
    expect(result.code, shown(result)).toBe(0);

    // Progress: one line per stage change, then the verification and its latency table.
    expect(result.stdout).toMatch(/\[1\/3 api us-east-1\] creating it-api\n[\s\S]*\[1\/3 api us-east-1\] created it-api/);
    expect(result.stdout).toMatch(/\[2\/3 client eu-west-1\] created it-client/);
    expect(result.stdout).toMatch(/\[3\/3 routes us-east-1\] created it-routes/);
    // CloudFormation completed stage 2 only once the new function was Active (the launcher models it, as AWS
    // does), so verify finds it ready and invokes it at once.
    expect(result.stdout).toMatch(/created it-routes[\s\S]*\nsample 1 \(cold\)/);
    expect(result.stdout).not.toContain("waiting for the function");
    expect(result.stdout).toContain("sample 1 (cold): ok 200 · inside 358 ms");
    expect(result.stdout).toMatch(/latency \(ms\) +cold +min +p50 +p95 +max\ninside function +358 +302 +302 +305 +305\nround trip /);
    expect(result.stdout).toContain("(cold: the first invocation; min/p50/p95/max over 2 warm samples)");
    expect(result.stdout).toContain('response 200: {"message":"Hello from the private API"');
    expect(result.stdout).toContain("verification passed");
    expect(result.stdout).toContain("The client in eu-west-1 reaches the private API in us-east-1.");
    // moto's STS answers an ARN no IAM principal has (and moto has no policy simulator): one line, and on.
    expect(result.stdout).toContain("permission check skipped: the caller arn:aws:sts::123456789012:user/moto is neither an IAM user nor a role session");
    expect(result.stderr).toBe("");
    // us-east-1a is this account's use1-az3, where execute-api is not offered (the launcher's model).
    expect(result.stdout).toContain("zones of the API VPC in us-east-1: us-east-1b (use1-az6), us-east-1c (use1-az1) (chosen by preflight)");
    expect(result.stdout).toContain("zones of the client VPC in eu-west-1: eu-west-1a (euw1-az3), eu-west-1b (euw1-az1) (chosen by preflight)");

    // The real state, read back with the SDK.
    expect(await stackStates()).toEqual({ api: "CREATE_COMPLETE", client: "CREATE_COMPLETE", routes: "CREATE_COMPLETE" });
    const api = outputsOf(await describeStack(aws.cfn(A), STACKS.api));
    const client = outputsOf(await describeStack(aws.cfn(B), STACKS.client));
    const routes = outputsOf(await describeStack(aws.cfn(A), STACKS.routes));
    const pcx = client.PeeringConnectionId!;
    await expectPeeringActive(
      aws,
      pcx,
      { vpcId: client.VpcId!, region: B, cidr: CLIENT_CIDR },
      { vpcId: api.VpcId!, region: A, cidr: API_CIDR },
    );
    expectRoutesThroughPeering(await subnetRouteTables(aws.ec2(B), client.VpcId!), API_CIDR, pcx);
    expectRoutesThroughPeering(await subnetRouteTables(aws.ec2(A), api.VpcId!), CLIENT_CIDR, pcx);
    await expectPrivateZone(aws.route53, client.HostedZoneId!, `${api.ApiId}.execute-api.${A}.amazonaws.com`, {
      vpcId: client.VpcId!,
      region: B,
    });
    const { Configuration } = await aws.lambda(B).send(new GetFunctionCommand({ FunctionName: `${NAME}-client` }));
    expect(Configuration?.Environment?.Variables?.API_URL).toBe(api.InvokeUrl);
    expect(await subnetZones(aws.ec2(A), api.VpcId!)).toEqual(["us-east-1b", "us-east-1c"]);
    expect(await subnetZones(aws.ec2(B), client.VpcId!)).toEqual(["eu-west-1a", "eu-west-1b"]);

    // --outputs-file: every stage's outputs, as the stacks report them.
    expect(readJson(join(cwd, "out.json"))).toEqual({
      name: NAME,
      stages: {
        api: { stackName: STACKS.api, region: A, outputs: api },
        client: { stackName: STACKS.client, region: B, outputs: client },
        routes: { stackName: STACKS.routes, region: A, outputs: routes },
      },
    });
    // The answers, saved for the next run, with the verification's outcome.
    expect(readJson(join(cwd, "xregion-private-api.json"))).toEqual({
      name: NAME,
      apiRegion: A,
      clientRegion: B,
      apiCidr: API_CIDR,
      clientCidr: CLIENT_CIDR,
      lastVerify: { ok: true, at: expect.any(String), summary: "3/3 samples ok" },
    });
  });

  it("deploy again from the saved answers finds every stage up to date", async () => {
    const before = await stackStates();
    await moto.queueLambdaResults(B, okAnswers(3));
    const result = await run(["deploy", "--yes", "--json", "--samples", "3", "--outputs-file", "again.json"], cwd);
    expect(result.code, shown(result)).toBe(0);

    const events = ndjson(result.stdout);
    const finished = events.filter((e) => e.kind === "stage-finished");
    expect(finished.map((e) => [e.stage, e.stackName, e.outcome])).toEqual([
      [1, STACKS.api, "no-op"],
      [2, STACKS.client, "no-op"],
      [3, STACKS.routes, "no-op"],
    ]);
    // A no-op still hands its outputs on: verification found the function by them.
    expect((finished[1]?.outputs as Record<string, string>).FunctionName).toBe(`${NAME}-client`);
    expect(events.filter((e) => e.kind === "resource")).toEqual([]);
    // Active by now: nothing to wait for.
    expect(events.filter((e) => e.kind === "function-waiting" || e.kind === "function-ready")).toEqual([]);
    expect(events.filter((e) => e.kind === "zones").map((e) => [e.role, e.source])).toEqual([
      ["api", "existing stack"],
      ["client", "existing stack"],
    ]);
    expect(events.at(-1)).toMatchObject({ kind: "result", operation: "deploy", ok: true });
    expect(result.stderr).toContain("it-api is up to date");
    expect(await stackStates()).toEqual(before);
    // The outputs file is written after a no-op too, with the same outputs.
    expect(readJson(join(cwd, "again.json"))).toEqual(readJson(join(cwd, "out.json")));
  });

  it("verify invokes the function N times and shows the cold sample apart from the warm ones", async () => {
    await moto.queueLambdaResults(B, okAnswers(2));
    const result = await run(["verify", "--samples", "2"], cwd);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain("sample 1 (cold): ok 200 · inside 358 ms");
    expect(result.stdout).toContain("sample 2: ok 200 · inside 302 ms");
    expect(result.stdout).toMatch(/inside function +358 +302 +302 +302 +302/);
    expect(result.stdout).toContain("over 1 warm sample)");
    expect(result.stdout).toContain("The path works.");
  });

  it("verify wakes a function Lambda made Inactive (idle): the refused invoke, the wait while it is restored, the samples", async () => {
    await moto.makeFunctionInactive(B, `${NAME}-client`);
    await moto.queueLambdaResults(B, okAnswers(1));
    const result = await run(["verify", "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(0);
    // The SDK retries the 502 ResourceNotReadyException; the retry finds the function restoring (Pending, 409).
    expect(result.stdout).toMatch(
      /\nwaiting for the function it-client to be ready: State Pending \(Restoring: [^\n]*\), LastUpdateStatus Successful\nthe function it-client is ready \(State Active, LastUpdateStatus Successful\) after \ds\nsample 1 \(cold\): ok 200/,
    );
    expect(result.stdout).toContain("The path works.");
  });

  it("verify fails at the http layer on a 403 and points at the API's resource policy", async () => {
    await moto.queueLambdaResults(B, [forbidden]);
    const result = await run(["verify", "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(1);
    expect(result.stdout).toContain("sample 1 (cold): http error: HTTP 403 Forbidden");
    expect(result.stdout).toContain("verification failed at the http layer: HTTP 403 Forbidden");
    expect(result.stdout).toMatch(/resource policy allows execute-api:Invoke only with aws:SourceVpce/);
    expect(result.stdout).toContain("The path does not work.");
    expect(result.stdout).toMatch(new RegExp(`next: node \\S+/dist/cli\\.js doctor ${FLAGS.join(" ")}`));
    expect(readJson(join(cwd, "xregion-private-api.json")).lastVerify).toMatchObject({
      ok: false,
      summary: "0/1 samples ok; http: HTTP 403 Forbidden",
    });
  });

  it("verify reports an answer that is not JSON as unexpected instead of crashing", async () => {
    await moto.queueLambdaResults(B, ["<html><body>502 Bad Gateway</body></html>"]);
    const result = await run(["verify", "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(1);
    expect(result.stdout).toContain("unexpected answer: the function answered something that is not JSON: <html>");
    expect(result.stdout).toContain("verification failed at the unexpected layer");
    expect(result.stderr).not.toContain("unexpected failure");
  });

  it("status --json prints one parseable event per line with the three stacks' states", async () => {
    const result = await run(["status", "--json"], cwd);
    expect(result.code, shown(result)).toBe(0);
    const events = ndjson(result.stdout);
    expect(events[0]).toMatchObject({ kind: "run-started", operation: "status", name: NAME });
    // One line per stack: "<stack> (<region>): <state>, last change …"
    const states = events
      .filter((e) => e.stage !== undefined && / \((us-east-1|eu-west-1)\): [A-Z_]+/.test(String(e.summary ?? e.message)))
      .map((e) => [e.stage, String(e.summary ?? e.message).split(",")[0]]);
    expect(states).toEqual([
      [1, `${STACKS.api} (${A}): CREATE_COMPLETE`],
      [2, `${STACKS.client} (${B}): CREATE_COMPLETE`],
      [3, `${STACKS.routes} (${A}): CREATE_COMPLETE`],
    ]);
    expect(events.filter((e) => e.kind === "function-state")).toEqual([
      expect.objectContaining({
        ready: true,
        function: expect.objectContaining({ functionName: `${NAME}-client`, region: B, state: "Active", lastUpdateStatus: "Successful" }),
      }),
    ]);
    expect(events.some((e) => e.kind === "info" && String(e.message).startsWith("verification last failed at"))).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: "result", operation: "status", ok: true, summary: `Deployment "${NAME}" is deployed.` });
  });

  it("teardown --yes deletes stage 3, 2, then 1 and leaves no stack and no VPC in either region", async () => {
    const result = await run(["teardown", "--yes"], cwd);
    expect(result.code, shown(result)).toBe(0);
    const order = ["deleted it-routes", "deleted it-client", "deleted it-api"].map((text) => result.stdout.indexOf(text));
    expect(order.every((at) => at >= 0), shown(result)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(result.stdout).toContain('Deleted 3 stacks of "it".');
    await expectNothingDeployed(aws, [A, B]);
    await expect(aws.lambda(B).send(new GetFunctionCommand({ FunctionName: `${NAME}-client` }))).rejects.toThrow();
  });

  it("teardown --yes again finds nothing to delete and succeeds", async () => {
    const result = await run(["teardown", "--yes"], cwd);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('Nothing to delete: no stack of "it" exists.');
    expect(result.stdout).not.toContain("deleting");
  });

  it("status after the teardown forgets the old verification and suggests deploy, not teardown", async () => {
    expect(JSON.parse(readFileSync(join(cwd, "xregion-private-api.json"), "utf8"))).not.toHaveProperty("lastVerify");
    const result = await run(["status"], cwd);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('Deployment "it" is not deployed.');
    expect(result.stdout).not.toMatch(/verification last (passed|failed)/);
    expect(result.stdout).toMatch(/next: .* deploy --name it/);
    expect(result.stdout).not.toMatch(/next: .* teardown/);
  });
});

describe("a deploy that fails at stage 2, then resumes", () => {
  // A log group Lambda made for an earlier function of the same name: on AWS as here, the client stack's
  // own LogGroup (/aws/lambda/<name>-client) then fails with "already exists" and the create rolls back.
  const blocker = { logGroupName: `/aws/lambda/${NAME}-client` };
  let cwd: string;
  beforeAll(async () => {
    await moto.reset();
    cwd = workFolder();
  });

  it("stops at the client stack naming the failed resource and its reason, and keeps stage 1", async () => {
    await cloudWatchLogs(moto, B, "CreateLogGroup", blocker);
    const result = await run(["deploy", "--yes", ...FLAGS, "--samples", "1", "--outputs-file", "out.json"], cwd);
    expect(result.code, shown(result)).toBe(1);
    expect(result.stdout).toMatch(/\[2\/3 client eu-west-1\] CREATE_FAILED .*\(LogGroup\).*\n +The specified log group already exists/);
    expect(result.stdout).toContain("Cause: LogGroup (AWS::Logs::LogGroup): The specified log group already exists");
    expect(result.stderr).toMatch(/^error: stage 2\/3 failed: it-client could not be created and was rolled back \(ROLLBACK_COMPLETE\)/);
    expect(result.stderr).toContain("run deploy again to resume");
    expect(result.stdout).not.toContain("creating it-routes");

    expect(await stackStates()).toEqual({ api: "CREATE_COMPLETE", client: "ROLLBACK_COMPLETE", routes: undefined });
    expect(await nonDefaultVpcs(aws.ec2(B)), "the rollback removed the client VPC").toEqual([]);
    const outputs = readJson(join(cwd, "out.json"));
    expect(outputs.stages.api.outputs.VpcId).toMatch(/^vpc-/);
    expect(outputs.stages.client.outputs).toBeNull();
    expect(outputs.stages.routes.outputs).toBeNull();
  });

  it("without --yes, a run with no terminal leaves the rolled-back stack alone and says how to proceed", async () => {
    const result = await run(["deploy"], cwd);
    expect(result.code, shown(result)).toBe(1);
    expect(result.stderr).toContain("ROLLBACK_COMPLETE from an earlier failed create");
    expect(result.stderr).toContain("Rerun with --yes");
    expect((await describeStack(aws.cfn(B), STACKS.client))?.StackStatus).toBe("ROLLBACK_COMPLETE");
  });

  it("with the cause removed, deploy --yes re-creates the rolled-back stack, keeps stage 1 and finishes", async () => {
    await cloudWatchLogs(moto, B, "DeleteLogGroup", blocker);
    await moto.queueLambdaResults(B, okAnswers(1));
    const result = await run(["deploy", "--yes", "--json", "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(0);
    const events = ndjson(result.stdout);
    expect(events.filter((e) => e.kind === "stage-finished").map((e) => [e.stage, e.outcome])).toEqual([
      [1, "no-op"],
      [2, "created"],
      [3, "created"],
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: "info", stage: 2, message: expect.stringMatching(/^Deleting it-client \(ROLLBACK_COMPLETE/) }),
    );
    expect(await stackStates()).toEqual({ api: "CREATE_COMPLETE", client: "CREATE_COMPLETE", routes: "CREATE_COMPLETE" });

    const teardown = await run(["teardown", "--yes"], cwd);
    expect(teardown.code, shown(teardown)).toBe(0);
    await expectNothingDeployed(aws, [A, B]);
  });
});

describe("the client in us-east-1, where Lambda refuses use1-az3 (this account's us-east-1a)", () => {
  // Regions swapped: the API in eu-west-1 (execute-api not offered in euw1-az3, eu-west-1a here).
  const SWAPPED = ["--name", "swap", "--api-region", B, "--client-region", A] as const;
  const stacks = { api: "swap-api", client: "swap-client", routes: "swap-routes" } as const;
  beforeAll(async () => {
    await moto.reset();
  });

  it("refuses --client-azs naming use1-az3 with exit 2, naming the zone, its id and the usable zones, before any stack", async () => {
    const result = await run(["deploy", "--yes", ...SWAPPED, "--client-azs", "us-east-1a,us-east-1b"], workFolder());
    expect(result.code, shown(result)).toBe(2);
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(
      "error: --client-azs us-east-1a,us-east-1b: us-east-1a (use1-az3) cannot hold the client VPC: Lambda does not run VPC functions in use1-az3; " +
        "usable zones in us-east-1: us-east-1b (use1-az6), us-east-1c (use1-az1), us-east-1d (use1-az2), us-east-1e (use1-az4), us-east-1f (use1-az5): " +
        "pass e.g. --client-azs us-east-1b,us-east-1c",
    );
    expect(await liveStacks(aws.cfn(A))).toEqual([]);
    expect(await liveStacks(aws.cfn(B))).toEqual([]);
  });

  it("deploys with the zones of --client-azs, and a re-run with no answers file keeps the zones the stacks use", async () => {
    await moto.queueLambdaResults(A, okAnswers(2));
    const first = await run(["deploy", "--yes", ...SWAPPED, "--client-azs", "us-east-1d,us-east-1c", "--samples", "1"], workFolder());
    expect(first.code, shown(first)).toBe(0);
    expect(first.stdout).toContain("zones of the API VPC in eu-west-1: eu-west-1b (euw1-az1), eu-west-1c (euw1-az2) (chosen by preflight)");
    expect(first.stdout).toContain("zones of the client VPC in us-east-1: us-east-1d (use1-az2), us-east-1c (use1-az1) (from --client-azs)");
    const client = outputsOf(await describeStack(aws.cfn(A), stacks.client));
    expect(await subnetZones(aws.ec2(A), client.VpcId!)).toEqual(["us-east-1c", "us-east-1d"]);

    // Left to itself, preflight would take us-east-1b and us-east-1c: the stack's own zones win.
    const again = await run(["deploy", "--yes", "--json", ...SWAPPED, "--samples", "1"], workFolder());
    expect(again.code, shown(again)).toBe(0);
    const events = ndjson(again.stdout);
    expect(events).toContainEqual(expect.objectContaining({ kind: "zones", role: "client", source: "existing stack", zones: [{ name: "us-east-1d", id: "use1-az2" }, { name: "us-east-1c", id: "use1-az1" }] }));
    expect(events.filter((e) => e.kind === "stage-finished").map((e) => e.outcome)).toEqual(["no-op", "no-op", "no-op"]);

    expect((await run(["teardown", "--yes", ...SWAPPED], workFolder())).code).toBe(0);
    await expectNothingDeployed(aws, [A, B]);
  });

  it("with no flags, chooses around use1-az3 by itself", async () => {
    await moto.queueLambdaResults(A, okAnswers(1));
    const cwd = workFolder();
    const result = await run(["deploy", "--yes", ...SWAPPED, "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain("zones of the client VPC in us-east-1: us-east-1b (use1-az6), us-east-1c (use1-az1) (chosen by preflight)");
    expect((await run(["teardown", "--yes"], cwd)).code).toBe(0);
    await expectNothingDeployed(aws, [A, B]);
  });
});

describe("a zone Lambda refuses though the tool's list does not know it (usw2-az4, emulated only)", () => {
  const C = "us-west-2";
  const REFUSED = ["--name", "west", "--api-region", A, "--client-region", C] as const;
  let cwd: string;
  beforeAll(async () => {
    await moto.reset();
    await moto.warmUp([C]);
    cwd = workFolder();
  });

  it("fails stage 2 with Lambda's reason, naming the zones and the flag that moves them", async () => {
    const result = await run(["deploy", "--yes", ...REFUSED, "--client-azs", "us-west-2c,us-west-2d", "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(1);
    expect(result.stdout).toContain("The provided subnets contain availability zone Lambda doesn't support.");
    expect(result.stderr).toContain(
      "Lambda refused the Availability Zone us-west-2c (usw2-az3) or us-west-2d (usw2-az4) in us-west-2: run deploy again with two other zones of us-west-2, --client-azs <zone>,<zone>.",
    );
    expect((await describeStack(aws.cfn(C), "west-client"))?.StackStatus).toBe("ROLLBACK_COMPLETE");
  });

  it("deploys once --client-azs names other zones, re-creating the rolled-back stack", async () => {
    await moto.queueLambdaResults(C, okAnswers(1));
    const result = await run(["deploy", "--yes", "--client-azs", "us-west-2a,us-west-2b", "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain("zones of the client VPC in us-west-2: us-west-2a (usw2-az2), us-west-2b (usw2-az1) (from --client-azs)");
    expect(readJson(join(cwd, "xregion-private-api.json")).clientAzs).toBe("us-west-2a,us-west-2b");
    expect((await run(["teardown", "--yes"], cwd)).code).toBe(0);
    await expectNothingDeployed(aws, [A, C]);
  });
});

describe("preflight against what already exists", () => {
  it("warns about an existing VPC whose range overlaps the chosen one, by id, Name tag and range", async () => {
    await moto.reset();
    const cwd = workFolder();
    // Someone's VPC in region A, inside the API range we are about to use.
    const { Vpc } = await aws.ec2(A).send(
      new CreateVpcCommand({ CidrBlock: "10.10.64.0/18", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "legacy" }] }] }),
    );
    await moto.queueLambdaResults(B, okAnswers(1));
    const result = await run(["deploy", "--yes", "--json", ...FLAGS, "--samples", "1"], cwd);
    expect(result.code, shown(result)).toBe(0);
    const warnings = ndjson(result.stdout).filter((e) => e.kind === "warning").map((e) => e.message);
    expect(warnings).toContain(
      `the API VPC range ${API_CIDR} overlaps existing VPC ${Vpc?.VpcId} "legacy" 10.10.64.0/18 in ${A}: the two can never be peered or routed to each other`,
    );
    expect(warnings.filter((w) => String(w).includes("overlaps existing VPC"))).toHaveLength(1);

    expect((await run(["teardown", "--yes"], cwd)).code).toBe(0);
    await aws.ec2(A).send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId! }));
    await expectNothingDeployed(aws, [A, B]);
  });
});

describe("Ctrl-C during a stage, on a moto that reveals events at a real pace", () => {
  let paced: MotoServer;
  let pacedAws: MotoAws;
  beforeAll(async () => {
    paced = await startMotoServer({ paceMs: 60 });
    pacedAws = motoAws(paced);
    await paced.warmUp([A, B]);
  });
  afterAll(async () => {
    pacedAws?.destroy();
    await paced?.stop();
  });

  it("deletes the stack still being created, says what is left, and exits 130", async () => {
    const cwd = workFolder();
    // The client stack has begun: its first resource is on screen.
    const result = await runNode([cli.path, "deploy", "--yes", ...FLAGS], { cwd, env: ciEnv(paced.env()), timeoutMs: 90_000, interrupt: /\[2\/3 client eu-west-1\] CREATE_COMPLETE/ });
    const { stdout, stderr } = result;

    expect(result.code, shown(result)).toBe(130);
    expect(stdout).toContain("Cancelling the running operation… press Ctrl-C again to detach and leave it running.");
    expect(stdout).toContain("[2/3 client eu-west-1] Cancelled: it-client was still being created and has been deleted.");
    expect(stdout).toContain(`Left: it-api (${A}) CREATE_COMPLETE.`);
    expect(stdout).not.toContain("creating it-routes");
    // Said once: the stage's line, what is left, then the result with the deploy that resumes first.
    expect(stdout.match(/Cancelled: it-client was still being created/g)).toHaveLength(1);
    expect(stdout.match(/Deployment cancelled\./g)).toHaveLength(1);
    expect(stdout).toMatch(/Deployment cancelled\.\n {2}next: .* deploy --name it .*\n {2}next: .* status .*\n {2}next: .* teardown /);
    expect(stderr).toBe("");

    const states = {
      api: (await describeStack(pacedAws.cfn(A), STACKS.api))?.StackStatus,
      client: (await describeStack(pacedAws.cfn(B), STACKS.client))?.StackStatus,
    };
    expect(states).toEqual({ api: "CREATE_COMPLETE", client: undefined });
    expect(await nonDefaultVpcs(pacedAws.ec2(B)), "the cancelled client stack left no VPC").toEqual([]);
  });
});

describe("npm run demo without a terminal", () => {
  it("starts its own moto on the port asked for, deploys with flags, shows the latency table and tears everything down", async () => {
    // The demo and the helpers it imports, beside the private copy of the CLI (dist/ is ../dist to it);
    // the clone's node_modules for esbuild, which compiles the TypeScript moto helper.
    const root = resolve(import.meta.dirname, "../..");
    const copy = resolve(cli.path, "../..");
    const files = ["scripts/demo.mjs", "scripts/check-node.mjs", "scripts/client-answers.mjs", "scripts/moto-helper.mjs"];
    for (const file of [...files, "test/integration/moto-server.ts", "test/integration/moto"]) {
      cpSync(join(root, file), join(copy, file), { recursive: true });
    }
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
    const script = join(copy, "scripts/demo.mjs");
    const port = await freePort();
    const env = { ...withoutColourForcing(process.env), NO_COLOR: "1", XREGION_DEMO_PACE_MS: "10" };
    const result = await runNode([script, "--port", String(port)], { env, timeoutMs: 45_000 });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(`local AWS emulator on http://127.0.0.1:${port}`);
    expect(result.stdout).toMatch(/latency \(ms\) +cold +min +p50 +p95 +max/);
    expect(result.stdout).toContain("verification passed");
    expect(result.stdout).toContain('Deleted 3 stacks of "demo".');
    // The CLI ran as `node <path>/dist/cli.js` against the demo's emulator: its next commands start that
    // way, with the emulator's address and test keys in front, so that they reach it from any shell.
    const invocation = `AWS_ENDPOINT_URL=http://127.0.0.1:${port} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing node ${cli.path}`;
    expect(result.stdout).toContain(`next: ${invocation} teardown --name demo --api-region us-east-1 --client-region eu-west-1`);
    expect(result.stdout).toContain(`$ node ${cli.path} teardown --yes`);
    // Paced, the stacks are seen being built: resource lines come before each stage's completion.
    expect(result.stdout).toMatch(/\[1\/3 api us-east-1\] CREATE_COMPLETE .*\n[\s\S]*\[1\/3 api us-east-1\] created demo-api/);
    // The test's own moto saw none of it.
    expect(await liveStacks(aws.cfn(A))).toEqual([]);
  });
});
