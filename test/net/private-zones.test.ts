import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerFor, covers, zoneFor, type DnsRecord } from "../../src/net/private-zones.js";

const HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";

describe("zoneFor: the most specific private zone answers", () => {
  const zones = [
    { id: "Z-REGION", name: "execute-api.us-east-1.amazonaws.com." },
    { id: "Z-API", name: `${HOST}.` },
    { id: "Z-OTHER", name: "example.com." },
    { id: "Z-LOOKALIKE", name: "e5.execute-api.us-east-1.amazonaws.com." },
  ];
  it("the zone named after the hostname beats the region-wide one", () => {
    expect(zoneFor(zones, HOST)?.id).toBe("Z-API");
    expect(zoneFor(zones, "zzz.execute-api.us-east-1.amazonaws.com")?.id).toBe("Z-REGION");
  });
  it("matches label by label, not by text, and ignores case and the final dot", () => {
    expect(covers("e5.execute-api.us-east-1.amazonaws.com", HOST)).toBe(false);
    expect(zoneFor(zones, HOST.toUpperCase() + ".")?.id).toBe("Z-API");
    expect(zoneFor(zones, "api.example.org")).toBeUndefined();
  });
  it("is the longest covering name whatever the order (against a scan of suffixes)", () => {
    const labels = fc.constantFrom("a", "b", "c");
    const name = fc.array(labels, { minLength: 1, maxLength: 4 }).map((l) => l.join("."));
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 6 }), name, (names, host) => {
        const zs = names.map((n, i) => ({ id: String(i), name: n }));
        const suffixes = host.split(".").map((_, i, all) => all.slice(i).join("."));
        const naive = suffixes.find((s) => names.includes(s));
        expect(zoneFor(zs, host)?.name).toBe(naive);
        expect(zoneFor(zs.toReversed(), host)?.name).toBe(naive);
      }),
    );
  });
});

describe("answerFor", () => {
  const alias: DnsRecord = { name: `${HOST}.`, type: "A", values: [], alias: { dnsName: "vpce-1-abc.execute-api.us-east-1.vpce.amazonaws.com.", hostedZoneId: "Z7HUB22UULQXV" } };
  it("the name's own A alias, CNAME or addresses", () => {
    expect(answerFor([alias], HOST, HOST).kind).toBe("alias");
    expect(answerFor([{ name: HOST, type: "CNAME", values: ["vpce-1-abc.execute-api.us-east-1.vpce.amazonaws.com"] }], HOST, "execute-api.us-east-1.amazonaws.com").kind).toBe("cname");
    expect(answerFor([{ name: HOST, type: "A", values: ["10.10.0.37"] }], HOST, HOST).kind).toBe("address");
  });
  it("a zone without the record answers NXDOMAIN; a name with other types only, no data", () => {
    expect(answerFor([{ name: "other.execute-api.us-east-1.amazonaws.com", type: "A", values: ["10.0.0.1"] }], HOST, "execute-api.us-east-1.amazonaws.com").kind).toBe("nxdomain");
    expect(answerFor([{ name: HOST, type: "TXT", values: ['"x"'] }], HOST, HOST)).toEqual({ kind: "nodata", types: ["TXT"] });
  });
  it("a wildcard (Route 53 lists it as \\052) answers names without their own records", () => {
    const wild: DnsRecord = { name: "\\052.execute-api.us-east-1.amazonaws.com.", type: "CNAME", values: ["vpce-1.example"] };
    expect(answerFor([wild], HOST, "execute-api.us-east-1.amazonaws.com").kind).toBe("cname");
    expect(answerFor([wild, { name: HOST, type: "TXT", values: [] }], HOST, "execute-api.us-east-1.amazonaws.com").kind).toBe("nodata");
  });
});
