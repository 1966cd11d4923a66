// The answers file: read back as written (the last verification and the zones too), a missing default
// file is a first run but a missing --config an error, a broken file refused with its name, stable JSON.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAnswersFile, saveAnswersFile } from "../../src/config/answers-file.js";
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
