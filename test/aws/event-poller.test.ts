import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { describe, expect, it, onTestFinished } from "vitest";
import { pollDelay, throttledDelay } from "../../src/aws/clock.js";
import { StackEventPoller, watchStack } from "../../src/aws/event-poller.js";
import {
  createdResource,
  FakeClock,
  FakeCloudFormation,
  resourceEvent,
  serviceError,
  stackEvent,
} from "../helpers/cfn-timeline.js";

const NAME = "demo-api";
const TOKEN = "xregion-deploy-test";

function setup() {
  const clock = new FakeClock();
  const cfn = new FakeCloudFormation(clock);
  onTestFinished(() => cfn.mock.restore());
  const client = new CloudFormationClient({ region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  return { clock, cfn, client };
}

// Puts a stack with history in place and starts "our" operation with TOKEN, as ExecuteChangeSet would.
async function startOperation(cfn: FakeCloudFormation, client: CloudFormationClient, batches: Parameters<FakeCloudFormation["stack"]>[1]["execute"]) {
  cfn.stack(NAME, {
    status: "UPDATE_ROLLBACK_COMPLETE",
    history: [stackEvent("UPDATE_IN_PROGRESS", "User Initiated"), stackEvent("UPDATE_ROLLBACK_COMPLETE")],
    execute: batches,
  });
  const { CreateChangeSetCommand, ExecuteChangeSetCommand } = await import("@aws-sdk/client-cloudformation");
  const cs = await client.send(new CreateChangeSetCommand({ StackName: NAME, ChangeSetName: "x", ChangeSetType: "UPDATE" }));
  await client.send(new ExecuteChangeSetCommand({ ChangeSetName: cs.Id, ClientRequestToken: TOKEN }));
  return cs.StackId ?? "";
}

describe("StackEventPoller", () => {
  it("returns only new events, oldest first, paging newest-first until the first event already seen", async () => {
    const { clock, cfn, client } = setup();
    const [vpcStart, vpcInit, vpcDone] = createdResource("Vpc", "AWS::EC2::VPC");
    const stackId = await startOperation(cfn, client, {
      batches: [
        [stackEvent("UPDATE_IN_PROGRESS", "User Initiated"), vpcStart, vpcInit, resourceEvent("Sg", "AWS::EC2::SecurityGroup", "UPDATE_IN_PROGRESS")],
        [vpcDone, stackEvent("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")],
      ],
    });
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since: clock.now() });

    const first = await poller.poll();
    expect(first.map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`)).toEqual([
      `${NAME}:UPDATE_IN_PROGRESS`,
      "Vpc:CREATE_IN_PROGRESS",
      "Vpc:CREATE_IN_PROGRESS",
      "Sg:UPDATE_IN_PROGRESS",
    ]);
    // 4 new events at 3 per page: the second page ends at the previous operation's events.
    expect(cfn.count("DescribeStackEvents")).toBe(2);
    expect(first[1]?.PhysicalResourceId).toBe("");
    expect(first[2]?.PhysicalResourceId).toMatch(/^vpc-/);

    const second = await poller.poll();
    expect(second.map((e) => e.ResourceStatus)).toEqual(["CREATE_COMPLETE", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"]);
    expect(cfn.count("DescribeStackEvents")).toBe(3);
    expect(poller.complete).toBe(false);
    expect(await poller.poll()).toEqual([]);
    expect(poller.calls).toBe(4);
  });

  it("never reports the previous operation's terminal event as completion", async () => {
    const { clock, cfn, client } = setup();
    const stackId = await startOperation(cfn, client, { batches: [[], [stackEvent("UPDATE_IN_PROGRESS", "User Initiated")]] });
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since: clock.now() });
    expect(await poller.poll()).toEqual([]);
    expect(poller.complete).toBe(false);
    expect(poller.status).toBeUndefined();
  });

  it("knows completion only from the stack's own event", async () => {
    const { clock, cfn, client } = setup();
    const stackId = await startOperation(cfn, client, {
      batches: [[stackEvent("UPDATE_IN_PROGRESS"), resourceEvent("Vpc", "AWS::EC2::VPC", "UPDATE_COMPLETE")], [stackEvent("UPDATE_COMPLETE")]],
    });
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since: clock.now() });
    await poller.poll();
    expect(poller.complete).toBe(false);
    await poller.poll();
    expect(poller.complete).toBe(true);
    expect(poller.status).toBe("UPDATE_COMPLETE");
  });

  it("takes the first failed resource as the root cause, not the cancelled ones after it", async () => {
    const { clock, cfn, client } = setup();
    const stackId = await startOperation(cfn, client, {
      batches: [
        [stackEvent("UPDATE_IN_PROGRESS"), resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "CREATE_IN_PROGRESS")],
        [
          resourceEvent("Function", "AWS::Lambda::Function", "CREATE_FAILED", "Resource creation cancelled"),
          resourceEvent("Peering", "AWS::EC2::VPCPeeringConnection", "CREATE_FAILED", "VpcPeeringConnection failed to reach active state"),
        ],
        [resourceEvent("Zone", "AWS::Route53::HostedZone", "CREATE_FAILED", "Resource creation cancelled"), stackEvent("UPDATE_ROLLBACK_IN_PROGRESS")],
      ],
    });
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since: clock.now() });
    await poller.poll();
    await poller.poll();
    await poller.poll();
    expect(poller.rootCause).toEqual({
      logicalId: "Peering",
      resourceType: "AWS::EC2::VPCPeeringConnection",
      reason: "VpcPeeringConnection failed to reach active state",
    });
  });

  it("keeps the stack's first failure reason when no resource failed and ROLLBACK_COMPLETE has none", async () => {
    const { clock, cfn, client } = setup();
    // A zone parameter AWS finds no zone for: the stack itself fails, no resource does (AWSinAction/code2#40).
    const validation = "Parameter validation failed: parameter value eu-west-1a for parameter name AvailabilityZone1 does not exist. Rollback requested by user.";
    cfn.stack(NAME, {
      execute: { batches: [[stackEvent("CREATE_IN_PROGRESS", "User Initiated")], [stackEvent("ROLLBACK_IN_PROGRESS", validation)], [stackEvent("ROLLBACK_COMPLETE")]] },
    });
    const { CreateChangeSetCommand, ExecuteChangeSetCommand } = await import("@aws-sdk/client-cloudformation");
    const cs = await client.send(new CreateChangeSetCommand({ StackName: NAME, ChangeSetName: "x", ChangeSetType: "CREATE" }));
    await client.send(new ExecuteChangeSetCommand({ ChangeSetName: cs.Id, ClientRequestToken: TOKEN }));
    const poller = new StackEventPoller(client, { stack: cs.StackId ?? "", stackName: NAME, tokens: [TOKEN], since: clock.now() });
    await poller.poll();
    expect(poller.statusReason).toBeUndefined(); // "User Initiated" is no failure
    await poller.poll();
    await poller.poll();
    expect([poller.status, poller.complete, poller.rootCause]).toEqual(["ROLLBACK_COMPLETE", true, undefined]);
    expect(poller.statusReason).toBe(validation);
  });

  it("counts events without a request token (moto, LocalStack) from the operation's start time", async () => {
    const { clock, cfn, client } = setup();
    cfn.tokens = false;
    const since = clock.now();
    const stackId = await startOperation(cfn, client, { batches: [[stackEvent("UPDATE_IN_PROGRESS"), stackEvent("UPDATE_COMPLETE")]] });
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since });
    expect((await poller.poll()).map((e) => e.ResourceStatus)).toEqual(["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]);
    expect(poller.status).toBe("UPDATE_COMPLETE");
  });
});

describe("watchStack", () => {
  it("polls at 1, 1, 2, 3 then 5 seconds while the stack works", async () => {
    const { clock, cfn, client } = setup();
    const quiet = Array.from({ length: 7 }, () => []);
    const stackId = await startOperation(cfn, client, { batches: [[stackEvent("UPDATE_IN_PROGRESS")], ...quiet, [stackEvent("UPDATE_COMPLETE")]] });
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since: clock.now() });
    const result = await watchStack(poller, { clock, random: () => 0.5, onEvents: () => {} });
    expect(result).toMatchObject({ status: "UPDATE_COMPLETE", settled: true, aborted: false });
    expect(clock.sleeps).toEqual([1000, 1000, 2000, 3000, 5000, 5000, 5000, 5000]);
    expect(poller.calls).toBe(9);
  });

  it("jitters each interval by at most a fifth", () => {
    expect(pollDelay(0, () => 0)).toBe(800);
    expect(pollDelay(0, () => 1)).toBe(1200);
    expect(pollDelay(99, () => 1)).toBe(6000);
  });

  it("backs off while throttled, doubling from 2 s, never past 10 s (+20 % jitter)", () => {
    expect([1, 2, 3, 4, 5, 50].map((n) => throttledDelay(n, () => 0.5))).toEqual([2000, 4000, 8000, 10000, 10000, 10000]);
    expect(throttledDelay(99, () => 1)).toBe(12000);
  });

  it("keeps polling through throttling, backing off longer each time", async () => {
    const { clock, cfn, client } = setup();
    const stackId = await startOperation(cfn, client, { batches: [[stackEvent("UPDATE_IN_PROGRESS")], [stackEvent("UPDATE_COMPLETE")]] });
    cfn
      .failNext("DescribeStackEvents", serviceError("Throttling", "Rate exceeded"))
      .failNext("DescribeStackEvents", serviceError("ThrottlingException", "Rate exceeded"));
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since: clock.now() });
    const result = await watchStack(poller, { clock, random: () => 0.5, onEvents: () => {} });
    expect(result.status).toBe("UPDATE_COMPLETE");
    expect(clock.sleeps).toEqual([throttledDelay(1, () => 0.5), throttledDelay(2, () => 0.5), 1000]);
    expect(clock.sleeps.slice(0, 2)).toEqual([2000, 4000]);
  });

  it("polls once more after a failure so a late root cause is not lost", async () => {
    const { clock, cfn, client } = setup();
    const stackId = await startOperation(cfn, client, {
      batches: [
        [stackEvent("UPDATE_IN_PROGRESS"), stackEvent("UPDATE_ROLLBACK_IN_PROGRESS"), stackEvent("UPDATE_ROLLBACK_COMPLETE")],
        [resourceEvent("Route", "AWS::EC2::Route", "UPDATE_FAILED", "The route identified by 10.20.0.0/16 already exists.")],
      ],
    });
    const poller = new StackEventPoller(client, { stack: stackId, stackName: NAME, tokens: [TOKEN], since: clock.now() });
    const seen: string[] = [];
    await watchStack(poller, { clock, random: () => 0.5, onEvents: (events) => events.forEach((e) => seen.push(e.ResourceStatus ?? "")) });
    expect(poller.rootCause?.logicalId).toBe("Route");
    expect(seen.at(-1)).toBe("UPDATE_FAILED");
    expect(clock.sleeps).toEqual([]);
  });
});
