// connect in every output mode: the plan (doctor's table with what each hop gets and who owns it, our stacks,
// the user's resources that will carry our additions, what is not touched), a refused plan, a connection's
// additions with one gone, and the stages labelled n/2 — in plain lines, the live view and NDJSON.
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it, vi } from "vitest";
import type { CarrierState, ConnectPlanView, ProgressEvent, StageRef } from "../../src/steps/events.js";
import { additionLines, connectPlanLines } from "../../src/ui/connect-text.js";
import { createInkRenderer } from "../../src/ui/ink-renderer.js";
import { createPlainRenderer } from "../../src/ui/plain.js";
import { createJsonRenderer } from "../../src/ui/renderer.js";
import { captureStream, fakeTerminal, screen } from "../helpers/output.js";

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const client: StageRef = { stage: 1, key: "connect-client", stackName: "orders-connect-client", region: "eu-west-1" };
const api: StageRef = { stage: 2, key: "connect-api", stackName: "orders-connect-api-eu-west-1", region: "us-east-1" };

const PLAN: ConnectPlanView = {
  name: "orders",
  hops: [
    { hop: "function", ok: true, detail: "orders-caller: Active, last update Successful", action: "nothing", owner: "—: nothing" },
    { hop: "client-route", ok: false, detail: "rtb-0client (subnet-0b1): 10.50.8.37 has no route", action: "add one route: rtb-0client 10.50.8.0/24 → the new peering connection", owner: "us: one route" },
    { hop: "peering", ok: false, detail: "no peering connection joins vpc-0b (eu-west-1) and vpc-0a (us-east-1)", action: "create a peering connection vpc-0b (eu-west-1) ↔ vpc-0a (us-east-1) in orders-connect-client", owner: "us: peering" },
  ],
  stacks: [
    { ...client, needed: true, resources: [{ logicalId: "ClientRoute1", on: "rtb-0client", text: "route 10.50.8.0/24 → the new peering connection", kept: false }] },
    { ...api, needed: false, resources: [] },
  ],
  carriers: [{ id: "rtb-0client", region: "eu-west-1", kind: "route table", additions: ["route 10.50.8.0/24"] }],
  untouched: ["the API a1b2c3d4e5 (us-east-1), its stages and its resource policy", "the network ACLs of both VPCs"],
  notes: ["sg-0vpce is also on 2 other network interfaces: they get the same HTTPS rule from the client subnets."],
  refusals: [],
  dryRun: true,
};

const REFUSED: ConnectPlanView = {
  ...PLAN,
  stacks: [],
  carriers: [],
  untouched: [],
  notes: [],
  dryRun: false,
  refusals: [{ reason: "overlap", hop: "peering", message: "vpc-0b's range 10.50.128.0/20 (eu-west-1) overlaps vpc-0a's 10.50.0.0/16 (us-east-1): …" }],
};

const CARRIERS: CarrierState[] = [
  { id: "vpc-0b", region: "eu-west-1", kind: "VPC", additions: [{ text: "peering connection pcx-0123456789abcdef0 (ours)", present: true }] },
  { id: "rtb-0client", region: "eu-west-1", kind: "route table", additions: [{ text: "route 10.50.8.0/24 → pcx-0123456789abcdef0", present: false }] },
  { id: "sg-0vpce", region: "us-east-1", kind: "security group", additions: [{ text: "ingress TCP 443 ← 10.60.4.0/24", present: null }] },
];

const text = (lines: readonly { text: string }[]) => lines.map((l) => l.text);

describe("connect's plan in words", () => {
  it("is doctor's table with, under each hop, what connect adds and who owns it; then our stacks, your resources, what is not touched, notes", () => {
    expect(text(connectPlanLines(PLAN))).toEqual([
      `Plan for connection "orders": doctor's verdict now, what connect adds and who owns it`,
      "✔ function          orders-caller: Active, last update Successful",
      "      → nothing  (—: nothing)",
      "✘ client-route      rtb-0client (subnet-0b1): 10.50.8.37 has no route",
      "      → add one route: rtb-0client 10.50.8.0/24 → the new peering connection  (us: one route)",
      "✘ peering           no peering connection joins vpc-0b (eu-west-1) and vpc-0a (us-east-1)",
      "      → create a peering connection vpc-0b (eu-west-1) ↔ vpc-0a (us-east-1) in orders-connect-client  (us: peering)",
      "Our stacks:",
      "  stage 1/2 orders-connect-client (eu-west-1):",
      "    route 10.50.8.0/24 → the new peering connection",
      "  stage 2/2 orders-connect-api-eu-west-1 (us-east-1): not needed, nothing is missing on this side",
      "Your resources that will carry our additions (removed again by disconnect):",
      "  rtb-0client (route table, eu-west-1): route 10.50.8.0/24",
      "Not touched: the API a1b2c3d4e5 (us-east-1), its stages and its resource policy; the network ACLs of both VPCs.",
      "note: sg-0vpce is also on 2 other network interfaces: they get the same HTTPS rule from the client subnets.",
    ]);
  });

  it("one of several client regions' plans names its region", () => {
    expect(text(connectPlanLines({ ...PLAN, region: "ap-southeast-2" }))[0]).toBe(`Plan for connection "orders" from client region ap-southeast-2: doctor's verdict now, what connect adds and who owns it`);
  });

  it("refused, stops at the verdicts: the refusals are the run's error lines", () => {
    const lines = text(connectPlanLines(REFUSED));
    expect(lines.at(-1)).toBe("Refused before anything is created (1, each below with its fix).");
    expect(lines.join("\n")).not.toContain("Our stacks:");
  });

  it("status's additions: each there, gone or unreadable, and what to do about the gone ones", () => {
    expect(text(additionLines(CARRIERS))).toEqual([
      "Your resources that carry this connection's additions:",
      "  vpc-0b (VPC, eu-west-1):",
      "    ✔ peering connection pcx-0123456789abcdef0 (ours): there",
      "  rtb-0client (route table, eu-west-1):",
      "    ✘ route 10.50.8.0/24 → pcx-0123456789abcdef0: gone",
      "  sg-0vpce (security group, us-east-1):",
      "    – ingress TCP 443 ← 10.60.4.0/24: could not be read",
      "1 addition is gone: something removed it (the owner's IaC, which may own the table's routes or the group's rules inline); run disconnect, then connect, to put it back.",
    ]);
  });
});

const run: ProgressEvent[] = [
  { kind: "run-started", operation: "connect", name: "orders", at: T0 },
  { kind: "connect-plan", ...PLAN, dryRun: false, at: T0 },
  { kind: "stages-queued", stages: [client, api], at: T0 },
  { kind: "stage-started", action: "create", ...client, at: T0 + 1000 },
  { kind: "stage-finished", outcome: "created", outputs: {}, ...client, at: T0 + 9000 },
  { kind: "info", stage: 2, message: "us-east-1 needs nothing added: orders-connect-api-eu-west-1 is not needed.", at: T0 + 9000 },
  { kind: "stage-finished", outcome: "absent", outputs: {}, ...api, at: T0 + 9000 },
  { kind: "connect-additions", carriers: CARRIERS, region: "eu-west-1", at: T0 + 9500 },
  { kind: "result", operation: "connect", ok: true, summary: "orders-caller in eu-west-1 reaches the private API a1b2c3d4e5 in us-east-1.", next: [], at: T0 + 10_000 },
];

describe("connect in every output mode", () => {
  it("plain lines: the plan, then each stage labelled n/2 (a stage said before it starts too)", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out, now: () => T0 });
    for (const event of run) renderer.onEvent(event);
    renderer.close();
    const lines = stripVTControlCharacters(out.text()).split("\n");
    expect(lines).toContain("      → add one route: rtb-0client 10.50.8.0/24 → the new peering connection  (us: one route)");
    expect(lines).toContain("[1/2 connect-client eu-west-1] creating orders-connect-client");
    expect(lines).toContain("[1/2 connect-client eu-west-1] created orders-connect-client in 8s");
    expect(lines).toContain("[2/2 connect-api us-east-1] us-east-1 needs nothing added: orders-connect-api-eu-west-1 is not needed.");
    expect(lines).toContain("    ✘ route 10.50.8.0/24 → pcx-0123456789abcdef0: gone");
  });

  it("plain lines in a colour terminal: a dim or bold line keeps its indent where the wrapping finds it", () => {
    vi.stubEnv("FORCE_COLOR", "1");
    try {
      const terminal = fakeTerminal(60);
      const renderer = createPlainRenderer({ stream: terminal, now: () => T0 });
      renderer.onEvent({ kind: "connect-plan", ...PLAN, at: T0 });
      renderer.close();
      const lines = stripVTControlCharacters(terminal.text()).split("\n");
      expect(terminal.text()).toMatch(/\u001b\[2m/);
      expect(lines).toContain("      → nothing  (—: nothing)");
      expect(lines).toContain("  stage 2/2 orders-connect-api-eu-west-1 (us-east-1): not");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("plain lines of status: a connection's stacks are n/2, and disconnect detaches the probe", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out, now: () => T0 });
    renderer.onEvent({ kind: "stack-state", ...api, status: null, lastChange: null, outputs: {}, summary: `${api.stackName} (${api.region}): not deployed`, at: T0 });
    renderer.onEvent({ kind: "function-detach", ...client, functionName: "orders-probe", phase: "started", at: T0 });
    renderer.close();
    expect(stripVTControlCharacters(out.text()).split("\n")).toEqual([
      `[2/2] ${api.stackName} (${api.region}): not deployed`,
      "[1/2 connect-client eu-west-1] IN_PROGRESS  Detaching the probe from its VPC",
      "",
    ]);
  });

  it("the live view: the plan and the additions in the history, the stages as stage n/2", async () => {
    const terminal = fakeTerminal(100);
    const renderer = createInkRenderer({ stdout: terminal, now: () => T0 + 10_000 });
    for (const event of run) renderer.onEvent(event);
    await renderer.close();
    const shown = screen(terminal.output()).join("\n");
    expect(shown).toContain("✘ client-route      rtb-0client (subnet-0b1): 10.50.8.37 has no route");
    expect(shown).toContain("Your resources that will carry our additions (removed again by disconnect):");
    expect(shown).toMatch(/✔ stage 1\/2 orders-connect-client \(eu-west-1\) +CREATE_COMPLETE/);
    expect(shown).toMatch(/- stage 2\/2 orders-connect-api-eu-west-1 \(us-east-1\) +not deployed/);
    expect(shown).toContain("    ✘ route 10.50.8.0/24 → pcx-0123456789abcdef0: gone");
  });

  it("NDJSON: the plan and the additions as events of their own, with every field", () => {
    const out = captureStream();
    const renderer = createJsonRenderer(out);
    for (const event of run) renderer.onEvent(event);
    const events = out.text().trim().split("\n").map((line) => JSON.parse(line) as { type: string });
    expect(events.find((e) => e.type === "connect-plan")).toMatchObject({ kind: "connect-plan", name: "orders", hops: PLAN.hops, carriers: PLAN.carriers, refusals: [] });
    expect(events.find((e) => e.type === "connect-additions")).toMatchObject({ carriers: CARRIERS });
  });
});

describe("connect with several client regions in plain lines and the live view", () => {
  const regionsRun = (): ProgressEvent[] => {
    const refs = (region: string): [StageRef, StageRef] => [
      { stage: 1, key: "connect-client", stackName: "orders-connect-client", region, clientRegion: region },
      { stage: 2, key: "connect-api", stackName: `orders-connect-api-${region}`, region: "us-east-1", clientRegion: region },
    ];
    const [eu1, eu2] = refs("eu-west-1");
    const [ap1, ap2] = refs("ap-southeast-2");
    return [
      { kind: "run-started", operation: "connect", name: "orders", clientRegions: ["eu-west-1", "ap-southeast-2"], at: T0 },
      { kind: "connect-plan", ...PLAN, region: "eu-west-1", dryRun: false, at: T0 },
      { kind: "connect-plan", ...PLAN, region: "ap-southeast-2", dryRun: false, at: T0 },
      { kind: "stages-queued", stages: [eu1, eu2, ap1, ap2], at: T0 },
      { kind: "stage-started", action: "create", ...eu1, at: T0 + 1000 },
      { kind: "stage-started", action: "create", ...ap1, at: T0 + 1000 },
      { kind: "stage-finished", outcome: "created", outputs: {}, ...eu1, at: T0 + 9000 },
      { kind: "stage-started", action: "create", ...eu2, at: T0 + 9000 },
      { kind: "stage-finished", outcome: "created", outputs: {}, ...eu2, at: T0 + 12_000 },
      { kind: "stage-finished", outcome: "created", outputs: {}, ...ap1, at: T0 + 13_000 },
      { kind: "stage-started", action: "create", ...ap2, at: T0 + 13_000 },
    ];
  };

  it("plain lines name each plan's region and each stage's client region", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out, now: () => T0 });
    for (const event of regionsRun()) renderer.onEvent(event);
    renderer.close();
    const lines = stripVTControlCharacters(out.text()).split("\n");
    expect(lines).toContain(`Plan for connection "orders" from client region ap-southeast-2: doctor's verdict now, what connect adds and who owns it`);
    expect(lines).toContain("[1/2 connect-client ap-southeast-2] created orders-connect-client in 12s");
    expect(lines).toContain("[2/2 connect-api us-east-1 ← eu-west-1] created orders-connect-api-eu-west-1 in 3s");
    expect(lines).toContain("[2/2 connect-api us-east-1 ← ap-southeast-2] creating orders-connect-api-ap-southeast-2");
  });

  it("a dry run says that nothing was created once, at the end, not after each region's plan", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out, now: () => T0 });
    const [started, ...plans] = regionsRun().slice(0, 3);
    for (const event of [started!, ...plans.map((p) => ({ ...p, dryRun: true }))]) renderer.onEvent(event);
    renderer.onEvent({ kind: "result", operation: "connect", ok: true, summary: "Dry run: nothing was created. Run connect without --dry-run to create what the plans list.", next: [], at: T0 });
    renderer.close();
    const text = stripVTControlCharacters(out.text());
    expect(text.match(/Dry run: nothing was created\./g)).toHaveLength(1);
    expect(text.trimEnd().split("\n").at(-1)).toContain("Dry run: nothing was created.");
  });

  it("the live view draws one row per client region with its stage n/2", async () => {
    const terminal = fakeTerminal(80);
    const renderer = createInkRenderer({ stdout: terminal, now: () => T0 + 14_000, clientRegions: ["eu-west-1", "ap-southeast-2"] });
    for (const event of regionsRun().slice(1)) renderer.onEvent(event);
    await renderer.close();
    const shown = screen(terminal.output()).join("\n");
    expect(shown).toMatch(/✔ eu-west-1 +connect-client CREATED · connect-api CREATED +UP/);
    expect(shown).toMatch(/ap-southeast-2 +2\/2 connect-api/);
    // Not one stage row each, keyed by stage alone (two regions' stage 1 in one row).
    expect(shown).not.toMatch(/^[✔✖…○] stage 1\/2 orders-connect-client/m);
  });
});
