// A run with several client regions in every renderer: the reducer's region rows, the live view's frames
// (one row per region, finished ones folded, a failed one with its cause, "+N waiting" when the terminal is
// short), plain lines naming the region, the verify matrix, and JSON events carrying the region.
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/steps/events.js";
import { App, createInkRenderer, createProgressStore } from "../../src/ui/ink-renderer.js";
import { createPlainRenderer } from "../../src/ui/plain.js";
import { initialState, reduce } from "../../src/ui/progress-state.js";
import { createJsonRenderer } from "../../src/ui/renderer.js";
import { captureStream, fakeTerminal, screen, waitForText, widest } from "../helpers/output.js";
import { clientOf, pluralStart, pluralVerify, pluralVerifyFailing, regionsEnd, regionsRunning, REGIONS, routesOf } from "../helpers/regions-script.js";
import { api, at } from "../helpers/script.js";

const fold = (events: readonly ProgressEvent[]) => events.reduce(reduce, initialState);

describe("the reducer with several client regions", () => {
  it("keeps one row per client region, stage 1 as a stage of its own", () => {
    const state = fold([...pluralStart, ...regionsRunning]);
    expect(state.plural).toBe(true);
    expect(state.running).toBeUndefined();
    expect(state.regions.map((r) => [r.region, r.phase, r.current?.stage, r.current?.phase])).toEqual([
      ["eu-west-1", "running", 3, "running"],
      ["ap-southeast-2", "running", 2, "running"],
      ["us-west-2", "waiting", undefined, undefined],
    ]);
    const eu = state.regions[0]!;
    expect(eu.ended.map((s) => [s.stage, s.outcome])).toEqual([[2, "created"]]);
    expect(eu.startedAt).toBe(at(132));
  });

  it("folds a region that ended into one history line, and boxes the first failure with its region", () => {
    const state = fold([...pluralStart, ...regionsRunning, ...regionsEnd]);
    const folded = state.history.flatMap((item) => (item.kind === "region" ? [[item.region.region, item.region.phase]] : []));
    expect(folded).toEqual([["eu-west-1", "done"], ["ap-southeast-2", "failed"]]);
    expect(state.regions).toEqual([]);
    expect(state.failure).toMatchObject({ kind: "stage", region: "ap-southeast-2", stage: { stage: 2, clientRegion: "ap-southeast-2", rootCauseId: "Peering" } });
    // Each client stack's outputs kept apart, though they share a name.
    expect(state.outputs.map((o) => [o.stackName, o.clientRegion])).toEqual([["demo-api", undefined], ["demo-client", "eu-west-1"]]);
  });

  it("gives a note of one region's stage its region, and keeps a one-region run's notes as they were", () => {
    const note: ProgressEvent = { kind: "info", message: "Cancelling: deleting demo-client, which was still being created.", stage: 2, clientRegion: "ap-southeast-2", at: at(150) };
    const plural = fold([...pluralStart, ...regionsRunning, note]);
    expect(plural.history.at(-1)).toMatchObject({ kind: "note", note: { text: "[ap-southeast-2] Cancelling: deleting demo-client, which was still being created." } });
    const single = fold([{ kind: "run-started", operation: "deploy", name: "demo", at: at(0) }, note]);
    expect(single.history.at(-1)).toMatchObject({ kind: "note", note: { text: "Cancelling: deleting demo-client, which was still being created." } });
  });

  it("keeps each region's verification apart and ends with the matrix", () => {
    const state = fold([...pluralStart, ...pluralVerify]);
    expect(state.history.filter((i) => i.kind === "region-verify").map((i) => (i.kind === "region-verify" ? i.verified.region : ""))).toEqual([...REGIONS]);
    expect(state.history.at(-1)).toMatchObject({ kind: "matrix", matrix: { slowest: "ap-southeast-2" } });
    const failing = fold([...pluralStart, ...pluralVerifyFailing]);
    expect(failing.failure).toMatchObject({ kind: "verify", region: "us-west-2" });
  });
});

const mounted: (() => void)[] = [];
afterEach(() => mounted.splice(0).forEach((unmount) => unmount()));

function mount(options: { columns?: number; rows?: number; now?: number } = {}) {
  const store = createProgressStore();
  const view = render(<App store={store} now={() => options.now ?? at(250)} columns={options.columns ?? 80} rows={options.rows} />);
  mounted.push(view.unmount);
  return {
    send: (events: readonly ProgressEvent[]) => events.forEach((event) => store.dispatch(event)),
    waitFor: (wanted: string | RegExp) => waitForText(view.lastFrame, wanted),
    frame: () => view.lastFrame() ?? "",
  };
}

describe("the live view with several client regions, at 80 columns", () => {
  it("shows one row per region: its stage, the resource in progress and the time since it started; waiting ones dim", async () => {
    const ui = mount();
    ui.send([...pluralStart, ...regionsRunning]);
    const frame = await ui.waitFor("us-west-2");
    expect(frame).toMatch(/✔ stage 1\/3 demo-api \(us-east-1\) +CREATE_COMPLETE +2m10s/);
    // The resource in progress is cut to fit before the region and its stage are.
    expect(frame).toMatch(/… eu-west-1 +3\/3 routes · Route back to the client VPC thr\S*… CREATING 1m58s/);
    expect(frame).toMatch(/… ap-southeast-2 2\/3 client · Client function that calls the \S*… CREATING 1m58s/);
    expect(frame).toMatch(/○ us-west-2 +waiting/);
    expect(widest(frame)).toBeLessThanOrEqual(80);
  });

  it("folds each region to its line when the live view starts after the run did, told the regions (the session's order: run-started went to plain lines)", async () => {
    const terminal = fakeTerminal(80);
    const renderer = createInkRenderer({ stdout: terminal, now: () => at(250), clientRegions: [...REGIONS] });
    for (const event of [...pluralStart.slice(1), ...regionsRunning, ...regionsEnd]) renderer.onEvent(event);
    await renderer.close();
    const text = screen(terminal.output()).join("\n");
    expect(text).toMatch(/✔ eu-west-1 +client CREATED · routes CREATED +UP/);
    expect(text).toMatch(/✖ ap-southeast-2 +client ROLLED BACK/);
    // Not one stage row each, keyed by stage alone (two regions' stage 2 in one row).
    expect(text).not.toMatch(/stage 2\/3 demo-client/);
  });

  it("folds a finished region to one line and keeps a failed one's cause under its row", async () => {
    const ui = mount();
    ui.send([...pluralStart, ...regionsRunning, ...regionsEnd]);
    const frame = await ui.waitFor("Up: eu-west-1");
    expect(frame).toMatch(/✔ eu-west-1 +client CREATED · routes CREATED +UP +1m24s/);
    expect(frame).toMatch(/✖ ap-southeast-2 +client ROLLED BACK +ROLLBACK_COMPLETE +2m09s/);
    const lines = frame.split("\n");
    const failed = lines.findIndex((l) => l.includes("✖ Peering to the API's VPC"));
    expect(failed).toBeGreaterThan(lines.findIndex((l) => l.includes("✖ ap-southeast-2")));
    expect(lines[failed + 1]).toContain("VpcPeeringConnection failed to reach active state");
    expect(frame).toContain("stage 2/3 of ap-southeast-2 failed: ROLLBACK_COMPLETE");
    // Only the regions that ran are in the history: us-west-2 never started.
    expect(frame).not.toMatch(/us-west-2 +waiting/);
  });

  it("collapses the regions a short terminal cannot hold into one row", async () => {
    const many = ["eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "ap-southeast-2", "us-west-2", "sa-east-1"];
    const ui = mount({ rows: 6, columns: 80 });
    ui.send([
      { kind: "run-started", operation: "deploy", name: "demo", clientRegions: many, at: at(0) },
      { kind: "stages-queued", stages: [api, ...many.flatMap((r) => [clientOf(r), routesOf(r, r === many[0])])], at: at(0) },
      { kind: "stage-started", action: "create", at: at(132), ...clientOf("eu-west-2") },
    ]);
    const frame = await ui.waitFor("+");
    // 6 rows, 3 for the frame's other lines: the running region and one waiting, then the rest as one row.
    expect(frame).toMatch(/… eu-west-2 +2\/3 client +CREATE_IN_PROGRESS/);
    expect(frame).toMatch(/○ eu-west-1 +waiting/);
    expect(frame).toMatch(/○ \+5 waiting/);
    expect(frame).not.toMatch(/○ sa-east-1/);
  });

  it("draws the latency matrix with the slowest region named", async () => {
    const ui = mount();
    ui.send([{ kind: "run-started", operation: "verify", name: "demo", clientRegions: [...REGIONS], at: at(0) }, ...pluralVerify]);
    const frame = await ui.waitFor("slowest:");
    expect(frame).toMatch(/✔ eu-west-1: verification passed, \d\/\d samples ok/);
    expect(frame).toMatch(/client region +cold +warm p50 +warm p95 +status/);
    expect(frame).toMatch(/ap-southeast-2 +560 +405 +420 +ok +← slowest/);
    expect(frame).toMatch(/eu-west-1 +310 +155 +170 +ok\n/);
    expect(frame.replace(/\n/g, " ")).toContain("ms inside the client function (its HTTPS call to the API); slowest: ap-southeast-2");
  });
});

describe("plain lines and JSON with several client regions", () => {
  function plainOf(events: readonly ProgressEvent[]) {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out, now: () => at(400) });
    for (const event of events) renderer.onEvent(event);
    renderer.close();
    return out.text();
  }

  it("name the client region on every stage line, stage 3 in region A with an arrow to it", () => {
    const text = plainOf([...pluralStart, ...regionsRunning, ...regionsEnd]);
    expect(text).toContain("deploy demo (client regions eu-west-1, ap-southeast-2, us-west-2)");
    expect(text).toContain("[1/3 api us-east-1] creating demo-api");
    expect(text).toContain("[2/3 client eu-west-1] creating demo-client");
    expect(text).toContain("[2/3 client ap-southeast-2] creating demo-client");
    expect(text).toContain("[3/3 routes us-east-1 ← eu-west-1] creating demo-routes");
    expect(text).toContain("[3/3 routes us-east-1 ← eu-west-1] created demo-routes in 15s");
    expect(text).toMatch(/\[2\/3 client ap-southeast-2\] FAILED demo-client: ROLLBACK_COMPLETE/);
  });

  it("say which region each sample and verification is of, then the matrix", () => {
    const sample = { kind: "verify-sample", sample: pluralVerify[0]!.kind === "verify-result" ? pluralVerify[0]!.report.samples[0]! : undefined!, region: "ap-southeast-2", at: at(299) } as ProgressEvent;
    const text = plainOf([...pluralStart, sample, ...pluralVerifyFailing]);
    expect(text).toMatch(/^\[ap-southeast-2\] sample 1 \(cold\): ok 200/m);
    expect(text).toContain("eu-west-1: verification passed, 5/5 samples ok");
    expect(text).toContain("us-west-2: verification failed at the dns layer: getaddrinfo ENOTFOUND");
    expect(text).toMatch(/client region +cold +warm p50 +warm p95 +status\neu-west-1 +310 +155 +170 +ok\nus-west-2 +5003 +- +- +dns\n/);
  });

  it("name every running stack in the heartbeat", () => {
    const out = captureStream();
    let fire: () => void = () => {};
    const renderer = createPlainRenderer({
      stream: out,
      now: () => at(260),
      timers: { setTimeout: (callback) => ((fire = callback), 0 as unknown as ReturnType<typeof setTimeout>), clearTimeout: () => {} },
    });
    for (const event of [...pluralStart, ...regionsRunning]) renderer.onEvent(event);
    fire();
    expect(out.text()).toMatch(/… still waiting on demo-client \(ap-southeast-2\): 2m08s, CREATE_IN_PROGRESS; demo-routes \(us-east-1 ← eu-west-1\): 59s, CREATE_IN_PROGRESS\n$/);
  });

  it("carry the client region on every JSON event of one region", () => {
    const out = captureStream();
    const renderer = createJsonRenderer(out);
    for (const event of [...regionsRunning, ...pluralVerify]) renderer.onEvent(event);
    const lines = out.text().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const stageLines = lines.filter((l) => String(l["type"]).startsWith("stage-") || l["type"] === "resource");
    expect(stageLines.every((l) => typeof l["clientRegion"] === "string")).toBe(true);
    expect(lines.filter((l) => l["type"] === "verify-result").map((l) => l["region"])).toEqual([...REGIONS]);
    expect(lines.at(-1)).toMatchObject({ type: "verify-matrix", matrix: { slowest: "ap-southeast-2" } });
  });
});
