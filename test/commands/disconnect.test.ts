// disconnect refuses --client-region naming a region its answers file does not list (before any AWS call),
// and its last sentence says, with several client regions, what went in each region and where a peering a
// region reused (not ours) stays, while the other regions' peerings are said to be gone.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/commands/context.js";
import { disconnectedSummary, runDisconnect } from "../../src/commands/disconnect.js";
import { parseFlags, type Flags } from "../../src/config/flags.js";
import { UsageError } from "../../src/errors.js";
import { tempDir } from "../helpers/cli.js";
import { captureStream } from "../helpers/output.js";

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

describe("disconnect --client-region", () => {
  function disconnect(...args: string[]): Promise<number> {
    const cwd = tempDir();
    const file = join(cwd, "orders.json");
    writeFileSync(file, JSON.stringify({ kind: "connection", name: "orders", apiRegion: "us-east-1", clientRegion: "eu-west-1,ap-southeast-2", apiId: "a1b2c3d4e5", function: "orders-caller,orders-caller" }));
    const flags = parseFlags(["disconnect", "--config", file, ...args, "--yes"], () => {}) as Flags;
    const ctx: CommandContext = {
      flags, interactive: false, env: {}, cwd, invocation: "npx xregion-private-api",
      stdout: captureStream() as unknown as NodeJS.WriteStream,
      stderr: captureStream() as unknown as NodeJS.WriteStream,
      exit: (code) => { throw new Error(`exit ${code}`); },
    };
    return runDisconnect(ctx);
  }

  it("naming a region the answers file does not list is bad input that names the file's regions", async () => {
    const error = await disconnect("--client-region", "us-west-2").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/orders\.json does not list client region us-west-2 for connection "orders": it lists eu-west-1, ap-southeast-2; name those with --client-region, or pass --config with the answers file that lists it$/);
  });

  it("naming one listed region and one not refuses for the one not listed", async () => {
    await expect(disconnect("--client-region", "eu-west-1,us-west-2")).rejects.toThrow(/does not list client region us-west-2 for/);
  });
});
