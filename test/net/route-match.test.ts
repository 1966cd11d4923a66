import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBlock } from "../../src/net/address-set.js";
import { routeFor, routeRange, tableOfSubnet, type Route, type RouteTable } from "../../src/net/route-match.js";
import { addressesOf, arbBlock, inBlock, type Block } from "../helpers/net-small-space.js";

const ip = (text: string) => (parseBlock(text) as readonly { first: number }[])[0]!.first;
const set = (text: string) => parseBlock(text)!;

const routes: Route[] = [
  { destination: "10.20.0.0/16", target: "local", state: "active" },
  { destination: "10.10.0.0/16", target: "pcx-0123", state: "active" },
  { destination: "10.10.1.0/24", target: "pcx-0dead", state: "blackhole" },
  { destination: "0.0.0.0/0", target: "nat-0abc", state: "active" },
  { destination: "pl-63a5400a", target: "vpce-0s3", state: "active" },
];

describe("routeFor: longest prefix wins", () => {
  it.each([
    ["10.10.0.5", "pcx-0123"],
    ["10.10.1.5", "pcx-0dead"], // the more specific blackhole takes this address
    ["10.20.3.4", "local"],
    ["8.8.8.8", "nat-0abc"],
  ])("%s → %s", (address, target) => {
    expect(routeFor(routes, ip(address))?.target).toBe(target);
  });

  it("no route at all: undefined (the packet is dropped)", () => {
    expect(routeFor(routes.filter((r) => r.destination !== "0.0.0.0/0"), ip("8.8.8.8"))).toBeUndefined();
  });
});

describe("routeRange", () => {
  it("splits a range where a more specific route takes part of it", () => {
    const { parts, unchecked } = routeRange(routes, set("10.10.0.0/16"));
    expect(parts.map((p) => p.route?.target)).toEqual(["pcx-0dead", "pcx-0123"]);
    expect(parts[0]!.addresses).toEqual(set("10.10.1.0/24"));
    expect(unchecked.map((r) => r.destination)).toEqual(["pl-63a5400a"]);
  });

  it("gives the uncovered part no route", () => {
    const { parts } = routeRange([{ destination: "10.10.0.0/17", target: "pcx-1", state: "active" }], set("10.10.0.0/16"));
    expect(parts.map((p) => p.route?.target)).toEqual(["pcx-1", undefined]);
  });

  it("agrees, address by address, with a scan for the longest containing route", () => {
    const arbRoutes = fc.uniqueArray(arbBlock, { selector: (b) => b.text, maxLength: 8 });
    fc.assert(
      fc.property(arbRoutes, arbBlock, (blocks: Block[], range) => {
        const table: Route[] = blocks.map((b, i) => ({ destination: b.text, target: `pcx-${i}`, state: "active" }));
        const { parts } = routeRange(table, [{ first: range.first, last: range.last }]);
        for (const address of addressesOf(range)) {
          const naive = blocks.filter((b) => inBlock(b, address)).sort((a, b) => b.prefix - a.prefix)[0];
          const part = parts.filter((p) => p.addresses.some((s) => s.first <= address && address <= s.last));
          expect(part).toHaveLength(1);
          expect(part[0]!.route?.destination).toBe(naive?.text);
        }
      }),
    );
  });
});

describe("tableOfSubnet", () => {
  const tables: RouteTable[] = [
    { id: "rtb-main", main: true, subnetIds: [], routes: [] },
    { id: "rtb-1", main: false, subnetIds: ["subnet-1"], routes: [] },
  ];
  it("an explicit association wins; any other subnet uses the main table", () => {
    expect(tableOfSubnet(tables, "subnet-1")).toMatchObject({ table: { id: "rtb-1" }, via: "explicit" });
    expect(tableOfSubnet(tables, "subnet-2")).toMatchObject({ table: { id: "rtb-main" }, via: "main" });
    expect(tableOfSubnet(tables.slice(1), "subnet-2")).toBeUndefined();
  });
});
