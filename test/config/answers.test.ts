import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerText, loadAnswersFile, saveAnswersFile, withoutClientRegions } from "../../src/config/answers.js";
import { tempDir } from "../helpers/cli.js";

describe("answers file", () => {
  it("round-trips answers and the last verification", () => {
    const dir = tempDir();
    const path = join(dir, "a.json");
    const answers = { name: "demo", apiRegion: "us-east-1", clientRegion: "eu-west-1", apiCidr: "10.1.0.0/16", clientCidr: "10.2.0.0/16" };
    saveAnswersFile(path, { answers, lastVerify: { ok: true, at: "2026-11-25T10:00:00.000Z", summary: "5/5 ok" } });
    expect(loadAnswersFile(path, true)).toEqual({ answers, lastVerify: { ok: true, at: "2026-11-25T10:00:00.000Z", summary: "5/5 ok" } });
    expect(readdirSync(dir)).toEqual(["a.json"]);
  });

  it("keeps the zones chosen with --api-azs and --client-azs", () => {
    const path = join(tempDir(), "a.json");
    const answers = { name: "demo", apiAzs: "us-east-1c,us-east-1d", clientAzs: "eu-west-1a,eu-west-1b" };
    saveAnswersFile(path, { answers });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(answers);
    expect(loadAnswersFile(path, true)?.answers).toEqual(answers);
  });

  it("treats a missing default file as a first run, but a missing --config as an error", () => {
    const dir = tempDir();
    expect(loadAnswersFile(join(dir, "none.json"), false)).toBeUndefined();
    expect(() => loadAnswersFile(join(dir, "none.json"), true)).toThrow(/does not exist/);
  });

  it("refuses broken JSON and wrong types with the file's name", () => {
    const dir = tempDir();
    const path = join(dir, "broken.json");
    writeFileSync(path, "{ nope");
    expect(() => loadAnswersFile(path, false)).toThrow(`${path} is not valid JSON`);
    writeFileSync(path, JSON.stringify({ name: 7 }));
    expect(() => loadAnswersFile(path, false)).toThrow(/"name" must be a string/);
  });

  it("writes stable, readable JSON", () => {
    const path = join(tempDir(), "a.json");
    saveAnswersFile(path, { answers: { name: "demo" } });
    expect(readFileSync(path, "utf8")).toBe('{\n  "name": "demo"\n}\n');
  });
});

describe("answers of several client regions", () => {
  const three = {
    name: "demo",
    apiRegion: "us-east-1",
    apiCidr: "10.10.0.0/16",
    clients: [
      { region: "eu-west-1", cidr: "10.20.0.0/16", azs: "eu-west-1a,eu-west-1b" },
      { region: "ap-southeast-2", cidr: "10.21.0.0/16" },
      { region: "us-west-2", cidr: "10.22.0.0/16", azs: "us-west-2b,us-west-2c" },
    ],
  };

  it("are written comma-separated under the keys a one-region file has", () => {
    expect(answerText(three)).toEqual({
      name: "demo",
      apiRegion: "us-east-1",
      apiCidr: "10.10.0.0/16",
      clientRegion: "eu-west-1,ap-southeast-2,us-west-2",
      clientCidr: "10.20.0.0/16,10.21.0.0/16,10.22.0.0/16",
      clientAzs: "eu-west-1a,eu-west-1b,us-west-2b,us-west-2c",
    });
    expect(answerText({ ...three, clients: three.clients.slice(0, 1) })).toMatchObject({ clientRegion: "eu-west-1", clientCidr: "10.20.0.0/16" });
  });

  it("keep, after some regions are torn down, each remaining region with its own range and zones", () => {
    const text = answerText(three);
    expect(withoutClientRegions(text, ["eu-west-1"])).toEqual({
      name: "demo",
      apiRegion: "us-east-1",
      apiCidr: "10.10.0.0/16",
      clientRegion: "ap-southeast-2,us-west-2",
      clientCidr: "10.21.0.0/16,10.22.0.0/16",
      clientAzs: "us-west-2b,us-west-2c",
    });
    expect(withoutClientRegions(text, ["us-west-2", "ap-southeast-2"])).toEqual({
      name: "demo",
      apiRegion: "us-east-1",
      apiCidr: "10.10.0.0/16",
      clientRegion: "eu-west-1",
      clientCidr: "10.20.0.0/16",
      clientAzs: "eu-west-1a,eu-west-1b",
    });
    // All of them gone: no client keys left, the rest kept for the next deploy.
    expect(withoutClientRegions(text, ["eu-west-1", "us-west-2", "ap-southeast-2"])).toEqual({ name: "demo", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16" });
  });
});
