// Every command the tool prints pastes as one command at any width: doctor's real `fix:` lines (from the
// doctor step on a broken path), verify's diagnosis of a 403 (the redeploy it names), the next commands
// (started as the demo starts them, and from a path with a space), a stage failure that names its command,
// in the plain lines and the live view, at 50, 80 and 120 columns. Pasted, a shell joins the " \"
// continuations: the result must hold each command exactly.
import { stripVTControlCharacters } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/aws/clock.js";
import type { VerifyReport } from "../../src/steps/verify/client-answer.js";
import { diagnoseSample } from "../../src/steps/verify/diagnose.js";
import { doctor } from "../../src/steps/doctor/doctor.js";
import type { ProgressEvent } from "../../src/steps/events.js";
import { createInkRenderer } from "../../src/ui/ink-renderer.js";
import { createPlainRenderer } from "../../src/ui/plain.js";
import { recorder, testClients } from "../helpers/aws-fixtures.js";
import { fakeTerminal, joinContinuations, screen } from "../helpers/output.js";
import { clientAnswer } from "../helpers/payloads.js";
import { A, acl, API_ID, B, intact, PCX, script } from "../helpers/path-fixtures.js";
import { at, client } from "../helpers/script.js";

const clients = testClients();
afterAll(() => clients.destroy());

// A path broken at several hops at once: each failing hop carries the fix doctor really prints.
async function brokenHops(): Promise<ProgressEvent[]> {
  const answers = intact();
  answers.peeringStatus = "pending-acceptance";
  answers.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "10.10.0.0/24", VpcPeeringConnectionId: "pcx-0old", State: "blackhole" });
  answers.clientAcls = [acl("acl-0b", "vpc-0b", ["subnet-0b1", "subnet-0b2"], [{ CidrBlock: "10.10.0.0/16", Egress: false, Protocol: "6", PortRange: { From: 1024, To: 32767 }, RuleAction: "deny", RuleNumber: 90 }])];
  answers.policy = undefined;
  script(answers);
  const { events, emit } = recorder();
  await doctor({ clients, emit, clock: systemClock }, { clientRegion: B, apiRegion: A, functionName: "demo-client", apiId: API_ID, stage: "v1" });
  return events;
}

// The commands in a line of text, as a person would select them: from `aws` up to where the prose goes on.
function commandsIn(text: string): string[] {
  return [...text.matchAll(/aws [^\s(][\s\S]*?(?=, |\s{2,}|\s\(|$)/g)].map((m) => m[0]);
}

// verify's diagnosis of a 403 from the API: it names the redeploy a policy change needs.
function denied(): VerifyReport {
  const answer = clientAnswer({
    ok: false,
    status: 403,
    body: '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********2012:a1b2c3d4e5/v1/GET/hello"}',
    timings: { dnsMs: 1, connectMs: 70, tlsMs: 140, firstByteMs: 80, totalMs: 291 },
    resolvedAddresses: ["10.10.0.37"],
    error: { layer: "http", message: "HTTP 403 (denied: resource policy, endpoint or hostname)" },
  });
  const sample = { index: 1, roundTripMs: 300, kind: "answer", answer } as const;
  return { ok: false, samples: [sample], cold: { insideMs: 291, roundTripMs: 300 }, warm: { inside: undefined, roundTrip: undefined }, failure: diagnoseSample(sample, "10.10.0.0/16") };
}

const LOCATE = "--name demo --api-region us-east-1 --client-region eu-west-1";
const NEXT = [
  `AWS_ENDPOINT_URL=http://127.0.0.1:41234 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing node /home/me/xregion-private-api/dist/cli.js verify ${LOCATE}`,
  `node '/home/me/my clones/xregion-private-api/dist/cli.js' teardown ${LOCATE} --profile dev`,
];
const DELETE = `aws cloudformation delete-stack --stack-name ${client.stackName} --region ${client.region}`;

async function events(): Promise<ProgressEvent[]> {
  return [
    { kind: "run-started", operation: "doctor", name: "demo", at: at(0) },
    ...(await brokenHops()),
    { kind: "verify-result", report: denied(), region: "eu-west-1", at: at(1) },
    { kind: "stage-started", action: "create", at: at(1), ...client },
    {
      kind: "stage-failed",
      status: "ROLLBACK_COMPLETE",
      message: `${client.stackName} is in ROLLBACK_COMPLETE from an earlier failed create and can only be deleted and created again. Rerun with --yes to allow that, or delete it yourself: ${DELETE}`,
      rootCause: undefined,
      at: at(2),
      ...client,
    },
    { kind: "result", operation: "doctor", ok: false, summary: "The path is broken at client-route.", next: NEXT, at: at(3) },
  ];
}

async function plain(columns: number, list: readonly ProgressEvent[]): Promise<string> {
  const terminal = fakeTerminal(columns);
  const renderer = createPlainRenderer({ stream: terminal });
  for (const event of list) renderer.onEvent(event);
  renderer.close();
  return stripVTControlCharacters(terminal.output());
}

async function ink(columns: number, list: readonly ProgressEvent[]): Promise<string> {
  const terminal = fakeTerminal(columns);
  const renderer = createInkRenderer({ stdout: terminal, now: () => at(3) });
  for (const event of list) renderer.onEvent(event);
  await renderer.close();
  return screen(terminal.output()).join("\n");
}

describe.each([50, 80, 120])("at %i columns", (columns) => {
  it.each([
    ["plain lines", plain],
    ["the live view", ink],
  ] as const)("every command in %s pastes as itself", async (_name, draw) => {
    const list = await events();
    const fixes = list.flatMap((e) => (e.kind === "doctor-hop" && e.fix ? [e.fix] : []));
    expect(fixes.length).toBeGreaterThanOrEqual(4);
    const advice = denied().failure!.advice;
    const commands = [...[...fixes, advice].flatMap(commandsIn), ...NEXT, DELETE];
    expect(commandsIn(advice)).toEqual([expect.stringMatching(/^aws apigateway create-deployment --rest-api-id a1b2c3d4e5 --stage-name \w+ --region us-east-1$/)]);
    expect(commands).toEqual(expect.arrayContaining([expect.stringContaining(`--vpc-peering-connection-id ${PCX}`)]));
    const output = await draw(columns, list);
    const pasted = joinContinuations(output);
    for (const command of commands) expect(pasted, `${command}\n---\n${output}`).toContain(command);
    // Only a line that holds one piece of a command too wide for any line (a policy document) runs past the edge.
    for (const line of output.split("\n").filter((l) => l.length > columns)) expect(line.trim().replace(/ \\$/, "").split(" ").length, line).toBeLessThanOrEqual(2);
  });
});
