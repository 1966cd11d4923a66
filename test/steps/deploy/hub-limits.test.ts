import { describe, expect, it } from "vitest";
import { HUB_QUOTAS, hubLimitProblems, NEW_HUB } from "../../../src/steps/deploy/hub-limits.js";

const WHERE = { vpc: "vpc-0api", group: "sg-0endpoint" };
const regions = (n: number) => Array.from({ length: n }, (_, i) => `region-${i + 1}`);
const adds = (n: number) => ({ peerings: regions(n), routes: regions(n), rules: regions(n) });

describe("the API VPC's quotas", () => {
  it("let a new stage 1 take client regions up to the route table's 50 routes (its local route counts)", () => {
    expect(hubLimitProblems(NEW_HUB, adds(49), WHERE)).toEqual([]);
    expect(hubLimitProblems(NEW_HUB, adds(50), WHERE)).toEqual([
      "route table the API route table has 1 and these client regions add 50 (" +
        `${regions(50).join(", ")}): more than the quota of 50 routes per route table; deploy at most 49 new client regions now, ` +
        "or raise it in Service Quotas (L-93826ACB, up to 1000)",
    ]);
  });

  it("count what the API VPC holds already, at the limit and one past it, for each quota", () => {
    const full = { activePeerings: 48, routes: { "rtb-0api": 45 }, ingressRules: 58 };
    expect(hubLimitProblems(full, { peerings: regions(2), routes: regions(5), rules: regions(2) }, WHERE)).toEqual([]);
    const problems = hubLimitProblems(full, { peerings: regions(3), routes: regions(6), rules: regions(3) }, WHERE);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^the API VPC vpc-0api has 48 and these client regions add 3 \(region-1, region-2, region-3\): more than the quota of 50 active VPC peering connections per VPC; deploy at most 2 new client regions now, or raise it in Service Quotas \(L-7E9ECCDB, up to 125\)$/);
    expect(problems[1]).toMatch(/^route table rtb-0api has 45 .*quota of 50 routes per route table; deploy at most 5 new/);
    expect(problems[2]).toMatch(/^the endpoint's security group sg-0endpoint has 58 .*quota of 60 inbound rules per security group; deploy at most 2 new client regions now, or raise it in Service Quotas \(L-0EA8095F\)$/);
  });

  it("check each route table on its own, and skip the rule count when the group is not known", () => {
    const counts = { activePeerings: 0, routes: { "rtb-a": 10, "rtb-b": 50 }, ingressRules: undefined };
    expect(hubLimitProblems(counts, adds(1), WHERE)).toEqual([expect.stringMatching(/^route table rtb-b has 50 and these client regions add 1 .*deploy at most 0 new client regions now/)]);
  });

  it("say nothing when no region adds anything, however full the VPC", () => {
    expect(hubLimitProblems({ activePeerings: 60, routes: { "rtb-0api": 70 }, ingressRules: 90 }, adds(0), WHERE)).toEqual([]);
  });

  it("use AWS's documented defaults", () => {
    expect([HUB_QUOTAS.peerings.limit, HUB_QUOTAS.routes.limit, HUB_QUOTAS.rules.limit]).toEqual([50, 50, 60]);
  });
});
