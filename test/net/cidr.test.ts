import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { carveSubnets, MAX_VPC_PREFIX, MIN_VPC_PREFIX, parseCidr } from "../../src/net/index.js";
import { arbCidr, cidr, dotted, networkOf, overlapsBruteForce, u32 } from "../helpers/net-arbitraries.js";

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/16", { network: "10.0.0.0", prefix: 16, first: 10 * 2 ** 24, last: 10 * 2 ** 24 + 65_535, size: 65_536 }],
    ["192.168.1.128/25", { network: "192.168.1.128", prefix: 25, first: 3_232_235_904, last: 3_232_236_031, size: 128 }],
    ["0.0.0.0/0", { network: "0.0.0.0", prefix: 0, first: 0, last: 4_294_967_295, size: 4_294_967_296 }],
    ["255.255.255.255/32", { network: "255.255.255.255", prefix: 32, first: 4_294_967_295, last: 4_294_967_295, size: 1 }],
    ["128.0.0.0/1", { network: "128.0.0.0", prefix: 1, first: 2 ** 31, last: 2 ** 32 - 1, size: 2 ** 31 }],
  ])("reads %s with its numeric bounds", (text, expected) => {
    expect(parseCidr(text)).toEqual({ text, ...expected });
  });

  it("ignores whitespace around the value", () => {
    expect(parseCidr(" \t10.0.0.0/16\n")).toEqual(parseCidr("10.0.0.0/16"));
  });

  it.each([
    "",
    " ",
    "foo",
    "10.0.0.0",
    "10.0.0/16",
    "1.2.3.4.5/16",
    "300.1.1.1/16",
    "10.0.0.256/24",
    "0300.0.0.0/16",
    "10.0.0.0/33",
    "10.0.0.0/-1",
    "10.0.0.0/",
    "/16",
    "10.0.0.0/16/16",
    "10.0.0.0 /16",
    "10.0.0.0/ 16",
    "10.0.0.0/16x",
    "10.0.0.0/1e1",
    "10.0.0.0/+16",
    "10.0.0.0/0x10",
    "0x0a.0.0.0/8",
    "١٠.0.0.0/8",
    "10.1.2.3/16",
    "010.0.0.0/16",
    "10.0.0.0/016",
    "::1/128",
    "fd00::/8",
    "::ffff:10.0.0.0/112",
  ])("rejects %j", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it("gives the bounds of every aligned block, for any address and prefix", () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 32 }), (address, prefix) => {
        const network = networkOf(address, prefix);
        const size = 2 ** (32 - prefix);
        const text = `${dotted(network)}/${prefix}`;
        expect(parseCidr(text)).toEqual({ text, network: dotted(network), prefix, first: network, last: network + size - 1, size });
      }),
    );
  });

  it("refuses any address that is not the first of its block", () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 31 }), (address, prefix) => {
        fc.pre(networkOf(address, prefix) !== address);
        expect(parseCidr(`${dotted(address)}/${prefix}`)).toBeUndefined();
      }),
    );
  });

  it("round-trips its own text", () => {
    fc.assert(
      fc.property(arbCidr(), (c) => {
        expect(parseCidr(c.text)).toEqual(c);
      }),
    );
  });
});

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
