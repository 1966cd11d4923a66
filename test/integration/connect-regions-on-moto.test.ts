// connect with two client regions through the built CLI, as a CI job runs it (flags only, --yes, no terminal),
// on a half path built by hand (connect-fixtures.ts) with a second client side in another region against the
// same API: connect both (one plan per region, the regions' stacks side by side, doctor per region and verify's
// matrix), doctor and verify pass both, disconnect --client-region removes one region's two stacks and leaves
// its user resources as they were and the other region passing (the answers file listing it alone), then
// disconnect removes the rest and every user resource of both regions is as it was.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStackNames } from "../../src/steps/stages.js";
import { clientAnswer } from "../helpers/payloads.js";
import { tempDir } from "../helpers/cli.js";
import { buildClientSide, buildHalfPath, userResources, type HalfPathIds } from "./connect-fixtures.js";
import { cliOnMoto, copyOfBuiltCli, describeStack, motoAws, type MotoAws } from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";

const A = "us-east-1";
const B1 = "eu-west-1";
const B2 = "ap-southeast-2";
const B3 = "us-west-2";
const NAME = "orders";
let moto: MotoServer;
let aws: MotoAws;
let cli: ReturnType<typeof copyOfBuiltCli>;
let first: HalfPathIds;
let second: HalfPathIds;
let original: [unknown, unknown];

beforeAll(async () => {
  cli = copyOfBuiltCli();
  // A connection's life, not its timing: AWS's durations at 1:600.
  moto = await startMotoServer({ timeScale: 600 });
  aws = motoAws(moto);
  await moto.warmUp([A, B1, B2, B3]);
  first = await buildHalfPath(moto, aws, A, B1);
  second = { ...first, ...(await buildClientSide(moto, aws, B2, { cidr: "10.70.0.0/16", subnet: "10.70.4.0/24", functionName: "orders-caller-ap" })) };
  original = [await userResources(moto, aws, first), await userResources(moto, aws, second)];
}, 120_000);
afterAll(async () => {
  aws?.destroy();
  await moto?.stop();
  cli?.remove();
});

// moto and the CLI copy are made in beforeAll: read them when a test runs.
const { run, shown } = cliOnMoto(() => moto, () => cli.path);
type Event = { kind: string; [key: string]: unknown };
const events = (stdout: string): Event[] => stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Event);

/** The probe's answers as DESIGN section 9 shapes them: the API's own, through the endpoint's address in A. */
function probeAnswers(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(clientAnswer({ url: `https://${first.hostname}/prod/orders`, body: '{"orders":[]}', resolvedAddresses: ["10.50.8.37"], timings: { dnsMs: 2 + i, connectMs: 70, tlsMs: 150, firstByteMs: 80, totalMs: 300 + i } })),
  );
}
const queueProbes = async (regions: readonly string[], n: number) => {
  for (const region of regions) await moto.queueLambdaResults(region, probeAnswers(n));
};
const stacksOf = async (region: string) => {
  const names = connectStackNames(NAME, region);
  return [await describeStack(aws.cfn(region), names.client), await describeStack(aws.cfn(A), names.api)].map((s) => s !== undefined);
};

describe("a connection with two client regions through the CLI", () => {
  it("connects both, proves both, disconnects one leaving the other passing, then the rest, every user resource as it was", async () => {
    const cwd = tempDir("xregion-connect-regions-");
    const config = ["--config", join(cwd, "xregion-private-api.json")];

    await queueProbes([B1, B2], 1);
    const started = performance.now();
    const connected = await run(["connect", "--name", NAME, "--api-region", A, "--api-id", first.apiId, "--client-region", `${B1},${B2}`, "--function", `${first.functionName},${second.functionName}`, "--yes", "--samples", "1", "--json"], cwd);
    expect(connected.code, shown(connected)).toBe(0);
    console.info(`connect of two client regions on moto through the CLI: ${(performance.now() - started).toFixed(0)} ms`);
    const seen = events(connected.stdout);
    expect(seen.filter((e) => e.kind === "connect-plan").map((e) => [e["region"], (e["refusals"] as unknown[]).length])).toEqual([[B1, 0], [B2, 0]]);
    expect(seen.filter((e) => e.kind === "stage-finished").map((e) => `${e["clientRegion"]} ${e["stackName"]} ${e["outcome"]}`).sort()).toEqual(
      [`${B1} orders-connect-client created`, `${B1} orders-connect-api-${B1} created`, `${B2} orders-connect-client created`, `${B2} orders-connect-api-${B2} created`].sort(),
    );
    expect(seen.filter((e) => e.kind === "verify-result").map((e) => e["region"]).sort()).toEqual([B1, B2].sort());
    expect(seen.some((e) => e.kind === "verify-matrix")).toBe(true);
    expect(seen.at(-1)).toMatchObject({ kind: "result", ok: true, summary: expect.stringContaining(`2 client regions (${first.functionName} in ${B1}, ${second.functionName} in ${B2}) reach the private API`) });
    const saved = JSON.parse(readFileSync(join(cwd, "xregion-private-api.json"), "utf8")) as Record<string, unknown>;
    expect(saved).toMatchObject({ kind: "connection", clientRegion: `${B1},${B2}`, function: `${first.functionName},${second.functionName}` });

    const doctor = await run(["doctor", ...config], cwd);
    expect(doctor.code, shown(doctor)).toBe(0);
    expect(doctor.stdout).toContain(`Client region ${B1} → ${A}:`);
    expect(doctor.stdout).toContain(`Client region ${B2} → ${A}:`);
    await queueProbes([B1, B2], 1);
    const verify = await run(["verify", ...config, "--samples", "1", "--json"], cwd);
    expect(verify.code, shown(verify)).toBe(0);
    expect(events(verify.stdout).filter((e) => e.kind === "verify-result").map((e) => e["region"]).sort()).toEqual([B1, B2].sort());

    // One region removed: its two stacks gone, its user resources as before, the other region still passing.
    const removing = performance.now();
    const one = await run(["disconnect", ...config, "--client-region", B2, "--yes"], cwd);
    console.info(`disconnect of one client region on moto through the CLI: ${(performance.now() - removing).toFixed(0)} ms`);
    expect(one.code, shown(one)).toBe(0);
    expect(one.stdout).toContain(`${B1} stays connected.`);
    expect(await stacksOf(B2)).toEqual([false, false]);
    expect(await stacksOf(B1)).toEqual([true, true]);
    const removed = (await userResources(moto, aws, second)) as { client: unknown; function: unknown; zones: unknown; peerings: unknown; api: { rules: string[]; tables: { routes: string[] }[] } };
    const before = original[1] as typeof removed;
    expect([removed.client, removed.function, removed.zones, removed.peerings]).toEqual([before.client, before.function, before.zones, before.peerings]);
    // On the API side only the first region's additions remain: nothing for the second region's range.
    expect(removed.api.rules.filter((r) => r.includes("10.70."))).toEqual([]);
    expect(removed.api.tables.flatMap((t) => t.routes).filter((r) => r.startsWith("10.70."))).toEqual([]);
    expect(JSON.parse(readFileSync(join(cwd, "xregion-private-api.json"), "utf8"))).toMatchObject({ clientRegion: B1, function: first.functionName });
    const doctorOne = await run(["doctor", ...config], cwd);
    expect(doctorOne.code, shown(doctorOne)).toBe(0);
    expect(doctorOne.stdout).toContain("Every hop of the path checks out.");
    await queueProbes([B1], 1);
    const verifyOne = await run(["verify", ...config, "--samples", "1"], cwd);
    expect(verifyOne.code, shown(verifyOne)).toBe(0);

    const rest = await run(["disconnect", ...config, "--yes"], cwd);
    expect(rest.code, shown(rest)).toBe(0);
    expect(await stacksOf(B1)).toEqual([false, false]);
    expect(await userResources(moto, aws, first)).toEqual(original[0]);
    expect(await userResources(moto, aws, second)).toEqual(original[1]);
  });

  it("a refusal of one region (its client subnet overlaps another client region's) stops the whole run before any stack exists", async () => {
    const third = await buildClientSide(moto, aws, B3, { cidr: "10.60.0.0/16", subnet: "10.60.4.0/24", functionName: "orders-caller-us" });
    const result = await run(["connect", "--name", NAME, "--api-region", A, "--api-id", first.apiId, "--client-region", `${B1},${B3}`, "--function", `${first.functionName},${third.functionName}`, "--yes", "--json"], tempDir("xregion-connect-refused-"));
    expect(result.code, shown(result)).toBe(2);
    const plans = events(result.stdout).filter((e) => e.kind === "connect-plan");
    expect(plans.map((e) => [e["region"], (e["refusals"] as { reason: string }[]).map((r) => r.reason)])).toEqual([[B1, []], [B3, ["overlap"]]]);
    expect(result.stderr.split("\n").filter((line) => line.startsWith("error: "))).toEqual([`error: ${third.clientVpcId}'s client subnets 10.60.4.0/24 (${B3}) overlap ${first.clientVpcId}'s 10.60.4.0/24 (${B1}), another client region of this connection: the API VPC's route tables cannot send one range to two peering connections; call from client subnets whose blocks are disjoint (--function's subnets, or --client-subnets), or leave one of them out of --client-region.`]);
    expect([...(await stacksOf(B1)), ...(await stacksOf(B3))]).toEqual([false, false, false, false]);
    expect(await userResources(moto, aws, first)).toEqual(original[0]);
  });
});
