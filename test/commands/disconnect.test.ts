// disconnect's last sentence: with several client regions, what went in each region, and the peering a
// region reused (not ours) named where it stays, while the other regions' peerings are said to be gone.
import { describe, expect, it } from "vitest";
import { disconnectedSummary } from "../../src/commands/disconnect.js";

const PCX = "pcx-0123456789abcdef0";

describe("disconnect's summary", () => {
  it("one region: what is gone, the peering among it unless connect reused one", () => {
    expect(disconnectedSummary("orders", 2, [{ region: "eu-west-1", present: true, reused: undefined }], [])).toBe(
      `Deleted 2 stacks of connection "orders": every route, rule, zone, peering and probe it added is gone.`,
    );
    expect(disconnectedSummary("orders", 2, [{ region: "eu-west-1", present: true, reused: PCX }], ["ap-southeast-2"])).toBe(
      `Deleted 2 stacks of connection "orders" (eu-west-1): every route, rule, zone and probe it added is gone. ap-southeast-2 stays connected.`,
    );
  });

  it("several regions, one of which reused a peering: each region's removal, the reused peering left in its region", () => {
    const removals = [
      { region: "eu-west-1", present: true, reused: undefined },
      { region: "ap-southeast-2", present: true, reused: PCX },
      { region: "us-west-2", present: false, reused: undefined },
    ];
    expect(disconnectedSummary("orders", 4, removals, [])).toBe(
      `Deleted 4 stacks of connection "orders". ` +
        "eu-west-1: every route, rule, zone, peering and probe connect added is gone. " +
        `ap-southeast-2: every route, rule, zone and probe connect added is gone; ${PCX} stays (reused, not ours). ` +
        "us-west-2: no stack was there.",
    );
  });
});
