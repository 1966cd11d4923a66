import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBlock } from "../../src/net/address-set.js";
import { sgAdmits, type SecurityGroup, type SgRule } from "../../src/net/security-groups.js";
import { addressesOf, arbBlock, inBlock, type Block } from "../helpers/net-small-space.js";

const rule = (over: Partial<SgRule>): SgRule => ({ protocol: "tcp", fromPort: 443, toPort: 443, cidrs: [], prefixListIds: [], groupIds: [], ...over });
const group = (id: string, egress: SgRule[], ingress: SgRule[] = []): SecurityGroup => ({ id, egress, ingress });
const peers = (text: string) => parseBlock(text)!;

describe("sgAdmits", () => {
  it("a rule for 443 to the API range admits the endpoint's addresses", () => {
    const d = sgAdmits([group("sg-fn", [rule({ cidrs: ["10.10.0.0/16"] })])], "egress", { protocol: "tcp", port: 443, peers: peers("10.10.0.37") });
    expect(d.allowed).toBe(true);
    expect(d.matched.map((m) => m.groupId)).toEqual(["sg-fn"]);
  });

  it.each([
    ["another port", rule({ fromPort: 80, toPort: 80, cidrs: ["10.10.0.0/16"] })],
    ["another range", rule({ cidrs: ["10.30.0.0/16"] })],
    ["udp", rule({ protocol: "udp", cidrs: ["10.10.0.0/16"] })],
    ["a group reference (cannot cross regions)", rule({ groupIds: ["sg-peer"] })],
  ])("refuses with only %s", (_, r) => {
    const d = sgAdmits([group("sg-fn", [r])], "egress", { protocol: "tcp", port: 443, peers: peers("10.10.0.0/24") });
    expect(d.allowed).toBe(false);
    expect(d.missing).toEqual(peers("10.10.0.0/24"));
  });

  it("all traffic (-1) and protocol numbers count", () => {
    for (const r of [rule({ protocol: "-1", fromPort: undefined, toPort: undefined, cidrs: ["0.0.0.0/0"] }), rule({ protocol: "6", fromPort: 0, toPort: 65535, cidrs: ["10.0.0.0/8"] })]) {
      expect(sgAdmits([group("sg", [r])], "egress", { protocol: "tcp", port: 443, peers: peers("10.10.0.0/16") }).allowed).toBe(true);
    }
  });

  it("rules of several groups add up to cover the range", () => {
    const groups = [group("sg-a", [rule({ cidrs: ["10.10.0.0/17"] })]), group("sg-b", [rule({ cidrs: ["10.10.128.0/17"] })])];
    expect(sgAdmits(groups, "egress", { protocol: "tcp", port: 443, peers: peers("10.10.0.0/16") }).allowed).toBe(true);
    expect(sgAdmits(groups, "ingress", { protocol: "tcp", port: 443, peers: peers("10.10.0.0/16") }).allowed).toBe(false);
  });

  it("a prefix list that may cover the rest cannot be checked: null", () => {
    const d = sgAdmits([group("sg", [rule({ prefixListIds: ["pl-1"] })])], "egress", { protocol: "tcp", port: 443, peers: peers("10.10.0.0/16") });
    expect(d.allowed).toBeNull();
    expect(d.prefixLists).toEqual(["pl-1"]);
  });

  it("agrees with checking every address against every rule", () => {
    const arbRule = fc.record({ block: arbBlock, port: fc.constantFrom(443, 80, -1) });
    fc.assert(
      fc.property(fc.array(arbRule, { maxLength: 6 }), arbBlock, (rules: { block: Block; port: number }[], range) => {
        const sg = group("sg", rules.map((r) => r.port === -1 ? rule({ protocol: "-1", fromPort: undefined, toPort: undefined, cidrs: [r.block.text] }) : rule({ fromPort: r.port, toPort: r.port, cidrs: [r.block.text] })));
        const naive = addressesOf(range).every((a) => rules.some((r) => (r.port === 443 || r.port === -1) && inBlock(r.block, a)));
        expect(sgAdmits([sg], "egress", { protocol: "tcp", port: 443, peers: [range] }).allowed).toBe(naive);
      }),
    );
  });
});
