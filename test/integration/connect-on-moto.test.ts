// `connect` and `disconnect` through the built CLI, as a CI job runs them (flags only, --yes, no terminal), on
// a half path built by hand (connect-fixtures.ts): the API side in A and a function in B that cannot reach
// each other. connect makes doctor pass every hop and verify pass (the probe's answers are queued, as the
// other CLI-on-moto suites queue the client function's: moto never runs the code); a second connect changes
// nothing; disconnect leaves every user resource exactly as it was and doctor's verdict as it was, and a
// second one finds nothing to do; an active peering is reused and left in place; each refusal stops connect
// before any stack (exit 2, its one line); --dry-run sends no write call (moto's own request log).
import { join } from "node:path";
import { DescribeStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { DescribeRouteTablesCommand, DescribeVpcPeeringConnectionsCommand } from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectStackNames } from "../../src/steps/stages.js";
import { HOPS } from "../../src/steps/doctor/doctor.js";
import { clientAnswer } from "../helpers/payloads.js";
import { type NodeRun, tempDir } from "../helpers/cli.js";
import { openTerminal, tmuxAvailable } from "../helpers/pty.js";
import { buildHalfPath, userResources, VARIANTS, type HalfPathIds } from "./connect-fixtures.js";
import { cliOnMoto, copyOfBuiltCli, describeStack, motoAws, motoRecorder, recordedRequests, type MotoAws, type RecordedRequest } from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";

const A = "us-east-1";
const B = "eu-west-1";
const NAME = "orders";
const STACKS = connectStackNames(NAME, B);
let moto: MotoServer;
let aws: MotoAws;
let cli: ReturnType<typeof copyOfBuiltCli>;
let ids: HalfPathIds;
let original: unknown;

beforeAll(async () => {
  cli = copyOfBuiltCli();
  // A connection's life, not its timing: AWS's durations at 1:600. moto's recorder keeps every request it
  // serves (moto_api recorder), which is how the suite counts what a run sends.
  moto = await startMotoServer({ timeScale: 600 });
  aws = motoAws(moto);
  await moto.warmUp([A, B]);
  ids = await buildHalfPath(moto, aws, A, B);
  original = await userResources(moto, aws, ids);
}, 120_000);
afterAll(async () => {
  aws?.destroy();
  await moto?.stop();
  cli?.remove();
});

// moto and the CLI copy are made in beforeAll: read them when a test runs.
const { run, shown } = cliOnMoto(() => moto, () => cli.path);
const connectFlags = (...more: string[]) => ["connect", "--name", NAME, "--api-region", A, "--api-id", ids.apiId, "--client-region", B, ...more];
const located = ["--name", NAME, "--api-region", A, "--client-region", B];

type Event = { kind: string; [key: string]: unknown };
const events = (stdout: string): Event[] => stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Event);

/** The probe's answers as DESIGN section 9 shapes them: the API's own, through the endpoint's address in A. */
function probeAnswers(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(clientAnswer({ url: `https://${ids.hostname}/prod/orders`, body: '{"orders":[]}', resolvedAddresses: ["10.50.8.37"], timings: { dnsMs: 2 + i, connectMs: 70, tlsMs: 150, firstByteMs: 80, totalMs: 300 + i } })),
  );
}

function forbidden(): string {
  const message = `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${A}:********9012:${ids.apiId}/prod/GET/orders with an explicit deny`;
  return JSON.stringify(clientAnswer({ ok: false, status: 403, url: `https://${ids.hostname}/prod/orders`, body: JSON.stringify({ Message: message }), resolvedAddresses: ["10.50.8.37"], error: { layer: "http", message: `HTTP 403 from ${ids.hostname}` } }));
}

// moto's request log: what a run sent, one action per request (the query and JSON protocols name it; the REST
// ones, Lambda, API Gateway and Route 53, by method and path).
const recorder = (action: "reset-recording" | "start-recording") => motoRecorder(moto, action);
const recorded = async () => (await recordedRequests(moto)).map(actionOf);
const REST: readonly [RegExp, string][] = [
  [/^GET \/2015-03-31\/functions\/[^/]+\/configuration/, "lambda:GetFunctionConfiguration"],
  [/^POST \/2015-03-31\/functions\/[^/]+\/invocations/, "lambda:Invoke"],
  [/^GET \/2015-03-31\/functions\/?$/, "lambda:ListFunctions"],
  [/^PUT \/2015-03-31\/functions\/[^/]+\/configuration/, "lambda:UpdateFunctionConfiguration"],
  [/^GET \/restapis\/[^/]+\/stages/, "apigateway:GetStages"],
  [/^GET \/restapis\/[^/]+\/resources/, "apigateway:GetResources"],
  [/^GET \/restapis\/[^/]+$/, "apigateway:GetRestApi"],
  [/^GET \/2013-04-01\/hostedzonesbyvpc/, "route53:ListHostedZonesByVPC"],
  [/^GET \/2013-04-01\/hostedzone\/[^/]+\/rrset/, "route53:ListResourceRecordSets"],
  [/^GET \/2013-04-01\/hostedzone\/[^/]+$/, "route53:GetHostedZone"],
];
function actionOf(entry: RecordedRequest): string {
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(entry.headers["Authorization"] ?? entry.headers["authorization"] ?? "")?.[1] ?? "?";
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(entry.body)?.[1];
  if (action) return `${service}:${action}`;
  const path = new URL(entry.url).pathname;
  return REST.find(([pattern]) => pattern.test(`${entry.method} ${path}`))?.[1] ?? `${service}:${entry.method} ${path}`;
}
// Reads: Describe/Get/List, and IAM's policy simulator (a read: it evaluates policies, it changes nothing).
const isWrite = (action: string) => !/:(Describe|Get|List|Simulate)/.test(action);
const byAction = (actions: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([a, n]) => `${a}×${n}`).join(" ");
};

async function verdicts(cwd: string): Promise<{ run: NodeRun; hops: [string, boolean | null][] }> {
  const result = await run(["doctor", ...located, "--function", ids.functionName, "--api-id", ids.apiId, "--json"], cwd);
  return { run: result, hops: events(result.stdout).filter((e) => e.kind === "doctor-hop").map((e) => [e["hop"] as string, e["ok"] as boolean | null]) };
}

// A test that fails half-way leaves its stacks: the next one must start from the half path again.
afterEach(async () => {
  if ((await describeStack(aws.cfn(B), STACKS.client)) || (await describeStack(aws.cfn(A), STACKS.api))) {
    await run(["disconnect", ...located, "--yes"], tempDir());
  }
});

describe("a connection's life through the CLI", () => {
  let cwd: string;
  beforeAll(() => {
    cwd = tempDir("xregion-connect-");
  });

  it("--dry-run prints the plan and sends no write call", async () => {
    await recorder("start-recording");
    await recorder("reset-recording");
    const result = await run(connectFlags("--function", ids.functionName, "--dry-run"), cwd);
    const actions = await recorded();
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toMatch(/^✘ client-route +rtb-/m);
    expect(result.stdout).toContain(`stage 1/2 ${STACKS.client} (${B}):`);
    // Said once, by the run's result (not by the plan too).
    expect(result.stdout.match(/Dry run: nothing was created\./g)).toHaveLength(1);
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter(isWrite)).toEqual([]);
    expect(await describeStack(aws.cfn(B), STACKS.client)).toBeUndefined();
  });

  it("connect (flags only, --yes) makes doctor pass every hop and verify pass; again, it changes nothing", async () => {
    const before = await verdicts(cwd);
    expect(before.hops.filter(([, ok]) => ok !== true).map(([hop]) => hop)).toEqual(["dns", "client-egress", "client-route", "peering", "return-route", "endpoint-ingress"]);

    await moto.queueLambdaResults(B, probeAnswers(2));
    await recorder("reset-recording");
    const first = await run(connectFlags("--function", ids.functionName, "--yes", "--samples", "2"), cwd);
    const connectActions = await recorded();
    expect(first.code, shown(first)).toBe(0);
    expect(first.stdout).toMatch(/\[1\/2 connect-client eu-west-1\] created orders-connect-client/);
    expect(first.stdout).toMatch(/\[2\/2 connect-api us-east-1\] created orders-connect-api-eu-west-1/);
    for (const hop of HOPS) expect(first.stdout).toMatch(new RegExp(`^✔ ${hop} `, "m"));
    expect(first.stdout).toContain("verification passed");
    expect(first.stdout).toContain(`${ids.functionName} in ${B} reaches the private API ${ids.apiId} in ${A}: doctor passes every hop and the probe's calls work.`);
    const probe = await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: `${NAME}-probe` }));
    expect(probe.Environment?.Variables?.["API_URL"]).toBe(`https://${ids.hostname}/prod/orders`);

    // doctor and verify on the connection by its name alone, as on a deployment.
    const doctor = await run(["doctor", ...located], cwd);
    expect(doctor.code, shown(doctor)).toBe(0);
    expect(doctor.stdout).toContain("Every hop of the path checks out.");
    await moto.queueLambdaResults(B, probeAnswers(1));
    const verify = await run(["verify", ...located, "--samples", "1"], cwd);
    expect(verify.code, shown(verify)).toBe(0);
    const status = await run(["status", ...located, "--json"], cwd);
    expect(status.code, shown(status)).toBe(0);
    const additions = events(status.stdout).find((e) => e.kind === "connect-additions")!["carriers"] as { id: string; additions: { present: boolean | null }[] }[];
    // The client's table, group and VPC (peering, zone, probe), the endpoint's group and the endpoint subnet's table.
    expect(additions.map((c) => c.id)).toEqual(expect.arrayContaining([ids.clientTableId, ids.clientVpcId, ids.endpointGroupId, ids.clientGroupId]));
    expect(additions.map((c) => c.id)).toHaveLength(5);
    expect(additions.flatMap((c) => c.additions.map((a) => a.present)).every((p) => p === true)).toBe(true);
    expect(events(status.stdout).at(-1)).toMatchObject({ kind: "result", summary: `Connection "${NAME}" is connected.` });

    // Again: nothing changes. The probe's call is refused this time (a 403 from the API): connect exits 1, as
    // it does whenever doctor and verify do not both hold.
    await moto.queueLambdaResults(B, [forbidden()]);
    const again = await run(connectFlags("--function", ids.functionName, "--yes", "--samples", "1", "--json"), cwd);
    expect(again.code, shown(again)).toBe(1);
    const finished = events(again.stdout).filter((e) => e.kind === "stage-finished").map((e) => [e["stackName"], e["outcome"]]);
    expect(finished).toEqual([[STACKS.client, "no-op"], [STACKS.api, "no-op"]]);
    expect(events(again.stdout).at(-1)).toMatchObject({ kind: "result", ok: false, summary: "Connected and every hop checks out, but the probe's call did not work." });

    await recorder("reset-recording");
    const gone = await run(["disconnect", ...located, "--yes"], cwd);
    const disconnectActions = await recorded();
    expect(gone.code, shown(gone)).toBe(0);
    expect(gone.stdout).toMatch(/\[2\/2 connect-api us-east-1\] deleted orders-connect-api-eu-west-1[\s\S]*\[1\/2 connect-client eu-west-1\] deleted orders-connect-client/);
    expect(await userResources(moto, aws, ids)).toEqual(original);
    const after = await verdicts(cwd);
    expect(after.hops).toEqual(before.hops);

    const twice = await run(["disconnect", ...located, "--yes"], cwd);
    expect(twice.code, shown(twice)).toBe(0);
    expect(twice.stdout).toContain(`Nothing to delete: no stack of connection "${NAME}" exists.`);
    console.info(`connect on moto through the CLI: ${first.ms.toFixed(0)} ms, ${connectActions.length} calls: ${byAction(connectActions)}`);
    console.info(`disconnect on moto through the CLI: ${gone.ms.toFixed(0)} ms, ${disconnectActions.length} calls: ${byAction(disconnectActions)}`);
  });

  it("reuses an active peering between the two VPCs and leaves it in place; a client VPC without a probe is judged, not exercised", async () => {
    const made = await VARIANTS[0]!.make(moto, aws, ids);
    const pcx = made.id!;
    try {
      const withPeering = await userResources(moto, aws, ids);
      const result = await run(connectFlags("--client-vpc", ids.clientVpcId, "--client-security-groups", ids.clientGroupId, "--no-probe", "--yes"), cwd);
      expect(result.code, shown(result)).toBe(0);
      expect(result.stdout).toContain("judged by doctor, not exercised (no probe to invoke)");
      const resources = (await aws.cfn(B).send(new DescribeStackResourcesCommand({ StackName: STACKS.client }))).StackResources!.map((r) => r.ResourceType);
      expect(resources).not.toContain("AWS::EC2::VPCPeeringConnection");
      expect(resources).not.toContain("AWS::Lambda::Function");
      const routes = (await aws.ec2(B).send(new DescribeRouteTablesCommand({ RouteTableIds: [ids.clientTableId] }))).RouteTables![0]!.Routes!;
      expect(routes.find((r) => r.DestinationCidrBlock === "10.50.8.0/24")?.VpcPeeringConnectionId).toBe(pcx);

      const gone = await run(["disconnect", ...located, "--yes"], cwd);
      expect(gone.code, shown(gone)).toBe(0);
      expect(gone.stdout).toContain(`${pcx} was there before connect (reused, not ours): it stays.`);
      const left = await aws.ec2(B).send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }));
      expect(left.VpcPeeringConnections?.[0]?.Status?.Code).toBe("active");
      expect(await userResources(moto, aws, ids)).toEqual(withPeering);
    } finally {
      await made.undo();
    }
    expect(await userResources(moto, aws, ids)).toEqual(original);
  });
});

describe("connect in a terminal", () => {
  it.skipIf(!tmuxAvailable())("asks what to connect from lists of what exists, shows the plan, asks once, builds and proves it", async () => {
    const cwd = tempDir("xregion-connect-pty-");
    const { CI: _ci, ...env } = moto.env();
    await moto.queueLambdaResults(B, probeAnswers(5));
    const term = openTerminal({ command: [process.execPath, cli.path, "connect"], cwd, env, columns: 100, rows: 50 });
    try {
      await term.waitFor("? Connection name");
      await term.type("wiz");
      term.press("Enter");
      await term.waitFor("? Region A — where the private API lives");
      await term.type(A);
      await term.waitFor(/❯ us-east-1 — US East \(N\. Virginia\)\n\n/);
      term.press("Enter");
      // The private APIs of region A, with their stages; one stage and one endpoint: nothing more to ask.
      await term.waitFor(`❯ orders-internal  ${ids.apiId}`, 20_000);
      await term.waitFor("stages: prod");
      term.press("Enter");
      await term.waitFor("? Region B — where the client function runs");
      await term.type(B);
      await term.waitFor(/❯ eu-west-1 — Europe \(Ireland\)\n\n/);
      term.press("Enter");
      await term.waitFor(`❯ function ${ids.functionName}`, 20_000);
      await term.waitFor(`VPC ${ids.clientVpcId}`);
      term.press("Enter");
      // One client region: the default answer.
      await term.waitFor("? Add another client region? (y/N)");
      term.press("Enter");
      await term.waitFor("The same run without questions:");
      await term.waitFor(`--api-id ${ids.apiId}`);
      await term.waitFor(/✘ client-route +rtb-/, 20_000);
      await term.waitFor('? Create what the plan lists for connection "wiz" now? (Y/n)');
      term.press("Enter");
      const shown = await term.waitFor(/reaches the private API/, 60_000);
      expect(shown).toMatch(/✔ stage 1\/2 wiz-connect-client \(eu-west-1\)/);
      expect(shown).toMatch(/✔ stage 2\/2 wiz-connect-api-eu-west-1 \(us-east-1\)/);
      expect(await term.exitCode()).toBe(0);
    } finally {
      term.close();
    }
    const gone = await run(["disconnect", "--config", join(cwd, "xregion-private-api.json"), "--yes"], cwd);
    expect(gone.code, shown(gone)).toBe(0);
    expect(await userResources(moto, aws, ids)).toEqual(original);
  });
});

describe("each refusal, on its own variant of the half path, before any stack exists", () => {
  it.each(VARIANTS.filter((v) => v.refusal !== undefined).map((v) => [v.name, v] as const))("%s", async (_name, variant) => {
    const made = await variant.make(moto, aws, ids);
    try {
      const peering = variant.peering ? ["--peering", variant.peering(ids, made.id)] : [];
      // A folder of its own: the answers file of the variant before (its --peering) must not apply.
      const result = await run(connectFlags("--function", ids.functionName, "--yes", "--json", ...peering), tempDir("xregion-refuse-"));
      expect(result.code, shown(result)).toBe(2);
      const plan = events(result.stdout).find((e) => e.kind === "connect-plan")!;
      const refusals = plan["refusals"] as { reason: string; message: string }[];
      expect(refusals.map((r) => r.reason)).toEqual([variant.refusal]);
      // The one line, last on stderr (under the plan, which --json writes there for people), as every bad-input exit says it.
      expect(result.stderr.split("\n").filter((line) => line.startsWith("error: "))).toEqual([`error: ${refusals[0]!.message}`]);
      expect(result.stderr.endsWith(`error: ${refusals[0]!.message}\n`)).toBe(true);
      expect(events(result.stdout).at(-1)).toMatchObject({ kind: "result", ok: false });
      expect(await describeStack(aws.cfn(B), STACKS.client)).toBeUndefined();
      expect(await describeStack(aws.cfn(A), STACKS.api)).toBeUndefined();
    } finally {
      await made.undo();
    }
    expect(await userResources(moto, aws, ids)).toEqual(original);
  });
});
