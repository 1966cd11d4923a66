// The scheduler on scripted timelines: each lane ends when the test says so, so every interleaving the
// engine can meet (one failing while others run, Ctrl-C with several running) is played out exactly.
import { describe, expect, it } from "vitest";
import { type Lane, type LaneResult, runLanes } from "../../src/steps/scheduler.js";

type Outcome = "up" | "failed" | "cancelled";

// Lanes that run until `end(key, outcome)`; `log` records starts and ends in the order they happen.
function scripted(keys: readonly string[]) {
  const log: string[] = [];
  const enders = new Map<string, (outcome: Outcome) => void>();
  const lanes: Lane<Outcome>[] = keys.map((key) => ({
    key,
    run: () =>
      new Promise<Outcome>((resolve) => {
        log.push(`start ${key}`);
        enders.set(key, (outcome) => {
          log.push(`end ${key} ${outcome}`);
          resolve(outcome);
        });
      }),
  }));
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    lanes,
    log,
    running: () => [...enders.keys()].filter((k) => !log.some((l) => l.startsWith(`end ${k} `))),
    async end(key: string, outcome: Outcome = "up") {
      await tick();
      const ender = enders.get(key);
      if (!ender) throw new Error(`${key} has not started`);
      ender(outcome);
      await tick();
    },
  };
}

const stops = (outcome: Outcome) => outcome === "failed";

describe("runLanes", () => {
  it("runs at most `width` lanes at once, starting the next in order as each ends", async () => {
    const s = scripted(["a", "b", "c", "d", "e"]);
    const done = runLanes(s.lanes, { width: 2, stops });
    await s.end("b");
    expect(s.log).toEqual(["start a", "start b", "end b up", "start c"]);
    await s.end("a");
    await s.end("c");
    await s.end("d");
    await s.end("e");
    const results = await done;
    expect(results.map((r) => (r.kind === "ran" ? `${r.key}:${r.value}` : `${r.key}:-`))).toEqual(["a:up", "b:up", "c:up", "d:up", "e:up"]);
    expect(s.log.filter((l) => l.startsWith("start"))).toEqual(["start a", "start b", "start c", "start d", "start e"]);
  });

  it("a lane failing mid-way stops no lane already running and starts no new one", async () => {
    const s = scripted(["eu-west-1", "ap-southeast-2", "us-west-2", "sa-east-1"]);
    const done = runLanes(s.lanes, { width: 3, stops });
    await s.end("ap-southeast-2", "failed");
    // The two still running carry on to their own end; the fourth never starts.
    expect(s.running().sort()).toEqual(["eu-west-1", "us-west-2"]);
    await s.end("us-west-2");
    await s.end("eu-west-1");
    const results: LaneResult<Outcome>[] = await done;
    expect(results).toEqual([
      { key: "eu-west-1", kind: "ran", value: "up" },
      { key: "ap-southeast-2", kind: "ran", value: "failed" },
      { key: "us-west-2", kind: "ran", value: "up" },
      { key: "sa-east-1", kind: "not-started", why: "stopped" },
    ]);
    expect(s.log).not.toContain("start sa-east-1");
  });

  it("Ctrl-C with several running starts nothing more, waits for each running lane to wind down, and says why the rest never ran", async () => {
    const s = scripted(["eu-west-1", "ap-southeast-2", "us-west-2"]);
    const controller = new AbortController();
    const done = runLanes(s.lanes, { width: 2, stops, signal: controller.signal });
    controller.abort();
    // Each running lane cancels its own operation (the engine's stage does) and ends when that is done.
    let settled = false;
    void done.then(() => (settled = true));
    await s.end("eu-west-1", "cancelled");
    expect(settled).toBe(false);
    expect(s.running()).toEqual(["ap-southeast-2"]);
    await s.end("ap-southeast-2", "cancelled");
    expect(await done).toEqual([
      { key: "eu-west-1", kind: "ran", value: "cancelled" },
      { key: "ap-southeast-2", kind: "ran", value: "cancelled" },
      { key: "us-west-2", kind: "not-started", why: "cancelled" },
    ]);
  });

  it("a lane that throws stops further starts, and the error comes once the others have ended", async () => {
    const log: string[] = [];
    let finishB: () => void = () => {};
    const lanes: Lane<Outcome>[] = [
      { key: "a", run: async () => { log.push("a"); throw new Error("expired credentials"); } },
      { key: "b", run: () => new Promise((resolve) => { log.push("b"); finishB = () => { log.push("b ended"); resolve("up"); }; }) },
      { key: "c", run: async () => { log.push("c"); return "up"; } },
    ];
    const done = runLanes(lanes, { width: 2, stops });
    let thrown: unknown;
    const caught = done.catch((error: unknown) => (thrown = error));
    await new Promise((resolve) => setImmediate(resolve));
    expect(thrown).toBeUndefined();
    finishB();
    await caught;
    expect((thrown as Error).message).toBe("expired credentials");
    expect(log).toEqual(["a", "b", "b ended"]);
  });

  it("refuses a width that is not a whole number of at least one", async () => {
    await expect(runLanes([], { width: 0, stops })).rejects.toThrow(RangeError);
    await expect(runLanes([], { width: 1.5, stops })).rejects.toThrow(RangeError);
    expect(await runLanes([], { width: 1, stops })).toEqual([]);
  });
});
