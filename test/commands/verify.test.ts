// After verification the answers file records the outcome for `status`. The file is read again first:
// one that no longer parses (edited while the stacks deployed) is left untouched and the run only warns.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { parseFlags, type Flags } from "../../src/config/flags.js";
import type { CommandContext } from "../../src/commands/context.js";
import type { Session } from "../../src/commands/session.js";
import { runVerification } from "../../src/commands/verify.js";
import type { Answers } from "../../src/config/answers.js";
import { tempDir } from "../helpers/cli.js";
import { recorder, testClients } from "../helpers/aws-fixtures.js";
import { functionConfiguration } from "../helpers/function-configurations.js";
import * as payload from "../helpers/payloads.js";

// Whether the matrix of several client regions' verifications was loaded (a one-region run leaves it out).
const matrix = vi.hoisted(() => ({ loaded: false }));
vi.mock("../../src/steps/verify/verify-matrix.js", async (importOriginal) => {
  matrix.loaded = true;
  return importOriginal();
});

const lambda = mockClient(LambdaClient);
const answers: Answers = { name: "demo", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16" }] };

describe("recording a verification in the answers file", () => {
  let clients: AwsClients;
  beforeEach(() => {
    lambda.reset();
    lambda.on(GetFunctionConfigurationCommand).resolves(functionConfiguration({ State: "Active", LastUpdateStatus: "Successful" }));
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: new TextEncoder().encode(payload.success()) as never });
    clients = testClients();
  });
  afterEach(() => clients.destroy());

  function run(path: string | undefined, targets = [{ region: "eu-west-1", functionName: "demo-client" }]) {
    const flags = parseFlags(["verify", "--name", "demo", "--samples", "2"], () => {}) as Flags;
    const ctx = { flags } as CommandContext;
    const { events, emit } = recorder();
    const session = { clients, emit, clock: { now: () => 0, sleep: async () => {} }, signal: new AbortController().signal } as unknown as Session;
    return { events, done: runVerification(ctx, session, answers, targets, path) };
  }

  it("saves the outcome next to the answers", async () => {
    const path = join(tempDir(), "answers.json");
    writeFileSync(path, JSON.stringify({ name: "demo" }));
    const { events, done } = run(path);
    expect(await done).toBe(true);
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ name: "demo", lastVerify: { ok: true, summary: "2/2 samples ok" } });
    expect(events.filter((e) => e.kind === "warning")).toEqual([]);
  });

  it("leaves a file that no longer parses as it is, and warns instead of failing", async () => {
    const path = join(tempDir(), "answers.json");
    writeFileSync(path, '{ "name": "demo", ');
    const { events, done } = run(path);
    expect(await done).toBe(true);
    expect(readFileSync(path, "utf8")).toBe('{ "name": "demo", ');
    const warning = events.find((e) => e.kind === "warning");
    expect(warning && warning.kind === "warning" && warning.message).toBe(
      `did not save the verification: ${path} is not valid JSON (line 1, column 19: expected double-quoted property name): fix it there, or delete the file and answer the questions again; it is left as it is; status will not show this verification`,
    );
  });

  it("loads the matrix of client regions only for several of them", async () => {
    const one = run(undefined);
    expect(await one.done).toBe(true);
    expect(one.events.some((e) => e.kind === "verify-matrix")).toBe(false);
    expect(matrix.loaded).toBe(false);
    const two = run(undefined, [{ region: "eu-west-1", functionName: "demo-client" }, { region: "eu-central-1", functionName: "demo-client" }]);
    expect(await two.done).toBe(true);
    expect(two.events.some((e) => e.kind === "verify-matrix")).toBe(true);
    expect(matrix.loaded).toBe(true);
  });
});
