import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/steps/events.js";
import { App, createProgressStore } from "../../src/ui/ink-renderer.js";
import { sparkline } from "../../src/ui/ink/verify.js";
import { createPlainRenderer } from "../../src/ui/plain.js";
import { responseLines } from "../../src/ui/wording.js";
import { captureStream, waitForText } from "../helpers/output.js";

describe("sparkline", () => {
  it.each([
    ["scales from the lowest bar to the highest", [100, 150, 200], 10, "▁▅█"],
    ["stays flat when every sample is the same", [120, 120, 120], 10, "▁▁▁"],
    ["keeps the newest samples when they do not fit", [1, 2, 3, 4, 5, 6], 3, "▁▅█"],
    ["draws one sample as one bar", [42], 10, "▁"],
  ])("%s", (_name, values, width, expected) => {
    expect(sparkline(values, width)).toBe(expected);
  });
});

describe("response body", () => {
  it("pretty-prints JSON", () => {
    expect(responseLines('{"message":"hi","n":[1]}')).toEqual(["{", '  "message": "hi",', '  "n": [', "    1", "  ]", "}"]);
  });

  it("shows anything else as it came", () => {
    expect(responseLines("plain <b>text</b>")).toEqual(["plain <b>text</b>"]);
  });

  it("says when there is no body", () => {
    expect(responseLines(null)).toEqual(["(no body)"]);
    expect(responseLines("")).toEqual(["(no body)"]);
  });

  it("stops after a screenful and says how much is left", () => {
    const lines = responseLines(JSON.stringify(Array.from({ length: 30 }, (_, i) => i)));
    expect(lines).toHaveLength(13);
    expect(lines.at(-1)).toBe("… (20 more lines)");
  });
});

const run: ProgressEvent[] = [
  { kind: "run-started", operation: "doctor", name: "demo", at: 1 },
  { kind: "doctor-hop", hop: "function", ok: true, detail: "demo-client: Active, last update Successful", fix: null, region: "eu-west-1", at: 2 },
  { kind: "doctor-hop", hop: "client-route", ok: false, detail: "rtb-0abc (subnet-1): 10.10.0.0/16 has no route", fix: "aws ec2 create-route --route-table-id rtb-0abc --destination-cidr-block 10.10.0.0/16 --vpc-peering-connection-id pcx-0123 --region eu-west-1", region: "eu-west-1", at: 3 },
  { kind: "doctor-hop", hop: "endpoint-ingress", ok: null, detail: "ec2:DescribeSecurityGroups failed: UnauthorizedOperation", fix: null, region: "eu-west-1", at: 4 },
  { kind: "result", operation: "doctor", ok: false, summary: "Broken: client-route; not checked: endpoint-ingress.", next: [], at: 5 },
];

const mounted: (() => void)[] = [];
afterEach(() => mounted.splice(0).forEach((unmount) => unmount()));

describe("doctor hops", () => {
  it("plain lines: ✔ / ✘ / –, the hop in one column, the fix under a broken hop", () => {
    const out = captureStream();
    const renderer = createPlainRenderer({ stream: out });
    run.forEach((e) => renderer.onEvent(e));
    renderer.close();
    expect(out.lines()).toEqual([
      "doctor demo",
      "✔ function          demo-client: Active, last update Successful",
      "✘ client-route      rtb-0abc (subnet-1): 10.10.0.0/16 has no route",
      "    fix: aws ec2 create-route --route-table-id rtb-0abc --destination-cidr-block 10.10.0.0/16 --vpc-peering-connection-id pcx-0123 --region eu-west-1",
      "– endpoint-ingress  could not check: ec2:DescribeSecurityGroups failed: UnauthorizedOperation",
      "Broken: client-route; not checked: endpoint-ingress.",
    ]);
  });

  it("the live view prints each hop once, the fix wrapped under it", async () => {
    const store = createProgressStore();
    const view = render(<App store={store} columns={80} />);
    mounted.push(view.unmount);
    run.forEach((e) => store.dispatch(e));
    const frame = await waitForText(view.lastFrame, "Broken: client-route");
    expect(frame).toMatch(/✔ function +demo-client: Active/);
    expect(frame).toMatch(/✘ client-route +rtb-0abc \(subnet-1\): 10\.10\.0\.0\/16 has no route/);
    expect(frame).toMatch(/ {4}fix: aws ec2 create-route --route-table-id rtb-0abc/);
    expect(frame).toMatch(/– endpoint-ingress +could not check: ec2:DescribeSecurityGroups failed/);
    expect(frame.match(/client-route/g)).toHaveLength(2);
  });
});
