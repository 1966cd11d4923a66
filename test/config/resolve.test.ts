import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { UsageError } from "../../src/errors.js";
import { defaultClientCidr, resolveAnswers, type Asker } from "../../src/config/resolve.js";

const FILE = "/work/xregion-private-api.json";
const REGIONS = { apiRegion: "us-east-1", clientRegion: "eu-west-1" };

function asker(overrides: Partial<Asker> = {}): Asker & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    name: vi.fn(async (initial) => (calls.push("name"), `${initial}-typed`)),
    region: vi.fn(async (role) => (calls.push(`region:${role}`), role === "api" ? "ap-south-1" : "ca-central-1")),
    moreClients: vi.fn(async () => (calls.push("more"), false)),
    cidr: vi.fn(async (role, initial) => (calls.push(`cidr:${role}`), initial)),
    ...overrides,
  };
}

describe("resolveAnswers", () => {
  it("prefers flags over the answers file over defaults", async () => {
    const { answers, asked } = await resolveAnswers(
      { flags: { name: "flag", apiRegion: "us-west-2" }, file: { name: "file", apiRegion: "us-east-2", clientRegion: "eu-north-1", apiCidr: "10.1.0.0/16" }, filePath: FILE },
      undefined,
    );
    expect(answers).toEqual({ name: "flag", apiRegion: "us-west-2", apiCidr: "10.1.0.0/16", clients: [{ region: "eu-north-1", cidr: "10.20.0.0/16" }] });
    expect(asked).toEqual([]);
  });

  it("asks only for what flags and the file leave open, in order", async () => {
    const terminal = asker();
    const { answers, asked } = await resolveAnswers({ flags: { apiRegion: "us-east-1" }, file: { apiCidr: "10.3.0.0/16" }, filePath: FILE }, terminal);
    expect(terminal.calls).toEqual(["name", "region:client", "more", "cidr:client"]);
    expect(asked).toEqual(["name", "clientRegion", "clientCidr"]);
    expect(answers.name).toBe("xregion-typed");
    expect(answers.clients.map((c) => c.region)).toEqual(["ca-central-1"]);
  });

  it("tells the client-region question which region is taken", async () => {
    const terminal = asker();
    await resolveAnswers({ flags: { apiRegion: "sa-east-1" }, file: undefined, filePath: FILE }, terminal);
    expect(terminal.region).toHaveBeenCalledWith("client", undefined, "sa-east-1", []);
  });

  it("fails with the flag to pass when a required value is missing and nobody can be asked", async () => {
    await expect(resolveAnswers({ flags: { apiRegion: "us-east-1" }, file: undefined, filePath: FILE }, undefined)).rejects.toThrow(
      /--client-region is required when there is no terminal to ask on: pass --client-region eu-west-1/,
    );
  });

  it.each([
    ["a mistyped region", { apiRegion: "us-eats-1" }, undefined, /us-eats-1.*did you mean us-east-1/],
    ["a region B given without region A, of another partition than region A's file value", { clientRegion: "cn-north-1" }, { apiRegion: "us-east-1" }, /partition/],
    ["a range with host bits", { apiCidr: "10.0.0.1/16" }, undefined, /host bits/],
    ["two given ranges that overlap", { apiCidr: "10.0.0.0/16", clientCidr: "10.0.128.0/17" }, undefined, /overlap/],
    ["zones of another region than the given one", { apiRegion: "us-east-1", apiAzs: "eu-west-1a,eu-west-1b" }, undefined, /--api-azs/],
    ["a broken value in the answers file", {}, { clientCidr: "10.0.0.0/33" }, /"clientCidr" in/],
  ])("refuses %s before asking a single question", async (_what, flags, file, expected) => {
    const terminal = asker();
    await expect(resolveAnswers({ flags, file, filePath: FILE }, terminal)).rejects.toThrow(expected);
    expect(terminal.calls).toEqual([]);
  });

  it("names the answers file when a value from it is invalid", async () => {
    const run = resolveAnswers({ flags: REGIONS, file: { name: "Bad Name" }, filePath: FILE }, undefined);
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(`"name" in ${FILE} "Bad Name" is not a valid deployment name`);
  });

  it("never replaces an invalid flag with a default", async () => {
    await expect(resolveAnswers({ flags: { ...REGIONS, apiCidr: "10.0.0.1/16" }, file: undefined, filePath: FILE }, asker())).rejects.toThrow(/host bits/);
  });

  it("rejects an overlap between a flag and a file value, naming both sources", async () => {
    await expect(
      resolveAnswers({ flags: { ...REGIONS, apiCidr: "10.20.0.0/16" }, file: { clientCidr: "10.20.4.0/24" }, filePath: FILE }, undefined),
    ).rejects.toThrow(new RegExp(`--api-cidr 10\\.20\\.0\\.0/16 and "clientCidr" in ${FILE} 10\\.20\\.4\\.0/24`));
  });

  it("rejects regions of different partitions", async () => {
    await expect(resolveAnswers({ flags: { apiRegion: "us-east-1", clientRegion: "cn-north-1" }, file: undefined, filePath: FILE }, undefined)).rejects.toThrow(
      /VPC peering never crosses partitions; pick a --client-region in aws too/,
    );
  });

  it("keeps the profile from a flag or the file without asking", async () => {
    const { answers } = await resolveAnswers({ flags: REGIONS, file: { profile: "ops" }, filePath: FILE }, undefined);
    expect(answers.profile).toBe("ops");
  });

  it("stores ranges in their normalised form", async () => {
    const { answers } = await resolveAnswers({ flags: { ...REGIONS, apiCidr: "  10.9.0.0/16 " }, file: undefined, filePath: FILE }, undefined);
    expect(answers.apiCidr).toBe("10.9.0.0/16");
  });
});

describe("resolveAnswers: zones", () => {
  it("keeps --api-azs/--client-azs in their canonical form, and asks nothing about them", async () => {
    const terminal = asker();
    const { answers, asked } = await resolveAnswers(
      { flags: { ...REGIONS, name: "z", apiCidr: "10.1.0.0/16", clientCidr: "10.2.0.0/16", apiAzs: "us-east-1c, us-east-1d", clientAzs: "eu-west-1b,eu-west-1c" }, file: undefined, filePath: FILE },
      terminal,
    );
    expect(answers).toMatchObject({ apiAzs: "us-east-1c,us-east-1d", clients: [{ region: "eu-west-1", azs: "eu-west-1b,eu-west-1c" }] });
    expect(asked).toEqual([]);
  });

  it("leaves them out when nobody chose zones (preflight will)", async () => {
    const { answers } = await resolveAnswers({ flags: REGIONS, file: undefined, filePath: FILE }, undefined);
    expect(answers).not.toHaveProperty("apiAzs");
    expect(answers.clients[0]).not.toHaveProperty("azs");
  });

  it("takes saved zones from the answers file, and names the file when they are broken", async () => {
    const { answers } = await resolveAnswers({ flags: REGIONS, file: { clientAzs: "eu-west-1c,eu-west-1a" }, filePath: FILE }, undefined);
    expect(answers.clients[0]?.azs).toBe("eu-west-1c,eu-west-1a");
    await expect(resolveAnswers({ flags: REGIONS, file: { clientAzs: "eu-west-1c" }, filePath: FILE }, undefined)).rejects.toThrow(
      `"clientAzs" in ${FILE} "eu-west-1c" must name exactly two Availability Zones`,
    );
  });

  it("drops saved zones of a region a flag has since changed", async () => {
    const { answers } = await resolveAnswers(
      { flags: { apiRegion: "us-west-2", clientRegion: "eu-west-1" }, file: { apiRegion: "us-east-1", apiAzs: "us-east-1a,us-east-1b" }, filePath: FILE },
      undefined,
    );
    expect(answers).not.toHaveProperty("apiAzs");
  });

  it("rejects flag zones of another region as bad input", async () => {
    await expect(resolveAnswers({ flags: { ...REGIONS, apiAzs: "eu-west-1a,eu-west-1b" }, file: undefined, filePath: FILE }, undefined)).rejects.toBeInstanceOf(UsageError);
  });

  it("does not resolve zones for commands that only locate a deployment", async () => {
    const { answers } = await resolveAnswers({ flags: REGIONS, file: { apiAzs: "us-east-1a" }, filePath: FILE }, undefined, "locate");
    expect(answers).not.toHaveProperty("apiAzs");
  });
});

describe("defaultClientCidr", () => {
  it("keeps the usual default when it is free", async () => {
    expect(await defaultClientCidr("10.10.0.0/16")).toBe("10.20.0.0/16");
  });

  it("picks a free range of the same size when the API took the default", async () => {
    for (const api of ["10.20.0.0/16", "10.0.0.0/8", "10.20.128.0/17"]) {
      const chosen = await defaultClientCidr(api);
      expect(chosen).not.toBe("10.20.0.0/16");
      expect(chosen).toMatch(/\/16$/);
    }
  });
});

describe("resolveAnswers with --yes", () => {
  it("takes the defaults of optional answers but still asks for a missing region", async () => {
    const terminal = asker();
    const { answers, asked } = await resolveAnswers({ flags: { apiRegion: "us-east-1" }, file: undefined, filePath: FILE }, terminal, "all", true);
    expect(asked).toEqual(["clientRegion"]);
    expect(answers).toMatchObject({ name: "xregion", apiCidr: "10.10.0.0/16", clients: [{ region: "ca-central-1", cidr: "10.20.0.0/16" }] });
  });
});

describe("resolveAnswers: several client regions", () => {
  const API = { apiRegion: "us-east-1" };

  it("takes a comma-separated list, and suggests one free range per region beside the usual default", async () => {
    const { answers } = await resolveAnswers({ flags: { ...API, clientRegion: "eu-west-1, ap-southeast-2,us-west-2" }, file: undefined, filePath: FILE }, undefined);
    expect(answers.clients).toEqual([
      { region: "eu-west-1", cidr: "10.20.0.0/16" },
      { region: "ap-southeast-2", cidr: "10.21.0.0/16" },
      { region: "us-west-2", cidr: "10.22.0.0/16" },
    ]);
  });

  it("keeps each region's range from the answers file by region, so a longer or reordered list changes none", async () => {
    const file = { ...API, clientRegion: "eu-west-1", clientCidr: "10.30.0.0/16", clientAzs: "eu-west-1c,eu-west-1a" };
    const { answers } = await resolveAnswers({ flags: { clientRegion: "ap-southeast-2,eu-west-1" }, file, filePath: FILE }, undefined);
    expect(answers.clients).toEqual([
      // The new region's suggestion keeps clear of the kept range.
      { region: "ap-southeast-2", cidr: "10.20.0.0/16" },
      { region: "eu-west-1", cidr: "10.30.0.0/16", azs: "eu-west-1c,eu-west-1a" },
    ]);
  });

  it("pairs --client-cidr with --client-region in order, fewer ranges leaving the rest to suggestions", async () => {
    const { answers } = await resolveAnswers({ flags: { ...API, clientRegion: "eu-west-1,ap-southeast-2", clientCidr: "10.21.0.0/16" }, file: undefined, filePath: FILE }, undefined);
    expect(answers.clients.map((c) => c.cidr)).toEqual(["10.21.0.0/16", "10.20.0.0/16"]);
    await expect(
      resolveAnswers({ flags: { ...API, clientRegion: "eu-west-1", clientCidr: "10.20.0.0/16,10.21.0.0/16" }, file: undefined, filePath: FILE }, undefined),
    ).rejects.toThrow("--client-cidr names 2 ranges for 1 client region: pass one range per region, in the order of --client-region");
  });

  it.each([
    ["overlapping client ranges", { clientRegion: "eu-west-1,ap-southeast-2", clientCidr: "10.20.0.0/16,10.20.128.0/17" },
      /^--client-cidr 10\.20\.0\.0\/16 \(eu-west-1\) and --client-cidr 10\.20\.128\.0\/17 \(ap-southeast-2\) overlap in 10\.20\.128\.0\/17: the API VPC routes to each client VPC by its range, so client ranges must be disjoint; try --client-cidr 10\.21\.0\.0\/17 for ap-southeast-2$/],
    ["a client range on the API's", { apiCidr: "10.10.0.0/16", clientRegion: "eu-west-1,ap-southeast-2", clientCidr: "10.20.0.0/16,10.10.0.0/24" }, /--api-cidr 10\.10\.0\.0\/16 and --client-cidr 10\.10\.0\.0\/24 \(ap-southeast-2\) overlap.*peered VPCs need disjoint ranges/],
    ["a region named twice", { clientRegion: "eu-west-1,eu-west-1" }, "--client-region names eu-west-1 twice: each client region gets one client side; drop the repeat"],
    ["an empty item", { clientRegion: "eu-west-1,,us-west-2" }, /--client-region "eu-west-1,,us-west-2" has an empty item/],
    ["region A among them", { clientRegion: "eu-west-1,us-east-1" }, /--api-region and --client-region are both us-east-1/],
    ["a region of another partition", { clientRegion: "eu-west-1,cn-north-1" }, /VPC peering never crosses partitions/],
    ["a typo in one of them", { clientRegion: "eu-west-1,ap-southeast-22" }, /--client-region "ap-southeast-22" is not an AWS region: did you mean ap-southeast-2\?/],
    ["a zone of none of them", { clientRegion: "eu-west-1,us-west-2", clientAzs: "eu-west-1a,eu-west-1b,sa-east-1a,sa-east-1b" }, /sa-east-1a is not an Availability Zone name of any client region \(eu-west-1, us-west-2\)/],
    ["one zone for a region", { clientRegion: "eu-west-1,us-west-2", clientAzs: "eu-west-1a,eu-west-1b,us-west-2a" }, /"us-west-2a" must name exactly two Availability Zones/],
  ])("refuses %s before asking anything, exit 2", async (_what, flags, expected) => {
    const terminal = asker();
    const run = resolveAnswers({ flags: { ...API, ...flags }, file: undefined, filePath: FILE }, terminal);
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(expected);
    expect(terminal.calls).toEqual([]);
  });

  it("groups --client-azs by the region each zone belongs to", async () => {
    const { answers } = await resolveAnswers(
      { flags: { ...API, clientRegion: "eu-west-1,us-west-2,ap-southeast-2", clientAzs: "us-west-2c,us-west-2a,eu-west-1b,eu-west-1c" }, file: undefined, filePath: FILE },
      undefined,
    );
    expect(answers.clients.map((c) => [c.region, c.azs])).toEqual([["eu-west-1", "eu-west-1b,eu-west-1c"], ["us-west-2", "us-west-2c,us-west-2a"], ["ap-southeast-2", undefined]]);
  });

  it("drops the file's zones of a region no longer listed, and keeps the others'", async () => {
    const file = { ...API, clientRegion: "eu-west-1,us-west-2", clientAzs: "eu-west-1a,eu-west-1b,us-west-2a,us-west-2b" };
    const { answers } = await resolveAnswers({ flags: { clientRegion: "us-west-2" }, file, filePath: FILE }, undefined);
    expect(answers.clients).toEqual([{ region: "us-west-2", cidr: "10.20.0.0/16", azs: "us-west-2a,us-west-2b" }]);
  });

  it("asks for one client region, then whether to add another, then a range for each, clear of the others", async () => {
    const regions = ["eu-west-1", "ap-southeast-2"];
    const more = [true, false];
    const terminal = asker({
      region: vi.fn(async (role) => (role === "api" ? "us-east-1" : regions.shift()!)),
      moreClients: vi.fn(async () => more.shift()!),
      cidr: vi.fn(async (_role, initial) => initial),
    });
    const { answers, asked } = await resolveAnswers({ flags: { name: "demo" }, file: undefined, filePath: FILE }, terminal);
    expect(terminal.region).toHaveBeenNthCalledWith(2, "client", undefined, "us-east-1", []);
    expect(terminal.region).toHaveBeenNthCalledWith(3, "client", undefined, "us-east-1", ["eu-west-1"]);
    expect(terminal.moreClients).toHaveBeenCalledTimes(2);
    // The second range question is told the first range, and names its region.
    expect(terminal.cidr).toHaveBeenLastCalledWith("client", "10.21.0.0/16", [
      { label: "the API range", cidr: "10.10.0.0/16" },
      { label: "the range of eu-west-1", cidr: "10.20.0.0/16" },
    ], "ap-southeast-2");
    expect(answers.clients).toEqual([{ region: "eu-west-1", cidr: "10.20.0.0/16" }, { region: "ap-southeast-2", cidr: "10.21.0.0/16" }]);
    expect(asked).toEqual(["apiRegion", "clientRegion", "apiCidr", "clientCidr"]);
  });
});

describe("defaultClientCidr for several regions", () => {
  it("suggests ranges disjoint from the API range and from each other, whatever is taken (property)", async () => {
    const { parseCidr, overlapOf } = await import("../../src/net/index.js");
    const range = fc.tuple(fc.constantFrom(10, 172, 192), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 24 })).map(([first, second, prefix]) => {
      const base = first === 10 ? `10.${second}.0.0` : first === 172 ? `172.${16 + (second % 16)}.0.0` : `192.168.${second}.0`;
      const cidr = parseCidr(`${base}/${first === 192 ? Math.max(prefix, 24) : prefix}`)!;
      return cidr.text;
    });
    await fc.assert(
      fc.asyncProperty(range, fc.array(range, { maxLength: 3 }), fc.integer({ min: 1, max: 5 }), async (api, given, count) => {
        // The given ranges as a validated run would hold them: disjoint from the API and each other.
        const taken = [api];
        for (const g of given) if (taken.every((t) => !overlapOf(parseCidr(t)!, parseCidr(g)!))) taken.push(g);
        for (let i = 0; i < count; i++) taken.push(await defaultClientCidr(api, taken.slice(1)));
        const parsed = taken.map((t) => parseCidr(t)!);
        for (const [i, a] of parsed.entries()) for (const b of parsed.slice(i + 1)) expect(overlapOf(a, b), `${a.text} ${b.text}`).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
