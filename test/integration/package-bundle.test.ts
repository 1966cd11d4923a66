// What the build leaves out matters as much as what it ships: the AWS SDK's schemas are tree-shaken to
// the operations we call (scripts/build.mjs, schemaKeysInlined), which is most of the deploy's memory.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const DIST = resolve(import.meta.dirname, "../../dist");

function bundleText(): string {
  return readdirSync(join(DIST, "chunks"))
    .map((file) => readFileSync(join(DIST, "chunks", file), "utf8"))
    .join("\n");
}

describe("the bundle", () => {
  it("carries the EC2 shapes of the two calls preflight makes, and not the other few thousand", () => {
    const text = bundleText();
    expect(text).toContain("DescribeVpcsRequest");
    expect(text).toContain("DescribeAvailabilityZonesRequest");
    for (const unused of ["RunInstancesRequest", "CreateTransitGatewayRequest", "ModifyInstanceAttributeRequest"]) {
      expect(text, unused).not.toContain(unused);
    }
  });
});
