// The deploy engine with several client regions, on scripted CloudFormation timelines: stage 1, then each
// region's stage 2 and 3 side by side (at most maxParallel at once); a region failing mid-way; Ctrl-C with
// several regions running; and the teardown of some or all of them.
import { describe, expect, it } from "vitest";
import { deployAll } from "../../../src/steps/deploy/deploy.js";
import type { ProgressEvent } from "../../../src/steps/events.js";
import type { Plan, StagePlan } from "../../../src/steps/plan.js";
import { lookupStacks } from "../../../src/steps/stacks.js";
import { teardownAll } from "../../../src/steps/teardown/teardown.js";
import { createdResource, resourceEvent, stackEvent } from "../../helpers/cfn-timeline.js";
import { API_REGION, harness, PLAN, STAGE_1 } from "../../helpers/engine-harness.js";

const REGIONS = ["us-east-1", "ap-southeast-2", "us-west-2", "sa-east-1"] as const;
const OUTPUTS_1 = { VpcId: "vpc-0a1", ApiId: "a1b2c3" };
const pcx = (region: string) => `pcx-0${region.replace(/[^0-9a-z]/g, "").slice(0, 10)}`;

function created(resource: string, type: string, outputs: Record<string, string>, quiet = 0) {
  const [start, initiated, done] = createdResource(resource, type);
  const waits: [][] = Array.from({ length: quiet }, () => []);
  return { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated"), start], [initiated], ...waits, [done, stackEvent("CREATE_COMPLETE")]], outputs };
}

const peeringFails = {
  batches: [
    [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "CREATE_IN_PROGRESS")],
    [],
    [resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "CREATE_FAILED", "VpcPeeringConnection failed to reach active state"), stackEvent("ROLLBACK_IN_PROGRESS")],
    [stackEvent("ROLLBACK_COMPLETE")],
  ],
};

// Stage 1 once, then per client region its client stack (same name in each region) and its routes stack.
function plan(regions: readonly string[]): Plan {
  const stages: StagePlan[] = [STAGE_1];
  for (const [i, region] of regions.entries()) {
    stages.push(
      { ...PLAN.stages[1]!, region, clientRegion: region },
      {
        ...PLAN.stages[2]!,
        clientRegion: region,
        stackName: i === 0 ? "demo-routes" : `demo-routes-${region}`,
        tags: { ...PLAN.stages[2]!.tags, "xregion-private-api:client-region": region },
      },
    );
  }
  return {
    ...PLAN,
    answers: { ...PLAN.answers, clients: regions.map((region, i) => ({ region, cidr: `10.${20 + i}.0.0/16` })) },
    clients: regions.map((region, i) => ({ ...PLAN.clients[0]!, region, cidr: `10.${20 + i}.0.0/16` })),
    stages,
  };
}

function scripted(h: ReturnType<typeof harness>, regions: readonly string[], clientScript: (region: string) => object = (region) => created("Peering", "AWS::EC2::VPCPeeringConnection", { PeeringConnectionId: pcx(region) }, 2)) {
  h.cfn.stack("demo-api", { execute: created("Vpc", "AWS::EC2::VPC", OUTPUTS_1) });
  for (const [i, region] of regions.entries()) {
    h.cfn.stackIn(region, "demo-client", { execute: clientScript(region) as never });
    h.cfn.stack(i === 0 ? "demo-routes" : `demo-routes-${region}`, { execute: created("ReturnRoute", "AWS::EC2::Route", {}) });
  }
}

// Whether `command` has been called in each of `regions`: what a scripted operation waits for before it ends
// (endsWhen), so that the order a test asserts holds whatever the scheduler and the disk do meanwhile.
const calledIn = (h: ReturnType<typeof harness>, command: "ExecuteChangeSet" | "DeleteStack", regions: readonly string[]) => () =>
  regions.every((region) => h.cfn.calls.some((c) => c.command === command && c.region === region));
const failedIn = (h: ReturnType<typeof harness>, region: string) => () => h.events.some((e) => e.kind === "stage-failed" && e.clientRegion === region);

// "started:2:us-east-1", "finished:3:ap-southeast-2": each stage event with its client region.
const stageLines = (events: readonly ProgressEvent[]) =>
  events.flatMap((e) =>
    e.kind === "stage-started" || e.kind === "stage-finished" || e.kind === "stage-failed" || e.kind === "stage-cancelled"
      ? [`${e.kind.slice(6)}:${e.stage}${e.clientRegion ? `:${e.clientRegion}` : ""}`]
      : [],
  );

describe("deployAll with several client regions", () => {
  it("deploys stage 1, then the regions side by side, each region's stage 3 fed by its own stage 2", async () => {
    const h = harness();
    const regions = REGIONS.slice(0, 3);
    // No stage 2 ends before all three have been executed: run one after another, the first would never end.
    scripted(h, regions, (region) => ({ ...created("Peering", "AWS::EC2::VPCPeeringConnection", { PeeringConnectionId: pcx(region) }, 2), endsWhen: calledIn(h, "ExecuteChangeSet", regions) }));
    const result = await deployAll(h.ctx, plan(regions), { maxParallel: 4 });

    expect(result.kind).toBe("deployed");
    expect(result.regions).toEqual(regions.map((region) => ({ region, kind: "up" })));
    const lines = stageLines(h.events);
    expect(lines.slice(0, 2)).toEqual(["started:1", "finished:1"]);
    // Every region's stage 2 began before the first one ended: they ran at the same time.
    const firstEnd = lines.findIndex((l) => l.startsWith("finished:2"));
    expect(lines.slice(2, firstEnd).sort()).toEqual(regions.map((r) => `started:2:${r}`).sort());
    for (const region of regions) expect(lines.indexOf(`finished:2:${region}`)).toBeLessThan(lines.indexOf(`started:3:${region}`));
    // Each routes stack got its own region's peering, in region A.
    const routes = h.cfn.calls.filter((c) => c.command === "CreateChangeSet" && String(c.input["StackName"]).startsWith("demo-routes"));
    expect(routes.map((c) => [c.input["StackName"], c.region, c.input["Parameters"]]).sort()).toEqual(
      [
        ["demo-routes", API_REGION, [{ ParameterKey: "PeeringConnectionId", ParameterValue: pcx("us-east-1") }]],
        ["demo-routes-ap-southeast-2", API_REGION, [{ ParameterKey: "PeeringConnectionId", ParameterValue: pcx("ap-southeast-2") }]],
        ["demo-routes-us-west-2", API_REGION, [{ ParameterKey: "PeeringConnectionId", ParameterValue: pcx("us-west-2") }]],
      ].sort(),
    );
    expect(Object.keys(result.outputs.clients).sort()).toEqual([...regions].sort());
    expect(result.outputs.clients["us-west-2"]?.[2]).toEqual({ PeeringConnectionId: pcx("us-west-2") });
  });

  it("runs at most maxParallel regions at once: the next starts only when one has ended", async () => {
    const h = harness();
    const regions = REGIONS.slice(0, 3);
    scripted(h, regions);
    await deployAll(h.ctx, plan(regions), { maxParallel: 2 });
    const lines = stageLines(h.events);
    // us-west-2 waits for a whole region (its stage 3 included) to end.
    const firstRegionDone = Math.min(...["us-east-1", "ap-southeast-2"].map((r) => lines.indexOf(`finished:3:${r}`)));
    expect(lines.indexOf("started:2:us-west-2")).toBeGreaterThan(firstRegionDone);
  });

  it("a region failing mid-way stops no region already running and starts no new one; the result says which are up", async () => {
    const h = harness();
    const regions = [...REGIONS];
    // The other two end only once the failure has been reported: a slot is then free for sa-east-1 to (wrongly) take.
    scripted(h, regions, (region) =>
      region === "ap-southeast-2" ? peeringFails : { ...created("Peering", "AWS::EC2::VPCPeeringConnection", { PeeringConnectionId: pcx(region) }, 3), endsWhen: failedIn(h, "ap-southeast-2") },
    );
    const result = await deployAll(h.ctx, plan(regions), { maxParallel: 3 });

    expect(result).toMatchObject({ kind: "failed", stage: 2, clientRegion: "ap-southeast-2" });
    expect(result.regions).toEqual([
      { region: "us-east-1", kind: "up" },
      { region: "ap-southeast-2", kind: "failed", stage: 2, message: expect.stringContaining("VpcPeeringConnection failed to reach active state") },
      { region: "us-west-2", kind: "up" },
      { region: "sa-east-1", kind: "not-started" },
    ]);
    const lines = stageLines(h.events);
    // The two running when it failed went on to their stage 3.
    expect(lines.indexOf("failed:2:ap-southeast-2")).toBeLessThan(lines.indexOf("finished:3:us-east-1"));
    expect(lines).toContain("finished:3:us-west-2");
    expect(lines.some((l) => l.endsWith("sa-east-1"))).toBe(false);
    // sa-east-1 was only looked at for what is left.
    expect(h.cfn.calls.filter((c) => c.region === "sa-east-1").map((c) => c.command)).toEqual(["DescribeStacks"]);
    const failed = h.events.find((e) => e.kind === "stage-failed");
    expect(failed).toMatchObject({ stage: 2, region: "ap-southeast-2", clientRegion: "ap-southeast-2", stackName: "demo-client" });
    // What stands, region by region: the failure leaves no stack unsaid.
    expect(h.events.at(-1)).toMatchObject({
      kind: "info",
      message:
        `Left: demo-api (${API_REGION}) CREATE_COMPLETE; us-east-1: demo-client (us-east-1) CREATE_COMPLETE, demo-routes (${API_REGION}) CREATE_COMPLETE; ` +
        `ap-southeast-2: demo-client (ap-southeast-2) ROLLBACK_COMPLETE; us-west-2: demo-client (us-west-2) CREATE_COMPLETE, demo-routes-us-west-2 (${API_REGION}) CREATE_COMPLETE; sa-east-1: nothing.`,
    });
  });

  it("Ctrl-C with several regions running cancels each region's running stage as one stage's Ctrl-C does, and says what is left per region", async () => {
    const h = harness();
    const regions = REGIONS.slice(0, 3);
    const creating = { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [], [], [], []] };
    scripted(h, regions, () => creating);
    // Stage 1's is the first ExecuteChangeSet; the abort lands once both running client stacks are being created.
    h.cfn.after("ExecuteChangeSet", 3, () => h.controller.abort());
    const result = await deployAll(h.ctx, plan(regions), { maxParallel: 2 });

    expect(result.kind).toBe("cancelled");
    // The two running regions' creates were deleted (which stops them); the third never started.
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region).sort()).toEqual(["ap-southeast-2", "us-east-1"]);
    expect(stageLines(h.events).filter((l) => l.startsWith("cancelled"))).toEqual(expect.arrayContaining(["cancelled:2:us-east-1", "cancelled:2:ap-southeast-2"]));
    expect(result.regions).toEqual([
      { region: "us-east-1", kind: "cancelled" },
      { region: "ap-southeast-2", kind: "cancelled" },
      { region: "us-west-2", kind: "not-started" },
    ]);
    // us-west-2 was only looked at for what is left.
    expect(h.cfn.calls.filter((c) => c.region === "us-west-2").map((c) => c.command)).toEqual(["DescribeStacks"]);
    expect(h.events.at(-1)).toMatchObject({
      kind: "info",
      message: `Left: demo-api (${API_REGION}) CREATE_COMPLETE; us-east-1: nothing; ap-southeast-2: nothing; us-west-2: nothing.`,
    });
  });
});

describe("teardownAll with several client regions", () => {
  const deployment = { name: "demo", apiRegion: API_REGION, clients: REGIONS.slice(0, 3).map((region) => ({ region })) };

  function standing(h: ReturnType<typeof harness>) {
    h.cfn.stack("demo-api", { status: "CREATE_COMPLETE" });
    for (const [i, region] of deployment.clients.map((c) => c.region).entries()) {
      h.cfn.stackIn(region, "demo-client", { status: "CREATE_COMPLETE" });
      h.cfn.stack(i === 0 ? "demo-routes" : `demo-routes-${region}`, { status: "CREATE_COMPLETE", tags: { "xregion-private-api:client-region": region } });
    }
  }

  it("deletes each region's routes, then its client, the regions side by side, then stage 1", async () => {
    const h = harness();
    standing(h);
    // No client delete ends before every region's routes delete has begun: one region after another, none would.
    const clientRegions = deployment.clients.map((c) => c.region);
    const routesDeleting = () => h.cfn.calls.filter((c) => c.command === "DeleteStack" && c.region === API_REGION).length === clientRegions.length;
    for (const region of clientRegions) {
      h.cfn.stackIn(region, "demo-client", { status: "CREATE_COMPLETE", delete: { batches: [[stackEvent("DELETE_IN_PROGRESS", "User Initiated")], [stackEvent("DELETE_COMPLETE")]], endsWhen: routesDeleting } });
    }
    const result = await teardownAll(h.ctx, await lookupStacks(h.ctx.clients, deployment), { maxParallel: 4, removeApi: true });
    expect(result).toMatchObject({ kind: "done", apiKept: undefined });
    const lines = stageLines(h.events);
    expect(lines.at(-1)).toBe("finished:1");
    for (const region of ["us-east-1", "ap-southeast-2", "us-west-2"]) expect(lines.indexOf(`finished:3:${region}`)).toBeLessThan(lines.indexOf(`started:2:${region}`));
    const firstClientDone = lines.findIndex((l) => l.startsWith("finished:2"));
    expect(lines.slice(0, firstClientDone).filter((l) => l.startsWith("started:3")).length).toBe(3);
  });

  it("removes only the regions asked for and keeps stage 1 (a part teardown)", async () => {
    const h = harness();
    standing(h);
    const some = { ...deployment, clients: [{ region: "ap-southeast-2" }] };
    const result = await teardownAll(h.ctx, await lookupStacks(h.ctx.clients, some), { maxParallel: 4, removeApi: false });
    expect(result).toMatchObject({ kind: "done", apiKept: { why: "asked" } });
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => `${String(c.input["StackName"]).split("/")[1]} ${c.region}`)).toEqual([
      `demo-routes-ap-southeast-2 ${API_REGION}`,
      "demo-client ap-southeast-2",
    ]);
    expect(h.cfn.status("demo-api")).toBe("CREATE_COMPLETE");
    expect(h.cfn.status("demo-client", "us-west-2")).toBe("CREATE_COMPLETE");
  });

  it("keeps stage 1 when routes stacks of regions the run does not name still hang off it", async () => {
    const h = harness();
    standing(h);
    const named = { ...deployment, clients: [{ region: "us-east-1" }] };
    const result = await teardownAll(h.ctx, await lookupStacks(h.ctx.clients, named), { maxParallel: 4, removeApi: true });
    expect(result).toMatchObject({ kind: "done", apiKept: { why: "others", stacks: ["demo-routes-ap-southeast-2", "demo-routes-us-west-2"] } });
    expect(h.cfn.status("demo-api")).toBe("CREATE_COMPLETE");
    expect(h.events).toContainEqual(expect.objectContaining({ kind: "info", stage: 1, message: `demo-api stays: demo-routes-ap-southeast-2, demo-routes-us-west-2 in ${API_REGION} still use it.` }));
  });

  it("stops before stage 1 when a region's delete fails, the others already running carried to their end", async () => {
    const h = harness();
    standing(h);
    h.cfn.stackIn("ap-southeast-2", "demo-client", {
      status: "CREATE_COMPLETE",
      delete: {
        batches: [
          [stackEvent("DELETE_IN_PROGRESS", "User Initiated")],
          [resourceEvent("Vpc", "AWS::EC2::VPC", "DELETE_FAILED", "The vpc 'vpc-0c' has dependencies and cannot be deleted."), stackEvent("DELETE_FAILED")],
        ],
        // It fails only once all three client deletes have begun, so the others are running when it does.
        endsWhen: calledIn(h, "DeleteStack", deployment.clients.map((c) => c.region)),
      },
    });
    const result = await teardownAll(h.ctx, await lookupStacks(h.ctx.clients, deployment), { maxParallel: 4, removeApi: true });
    expect(result).toMatchObject({ kind: "failed", stage: 2, clientRegion: "ap-southeast-2", status: "DELETE_FAILED" });
    const lines = stageLines(h.events);
    expect(lines).toContain("finished:2:us-east-1");
    expect(lines).toContain("finished:2:us-west-2");
    expect(lines.some((l) => l.startsWith("started:1"))).toBe(false);
    expect(h.cfn.status("demo-api")).toBe("CREATE_COMPLETE");
  });
});
