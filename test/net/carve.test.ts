import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { carveSubnets, MAX_VPC_PREFIX, MIN_VPC_PREFIX } from "../../src/net/index.js";
import { arbCidr, cidr, overlapsBruteForce } from "./arbitraries.js";

describe("carveSubnets", () => {
  it.each([
    ["10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24"],
    ["10.20.0.0/20", "10.20.0.0/24", "10.20.1.0/24"],
    ["10.20.2.0/23", "10.20.2.0/24", "10.20.3.0/24"],
    ["192.168.7.0/24", "192.168.7.0/25", "192.168.7.128/25"],
    ["192.168.7.64/26", "192.168.7.64/27", "192.168.7.96/27"],
    ["192.168.7.32/27", "192.168.7.32/28", "192.168.7.48/28"],
  ])("splits %s into %s and %s", (vpc, first, second) => {
    expect(carveSubnets(cidr(vpc)).map((s) => s.text)).toEqual([first, second]);
  });

  it.each(["10.0.0.0/28", "10.0.0.0/32"])("refuses %s, which cannot hold two /28 subnets", (vpc) => {
    expect(() => carveSubnets(cidr(vpc))).toThrow(/too small/);
  });

  it("gives two disjoint, adjacent subnets of /24 to /28 at the start of every valid VPC", () => {
    fc.assert(
      fc.property(arbCidr(MIN_VPC_PREFIX, MAX_VPC_PREFIX), (vpc) => {
        const [a, b] = carveSubnets(vpc);
        for (const subnet of [a, b]) {
          expect(subnet.first).toBeGreaterThanOrEqual(vpc.first);
          expect(subnet.last).toBeLessThanOrEqual(vpc.last);
          expect(subnet.prefix).toBeGreaterThanOrEqual(24);
          expect(subnet.prefix).toBeLessThanOrEqual(28);
          expect(subnet.prefix).toBeGreaterThan(vpc.prefix);
        }
        expect(overlapsBruteForce(a, b)).toBe(false);
        expect(a.prefix).toBe(b.prefix);
        expect(a.first).toBe(vpc.first);
        expect(b.first).toBe(a.last + 1);
      }),
    );
  });

  it("uses /24 subnets whenever the VPC is /23 or larger, and halves below that", () => {
    fc.assert(
      fc.property(arbCidr(MIN_VPC_PREFIX, MAX_VPC_PREFIX), (vpc) => {
        const [a, b] = carveSubnets(vpc);
        if (vpc.prefix <= 23) expect(a.prefix).toBe(24);
        else expect(a.size + b.size).toBe(vpc.size);
      }),
    );
  });
});
