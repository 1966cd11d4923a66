import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/steps/events.js";
import { createJsonRenderer, fanOut } from "../../src/ui/renderer.js";
import { createPlainRenderer } from "../../src/ui/plain.js";
import { activeFunction, pendingFunction } from "../helpers/script.js";
import { captureStream } from "../helpers/output.js";

const ref = { stage: 2, key: "client", stackName: "demo-client", region: "eu-west-1" } as const;
const events: ProgressEvent[] = [
  { kind: "run-started", operation: "deploy", name: "demo", at: 1 },
  { kind: "stage-started", action: "create", at: 2, ...ref },
  { kind: "resource", logicalId: "Fn", resourceType: "AWS::Lambda::Function", status: "CREATE_FAILED", reason: 'Line "one"\nline two', eventId: "e1", at: 3, ...ref },
  { kind: "stage-finished", outcome: "created", outputs: { FunctionName: "demo-client" }, at: 4, ...ref },
  { kind: "function-waiting", cause: "not-ready", function: pendingFunction, region: "eu-west-1", at: 4 },
  { kind: "function-ready", function: activeFunction, waitedMs: 41_000, region: "eu-west-1", at: 5 },
  { kind: "result", operation: "deploy", ok: true, summary: "deployed", next: ["xregion-private-api verify"], at: 5 },
];

describe("NDJSON renderer", () => {
  it("writes one parseable event per line, in emit order, and nothing else", () => {
    const out = captureStream();
    const renderer = createJsonRenderer(out);
    for (const event of events) renderer.onEvent(event);
    renderer.close();

    expect(out.text().endsWith("\n")).toBe(true);
    const lines = out.lines();
    expect(lines).toHaveLength(events.length);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(events.map((e) => ({ type: e.kind, ...e })));
  });

  it("names each event by `type` first and by `kind` as before; a doctor hop is one line of the issue's shape", () => {
    const out = captureStream();
    const renderer = createJsonRenderer(out);
    renderer.onEvent({ kind: "doctor-hop", hop: "client-route", ok: false, detail: "rtb-0abc (subnet-1): 10.10.0.0/16 has no route", fix: "aws ec2 create-route …", region: "eu-west-1", at: 7 });
    const line = out.lines()[0]!;
    expect(line.startsWith('{"type":"doctor-hop","kind":"doctor-hop","hop":"client-route","ok":false')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ type: "doctor-hop", hop: "client-route", ok: false, detail: expect.any(String), fix: "aws ec2 create-route …" });
  });
});

describe("json mode", () => {
  it("keeps stdout pure NDJSON while the human lines go to the other stream", () => {
    const stdout = captureStream();
    const stderr = captureStream();
    const renderer = fanOut(createJsonRenderer(stdout), createPlainRenderer({ stream: stderr }));
    for (const event of events) renderer.onEvent(event);
    renderer.close();

    expect(stdout.lines().map((line) => JSON.parse(line) as unknown)).toEqual(events.map((e) => ({ type: e.kind, ...e })));
    expect(stderr.lines()[0]).toBe("deploy demo");
    expect(stderr.text()).toContain("waiting for the function demo-client to be ready: State Pending (Creating: The function is being created.)\n");
  });
});
