import { describe, expect, it } from "vitest";
import { findRegion, isOptIn, offeredRegions, REGIONS } from "../../src/config/regions.js";
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

  it("must differ and share a partition, and the fix names a region of the API's partition", () => {
    expect(regionPairProblem("us-east-1", "us-east-1")).toMatch(/both us-east-1/);
    expect(regionPairProblem("us-east-1", "cn-north-1")).toBe(
      "--api-region us-east-1 is in the aws partition and --client-region cn-north-1 in aws-cn: VPC peering never crosses partitions; pick a --client-region in aws too, e.g. us-east-2",
    );
    expect(regionPairProblem("cn-northwest-1", "eu-west-1")).toMatch(/never crosses partitions; pick a --client-region in aws-cn too, e\.g\. cn-north-1$/);
    expect(regionPairProblem("us-east-1", "eu-west-1")).toBeUndefined();
  });

  it("accept China's two regions as a pair, both ways", () => {
    expect(regionPairProblem("cn-north-1", "cn-northwest-1")).toBeUndefined();
    expect(regionPairProblem("cn-northwest-1", "cn-north-1")).toBeUndefined();
  });

  it("refuse GovCloud, naming the missing piece and AWS's page that says so", () => {
    const problem = regionPairProblem("us-gov-west-1", "us-gov-east-1");
    expect(problem).toMatch(/^--api-region us-gov-west-1 and --client-region us-gov-east-1 in aws-us-gov cannot be deployed: /);
    expect(problem).toMatch(/Route 53 private hosted zones .* alias records only to records in the same zone/);
    expect(problem).toMatch(/\(source: https:\/\/docs\.aws\.amazon\.com\/govcloud-us\/latest\/UserGuide\/govcloud-r53\.html\)$/);
    // Across partitions, the API region's own partition is the first thing to fix.
    expect(regionPairProblem("us-gov-west-1", "us-east-1")).toMatch(/^--api-region us-gov-west-1 in aws-us-gov cannot be deployed: Route 53/);
    expect(problem).not.toContain("\n");
  });

  it("refuse the isolated partitions, whose execute-api service name the template cannot know", () => {
    expect(regionPairProblem("us-iso-east-1", "us-iso-west-1")).toMatch(/in aws-iso cannot be deployed: the execute-api endpoint service name/);
    expect(regionPairProblem("eusc-de-east-1", "eu-west-1")).toMatch(/^--api-region eusc-de-east-1 in aws-eusc cannot be deployed/);
  });
});

describe("the regions offered in the wizard", () => {
  it("are of the deployable partitions only, each partition's default regions before its opt-in ones", () => {
    const all = offeredRegions();
    expect(new Set(all.map((r) => r.partition))).toEqual(new Set(["aws", "aws-cn"]));
    expect(all[0]?.id).toBe("us-east-1");
    const aws = all.filter((r) => r.partition === "aws");
    const firstOptIn = aws.findIndex(isOptIn);
    expect(firstOptIn).toBe(17); // the 17 regions every account has
    expect(aws.slice(firstOptIn).every(isOptIn)).toBe(true);
    expect(all.slice(aws.length).map((r) => r.id)).toEqual(["cn-north-1", "cn-northwest-1"]);
  });

  it("follow a partition when one is given, and mark only the aws partition's late regions as opt-in", () => {
    expect(offeredRegions("aws-cn").map((r) => r.id)).toEqual(["cn-north-1", "cn-northwest-1"]);
    expect(offeredRegions("aws-us-gov")).toEqual([]);
    const optIn = offeredRegions("aws").filter(isOptIn).map((r) => r.id);
    expect(optIn).toEqual(expect.arrayContaining(["af-south-1", "ap-east-1", "me-south-1", "eu-south-1", "il-central-1", "mx-central-1"]));
    expect(optIn).not.toContain("eu-west-1");
    expect(optIn).not.toContain("ap-northeast-3");
    expect(offeredRegions("aws-cn").some(isOptIn)).toBe(false);
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
