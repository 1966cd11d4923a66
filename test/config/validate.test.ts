import { describe, expect, it } from "vitest";
import { REGIONS, findRegion } from "../../src/config/regions.js";
import { nameProblem, regionPairProblem, regionProblem, zonesProblem } from "../../src/config/validate.js";

describe("deployment names", () => {
  it.each(["a", "demo", "xregion-demo-2", "a".repeat(24), "a-b-c"])("accepts %s", (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });

  it.each(["", "A", "1abc", "-abc", "demo_1", "a".repeat(25), "dé", "with space"])("rejects %j with the rule and an example", (name) => {
    const problem = nameProblem(name);
    expect(problem).toMatch(/lowercase letters, digits and hyphens, starting with a letter, at most 24 characters/);
    expect(problem).toMatch(/\(e\.g\. [a-z][a-z0-9-]{0,23}\)$/);
  });
});

describe("regions", () => {
  it("come from the SDK's partition data, with names", () => {
    expect(findRegion("eu-west-1")?.description).toBe("Europe (Ireland)");
    expect(findRegion("cn-north-1")?.partition).toBe("aws-cn");
    expect(REGIONS.length).toBeGreaterThan(30);
  });

  it("leave out the SDK's pseudo-regions", () => {
    expect(findRegion("aws-global")).toBeUndefined();
    expect(REGIONS.every((r) => /^[a-z]+(-[a-z]+)+-\d+$/.test(r.id))).toBe(true);
  });

  it("suggest the nearest real region for a typo", () => {
    expect(regionProblem("eu-west1", "--client-region")).toBe('--client-region "eu-west1" is not an AWS region: did you mean eu-west-1?');
    expect(regionProblem("eu-west-1", "--client-region")).toBeUndefined();
  });

  it("must differ and share a partition", () => {
    expect(regionPairProblem("us-east-1", "us-east-1")).toMatch(/both us-east-1/);
    expect(regionPairProblem("us-gov-west-1", "us-east-1")).toMatch(/aws-us-gov.*different AWS partitions/);
    expect(regionPairProblem("us-east-1", "eu-west-1")).toBeUndefined();
  });
});

describe("zone pairs (--api-azs, --client-azs), offline: the shape only", () => {
  it.each(["us-east-1a,us-east-1b", " us-east-1f , us-east-1c ", "us-west-2-lax-1a,us-west-2b"])("accepts %j", (value) => {
    const region = value.includes("us-west-2") ? "us-west-2" : "us-east-1";
    expect(zonesProblem(value, "--api-azs", region)).toBeUndefined();
  });

  it.each([
    ["us-east-1a", /must name exactly two/],
    ["us-east-1a,us-east-1b,us-east-1c", /must name exactly two/],
    ["us-east-1a,", /\(empty\) is not an Availability Zone name of us-east-1/],
    ["use1-az1,use1-az2", /use1-az1 is not an Availability Zone name of us-east-1/],
    ["us-east-1a,eu-west-1a", /eu-west-1a is not an Availability Zone name of us-east-1/],
    ["us-east-1,us-east-1a", /us-east-1 is not an Availability Zone name/],
    ["us-east-12,us-east-1a", /us-east-12 is not an Availability Zone name/],
    ["US-EAST-1A,us-east-1b", /US-EAST-1A is not/],
    ["us-east-1b,us-east-1b", /names us-east-1b twice/],
  ])("rejects %j with the flag and an example of the fix", (value, says) => {
    const problem = zonesProblem(value, "--api-azs", "us-east-1");
    expect(problem).toMatch(says);
    expect(problem).toMatch(/^--api-azs ".*"/);
    expect(problem).toMatch(/pass two distinct zones of us-east-1, e\.g\. --api-azs us-east-1a,us-east-1b$/);
  });
});
