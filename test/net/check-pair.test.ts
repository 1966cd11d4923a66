import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPair, checkRanges, checkVpcCidr, type Cidr, overlapOf, parseCidr } from "../../src/net/index.js";
import { arbCidr, arbVpcCidr, cidr, dotted, isSpecialPurpose, networkOf, overlapsBruteForce } from "../helpers/net-arbitraries.js";

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

describe("overlapOf", () => {
  it.each([
    ["10.0.0.0/16", "10.0.128.0/17", "10.0.128.0/17"],
    ["10.0.128.0/17", "10.0.0.0/16", "10.0.128.0/17"],
    ["10.0.0.0/16", "10.0.0.0/16", "10.0.0.0/16"],
    ["0.0.0.0/0", "192.168.4.0/24", "192.168.4.0/24"],
    ["240.0.0.0/4", "255.255.255.255/32", "255.255.255.255/32"],
  ])("%s and %s overlap in %s", (a, b, expected) => {
    expect(overlapOf(cidr(a), cidr(b))?.text).toBe(expected);
  });

  it.each([
    ["10.0.0.0/17", "10.0.128.0/17"],
    ["10.0.0.0/16", "10.1.0.0/16"],
    ["10.255.255.255/32", "11.0.0.0/8"],
    ["172.16.0.0/12", "192.168.0.0/16"],
  ])("%s and %s are disjoint, even when adjacent", (a, b) => {
    expect(overlapOf(cidr(a), cidr(b))).toBeUndefined();
  });

  it("is symmetric", () => {
    fc.assert(
      fc.property(arbCidr(), arbCidr(), (a, b) => {
        expect(overlapOf(a, b)).toEqual(overlapOf(b, a));
      }),
    );
  });

  it("agrees with comparing first and last addresses, and returns exactly the shared addresses", () => {
    // Wide prefixes alone would almost never overlap at random; mixing in nested pairs covers both answers.
    const nested = arbCidr(0, 24).chain((outer) =>
      fc
        .tuple(fc.integer({ min: outer.prefix, max: 32 }), fc.integer({ min: 0, max: outer.size - 1 }))
        .map(([prefix, offset]) => {
          const size = 2 ** (32 - prefix);
          const first = outer.first + Math.floor(offset / size) * size;
          return [outer, cidr(`${dotted(first)}/${prefix}`)] as const;
        }),
    );
    const pairs = fc.oneof(fc.tuple(arbCidr(), arbCidr()), nested);
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const overlap = overlapOf(a, b);
        expect(overlap !== undefined).toBe(overlapsBruteForce(a, b));
        if (overlap !== undefined) {
          expect(overlap.first).toBe(Math.max(a.first, b.first));
          expect(overlap.last).toBe(Math.min(a.last, b.last));
        }
      }),
    );
  });
});

describe("checkRanges", () => {
  const c = (text: string) => parseCidr(text)!;
  const api = { label: "--api-cidr", cidr: c("10.10.0.0/16") };

  it("says what checkPair says for one client region, word for word", () => {
    for (const client of ["10.10.0.0/16", "10.10.4.0/24", "10.0.0.0/8", "10.20.0.0/16"]) {
      expect(checkRanges(api, [{ label: "--client-cidr", cidr: c(client), region: "eu-west-1" }])).toBe(checkPair(api.cidr, c(client)));
    }
  });

  it("refuses client ranges that overlap each other, moving the later one clear of every range", () => {
    const clients = [
      { label: "--client-cidr", cidr: c("10.20.0.0/16"), region: "eu-west-1" },
      { label: "--client-cidr", cidr: c("10.21.0.0/16"), region: "us-west-2" },
      { label: "--client-cidr", cidr: c("10.20.0.0/16"), region: "ap-southeast-2" },
    ];
    expect(checkRanges(api, clients)).toBe(
      "--client-cidr 10.20.0.0/16 (eu-west-1) and --client-cidr 10.20.0.0/16 (ap-southeast-2) overlap in 10.20.0.0/16: " +
        "the API VPC routes to each client VPC by its range, so client ranges must be disjoint; try --client-cidr 10.22.0.0/16 for ap-southeast-2",
    );
    expect(checkRanges(api, clients.slice(0, 2))).toBeUndefined();
    // Without the API range (not given yet), among themselves only.
    expect(checkRanges(undefined, [{ label: "x", cidr: c("10.10.0.0/16"), region: "a" }, { label: "y", cidr: c("10.30.0.0/16"), region: "b" }])).toBeUndefined();
  });

  it("suggests, for any clash, a range that overlaps none of the others (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 24 })), { minLength: 2, maxLength: 6 }), (specs) => {
        const ranges = specs.map(([second, prefix], i) => ({ label: "--client-cidr", cidr: c(`10.${second}.0.0/${prefix}`), region: `r${i}` }));
        const problem = checkRanges(api, ranges);
        const suggested = problem && /try --client-cidr (\S+) for (r\d+)$/.exec(problem);
        if (!suggested) return;
        const moved = c(suggested[1]!);
        for (const other of [api, ...ranges.filter((r) => r.region !== suggested[2])]) expect(overlapOf(other.cidr, moved)).toBeUndefined();
      }),
    );
  });
});

