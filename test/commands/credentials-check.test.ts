// The credentials check that runs while the questions are on screen: started once the first question is drawn,
// told above the next question once it has found a problem, and the run's verdict after the last one.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { lazyAsker } from "../../src/commands/context.js";
import { credentialsCheck, withCredentialsNotice } from "../../src/commands/credentials-check.js";
import type { Asker } from "../../src/config/resolve.js";

const sts = mockClient(STSClient);

// How send() rejects when the default chain finds nothing (env, files, SSO, process; IMDS disabled).
const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
const rejected = Object.assign(new Error("The security token included in the request is invalid."), {
  name: "InvalidClientTokenId",
  $fault: "client",
  $metadata: { httpStatusCode: 403 },
});

// A person at the questions: each answer comes when the test says so; the screen is a list of lines.
function person() {
  const screen: string[] = [];
  const pending: (() => void)[] = [];
  const question = (text: string, answer: string) =>
    new Promise<string>((resolve) => {
      screen.push(`? ${text}`);
      pending.push(() => resolve(answer));
    });
  const asker: Asker = {
    name: () => question("name", "demo"),
    region: (role) => question(`region ${role}`, role === "api" ? "us-east-1" : "eu-west-1"),
    moreClients: async () => false,
    cidr: (role, initial) => question(`cidr ${role}`, initial),
  };
  // Answers the question on screen, once it is drawn (the lazy asker draws it a tick after it is asked).
  const answer = async () => {
    await vi.waitFor(() => expect(pending.length).toBe(1));
    pending.shift()!();
  };
  return { screen, asker, answer };
}

describe("checking credentials while the questions are asked", () => {
  beforeEach(() => sts.reset());

  it("starts once the first question is on screen and tells missing credentials once, above the next question", async () => {
    sts.on(GetCallerIdentityCommand).rejects(noCredentials);
    const p = person();
    const check = credentialsCheck(undefined, undefined);
    // Composed as loadAnswers does; inquirer's module arrives when the test says so, as an import would.
    let loaded!: () => void;
    const module = new Promise<Asker>((resolve) => (loaded = () => resolve(p.asker)));
    const load = () => module;
    // Whoever starts the check, the screen shows when it first did.
    const start = check.start;
    let started = false;
    check.start = () => {
      if (!started) p.screen.push("(check started)");
      started = true;
      start();
    };
    const asker = withCredentialsNotice(lazyAsker(() => check.start(), load), check, (line) => p.screen.push(line));

    const name = asker.name("xregion");
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Inquirer still loading: neither the question nor the check (which loads the SDK) has begun.
    expect(p.screen).toEqual([]);
    expect(sts.calls()).toHaveLength(0);
    loaded();
    await vi.waitFor(() => expect(check.found()?.problem).toBe("missing"), { timeout: 5000 });
    expect(sts.calls()).toHaveLength(1);
    await p.answer();
    await name;

    const region = asker.region("api", undefined, undefined);
    await p.answer();
    await region;
    const cidr = asker.cidr("api", "10.10.0.0/16", []);
    await p.answer();
    await cidr;

    expect(p.screen).toEqual([
      "? name",
      "(check started)",
      expect.stringMatching(/^✖ No AWS credentials found: Could not load credentials from any providers — fix: aws configure/),
      "? region api",
      "? cidr api",
    ]);
    expect(sts.calls()).toHaveLength(1);
    expect((await check.verdict("us-east-1"))?.problem).toBe("missing");
  });

  it("asks STS in region A's partition, and a rejection counts only for that partition", async () => {
    sts.on(GetCallerIdentityCommand).rejects(rejected);
    const check = credentialsCheck("work", undefined);
    check.start();
    expect((await check.verdict("eu-west-1"))?.message).toMatch(/AWS rejected the credentials of profile work \(InvalidClientTokenId\)/);
    // Chosen later: China. Keys of the aws partition are rejected there anyway; whether those in the
    // profile work in aws-cn is for preflight to ask cn-north-1.
    expect(await check.verdict("cn-north-1")).toBeUndefined();
    expect(await (sts.calls()[0]?.thisValue as STSClient).config.region()).toBe("us-east-1");
  });

  it("says nothing about credentials that work, or about a failure that is not theirs", async () => {
    sts.on(GetCallerIdentityCommand).resolvesOnce({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/dev" });
    const working = credentialsCheck(undefined, "us-east-1");
    working.start();
    expect(await working.verdict("us-east-1")).toBeUndefined();

    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED", $metadata: { attempts: 8 } }));
    const offline = credentialsCheck(undefined, "us-east-1");
    offline.start();
    expect(await offline.verdict("us-east-1")).toBeUndefined();
  });

  it("is never started when no question is asked", async () => {
    const check = credentialsCheck(undefined, "us-east-1");
    expect(await check.verdict("us-east-1")).toBeUndefined();
    expect(sts.calls()).toHaveLength(0);
  });
});
