// The session closes every --json run: a stage that was running when the run broke off (credentials that
// expire mid-deploy) gets its `stage-failed`, and the run its one `result`, before the CLI's error line.
// The first Ctrl-C says whose operations it cancels: with several client regions, the regions running.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { CloudFormationClient, CreateChangeSetCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeAvailabilityZonesCommand, DescribeVpcEndpointServicesCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFlags, type Flags } from "../../src/config/flags.js";
import type { CommandContext } from "../../src/commands/context.js";
import { deployPlan } from "../../src/commands/deploy.js";
import { withSession } from "../../src/commands/session.js";
import type { Answers } from "../../src/config/answers.js";
import { FailureError } from "../../src/errors.js";
import type { ProgressEvent } from "../../src/steps/events.js";
import { buildPlan } from "../../src/steps/plan.js";
import { serviceError } from "../helpers/cfn-timeline.js";
import { tempDir } from "../helpers/cli.js";
import { stackMissing, zones } from "../helpers/aws-fixtures.js";
import { captureStream } from "../helpers/output.js";

const answers: Answers = { name: "demo", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16" }] };
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const cfn = mockClient(CloudFormationClient);

function context(cwd: string) {
  const flags = parseFlags(["deploy", "--name", "demo", "--api-region", "us-east-1", "--client-region", "eu-west-1", "--yes", "--json", "--no-permission-check"], () => {}) as Flags;
  const stdout = captureStream();
  const stderr = captureStream();
  const ctx: CommandContext = {
    flags, interactive: false, env: {}, cwd, invocation: "npx xregion-private-api",
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    exit: (code) => { throw new Error(`exit ${code}`); },
  };
  return { ctx, stdout };
}

describe("a --json run that breaks off in a stage", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = tempDir();
    for (const mock of [sts, ec2, cfn]) mock.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/ci", UserId: "AIDA" });
    ec2.on(DescribeAvailabilityZonesCommand).callsFake(async (_input, getClient: () => EC2Client) => zones(await getClient().config.region(), ["a", "b"]));
    ec2.on(DescribeVpcEndpointServicesCommand).resolves({ ServiceDetails: [{ ServiceName: "com.amazonaws.us-east-1.execute-api", AvailabilityZones: ["us-east-1a", "us-east-1b"] }] });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    cfn.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => Promise.reject(stackMissing(input.StackName)));
    // The session token runs out between preflight and the first change set.
    cfn.on(CreateChangeSetCommand).rejects(serviceError("ExpiredToken", "The security token included in the request is expired"));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it("ends the stage with stage-failed and the run with one failed result", async () => {
    const { ctx, stdout } = context(cwd);
    const error = await deployPlan(ctx, buildPlan(answers), join(cwd, "answers.json")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailureError);
    expect((error as FailureError).message).toBe("The default AWS credentials have expired.");

    const events = stdout.lines().map((l) => JSON.parse(l) as ProgressEvent);
    const tail = events.slice(events.findIndex((e) => e.kind === "stage-started"));
    expect(tail.map((e) => e.kind)).toEqual(["stage-started", "stage-failed", "result"]);
    expect(tail[1]).toMatchObject({ stage: 1, stackName: "demo-api", region: "us-east-1", message: "The default AWS credentials have expired." });
    expect(tail[2]).toMatchObject({ operation: "deploy", ok: false, summary: "The default AWS credentials have expired.", next: [] });
  });
});

describe("the first Ctrl-C", () => {
  const regions = ["eu-west-1", "ap-southeast-2", "us-west-2"];
  const several: Answers = { ...answers, clients: regions.map((region, i) => ({ region, cidr: `10.${20 + i}.0.0/16` })) };
  const started = (stage: 1 | 2 | 3, region: string | undefined): ProgressEvent => ({
    kind: "stage-started", action: "create", stage, key: stage === 1 ? "api" : stage === 2 ? "client" : "routes",
    stackName: region ? `demo-client-${region}` : "demo-api", region: region ?? "us-east-1", ...(region ? { clientRegion: region } : {}), at: 0,
  });
  // The line the first SIGINT prints while these stages run (the run's human lines go to stderr with --json).
  async function cancelling(of: Answers, running: readonly ProgressEvent[]): Promise<string | undefined> {
    const { ctx } = context(tempDir());
    await withSession(ctx, of, "deploy", async (session) => {
      for (const event of running) session.emit(event);
      process.emit("SIGINT");
    });
    return (ctx.stderr as unknown as ReturnType<typeof captureStream>).lines().find((l) => l.startsWith("Cancelling"));
  }

  it("with one client region, cancels the running operation", async () => {
    expect(await cancelling(answers, [started(2, "eu-west-1")])).toBe("Cancelling the running operation… press Ctrl-C again to detach and leave it running.");
  });

  it("with several client regions, names the regions whose operations run and cancels them all", async () => {
    expect(await cancelling(several, [started(2, "eu-west-1"), started(2, "us-west-2")])).toBe(
      "Cancelling the running operations of client regions eu-west-1 and us-west-2… press Ctrl-C again to detach and leave them running.",
    );
  });

  it("with several client regions and one of them running, names that one", async () => {
    expect(await cancelling(several, [started(3, "ap-southeast-2")])).toBe("Cancelling the running operation of client region ap-southeast-2… press Ctrl-C again to detach and leave it running.");
  });

  it("with several client regions and no stage begun, names every region; in the stage they share, the one operation", async () => {
    expect(await cancelling(several, [])).toBe("Cancelling the running operations of client regions eu-west-1, ap-southeast-2 and us-west-2… press Ctrl-C again to detach and leave them running.");
    expect(await cancelling(several, [started(1, undefined)])).toBe("Cancelling the running operation… press Ctrl-C again to detach and leave it running.");
  });
});
