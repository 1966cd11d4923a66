// The wizard's region lists: region B follows region A's partition, opt-in regions are marked, a search
// that finds only regions left out says why, and one that finds nothing offers the nearest region.
import { describe, expect, it } from "vitest";
import { OPT_IN_NOTE, rangeCheck, regionChoices } from "../../src/ui/prompts.js";

const ids = (apiRegion: string | undefined, term?: string) => regionChoices(apiRegion, term).map((c) => c.value);

describe("the region lists of the wizard", () => {
  it("offer region A the deployable partitions, common regions first, China's after aws's", () => {
    const all = ids(undefined);
    expect(all.slice(0, 3)).toEqual(["us-east-1", "us-east-2", "us-west-2"]);
    expect(all.slice(-2)).toEqual(["cn-north-1", "cn-northwest-1"]);
    expect(all.some((id) => id.startsWith("us-gov-") || id.startsWith("us-iso"))).toBe(false);
  });

  it("offer region B only region A's partition, without region A", () => {
    expect(ids("cn-north-1")).toEqual(["cn-northwest-1"]);
    const fromVirginia = ids("us-east-1");
    expect(fromVirginia).not.toContain("us-east-1");
    expect(fromVirginia.some((id) => id.startsWith("cn-"))).toBe(false);
    expect(fromVirginia).toContain("eu-west-1");
  });

  it("mark opt-in regions, and explain them on the highlighted line", () => {
    const [capeTown] = regionChoices("us-east-1", "af-south-1");
    expect(capeTown).toEqual({ value: "af-south-1", name: "af-south-1 — Africa (Cape Town) (opt-in)", short: "af-south-1 — Africa (Cape Town)", description: OPT_IN_NOTE });
    expect(regionChoices("us-east-1", "eu-west-1")).toEqual([{ value: "eu-west-1", name: "eu-west-1 — Europe (Ireland)", short: "eu-west-1 — Europe (Ireland)" }]);
  });

  it("search ids, names, and a whole line written back by the prompt", () => {
    expect(ids("us-east-1", "ireland")).toEqual(["eu-west-1"]);
    expect(ids("us-east-1", "eu-west-1 — Europe (Ireland)")).toEqual(["eu-west-1"]);
    expect(ids("us-east-1", "Africa (Cape Town) (opt-in)")).toEqual(["af-south-1"]);
  });

  it("say why a region of another partition is not there, instead of finding nothing", () => {
    expect(() => regionChoices("us-east-1", "cn-north")).toThrow(
      "region A us-east-1 is in the aws partition and region B cn-north-1 in aws-cn: VPC peering never crosses partitions; pick a region B in aws too, e.g. us-east-2",
    );
    expect(() => regionChoices(undefined, "us-gov-west")).toThrow(/^region A us-gov-west-1 in aws-us-gov cannot be deployed: Route 53/);
    expect(() => regionChoices("cn-north-1", "ireland")).toThrow(/never crosses partitions; pick a region B in aws-cn too, e\.g\. cn-northwest-1$/);
  });

  it("offer the nearest region for a typo, as the flag's \"did you mean\" does, instead of finding nothing", () => {
    expect(regionChoices("us-east-1", "eu-wset-1")).toEqual([
      { value: "eu-west-1", name: "eu-west-1 — Europe (Ireland)", short: "eu-west-1 — Europe (Ireland)", description: 'No region matches "eu-wset-1": did you mean eu-west-1? Enter takes it.' },
    ]);
    expect(ids(undefined, "us-east1")).toEqual(["us-east-1"]);
    // Never region A itself, nor a region of another partition.
    expect(ids("us-east-1", "us-east1")).not.toContain("us-east-1");
    expect(ids("cn-north-1", "cn-nrth")).toEqual(["cn-northwest-1"]);
  });
});

describe("the range question", () => {
  it("questions a range outside the private ranges at once; a second Enter on it keeps it", async () => {
    const check = rangeCheck([]);
    const asked = await check("8.8.0.0/16");
    expect(asked).toMatch(/^range 8\.8\.0\.0\/16 is outside the private ranges \(10\.0\.0\.0\/8, .*such as 10\.0\.0\.0\/16\. Enter again keeps 8\.8\.0\.0\/16\.$/);
    expect(await check("8.8.0.0/16")).toBe(true);
    // Another doubtful range is questioned in its turn; a private one passes at once.
    expect(await check("9.9.0.0/16")).toMatch(/^range 9\.9\.0\.0\/16 is outside the private ranges/);
    expect(await rangeCheck([])("10.30.0.0/16")).toBe(true);
    expect(await rangeCheck([])("100.64.0.0/16")).toBe(true);
  });

  it("refuses what cannot be used, every time, whatever was questioned before", async () => {
    const check = rangeCheck([{ label: "the API range", cidr: "10.10.0.0/16" }]);
    expect(await check("10.10.0.0/24")).toMatch(/overlap/);
    expect(await check("10.10.0.0/24")).toMatch(/overlap/);
    expect(await check("10.1.2.3/16")).toMatch(/host bits/);
  });
});
