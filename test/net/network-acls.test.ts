import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBlock } from "../../src/net/address-set.js";
import { aclDecision, aclOfSubnet, CATCH_ALL_RULE, type AclEntry, type NetworkAcl } from "../../src/net/network-acls.js";
import { addressesOf, arbBlock, inBlock, type Block } from "../helpers/net-small-space.js";

const entry = (ruleNumber: number, action: "allow" | "deny", cidr: string, over: Partial<AclEntry> = {}): AclEntry => ({
  ruleNumber, egress: false, action, protocol: "-1", cidr, ...over,
});
const catchAll = (egress: boolean): AclEntry => ({ ruleNumber: CATCH_ALL_RULE, egress, action: "deny", protocol: "-1", cidr: "0.0.0.0/0" });
const acl = (entries: AclEntry[]): NetworkAcl => ({ id: "acl-1", isDefault: false, subnetIds: ["subnet-1"], entries: [...entries, catchAll(false), catchAll(true)] });
const https = { protocol: "6", ports: { from: 443, to: 443 }, peers: parseBlock("10.20.0.0/24")! };
const ephemeral = { protocol: "6", ports: { from: 1024, to: 65535 }, peers: parseBlock("10.20.0.0/24")! };

describe("aclDecision", () => {
  it("the default ACL's allow-all rule 100 lets everything through, both ways", () => {
    const open = acl([entry(100, "allow", "0.0.0.0/0"), entry(100, "allow", "0.0.0.0/0", { egress: true })]);
    expect(aclDecision(open, "inbound", https).allowed).toBe(true);
    expect(aclDecision(open, "outbound", ephemeral).allowed).toBe(true);
  });

  it("the lowest rule number that matches decides, whatever comes after", () => {
    const d = aclDecision(acl([entry(200, "allow", "0.0.0.0/0"), entry(90, "deny", "10.20.0.0/16")]), "inbound", https);
    expect(d).toMatchObject({ allowed: false, rule: { ruleNumber: 90 } });
    expect(aclDecision(acl([entry(80, "allow", "10.20.0.0/24"), entry(90, "deny", "10.20.0.0/16")]), "inbound", https).allowed).toBe(true);
  });

  it("what no rule matches falls to the catch-all deny", () => {
    const d = aclDecision(acl([entry(100, "allow", "10.20.0.0/25")]), "inbound", https);
    expect(d).toMatchObject({ allowed: false, rule: undefined, addresses: parseBlock("10.20.0.128/25") });
  });

  it("return traffic needs every ephemeral port: a rule for 32768-65535 only leaves 1024-32767 denied", () => {
    const partial = acl([entry(100, "allow", "0.0.0.0/0", { egress: true, protocol: "6", ports: { from: 32768, to: 65535 } })]);
    expect(aclDecision(partial, "outbound", ephemeral)).toMatchObject({ allowed: false, ports: { from: 1024, to: 32767 } });
  });

  it("an inbound rule does not admit outbound traffic (stateless)", () => {
    expect(aclDecision(acl([entry(100, "allow", "0.0.0.0/0")]), "outbound", ephemeral).allowed).toBe(false);
  });

  it("a udp rule does not take tcp", () => {
    expect(aclDecision(acl([entry(100, "allow", "0.0.0.0/0", { protocol: "17", ports: { from: 0, to: 65535 } })]), "inbound", https).allowed).toBe(false);
  });

  it("agrees with deciding every (address, port) by the first matching rule", () => {
    const arbEntry = fc.record({
      ruleNumber: fc.integer({ min: 1, max: 500 }),
      action: fc.constantFrom("allow" as const, "deny" as const),
      block: arbBlock,
      ports: fc.option(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }))),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbEntry, { selector: (e) => e.ruleNumber, maxLength: 6 }), arbBlock, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), (entries, range: Block, p1, p2) => {
        const ports = { from: Math.min(p1, p2), to: Math.max(p1, p2) };
        const list: AclEntry[] = entries.map((e) => ({ ruleNumber: e.ruleNumber, egress: false, action: e.action, protocol: e.ports ? "6" : "-1", cidr: e.block.text, ports: e.ports ?? undefined }));
        const sorted = [...entries].sort((a, b) => a.ruleNumber - b.ruleNumber);
        let naive = true;
        for (const address of addressesOf(range)) {
          for (let port = ports.from; port <= ports.to; port++) {
            const first = sorted.find((e) => inBlock(e.block, address) && (!e.ports || (e.ports.from <= port && port <= e.ports.to)));
            if (first?.action !== "allow") naive = false;
          }
        }
        expect(aclDecision(acl(list), "inbound", { protocol: "6", ports, peers: [range] }).allowed).toBe(naive);
      }),
    );
  });
});

describe("aclOfSubnet", () => {
  it("the associated ACL, else the VPC's default", () => {
    const acls: NetworkAcl[] = [{ id: "acl-default", isDefault: true, subnetIds: [], entries: [] }, { id: "acl-1", isDefault: false, subnetIds: ["subnet-1"], entries: [] }];
    expect(aclOfSubnet(acls, "subnet-1")?.id).toBe("acl-1");
    expect(aclOfSubnet(acls, "subnet-9")?.id).toBe("acl-default");
  });
});
