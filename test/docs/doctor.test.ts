// doctor's hop names are a contract (its --json lines carry them): the README lists them in path order and
// docs/doctor.md says what each needs to pass, one row per hop in that order.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { HOPS } from "../../src/steps/doctor/doctor.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("doctor's hops in the README and docs/doctor.md", () => {
  it("has one row per hop in docs/doctor.md's table, in path order", () => {
    const rows = [...readFileSync(join(ROOT, "docs", "doctor.md"), "utf8").matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...HOPS]);
  });

  it("names every hop in the README's doctor section, in path order", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### `doctor`"), readme.indexOf("### `connect` and `disconnect`"));
    const order = section.slice(section.indexOf("in the order a request takes them:"));
    const named = [...order.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((name) => (HOPS as readonly string[]).includes(name ?? ""));
    expect(named.slice(0, HOPS.length)).toEqual([...HOPS]);
  });
});
