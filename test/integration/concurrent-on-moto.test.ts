// Two deploys of one deployment at once, as two people (or two CI jobs) start them: two CLI processes
// against one moto whose stacks stay in progress for seconds after a change set is executed (launcher.py,
// "Stack lifecycle"), as AWS's do. Both must end well: each stack is created once, the other run waits
// for it and finds that stage up to date, both exit 0, and nothing prints AWS's raw race errors.
import { beforeAll, describe, expect, it } from "vitest";
import { ciEnv, type NodeRun, runNode, tempDir } from "../helpers/cli.js";
import { clientAnswer } from "../helpers/payloads.js";
import { describeStack, type MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1";
const B = "eu-west-1";
const NAME = "twice";
const BUSY_MS = 2_500;

type Event = { kind: string; [key: string]: unknown };

const suite = motoSuite([A, B], { stackBusyMs: BUSY_MS });
let moto: MotoServer;
let aws: MotoAws;
let cli: MotoSuite["cli"];
beforeAll(() => ({ moto, aws, cli } = suite));

function deploy(): Promise<NodeRun> {
  const args = [cli.path, "deploy", "--yes", "--json", "--name", NAME, "--api-region", A, "--client-region", B, "--samples", "1"];
  return runNode(args, { cwd: tempDir("xregion-twice-"), env: ciEnv(moto.env()), timeoutMs: 100_000 });
}

const events = (run: NodeRun): Event[] => run.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Event);
const outcomes = (run: NodeRun) => events(run).filter((e) => e.kind === "stage-finished").map((e) => `${String(e["stage"])}:${String(e["outcome"])}`);

describe("two deploys of one name at once", () => {
  it("one creates each stack, the other waits for it and finds it up to date; both exit 0", async () => {
    // One answer per run's verification.
    const answer = JSON.stringify(clientAnswer({ url: `https://a1b2c3d4e5.execute-api.${A}.amazonaws.com/v1/hello` }));
    await moto.queueLambdaResults(B, [answer, answer]);
    const runs = await Promise.all([deploy(), deploy()]);
    const shown = runs.map((r, i) => `--- run ${i + 1}: exit ${r.code}\n${r.stdout}\n${r.stderr}`).join("\n") + `\n--- moto\n${moto.output().slice(-1500)}`;

    expect(runs.map((r) => r.code), shown).toEqual([0, 0]);
    // Each stage was created by exactly one of the two runs and found up to date by the other.
    const all = runs.flatMap(outcomes).sort();
    expect(all, shown).toEqual(["1:created", "1:no-op", "2:created", "2:no-op", "3:created", "3:no-op"]);
    // The run that waited said whom it waited for.
    const infos = runs.flatMap((r) => events(r)).filter((e) => e.kind === "info").map((e) => String(e["message"]));
    expect(infos.some((m) => /^Another run is (creating|preparing to create) twice-(api|client|routes) \((CREATE|REVIEW)_IN_PROGRESS since \d\d:\d\d:\d\d UTC\): waiting for it to finish/.test(m)), shown).toBe(true);
    for (const run of runs) {
      expect(run.stdout + run.stderr).not.toMatch(/ChangeSetNotFound|already exists|can not be updated|does not exist|fix the cause/);
      expect(events(run).at(-1)).toMatchObject({ kind: "result", ok: true });
    }
    for (const [region, stack] of [[A, `${NAME}-api`], [B, `${NAME}-client`], [A, `${NAME}-routes`]] as const) {
      expect((await describeStack(aws.cfn(region), stack))?.StackStatus).toBe("CREATE_COMPLETE");
    }
  });
});
