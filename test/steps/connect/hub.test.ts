// A connection's client regions summed on the API side: the API VPC's peerings, the endpoint subnets' route
// table and the endpoint's group each take every region's additions, so regions that fit alone can pass a
// quota together (refused on the region that passes it, before anything exists); client ranges that
// overlap each other are refused too.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { withHubLimits, type RegionPlan } from "../../../src/steps/connect/hub.js";
import { planConnect } from "../../../src/steps/connect/plan.js";
import type { QuotaCounts } from "../../../src/steps/connect/types.js";
import { NO_COUNTS, OPTIONS } from "../../helpers/connect-plan.js";
import { testClients } from "../../helpers/aws-fixtures.js";
import { A, halfSnapshot, https, local, type HalfPath } from "../../helpers/connect-snapshots.js";

let clients: AwsClients;
beforeEach(() => {
  clients?.destroy();
  clients = testClients();
});
afterAll(() => clients?.destroy());

// A second client VPC of another range (10.30.0.0/16), in its own region.
const other = (h: HalfPath) => {
  h.clientCidr = "10.30.0.0/16";
  h.clientSubnets = [{ id: "subnet-0b1", cidr: "10.30.0.0/24" }, { id: "subnet-0b2", cidr: "10.30.1.0/24" }];
  h.clientTables = h.clientTables.map((t) => ({ ...t, Routes: [local("10.30.0.0/16")] }));
  h.clientEgress = [https("10.30.0.0/16")];
};

async function region(clientRegion: string, counts: QuotaCounts, change: (h: HalfPath) => void = () => {}): Promise<RegionPlan> {
  const snapshot = await halfSnapshot(clients, change);
  const facts = { snapshot, counts, owned: { client: undefined, api: undefined } };
  return { plan: planConnect({ ...OPTIONS, clientRegion }, facts), facts };
}

describe("withHubLimits", () => {
  it("refuses the region whose new peering passes the API VPC's 50 when the regions before it fit (and none while all fit)", async () => {
    const counts = { ...NO_COUNTS, peerings: { "vpc-0a": 49 } };
    const plans = withHubLimits([await region("eu-west-1", counts), await region("ap-southeast-2", counts, other)]);
    expect(plans[0]!.refusals).toEqual([]);
    expect(plans[1]!.refusals.map((r) => [r.reason, r.hop])).toEqual([["quota", "peering"]]);
    expect(plans[1]!.refusals[0]!.message).toBe(
      `the API VPC vpc-0a (${A}) has 49 active VPC peering connections and this connection's client regions add 2 (eu-west-1 1, ap-southeast-2 1): more than the quota of 50 active VPC peering connections per VPC; connect fewer client regions at once (the ones before ap-southeast-2 fit), or raise it in Service Quotas (L-7E9ECCDB, up to 125).`,
    );
    const fits = { ...NO_COUNTS, peerings: { "vpc-0a": 48 } };
    expect(withHubLimits([await region("eu-west-1", fits), await region("ap-southeast-2", fits, other)]).flatMap((p) => p.refusals)).toEqual([]);
  });

  it("sums the return routes on the endpoint subnets' table and the rules on the endpoint's group", async () => {
    const routes = { ...NO_COUNTS, routes: { "rtb-0api": 49 } };
    const onTable = withHubLimits([await region("eu-west-1", routes), await region("ap-southeast-2", routes, other)]);
    expect(onTable.map((p) => p.refusals.map((r) => r.hop))).toEqual([[], ["return-route"]]);
    expect(onTable[1]!.refusals[0]!.message).toMatch(/^route table rtb-0api \(us-east-1\) has 49 routes and this connection's client regions add 2 .*\(L-93826ACB, up to 1000\)\.$/);
    const rules = { ...NO_COUNTS, rules: { "sg-0vpce": { ingress: 59, egress: 0 } } };
    const onGroup = withHubLimits([await region("eu-west-1", rules), await region("ap-southeast-2", rules, other)]);
    expect(onGroup.map((p) => p.refusals.map((r) => r.hop))).toEqual([[], ["endpoint-ingress"]]);
    expect(onGroup[1]!.refusals[0]!.message).toContain("the endpoint's security group sg-0vpce (us-east-1) has 59 inbound rules");
  });

  it("leaves a region over a quota alone to its own plan's refusal (said once)", async () => {
    const full = { ...NO_COUNTS, peerings: { "vpc-0a": 50 } };
    const plans = withHubLimits([await region("eu-west-1", full), await region("ap-southeast-2", full, other)]);
    expect(plans.map((p) => p.refusals.filter((r) => r.reason === "quota" && r.message.includes("vpc-0a")).length)).toEqual([1, 1]);
  });

  it("refuses a client region whose client subnets overlap an earlier region's", async () => {
    const plans = withHubLimits([await region("eu-west-1", NO_COUNTS), await region("ap-southeast-2", NO_COUNTS)]);
    expect(plans[0]!.refusals).toEqual([]);
    expect(plans[1]!.refusals).toEqual([
      {
        reason: "overlap",
        hop: "return-route",
        message: "vpc-0b's client subnets 10.20.0.0/23 (ap-southeast-2) overlap vpc-0b's 10.20.0.0/23 (eu-west-1), another client region of this connection: the API VPC's route tables cannot send one range to two peering connections; call from client subnets whose blocks are disjoint (--function's subnets, or --client-subnets), or leave one of them out of --client-region.",
      },
    ]);
  });

  it("takes client VPCs whose ranges overlap when their client subnets do not (the hub routes each subnet block to its own peering)", async () => {
    // The same VPC range in the second region, its client in other subnets of it.
    const elsewhere = (h: HalfPath) => {
      h.clientSubnets = [{ id: "subnet-0b1", cidr: "10.20.8.0/24" }, { id: "subnet-0b2", cidr: "10.20.9.0/24" }];
    };
    const plans = withHubLimits([await region("eu-west-1", NO_COUNTS), await region("ap-southeast-2", NO_COUNTS, elsewhere)]);
    expect(plans.map((p) => p.refusals)).toEqual([[], []]);
    expect(plans.map((p) => p.clientBlocks)).toEqual([["10.20.0.0/23"], ["10.20.8.0/23"]]);
  });
});
