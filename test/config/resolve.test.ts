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
    expect(answers).toEqual({ name: "flag", apiRegion: "us-west-2", clientRegion: "eu-north-1", apiCidr: "10.1.0.0/16", clientCidr: "10.20.0.0/16" });
    expect(asked).toEqual([]);
  });

  it("asks only for what flags and the file leave open, in order", async () => {
    const terminal = asker();
    const { answers, asked } = await resolveAnswers({ flags: { apiRegion: "us-east-1" }, file: { apiCidr: "10.3.0.0/16" }, filePath: FILE }, terminal);
    expect(terminal.calls).toEqual(["name", "region:client", "cidr:client"]);
    expect(asked).toEqual(["name", "clientRegion", "clientCidr"]);
    expect(answers.name).toBe("xregion-typed");
    expect(answers.clientRegion).toBe("ca-central-1");
  });

  it("tells the client-region question which region is taken", async () => {
    const terminal = asker();
    await resolveAnswers({ flags: { apiRegion: "sa-east-1" }, file: undefined, filePath: FILE }, terminal);
    expect(terminal.region).toHaveBeenCalledWith("client", undefined, "sa-east-1");
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
    expect(answers).toMatchObject({ apiAzs: "us-east-1c,us-east-1d", clientAzs: "eu-west-1b,eu-west-1c" });
    expect(asked).toEqual([]);
  });

  it("leaves them out when nobody chose zones (preflight will)", async () => {
    const { answers } = await resolveAnswers({ flags: REGIONS, file: undefined, filePath: FILE }, undefined);
    expect(answers).not.toHaveProperty("apiAzs");
    expect(answers).not.toHaveProperty("clientAzs");
  });

  it("takes saved zones from the answers file, and names the file when they are broken", async () => {
    const { answers } = await resolveAnswers({ flags: REGIONS, file: { clientAzs: "eu-west-1c,eu-west-1a" }, filePath: FILE }, undefined);
    expect(answers.clientAzs).toBe("eu-west-1c,eu-west-1a");
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
    expect(answers).toMatchObject({ name: "xregion", apiCidr: "10.10.0.0/16", clientCidr: "10.20.0.0/16", clientRegion: "ca-central-1" });
  });
});
