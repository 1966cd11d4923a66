// connect's core on moto, driven by a test-only stand-in for the commands (connect-driver.ts): on a half path
// built by hand (connect-fixtures.ts), the planner's two stacks make doctor pass every hop, a second connect
// changes nothing, and deleting the stacks (API side first) leaves every user resource exactly as it was and
// doctor's verdict as it was; an active peering is reused and left in place; each refusal fires on its own
// variant of the path before any stack exists.
import { DescribeStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { DescribeRouteTablesCommand, DescribeVpcPeeringConnectionsCommand } from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { readPathSnapshot } from "../../src/aws/path-snapshot.js";
import { describeStack } from "../../src/aws/stack.js";
import { connectStackNames, planConnect } from "../../src/steps/connect/plan.js";
import { readConnectFacts } from "../../src/steps/connect/read.js";
import type { ConnectOptions, ConnectPlan } from "../../src/steps/connect/types.js";
import { HOPS, judgePath } from "../../src/steps/doctor/doctor.js";
import { countingClients, driveConnect, driveDisconnect } from "./connect-driver.js";
import { buildHalfPath, userResources, VARIANTS, type HalfPathIds } from "./connect-fixtures.js";
import { motoAws, type MotoAws } from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";

const A = "us-east-1";
const B = "eu-west-1";
let moto: MotoServer;
let aws: MotoAws;
let ids: HalfPathIds;
let original: unknown;

beforeAll(async () => {
  // A connection's life, not its timing: AWS's durations at 1:600 (Lambda's 20-40 minutes for the probe's
  // interfaces when a stack delete meets them are 2-4 s).
  moto = await startMotoServer({ timeScale: 600 });
  aws = motoAws(moto);
  await moto.warmUp([A, B]);
  ids = await buildHalfPath(moto, aws, A, B);
  original = await userResources(moto, aws, ids);
});
// A test that fails half-way leaves its stacks: the next one must start from the half path again.
afterEach(async () => {
  const clients = countingClients(moto, new Map());
  const names = connectStackNames("orders", B);
  await driveDisconnect(clients, [{ stackName: names.api, region: A }, { stackName: names.client, region: B }]);
  clients.destroy();
});
afterAll(async () => {
  aws?.destroy();
  await moto?.stop();
});

const options = (over: Partial<ConnectOptions> = {}): ConnectOptions => ({
  name: "orders", apiRegion: A, apiId: ids.apiId, stage: undefined, endpointId: undefined, clientRegion: B,
  client: { kind: "function", name: ids.functionName }, peering: "auto", probe: true, ...over,
});

async function verdicts(clients: AwsClients) {
  return judgePath(await readPathSnapshot(clients, { clientRegion: B, apiRegion: A, functionName: ids.functionName, apiId: ids.apiId }));
}

async function plan(clients: AwsClients, over: Partial<ConnectOptions> = {}): Promise<ConnectPlan> {
  const o = options(over);
  return planConnect(o, await readConnectFacts(clients, o));
}

const stacks = (p: ConnectPlan) => [p.api, p.client];
const byAction = (calls: Map<string, number>) => [...calls].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(" ");

describe("connect and disconnect on a half path", () => {
  it("the two stacks make doctor pass every hop; again, nothing changes; deleting them restores every user resource and doctor's verdict", async () => {
    const quiet = countingClients(moto, new Map());
    const before = await verdicts(quiet);
    expect(before.filter((h) => h.ok !== true).map((h) => h.hop)).toEqual(["dns", "client-egress", "client-route", "peering", "return-route", "endpoint-ingress"]);

    const connectCalls = new Map<string, number>();
    const clients = countingClients(moto, connectCalls);
    const started = performance.now();
    const first = await plan(clients);
    expect(first.refusals).toEqual([]);
    expect(first.hops.map((h) => h.owner)).toEqual(["—: nothing", "us: zone and record", "us: one rule", "us: one route", "us: peering", "us: one route", "us: one rule", "—: nothing", "—: nothing", "—: nothing"]);
    const connected = await driveConnect(clients, first);
    expect(connected).toMatchObject({ client: "created", api: "created" });
    const connectedPeering = connected.outputs["PeeringConnectionId"];
    expect(connectedPeering).toMatch(/^pcx-[0-9a-f]{17}$/);
    const connectMs = performance.now() - started;

    const after = await verdicts(quiet);
    expect(after.map((h) => [h.hop, h.ok])).toEqual(HOPS.map((hop) => [hop, true]));
    const probe = await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: "orders-probe" }));
    expect(probe.Environment?.Variables?.["API_URL"]).toBe(`https://${ids.hostname}/prod/orders`);
    expect(probe.VpcConfig?.SubnetIds).toEqual([ids.clientSubnetId]);

    const again = await plan(quiet);
    expect(again.refusals).toEqual([]);
    expect(again.client.parameters).toEqual(first.client.parameters);
    expect(await driveConnect(quiet, again)).toMatchObject({ client: "no-op", api: "no-op" });

    const disconnectCalls = new Map<string, number>();
    const disconnecting = countingClients(moto, disconnectCalls);
    const start = performance.now();
    expect(await driveDisconnect(disconnecting, stacks(first))).toEqual(["orders-connect-api-eu-west-1", "orders-connect-client"]);
    const disconnectMs = performance.now() - start;

    expect(await userResources(moto, aws, ids)).toEqual(original);
    // Doctor's verdict is what it was, hop by hop. Only the evidence of the three hops that hang on the peering
    // differs: a deleted peering connection stays listed a while as "deleted" (AWS's too), and doctor names it.
    const restored = await verdicts(quiet);
    expect(restored.map((h) => [h.hop, h.ok])).toEqual(before.map((h) => [h.hop, h.ok]));
    const onPeering = ["client-route", "peering", "return-route"];
    expect(restored.filter((h) => !onPeering.includes(h.hop))).toEqual(before.filter((h) => !onPeering.includes(h.hop)));
    const ours = first.peering.kind === "create" ? connectedPeering : undefined;
    expect(restored.find((h) => h.hop === "peering")!.detail).toMatch(new RegExp(`^${ours}: deleted, `));
    expect(await driveDisconnect(quiet, stacks(first))).toEqual([]);
    console.info(`connect on moto: ${connectMs.toFixed(0)} ms, ${[...connectCalls.values()].reduce((a, b) => a + b, 0)} calls: ${byAction(connectCalls)}`);
    console.info(`disconnect on moto: ${disconnectMs.toFixed(0)} ms, ${[...disconnectCalls.values()].reduce((a, b) => a + b, 0)} calls: ${byAction(disconnectCalls)}`);
    for (const c of [quiet, clients, disconnecting]) c.destroy();
  });

  it("an active peering between the two VPCs is reused, and disconnect leaves it in place", async () => {
    const clients = countingClients(moto, new Map());
    const made = await VARIANTS[0]!.make(moto, aws, ids);
    const pcx = made.id!;
    const withPeering = await userResources(moto, aws, ids);
    const p = await plan(clients);
    expect(p.refusals).toEqual([]);
    expect(p.peering).toEqual({ kind: "reuse", id: pcx });
    await driveConnect(clients, p);
    const resources = (await aws.cfn(B).send(new DescribeStackResourcesCommand({ StackName: p.client.stackName }))).StackResources!.map((r) => r.ResourceType);
    expect(resources).not.toContain("AWS::EC2::VPCPeeringConnection");
    const routes = (await aws.ec2(B).send(new DescribeRouteTablesCommand({ RouteTableIds: [ids.clientTableId] }))).RouteTables![0]!.Routes!;
    expect(routes.find((r) => r.DestinationCidrBlock === "10.50.8.0/24")?.VpcPeeringConnectionId).toBe(pcx);
    expect((await verdicts(clients)).every((h) => h.ok === true)).toBe(true);

    await driveDisconnect(clients, stacks(p));
    const left = await aws.ec2(B).send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }));
    expect(left.VpcPeeringConnections?.[0]?.Status?.Code).toBe("active");
    expect(await userResources(moto, aws, ids)).toEqual(withPeering);
    await made.undo();
    expect(await userResources(moto, aws, ids)).toEqual(original);
    clients.destroy();
  });
});

describe("each refusal, on its own variant of the half path, before any stack exists", () => {
  it.each(VARIANTS.filter((v) => v.refusal !== undefined).map((v) => [v.name, v] as const))("%s", async (_name, variant) => {
    const clients = countingClients(moto, new Map());
    const made = await variant.make(moto, aws, ids);
    try {
      const p = await plan(clients, variant.peering ? { peering: variant.peering(ids, made.id) } : {});
      expect(p.refusals.map((r) => r.reason)).toEqual([variant.refusal]);
      expect(p.refusals[0]!.message).not.toMatch(/\n/);
      const names = connectStackNames("orders", B);
      expect(await describeStack(aws.cfn(B), names.client)).toBeUndefined();
      expect(await describeStack(aws.cfn(A), names.api)).toBeUndefined();
      await expect(driveConnect(clients, p)).rejects.toThrow(/^refused: /);
    } finally {
      await made.undo();
      clients.destroy();
    }
    expect(await userResources(moto, aws, ids)).toEqual(original);
  });
});
