import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/steps/events.js";
import { App, createProgressStore } from "../../src/ui/ink-renderer.js";
import { joinContinuations, waitForText, widest } from "../helpers/output.js";
import { api, at, client, deployStage1, failingReport, failStage2, finishQuickTeardown, finishStage1, finishTeardown, pendingFunction, quickTeardown, routes, teardown, verifyPass } from "../helpers/script.js";

const mounted: (() => void)[] = [];
afterEach(() => mounted.splice(0).forEach((unmount) => unmount()));

function mount(options: { now?: () => number; columns?: number } = {}) {
  const store = createProgressStore();
  const view = render(<App store={store} now={options.now ?? (() => at(40))} columns={options.columns ?? 60} />);
  mounted.push(view.unmount);
  return {
    send: (events: readonly ProgressEvent[]) => events.forEach((event) => store.dispatch(event)),
    waitFor: (wanted: string | RegExp) => waitForText(view.lastFrame, wanted),
  };
}

const lineWith = (frame: string, part: string) => frame.split("\n").findIndex((line) => line.includes(part));

describe("Ink progress screen", () => {
  it("shows the running stage with a row per described resource, its status and time", async () => {
    const ui = mount();
    ui.send(deployStage1);
    const frame = await ui.waitFor("interface endpoint");
    expect(frame).toMatch(/… stage 1\/3 demo-api \(us-east-1\) +CREATE_IN_PROGRESS +39s/);
    expect(frame).toMatch(/✔ VPC for the private API.* CREATE_COMPLETE +12s/);
    expect(frame).toMatch(/… execute-api interface endpoint +CREATE_IN_PROGRESS +23s/);
    expect(frame).not.toContain("ApiRole");
  });

  it("folds a finished stage into one line", async () => {
    const ui = mount();
    ui.send([...deployStage1, ...finishStage1]);
    const frame = await ui.waitFor("CREATE_COMPLETE");
    expect(frame).toMatch(/✔ stage 1\/3 demo-api \(us-east-1\) +CREATE_COMPLETE +2m10s/);
    expect(frame).not.toContain("VPC for the private API");
  });

  it("shows the first failure under its row, and not the cancellations it caused", async () => {
    const ui = mount();
    ui.send([...deployStage1, ...finishStage1, ...failStage2]);
    const frame = await ui.waitFor("next:");
    const row = lineWith(frame, "✖ Peering to the API's VPC");
    expect(frame.split("\n")[row + 1]).toContain("VpcPeeringConnection failed: the CIDR");
    expect(frame).toMatch(/✖ stage 2\/3 demo-client \(eu-west-1\) +ROLLBACK_COMPLETE +58s/);
    expect(frame).not.toContain("Resource creation cancelled");
  });

  it("draws a stage that failed before changing anything as FAILED, not as its stack's last status", async () => {
    const ui = mount();
    const message = "The change set for demo-api failed: Parameter 'VpcCidr' must be a valid CIDR";
    ui.send([
      { kind: "stage-started", action: "update", at: at(1), ...api },
      { kind: "stage-failed", ...api, status: "UPDATE_COMPLETE", rootCause: undefined, message, at: at(4) },
      { kind: "result", operation: "deploy", ok: false, summary: message, next: [], at: at(5) },
    ]);
    const frame = await ui.waitFor("│ stage 1/3 failed");
    expect(frame).toMatch(/✖ stage 1\/3 demo-api \(us-east-1\) +FAILED +3s/);
    expect(frame).not.toContain("UPDATE_COMPLETE");
    expect(frame).toContain("│ stage 1/3 failed ");
  });

  it("boxes the root cause with the layer that failed and what to do", async () => {
    const ui = mount();
    ui.send([...deployStage1, ...finishStage1, ...failStage2]);
    const frame = await ui.waitFor("next:");
    expect(frame).toContain("╭");
    expect(frame).toContain("│ stage 2/3 failed: ROLLBACK_COMPLETE");
    expect(frame).toContain("layer: CloudFormation, stack demo-client in eu-west-1");
    expect(frame).toContain("cause: Peering (AWS::EC2::VPCPeeringConnection):");
    expect(frame).toContain("what to do: demo-client could not be created");
    expect(frame).toMatch(/✖ deploy failed at stage 2\s+next:\s+npx xregion-private-api deploy --name demo/);
  });

  it("keeps the teardown's long-wait notice in view and its time ticking without events", async () => {
    let now = at(100);
    const ui = mount({ now: () => now });
    ui.send(teardown);
    const first = await ui.waitFor(/DELETE_IN_PROGRESS +1m38s/);
    expect(first).toMatch(/- stage 3\/3 demo-routes \(us-east-1\) +not deployed/);
    expect(first).toContain("can take many minutes");
    now = at(700);
    // 60 columns leave no room for both the long word and a six-character time: the word gives way.
    expect(await ui.waitFor(/… stage 2\/3 demo-client \(eu-west-1\) +DELETING 11m38s/)).toContain("can take many minutes");
  });

  it("wraps a long notice at word boundaries, every line at the stage's indent", async () => {
    // The teardown's real notice, in an 80-column terminal: where Ink's own wrapping began a line with a space.
    const notice =
      "Deleting demo-client can take many minutes (often 20-40) while Lambda releases the function's network " +
      "interfaces (hyperplane ENIs) in the VPC: the client function could not be detached from its VPC. This is expected, not a hang.";
    const ui = mount({ columns: 80 });
    ui.send([{ kind: "stage-started", action: "delete", at: at(2), ...client }, { kind: "info", stage: 2, message: notice, at: at(2) }]);
    const frame = await ui.waitFor("not a hang.");
    const lines = frame.split("\n");
    const shown = lines.slice(lines.findIndex((line) => line.includes("Deleting demo-client")), lines.findIndex((line) => line.includes("not a hang.")) + 1);
    expect(shown.length).toBeGreaterThan(1);
    for (const line of shown) expect(line).toMatch(/^ {2}\S/);
    expect(shown.map((line) => line.trim()).join(" ")).toBe(notice);
  });

  it("shows stage 2's release under its waiting row while stage 3 is deleted, then under stage 2 itself", async () => {
    const ui = mount({ now: () => at(12), columns: 80 });
    ui.send(quickTeardown);
    let frame = await ui.waitFor("Releasing");
    const waiting = lineWith(frame, "○ stage 2/3 demo-client");
    expect(frame.split("\n")[waiting + 1]).toMatch(/^ {2}✔ Detaching the client function from its VPC +DETACHED +8s$/);
    expect(frame.split("\n")[waiting + 2]).toMatch(/^ {2}… Releasing 2 network interfaces +0\/2 DELETED +2s$/);
    expect(lineWith(frame, "… stage 3/3 demo-routes")).toBeLessThan(waiting);

    ui.send(finishQuickTeardown);
    frame = await ui.waitFor(/stage 2\/3 demo-client \(eu-west-1\) +DELETE_IN_PROGRESS/);
    const running = lineWith(frame, "… stage 2/3 demo-client");
    expect(frame.split("\n")[running + 2]).toMatch(/✔ Releasing 2 network interfaces +DELETED +12s$/);
    expect(frame).not.toMatch(/20-40/);
  });

  it("ends a teardown with every stage deleted and the notice kept with its stage", async () => {
    const ui = mount();
    ui.send([...teardown, ...finishTeardown]);
    const frame = await ui.waitFor("Deleted 2 stacks");
    expect(frame).toMatch(/✔ stage 2\/3 demo-client \(eu-west-1\) +DELETE_COMPLETE +25m09s/);
    expect(frame).toMatch(/✔ stage 1\/3 demo-api \(us-east-1\) +DELETE_COMPLETE +1m29s/);
    expect(lineWith(frame, "can take many minutes")).toBe(lineWith(frame, "stage 2/3") + 1);
  });

  it("shows the samples live with a sparkline while the function is invoked", async () => {
    const ui = mount();
    ui.send(verifyPass.slice(0, 4));
    const frame = await ui.waitFor("sample 4");
    expect(frame).toContain("invoking the client: sample 4 (warm) HTTP 200 in 148 ms");
    expect(frame).toMatch(/warm round trips +[▁-█]{3} +185-210 ms/);
  });

  it("shows the response pretty-printed, the latency table with the cold sample apart, and the next commands", async () => {
    const ui = mount();
    ui.send(verifyPass);
    const frame = await ui.waitFor("next:");
    expect(frame).toContain("response 200");
    expect(frame).toContain('    "message": "hello from the private API",');
    expect(frame).toMatch(/latency \(ms\) +cold +min +p50 +p95 +max/);
    expect(frame).toMatch(/inside function +310 +148 +155 +170 +170/);
    expect(frame).toMatch(/round trip +1450 +185 +200 +260 +260/);
    expect(frame).toMatch(/warm round trips +▁▃▁█ +185-260 ms/);
    expect(frame).toContain("✔ verification passed");
    expect(frame).toContain("  npx xregion-private-api teardown --name demo");
    expect(frame).not.toContain("invoking the client");
  });

  it("explains a failed verification in a box: the layer and the advice", async () => {
    const ui = mount();
    ui.send([
      { kind: "verify-result", report: failingReport, region: "eu-west-1", at: at(1) },
      { kind: "result", operation: "verify", ok: false, summary: "The path does not work.", next: [], at: at(1) },
    ]);
    const frame = await ui.waitFor("The path does not work.");
    expect(frame).toContain("verification failed");
    expect(frame).toMatch(/layer: dns/);
    expect(frame).toContain("cause: getaddrinfo ENOTFOUND");
    expect(frame).toContain("what to do: Check that the private hosted zone");
    expect(frame).not.toContain("verification passed");
  });

  it("shows the wait for the function, and a function Lambda could not make ready as a function-layer failure", async () => {
    const ui = mount({ columns: 120 });
    ui.send([
      { kind: "function-waiting", cause: "not-ready", function: pendingFunction, region: "eu-west-1", at: at(1) },
      {
        kind: "verify-result",
        report: {
          ok: false,
          samples: [],
          cold: undefined,
          warm: { inside: undefined, roundTrip: undefined },
          failure: { layer: "function", message: "Lambda could not make demo-client in eu-west-1 ready: State Failed (SubnetOutOfIPAddresses)", advice: "Free some addresses." },
        },
        region: "eu-west-1",
        at: at(9),
      },
      { kind: "result", operation: "verify", ok: false, summary: "The path does not work.", next: [], at: at(9) },
    ]);
    const frame = await ui.waitFor("The path does not work.");
    expect(frame).toContain("waiting for the function demo-client to be ready: State Pending (Creating: The function is being created.)");
    expect(frame).toContain("layer: function (Lambda has not made the client function ready)");
    expect(frame).toContain("cause: Lambda could not make demo-client in eu-west-1 ready: State Failed (SubnetOutOfIPAddresses)");
  });

  it("shows warnings as lines of their own, and a stage's warning under its row", async () => {
    const ui = mount();
    ui.send([
      { kind: "warning", message: "the client VPC range overlaps vpc-1", at: at(0) },
      deployStage1[2] as ProgressEvent,
      { kind: "warning", stage: 1, message: "the endpoint takes a while", at: at(3) },
    ]);
    const frame = await ui.waitFor("takes a while");
    expect(frame).toContain("warning: the client VPC range overlaps vpc-1");
    expect(lineWith(frame, "  warning: the endpoint takes a while")).toBe(lineWith(frame, "stage 1/3") + 1);
  });

  it("lists an update's changes under the running stage", async () => {
    const ui = mount({ columns: 80 });
    ui.send([
      { kind: "stage-started", action: "update", at: at(0), ...api },
      {
        kind: "change-set",
        changes: [
          { action: "Modify", logicalId: "Vpc", resourceType: "AWS::EC2::VPC", description: "Network for the private API", replacement: "True" },
          { action: "Add", logicalId: "Extra", resourceType: "AWS::SSM::Parameter", description: undefined, replacement: undefined },
        ],
        at: at(2),
        ...api,
      },
    ]);
    const frame = await ui.waitFor("Extra");
    const row = lineWith(frame, "stage 1/3 demo-api");
    expect(frame.split("\n").slice(row + 1, row + 4)).toEqual([
      "  the change set has 2 changes:",
      "    Modify Network for the private API (Vpc) (replaced: a new resource)",
      "    Add    Extra (AWS::SSM::Parameter)",
    ]);
  });

  it("shows a cancelled stage with what the cancel did, and no failure box", async () => {
    const ui = mount({ columns: 80 });
    ui.send([
      { kind: "stages-queued", stages: [api, client, routes], at: at(0) },
      ...deployStage1,
      ...finishStage1,
      { kind: "stage-started", action: "create", at: at(132), ...client },
      { kind: "stage-cancelled", status: "DELETE_COMPLETE", message: "Cancelled: demo-client was still being created and has been deleted.", at: at(190), ...client },
      { kind: "info", message: "Left: demo-api (us-east-1) CREATE_COMPLETE.", at: at(191) },
      { kind: "result", operation: "deploy", ok: false, summary: "Deployment cancelled.", next: ["npx xregion-private-api teardown --name demo"], at: at(191) },
    ]);
    const frame = await ui.waitFor("next:");
    const row = lineWith(frame, "stage 2/3 demo-client");
    expect(frame.split("\n")[row]).toMatch(/^⊘ stage 2\/3 demo-client \(eu-west-1\) +DELETE_COMPLETE +58s$/);
    expect(frame.split("\n")[row + 1]).toBe("    Cancelled: demo-client was still being created and has been deleted.");
    expect(frame).toContain("Left: demo-api (us-east-1) CREATE_COMPLETE.");
    expect(frame).toContain("✖ Deployment cancelled.");
    expect(frame).not.toContain("cause:");
    expect(frame).not.toContain("○ stage 3/3");
  });

  it("marks a status that found nothing deployed neither done nor failed", async () => {
    const ui = mount({ columns: 80 });
    ui.send([{ kind: "result", operation: "status", ok: true, neutral: true, summary: 'Deployment "demo" is not deployed.', next: ["npx xregion-private-api deploy --name demo"], at: at(1) }]);
    const frame = await ui.waitFor("next:");
    expect(frame).toContain('○ Deployment "demo" is not deployed.');
    expect(frame).not.toContain("✔");
  });

  it("shows the stages not started yet as waiting rows under the running one", async () => {
    const ui = mount({ columns: 80 });
    ui.send([{ kind: "stages-queued", stages: [api, client, routes], at: at(0) }, ...deployStage1]);
    const frame = await ui.waitFor("stage 1/3");
    const lines = frame.split("\n");
    const running = lineWith(frame, "… stage 1/3 demo-api");
    expect(running).toBeGreaterThanOrEqual(0);
    expect(lines.slice(-2)).toEqual([
      expect.stringMatching(/^○ stage 2\/3 demo-client \(eu-west-1\) +waiting$/),
      expect.stringMatching(/^○ stage 3\/3 demo-routes \(us-east-1\) +waiting$/),
    ]);
    ui.send([...finishStage1, { kind: "stage-started", action: "create", at: at(132), ...client }]);
    const later = await ui.waitFor("… stage 2/3");
    expect(later).not.toContain("○ stage 2/3");
    expect(later).toContain("○ stage 3/3 demo-routes");
  });

  it("lists the stacks' useful outputs in the result, keys aligned per stack, and none after a teardown", async () => {
    const ui = mount({ columns: 80 });
    ui.send([
      ...deployStage1,
      ...finishStage1,
      {
        kind: "stage-finished",
        outcome: "created",
        outputs: { PeeringConnectionId: "pcx-0a1b2c3d", FunctionName: "demo-client", ApiUrl: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/hello" },
        at: at(140),
        ...client,
      },
      { kind: "stage-finished", outcome: "created", outputs: { Summary: "routes only" }, at: at(150), ...routes },
      ...verifyPass,
    ]);
    const frame = await ui.waitFor("next:");
    const from = frame.indexOf("outputs:");
    expect(from).toBeGreaterThan(frame.indexOf("verification passed"));
    expect(frame.slice(from).split("\n").slice(0, 7)).toEqual([
      "outputs:",
      "  demo-api (us-east-1)",
      "    ApiId  a1b2c3d4e5",
      "  demo-client (eu-west-1)",
      "    PeeringConnectionId  pcx-0a1b2c3d",
      "    FunctionName         demo-client",
      "all outputs: status, or --outputs-file FILE",
    ]);

    const after = mount();
    after.send([...teardown, ...finishTeardown]);
    expect(await after.waitFor("Deleted")).not.toContain("outputs:");
  });

  it("breaks a next command wider than the terminal before a flag, so that it still pastes", async () => {
    const ui = mount({ columns: 60 });
    const command = "npx xregion-private-api teardown --name demo --api-region us-east-1 --client-region eu-west-1";
    ui.send([{ kind: "result", operation: "deploy", ok: true, summary: "done", next: [command], at: at(1) }]);
    const frame = await ui.waitFor("next:");
    const shown = frame.slice(frame.indexOf("next:") + "next:".length);
    expect(shown).toMatch(/^\n  npx xregion-private-api teardown --name demo \\\n      --api-region us-east-1 --client-region eu-west-1\n/);
    expect(joinContinuations(shown).trim()).toBe(command);
  });

  it("fits every line in a 60-column terminal", async () => {
    const ui = mount();
    ui.send([...deployStage1, ...finishStage1, ...failStage2.slice(0, -1), ...teardown, ...verifyPass]);
    const frame = await ui.waitFor("next:");
    expect(widest(frame)).toBeLessThanOrEqual(60);
  });
});
