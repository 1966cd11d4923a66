import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPair, checkVpcCidr, type Cidr } from "../../src/net/index.js";
import { arbVpcCidr, cidr, dotted, isSpecialPurpose, networkOf, overlapsBruteForce } from "./arbitraries.js";

function suggestion(message: string): Cidr {
  const match = /try --client-cidr (\S+)$/.exec(message);
  if (match?.[1] === undefined) throw new Error(`no suggestion in: ${message}`);
  return cidr(match[1]);
}

describe("checkPair", () => {
  it.each([
    ["10.0.0.0/16", "10.1.0.0/16"],
    ["10.0.0.0/17", "10.0.128.0/17"],
    ["10.10.0.0/16", "10.20.0.0/16"],
    ["192.168.0.0/24", "10.0.0.0/16"],
  ])("accepts %s and %s, which do not overlap", (api, client) => {
    expect(checkPair(cidr(api), cidr(client))).toBeUndefined();
  });

  it("names both ranges, the overlap, and a free client range next to the one given", () => {
    const message = checkPair(cidr("10.0.0.0/16"), cidr("10.0.128.0/17"));
    expect(message).toContain("--api-cidr 10.0.0.0/16");
    expect(message).toContain("--client-cidr 10.0.128.0/17");
    expect(message).toContain("overlap in 10.0.128.0/17");
    expect(message).toContain("disjoint");
    expect(message).toMatch(/try --client-cidr 10\.1\.0\.0\/17$/);
  });

  it("reports the smaller range as the overlap when the client range is the larger one", () => {
    const message = checkPair(cidr("10.0.128.0/17"), cidr("10.0.0.0/16"));
    expect(message).toContain("overlap in 10.0.128.0/17");
    expect(message).toMatch(/try --client-cidr 10\.1\.0\.0\/16$/);
  });

  it("says when both ranges are the same", () => {
    const message = checkPair(cidr("10.0.0.0/16"), cidr("10.0.0.0/16"));
    expect(message).toContain("both 10.0.0.0/16");
    expect(message).toMatch(/try --client-cidr 10\.1\.0\.0\/16$/);
  });

  it("uses the labels it is given", () => {
    const message = checkPair(cidr("10.0.0.0/16"), cidr("10.0.0.0/24"), { api: "API VPC range", client: "client VPC range" });
    expect(message).toContain("API VPC range 10.0.0.0/16 and client VPC range 10.0.0.0/24 overlap in 10.0.0.0/24");
    expect(message).toMatch(/try client VPC range 10\.1\.0\.0\/24$/);
  });

  it("flags exactly the overlapping pairs, in one line, with a client range that fixes it", () => {
    // Same private block and similar sizes, so overlapping pairs are common rather than freak events.
    const pair = fc.oneof(
      fc.tuple(arbVpcCidr(), arbVpcCidr()),
      arbVpcCidr(16, 20).chain((api) =>
        fc
          .tuple(fc.integer({ min: 16, max: 27 }), fc.integer({ min: 0, max: 2 ** 24 - 1 }))
          .map(([prefix, offset]) => cidr(`${dotted(networkOf((api.first >>> 24) * 2 ** 24 + offset, prefix))}/${prefix}`))
          .filter((client) => !isSpecialPurpose(client.first))
          .map((client) => [api, client] as const),
      ),
    );
    fc.assert(
      fc.property(pair, ([api, client]) => {
        const message = checkPair(api, client);
        expect(message !== undefined).toBe(overlapsBruteForce(api, client));
        if (message === undefined) return;
        expect(message).not.toMatch(/[\r\n]/);
        const fix = suggestion(message);
        expect(fix.prefix).toBe(client.prefix);
        expect(overlapsBruteForce(fix, api)).toBe(false);
        expect(checkPair(api, fix)).toBeUndefined();
        const recheck = checkVpcCidr(fix.text, "--client-cidr");
        expect(recheck.ok && recheck.warnings).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
