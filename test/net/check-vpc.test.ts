import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkVpcCidr, MAX_VPC_PREFIX, MIN_VPC_PREFIX, type CidrCheck } from "../../src/net/index.js";
import { arbVpcCidr, dotted, isSpecialPurpose, networkOf, u32 } from "../helpers/net-arbitraries.js";

const LABEL = "--api-cidr";

function refusal(result: CidrCheck): string {
  if (result.ok) throw new Error(`expected a refusal, got ${result.cidr.text}`);
  return result.message;
}

function accepted(result: CidrCheck) {
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.message}`);
  return result;
}

// Every refusal ends with the value to use instead; this digs it out so tests can check it is accepted.
function suggestedFix(message: string): string | undefined {
  return [...message.matchAll(/\d+\.\d+\.\d+\.\d+\/\d+/g)].at(-1)?.[0];
}

describe("checkVpcCidr refuses, naming the problem and the fix", () => {
  it.each([
    // [input, what the message must say about the problem, the fix it must offer]
    ["foo", 'is not an IPv4 CIDR', "a.b.c.d/n, for example 10.0.0.0/16"],
    ["10.0.0/16", "is not an IPv4 CIDR", "a.b.c.d/n"],
    ["300.1.1.1/16", "is not an IPv4 CIDR", "a.b.c.d/n"],
    ["10.0.0.0 /16", "is not an IPv4 CIDR", "a.b.c.d/n"],
    [" ", "is empty", "a.b.c.d/n, for example 10.0.0.0/16"],
    ["", "is empty", "a.b.c.d/n"],
    ["fd00::/48", "is IPv6", "a.b.c.d/n"],
    ["::ffff:10.0.0.0/112", "is IPv6", "a.b.c.d/n"],
    ["10.0.0.0", "has no prefix length", "for example 10.0.0.0/16"],
    ["10.20.3.4", "has no prefix length", "for example 10.20.0.0/16"],
    ["10.0.0.0/33", "/33", "between /16 and /27"],
    ["10.0.0.0/99999", "/99999", "between /16 and /27"],
    ["10.1.2.3/16", "host bits", "did you mean 10.1.0.0/16?"],
    ["192.168.10.77/27", "host bits", "did you mean 192.168.10.64/27?"],
    ["10.0.0.0/8", "larger than AWS allows for a VPC", "use a /16 such as 10.0.0.0/16"],
    ["10.1.2.3/12", "larger than AWS allows for a VPC", "use a /16 such as 10.1.0.0/16"],
    ["0.0.0.0/0", "larger than AWS allows for a VPC", "such as 10.0.0.0/16"],
    ["10.0.0.0/28", "too small to hold one /28 subnet", "use /27 or larger, such as 10.0.0.0/27"],
    ["10.0.0.48/28", "in each of two AZs", "such as 10.0.0.32/27"],
    ["10.0.0.5/32", "too small", "use /27 or larger"],
    ["127.0.0.0/16", "loopback range 127.0.0.0/8", "use a private range such as 10.0.0.0/16"],
    ["169.254.0.0/16", "link-local range 169.254.0.0/16", "such as 10.0.0.0/16"],
    ["224.5.0.0/24", "multicast range 224.0.0.0/4", "such as 10.0.0.0/24"],
    ["0.1.0.0/16", "0.0.0.0/8", "such as 10.0.0.0/16"],
    ["240.0.0.0/16", "reserved range 240.0.0.0/4", "such as 10.0.0.0/16"],
    ["255.255.255.224/27", "240.0.0.0/4", "such as 10.0.0.0/27"],
    ["127.1.2.3/16", "loopback", "such as 10.0.0.0/16"],
    ["127.0.0.0/8", "larger than AWS allows", "such as 10.0.0.0/16"],
    ["010.0.0.0/16", "leading zeros", "write 10.0.0.0/16"],
    ["10.0.0.0/016", "leading zeros", "write 10.0.0.0/16"],
    ["010.1.2.3/16", "host bits", "did you mean 10.1.0.0/16?"],
  ])("%j: %s; %s", (input, problem, fix) => {
    const message = refusal(checkVpcCidr(input, LABEL));
    expect(message).toContain(problem);
    expect(message).toContain(fix);
    expect(message.startsWith(`${LABEL} `)).toBe(true);
  });

  it("names whichever flag it was given", () => {
    expect(refusal(checkVpcCidr("foo", "--client-cidr"))).toMatch(/^--client-cidr "foo" is not an IPv4 CIDR/);
  });

  it("keeps a pasted multi-line value on one line and cuts a very long one short", () => {
    const pasted = refusal(checkVpcCidr("10.0.0.0\n/16", LABEL));
    expect(pasted).not.toMatch(/[\r\n]/);
    expect(pasted).toContain(String.raw`"10.0.0.0\n/16"`);
    const long = refusal(checkVpcCidr("x".repeat(5000), LABEL));
    expect(long.length).toBeLessThan(200);
  });
});

describe("checkVpcCidr accepts", () => {
  it.each([
    ["10.0.0.0/16", "10.0.0.0/16"],
    ["172.31.0.0/16", "172.31.0.0/16"],
    ["192.168.0.0/20", "192.168.0.0/20"],
    ["10.0.0.0/27", "10.0.0.0/27"],
    ["100.64.0.0/16", "100.64.0.0/16"],
    ["172.16.0.0/16", "172.16.0.0/16"],
    [" \t10.0.0.0/16\n", "10.0.0.0/16"],
    ["\u00a010.1.0.0/16\u00a0", "10.1.0.0/16"],
  ])("%j as %s, without warnings", (input, text) => {
    const result = accepted(checkVpcCidr(input, LABEL));
    expect(result.cidr.text).toBe(text);
    expect(result.warnings).toEqual([]);
  });

  it.each(["8.8.0.0/16", "198.19.0.0/16", "11.0.0.0/16", "100.128.0.0/16", "192.169.0.0/16", "172.32.0.0/16"])(
    "%s outside private space, with a warning that it shadows public addresses",
    (input) => {
      const result = accepted(checkVpcCidr(input, LABEL));
      expect(result.warnings).toHaveLength(1);
      const [warning = ""] = result.warnings;
      expect(warning).toContain(`${LABEL} ${input}`);
      expect(warning).toContain("AWS allows it");
      expect(warning).toContain("shadow");
      expect(warning).toContain("public internet");
      expect(warning).not.toMatch(/[\r\n]/);
      const instead = suggestedFix(warning);
      expect(instead && accepted(checkVpcCidr(instead, LABEL)).warnings).toEqual([]);
    },
  );

  it.each([
    ["172.17.0.0/16", "172.18.0.0/16"],
    ["172.17.200.0/24", "172.18.0.0/24"],
  ])("%s, warning that AWS services use 172.17.0.0/16 and offering %s", (input, instead) => {
    const [warning, ...rest] = accepted(checkVpcCidr(input, LABEL)).warnings;
    expect(rest).toEqual([]);
    expect(warning).toContain("Cloud9");
    expect(warning).toContain(`such as ${instead}`);
    expect(accepted(checkVpcCidr(instead, LABEL)).warnings).toEqual([]);
  });

  it(`every /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} outside the special-purpose blocks, and round-trips its own text`, () => {
    fc.assert(
      fc.property(arbVpcCidr(), fc.constantFrom("", " ", "\t", "\n "), (vpc, pad) => {
        const first = accepted(checkVpcCidr(`${pad}${vpc.text}${pad}`, LABEL));
        expect(first.cidr).toEqual(vpc);
        expect(checkVpcCidr(first.cidr.text, LABEL)).toEqual(first);
      }),
    );
  });
});

describe("checkVpcCidr on arbitrary input", () => {
  // Near-misses are where the interesting branches are: random octets, prefixes around the limits,
  // leading zeros, stray whitespace.
  const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.integer({ min: 0, max: 999 }).map((n) => `0${n}`));
  const pad = fc.constantFrom("", " ", "\t", "\n ");
  const nearCidr = fc
    .tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), pad)
    .map(([octets, prefix, space]) => `${space}${octets.join(".")}${prefix === undefined ? "" : `/${prefix}`}${space}`);
  // Well-formed ranges anywhere, mostly with a VPC's prefix and no host bits: about half of them are
  // accepted, so the accepting branch of each property below really runs (counted).
  const vpcPrefix = fc.oneof({ arbitrary: fc.integer({ min: MIN_VPC_PREFIX, max: MAX_VPC_PREFIX }), weight: 3 }, fc.integer({ min: 0, max: 32 }));
  const wellFormed = fc
    .tuple(u32, vpcPrefix, fc.integer({ min: 0, max: 3 }).map((n) => n > 0), pad)
    .map(([address, prefix, aligned, space]) => `${space}${dotted(aligned ? networkOf(address, prefix) : address)}/${prefix}${space}`);
  const anyInput = fc.oneof({ arbitrary: wellFormed, weight: 3 }, nearCidr, fc.string(), fc.string({ unit: "binary" }));

  // What should be accepted, decided apart from src/net: a.b.c.d/n with plain decimal numbers, octets
  // to 255, /16 to /27, no host bits, outside the special-purpose blocks.
  function acceptable(input: string): boolean {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(input.trim());
    if (!match || match.slice(1).some((part) => part.length > 1 && part.startsWith("0"))) return false;
    const [a, b, c, d, prefix] = match.slice(1).map(Number) as [number, number, number, number, number];
    if ([a, b, c, d].some((o) => o > 255) || prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) return false;
    const first = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
    return networkOf(first, prefix) === first && !isSpecialPurpose(first);
  }

  it("never throws, answers in one line that starts with the flag, and is stable on its own output", () => {
    let accepts = 0;
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = checkVpcCidr(input, LABEL);
        if (result.ok) {
          accepts++;
          expect(checkVpcCidr(result.cidr.text, LABEL)).toEqual(result);
          for (const w of result.warnings) expect(w).not.toMatch(/[\r\n]/);
        } else {
          expect(result.message.startsWith(`${LABEL} `)).toBe(true);
          expect(result.message).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 2000 },
    );
    expect(accepts).toBeGreaterThan(200);
  });

  it("accepts exactly the canonical /16 to /27 ranges outside the special-purpose blocks, as written", () => {
    let accepts = 0;
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = checkVpcCidr(input, LABEL);
        expect(result.ok, input).toBe(acceptable(input));
        if (!result.ok) return;
        accepts++;
        const { cidr } = result;
        expect(cidr.prefix).toBeGreaterThanOrEqual(16);
        expect(cidr.prefix).toBeLessThanOrEqual(27);
        expect(networkOf(cidr.first, cidr.prefix)).toBe(cidr.first);
        expect(isSpecialPurpose(cidr.first)).toBe(false);
        expect(cidr.text).toBe(`${dotted(cidr.first)}/${cidr.prefix}`);
        expect(input.trim()).toBe(cidr.text);
      }),
      { numRuns: 2000 },
    );
    expect(accepts).toBeGreaterThan(200);
  });

  it("offers a fix that is itself accepted whenever it offers one", () => {
    fc.assert(
      fc.property(fc.oneof(nearCidr, u32.chain((a) => fc.integer({ min: 0, max: 32 }).map((p) => `${dotted(a)}/${p}`))), (input) => {
        const result = checkVpcCidr(input, LABEL);
        if (result.ok) return;
        const fix = suggestedFix(result.message);
        expect(fix).toBeDefined();
        if (fix !== undefined) expect(checkVpcCidr(fix, LABEL).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
