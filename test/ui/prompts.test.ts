// The wizard's region lists: region B follows region A's partition, opt-in regions are marked, and a
// search that finds only regions left out says why instead of "No results found".
import { describe, expect, it } from "vitest";
import { OPT_IN_NOTE, regionChoices } from "../../src/ui/prompts.js";

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
    expect(regionChoices("us-east-1", "atlantis")).toEqual([]);
  });
});
