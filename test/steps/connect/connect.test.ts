// connect's two stacks through the deploy engine, on a scripted CloudFormation timeline: the client side,
// then the API side with the peering the client side made; a side with nothing missing is not made; Ctrl-C
// during the client side's create deletes it (its probe's interfaces released first) and says what is left;
// a re-run whose change sets are empty is a no-op on both.
import { describe, expect, it } from "vitest";
import { buildConnections } from "../../../src/steps/connect/connect.js";
import type { ProgressEvent } from "../../../src/steps/events.js";
import type { ConnectPlan, StackPlan } from "../../../src/steps/connect/types.js";
import { createdResource, resourceEvent, stackEvent } from "../../helpers/cfn-timeline.js";
import { API_REGION, CLIENT_REGION, harness, sequence } from "../../helpers/engine-harness.js";

const TAGS = { "xregion-private-api:deployment": "orders", "xregion-private-api:connection": "true" };
const PCX = "pcx-0123456789abcdef0";

function stack(key: "client" | "api", parameters: Record<string, string>, needed = true): StackPlan {
  return {
    key,
    stackName: key === "client" ? "orders-connect-client" : `orders-connect-api-${CLIENT_REGION}`,
    region: key === "client" ? CLIENT_REGION : API_REGION,
    template: key === "client" ? "connect-client.yaml" : "connect-api.yaml",
    needed,
    parameters,
    resources: [],
    tags: TAGS,
  };
}

function plan(over: Partial<Pick<ConnectPlan, "client" | "api">> = {}): ConnectPlan {
  return {
    options: { name: "orders", apiRegion: API_REGION, apiId: "a1b2c3d4e5", stage: undefined, endpointId: undefined, clientRegion: CLIENT_REGION, client: { kind: "function", name: "orders-caller" }, peering: "auto", probe: true },
    hostname: `a1b2c3d4e5.execute-api.${API_REGION}.amazonaws.com`,
    hops: [],
    peering: { kind: "create", kept: false },
    client: stack("client", { DeploymentName: "orders", ClientVpcId: "vpc-0b", PeeringConnectionId: "", ClientRoute1Table: "rtb-0b", ClientRoute1Destination: "10.50.8.0/24" }),
    api: stack("api", { DeploymentName: "orders", ClientRegion: CLIENT_REGION, PeeringConnectionId: "", ReturnRoute1Table: "rtb-0a", ReturnRoute1Destination: "10.60.4.0/24" }),
    carriers: [],
    clientBlocks: ["10.60.4.0/24"],
    untouched: [],
    notes: [],
    refusals: [],
    ...over,
  };
}

function created(resource: string, type: string, outputs: Record<string, string>) {
  const [start, initiated, done] = createdResource(resource, type);
  return { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated"), start], [initiated], [done, stackEvent("CREATE_COMPLETE")]], outputs };
}

describe("buildConnections with one client region", () => {
  const build = (h: ReturnType<typeof harness>, one: ConnectPlan) => buildConnections(h.ctx, [one], { maxParallel: 4 });

  it("makes the client side, then the API side with the peering the client side made, labelled 1/2 and 2/2", async () => {
    const h = harness();
    h.cfn
      .stack("orders-connect-client", { execute: created("PeeringConnection", "AWS::EC2::VPCPeeringConnection", { PeeringConnectionId: PCX, FunctionName: "orders-probe" }) })
      .stack(`orders-connect-api-${CLIENT_REGION}`, { execute: created("ReturnRoute1", "AWS::EC2::Route", {}) });
    const result = await build(h, plan());
    expect(result).toEqual({ kind: "done", regions: [{ region: CLIENT_REGION, kind: "built", outputs: { PeeringConnectionId: PCX, FunctionName: "orders-probe" }, outcomes: ["deployed", "deployed"] }] });
    const changeSets = h.cfn.calls.filter((c) => c.command === "CreateChangeSet");
    expect(changeSets.map((c) => [c.region, c.input["StackName"]])).toEqual([[CLIENT_REGION, "orders-connect-client"], [API_REGION, `orders-connect-api-${CLIENT_REGION}`]]);
    const apiParameters = changeSets[1]!.input["Parameters"] as { ParameterKey: string; ParameterValue: string }[];
    expect(apiParameters.find((p) => p.ParameterKey === "PeeringConnectionId")?.ParameterValue).toBe(PCX);
    // The probe's role is CloudFormation-named: IAM is acknowledged.
    expect(changeSets[0]!.input["Capabilities"]).toEqual(["CAPABILITY_IAM"]);
    expect(changeSets[0]!.input["Tags"]).toEqual([{ Key: "xregion-private-api:deployment", Value: "orders" }, { Key: "xregion-private-api:connection", Value: "true" }]);
    expect(sequence(h.events).filter((e) => e.startsWith("stage"))).toEqual(["stages-queued:1,2", "stage-started:1:create", "stage-finished:1:created", "stage-started:2:create", "stage-finished:2:created"]);
    expect(h.events.find((e) => e.kind === "stage-started")).toMatchObject({ key: "connect-client", stackName: "orders-connect-client", region: CLIENT_REGION });
  });

  it("does not make a side that needs nothing, and says so", async () => {
    const h = harness();
    h.cfn.stack("orders-connect-client", { execute: created("ClientRoute1", "AWS::EC2::Route", { PeeringConnectionId: PCX }) });
    const result = await build(h, plan({ api: stack("api", { PeeringConnectionId: PCX }, false) }));
    expect(result).toMatchObject({ kind: "done", regions: [{ kind: "built" }] });
    expect(h.cfn.calls.filter((c) => c.region === API_REGION)).toEqual([]);
    expect(h.events).toContainEqual(expect.objectContaining({ kind: "info", stage: 2, message: `${API_REGION} needs nothing added: orders-connect-api-${CLIENT_REGION} is not needed.` }));
    expect(h.events).toContainEqual(expect.objectContaining({ kind: "stage-finished", stage: 2, outcome: "absent" }));
  });

  it("is a no-op on both sides when neither change set has a change", async () => {
    const h = harness();
    h.cfn
      .stack("orders-connect-client", { status: "CREATE_COMPLETE", outputs: { PeeringConnectionId: PCX }, changeSet: "empty" })
      .stack(`orders-connect-api-${CLIENT_REGION}`, { status: "CREATE_COMPLETE", changeSet: "empty" });
    const result = await build(h, plan());
    expect(result).toMatchObject({ kind: "done", regions: [{ kind: "built", outcomes: ["no-op", "no-op"] }] });
    expect(h.cfn.count("ExecuteChangeSet")).toBe(0);
  });

  it("on Ctrl-C while the client side is created, deletes it, never starts the API side, and says what is left", async () => {
    const h = harness();
    h.cfn.stack("orders-connect-client", { execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [], []] } });
    h.cfn.after("DescribeStackEvents", 1, () => h.controller.abort());
    const result = await build(h, plan());
    expect(result).toMatchObject({ kind: "cancelled", left: [{ stackName: "orders-connect-client", status: "absent" }, { stackName: `orders-connect-api-${CLIENT_REGION}`, status: "absent" }] });
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([CLIENT_REGION]);
    // The probe's interfaces are looked for before the delete, as the client function's are.
    expect(h.cfn.count("DescribeStackResources")).toBeGreaterThan(0);
    expect(h.cfn.calls.filter((c) => c.region === API_REGION && c.command === "CreateChangeSet")).toEqual([]);
    expect(sequence(h.events).filter((e) => e.startsWith("stage-"))).toContain("stage-cancelled:1:DELETE_COMPLETE");
    expect(h.events.at(-1)).toMatchObject({ kind: "info", message: "No stacks are left." });
  });
});

describe("buildConnections with several client regions", () => {
  const REGIONS = [CLIENT_REGION, "ap-southeast-2", "us-west-2"] as const;
  const pcxOf = (region: string) => `pcx-0${region.replace(/[^0-9a-z]/g, "").slice(0, 10)}`;
  const regionPlan = (region: string): ConnectPlan => {
    const base = plan();
    return {
      ...base,
      options: { ...base.options, clientRegion: region },
      client: { ...base.client, region },
      api: { ...base.api, stackName: `orders-connect-api-${region}`, parameters: { ...base.api.parameters, ClientRegion: region } },
    };
  };
  const slow = (outputs: Record<string, string>) => {
    const [start, initiated, done] = createdResource("PeeringConnection", "AWS::EC2::VPCPeeringConnection");
    return { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated"), start], [initiated], [], [], [done, stackEvent("CREATE_COMPLETE")]], outputs };
  };
  const fails = {
    batches: [
      [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), resourceEvent("PeeringConnection", "AWS::EC2::VPCPeeringConnection", "CREATE_IN_PROGRESS")],
      [resourceEvent("PeeringConnection", "AWS::EC2::VPCPeeringConnection", "CREATE_FAILED", "VpcPeeringConnection failed to reach active state"), stackEvent("ROLLBACK_IN_PROGRESS")],
      [stackEvent("ROLLBACK_COMPLETE")],
    ],
  };
  const lines = (events: readonly ProgressEvent[]) =>
    events.flatMap((e) => (e.kind === "stage-started" || e.kind === "stage-finished" || e.kind === "stage-failed" ? [`${e.kind.slice(6)}:${e.stage}:${e.clientRegion}`] : []));

  it("builds each region's client side then its API side, the regions side by side, every stage naming its client region", async () => {
    const h = harness();
    // No client side ends before all three have been executed: were they run one after another, the first
    // would never end (the engine's own reads of templates from disk then cannot reorder the test).
    const allExecuted = () => REGIONS.every((r) => h.cfn.calls.some((c) => c.command === "ExecuteChangeSet" && c.region === r));
    for (const region of REGIONS) {
      h.cfn.stackIn(region, "orders-connect-client", { execute: { ...slow({ PeeringConnectionId: pcxOf(region), FunctionName: "orders-probe" }), endsWhen: allExecuted } as never });
      h.cfn.stack(`orders-connect-api-${region}`, { execute: created("ReturnRoute1", "AWS::EC2::Route", {}) });
    }
    const result = await buildConnections(h.ctx, REGIONS.map(regionPlan), { maxParallel: 4 });
    expect(result).toEqual({ kind: "done", regions: REGIONS.map((region) => ({ region, kind: "built", outputs: { PeeringConnectionId: pcxOf(region), FunctionName: "orders-probe" }, outcomes: ["deployed", "deployed"] })) });
    const seen = lines(h.events);
    // Every region's client side began before the first one ended: they ran at the same time.
    const firstEnd = seen.findIndex((l) => l.startsWith("finished:1"));
    expect(seen.slice(0, firstEnd).sort()).toEqual(REGIONS.map((r) => `started:1:${r}`).sort());
    for (const region of REGIONS) expect(seen.indexOf(`finished:1:${region}`)).toBeLessThan(seen.indexOf(`started:2:${region}`));
    // Each API side took its own region's peering.
    const apiSides = h.cfn.calls.filter((c) => c.command === "CreateChangeSet" && String(c.input["StackName"]).startsWith("orders-connect-api-"));
    expect(apiSides.map((c) => [c.input["StackName"], (c.input["Parameters"] as { ParameterKey: string; ParameterValue: string }[]).find((p) => p.ParameterKey === "PeeringConnectionId")?.ParameterValue]).sort()).toEqual(
      REGIONS.map((r) => [`orders-connect-api-${r}`, pcxOf(r)]).sort(),
    );
    expect(h.events.find((e) => e.kind === "stages-queued")).toMatchObject({ stages: REGIONS.flatMap((r) => [expect.objectContaining({ stage: 1, clientRegion: r }), expect.objectContaining({ stage: 2, clientRegion: r })]) });
  });

  it("a region failing stops no region running and starts no new one (--max-parallel 2)", async () => {
    const h = harness();
    // The second region ends only once the first one's failure has been reported, so a free slot is there to
    // be (wrongly) taken by the third, whatever order the scheduler runs them in.
    const failureSeen = () => h.events.some((e) => e.kind === "stage-failed" && e.clientRegion === CLIENT_REGION);
    for (const region of REGIONS) {
      h.cfn.stackIn(region, "orders-connect-client", { execute: (region === CLIENT_REGION ? fails : { ...slow({ PeeringConnectionId: pcxOf(region) }), endsWhen: failureSeen }) as never });
      h.cfn.stack(`orders-connect-api-${region}`, { execute: created("ReturnRoute1", "AWS::EC2::Route", {}) });
    }
    const result = await buildConnections(h.ctx, REGIONS.map(regionPlan), { maxParallel: 2 });
    expect(result.kind).toBe("done");
    expect(result.regions.map((r) => [r.region, r.kind])).toEqual([[CLIENT_REGION, "failed"], ["ap-southeast-2", "built"], ["us-west-2", "not-started"]]);
    expect(result.regions[0]).toMatchObject({ stage: 1, message: expect.stringContaining("VpcPeeringConnection failed to reach active state") });
    expect(h.cfn.calls.filter((c) => c.region === "us-west-2" && c.command !== "DescribeStacks")).toEqual([]);
    // What stands, region by region, so that the failure does not leave stacks unsaid.
    expect(h.events.at(-1)).toMatchObject({
      kind: "info",
      message: `Left: ${CLIENT_REGION}: orders-connect-client (${CLIENT_REGION}) ROLLBACK_COMPLETE; ap-southeast-2: orders-connect-client (ap-southeast-2) CREATE_COMPLETE, orders-connect-api-ap-southeast-2 (${API_REGION}) CREATE_COMPLETE; us-west-2: nothing.`,
    });
  });
});
