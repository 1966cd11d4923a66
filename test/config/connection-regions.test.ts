// A connection's client regions in its answers file: each region's client by its place in the lists, the
// lists once a region is disconnected, and a connect of some regions keeping the others (or refused when it
// would drop regions whose stacks still stand).
import { describe, expect, it } from "vitest";
import { savedForRegion, withoutConnectionRegions, withSavedRegions } from "../../src/config/connection-regions.js";
import { UsageError } from "../../src/errors.js";

const FILE = "/work/xregion-private-api.json";

describe("a multi-region connection's saved answers", () => {
  const SAVED = { name: "orders", apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "eu-west-1,ap-southeast-2,us-west-2", clientVpc: "vpc-0123456789abcdef0,vpc-0fedcba9876543210,vpc-0aaaaaaaaaaaaaaa0", clientSubnets: "subnet-0123456789abcdef0;;subnet-0aaaaaaaaaaaaaaa0", peering: "auto", probe: true };

  it("gives each region its own client by its place in the lists", () => {
    expect(savedForRegion(SAVED, "ap-southeast-2")).toEqual({ name: "orders", apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "ap-southeast-2", clientVpc: "vpc-0fedcba9876543210", peering: "auto", probe: true });
    expect(savedForRegion(SAVED, "us-west-2")).toMatchObject({ clientVpc: "vpc-0aaaaaaaaaaaaaaa0", clientSubnets: "subnet-0aaaaaaaaaaaaaaa0" });
    expect(savedForRegion(SAVED, "sa-east-1")).not.toHaveProperty("clientVpc");
    // A one-region file is taken as it is.
    const one = { ...SAVED, clientRegion: "eu-west-1", clientVpc: "vpc-0123456789abcdef0", clientSubnets: "subnet-0123456789abcdef0,subnet-0fedcba9876543210" };
    expect(savedForRegion(one, "eu-west-1")).toBe(one);
  });

  it("once a region is disconnected, lists the others with their own clients", () => {
    expect(withoutConnectionRegions(SAVED, ["ap-southeast-2"])).toEqual({ ...SAVED, clientRegion: "eu-west-1,us-west-2", clientVpc: "vpc-0123456789abcdef0,vpc-0aaaaaaaaaaaaaaa0", clientSubnets: "subnet-0123456789abcdef0;subnet-0aaaaaaaaaaaaaaa0" });
    expect(withoutConnectionRegions(SAVED, ["eu-west-1", "us-west-2"])).toEqual({ ...SAVED, clientRegion: "ap-southeast-2", clientVpc: "vpc-0fedcba9876543210", clientSubnets: undefined });
    const { clientRegion: _r, clientVpc: _v, clientSubnets: _s, ...rest } = SAVED;
    expect(withoutConnectionRegions(SAVED, ["eu-west-1", "ap-southeast-2", "us-west-2"])).toEqual(rest);
  });
});

describe("withSavedRegions", () => {
  const SAVED = { name: "orders", apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "eu-west-1,ap-southeast-2", function: "caller-eu,caller-ap", peering: "auto", probe: true };
  const run = { ...SAVED, clientRegion: "ap-southeast-2", function: "caller-ap-2" };

  it("keeps the saved regions a connect of some of them does not name, with their clients, after this run's", () => {
    expect(withSavedRegions(run, SAVED, FILE)).toEqual({ ...run, clientRegion: "ap-southeast-2,eu-west-1", function: "caller-ap-2,caller-eu" });
  });

  it("keeps this run's answers alone for another connection, or one that names every saved region", () => {
    expect(withSavedRegions(run, { ...SAVED, name: "billing" }, FILE)).toBe(run);
    const every = { ...run, clientRegion: "eu-west-1,ap-southeast-2", function: "caller-eu,caller-ap-2" };
    const elsewhere = { ...every, apiId: "z9y8x7w6v5" };
    expect(withSavedRegions(elsewhere, SAVED, FILE)).toBe(elsewhere);
    expect(withSavedRegions(run, undefined, FILE)).toBe(run);
  });

  it("refuses, before anything, a run that would drop saved regions whose stacks still stand (another API, or clients of another kind)", () => {
    expect(() => withSavedRegions({ ...run, apiId: "z9y8x7w6v5" }, SAVED, FILE)).toThrow(UsageError);
    expect(() => withSavedRegions({ ...run, apiId: "z9y8x7w6v5" }, SAVED, FILE)).toThrow(
      `${FILE} says connection "orders" also connects eu-west-1 to the API a1b2c3d4e5 in us-east-1, and those stacks still stand: a connection has one API and one kind of client; disconnect --client-region eu-west-1 first, or connect ap-southeast-2 as a connection of its own (--name)`,
    );
    const network = { ...run, function: undefined, clientVpc: "vpc-0123456789abcdef0" };
    expect(() => withSavedRegions(network, SAVED, FILE)).toThrow(`${FILE} says connection "orders" also connects eu-west-1 with a function (--function) as client, and those stacks still stand`);
  });
});
