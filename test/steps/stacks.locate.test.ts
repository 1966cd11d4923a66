// Finding a deployment's stacks when its client regions are several: a routes stack under either name form,
// by its client-region tag, or untagged (made by a one-region deployment before the tag) by its range.
import { describe, expect, it } from "vitest";
import { deployedFacts, lookupStacks, otherRoutesStacks } from "../../src/steps/stacks.js";
import { API_REGION, harness } from "../helpers/engine-harness.js";

const TAG = "xregion-private-api:client-region";
const name = (state: { ref: { stackName: string }; present: boolean }) => `${state.ref.stackName}${state.present ? "" : " (absent)"}`;

describe("lookupStacks with several client regions", () => {
  it("finds a region's routes stack by its tag after the list was reordered, and names a new one so it cannot collide", async () => {
    const h = harness();
    h.cfn.stack("demo-api", { status: "CREATE_COMPLETE" }).stack("demo-routes", { status: "CREATE_COMPLETE", tags: { [TAG]: "eu-west-1" } });
    h.cfn.stackIn("eu-west-1", "demo-client", { status: "CREATE_COMPLETE" });
    const stacks = await lookupStacks(h.ctx.clients, { name: "demo", apiRegion: API_REGION, clients: [{ region: "ap-southeast-2" }, { region: "eu-west-1" }] });
    expect(stacks.clients.map((c) => [c.region, name(c.client), name(c.routes), c.routes.ref.clientRegion])).toEqual([
      // First in the list now, but demo-routes is eu-west-1's: a new routes stack takes the other name.
      ["ap-southeast-2", "demo-client (absent)", "demo-routes-ap-southeast-2 (absent)", "ap-southeast-2"],
      ["eu-west-1", "demo-client", "demo-routes", "eu-west-1"],
    ]);
  });

  it("claims an untagged routes stack for the region whose client range it routes, wherever that region is in the list", async () => {
    const h = harness();
    h.cfn
      .stack("demo-api", { status: "CREATE_COMPLETE", parameters: { ClientVpcCidr: "10.20.0.0/16" } })
      .stack("demo-routes", { status: "CREATE_COMPLETE", parameters: { ClientVpcCidr: "10.20.0.0/16" } });
    h.cfn.stackIn("eu-west-1", "demo-client", { status: "CREATE_COMPLETE", parameters: { VpcCidr: "10.20.0.0/16" } });
    const target = { name: "demo", apiRegion: API_REGION, clients: [{ region: "us-west-2", cidr: "10.21.0.0/16" }, { region: "eu-west-1", cidr: "10.99.0.0/16" }] };
    const stacks = await lookupStacks(h.ctx.clients, target);
    // eu-west-1's range is read from its client stack (the answers' 10.99 is not what was deployed).
    expect(stacks.clients.map((c) => [c.region, name(c.routes)])).toEqual([
      ["us-west-2", "demo-routes-us-west-2 (absent)"],
      ["eu-west-1", "demo-routes"],
    ]);
    expect(deployedFacts(stacks)).toEqual({ admittedCidr: "10.20.0.0/16", routesStacks: { "us-west-2": "demo-routes-us-west-2", "eu-west-1": "demo-routes" } });
  });

  it("takes the region-suffixed name as that region's whatever its tag, and leaves a routes stack of a region not listed alone", async () => {
    const h = harness();
    h.cfn
      .stack("demo-api", { status: "ROLLBACK_COMPLETE", parameters: { ClientVpcCidr: "10.20.0.0/16" } })
      .stack("demo-routes", { status: "CREATE_COMPLETE", tags: { [TAG]: "eu-west-1" } })
      .stack("demo-routes-us-west-2", { status: "UPDATE_COMPLETE", tags: { [TAG]: "us-west-2" } })
      .stack("demo-routes-sa-east-1", { status: "CREATE_COMPLETE", tags: { [TAG]: "sa-east-1" } });
    const stacks = await lookupStacks(h.ctx.clients, { name: "demo", apiRegion: API_REGION, clients: [{ region: "us-west-2" }] });
    expect(stacks.clients.map((c) => name(c.routes))).toEqual(["demo-routes-us-west-2"]);
    // A stage 1 about to be created again keeps no range.
    expect(deployedFacts(stacks).admittedCidr).toBeUndefined();
    expect(await otherRoutesStacks(h.ctx.clients, stacks)).toEqual(["demo-routes", "demo-routes-sa-east-1"]);
  });
});
