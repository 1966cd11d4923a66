// The deploy engine on a scripted CloudFormation whose events arrive at real-world times (built from the
// real templates with typical per-type create times), on a clock that skips sleeps but counts real
// processing time. Prints DescribeStackEvents calls per stage and the hand-off delay between stages.
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { join } from "node:path";
import { deployAll } from "../../src/steps/deploy/deploy.js";
import { buildPlan } from "../../src/steps/plan.js";
import { templatesDir } from "../../src/aws/templates.js";
import type { Clock } from "../../src/aws/clock.js";
import { FakeCloudFormation, FakeClock, resourceEvent, stackEvent, type EventSpec } from "../../test/helpers/cfn-timeline.js";
import { loadTemplate } from "../../test/helpers/cfn-yaml.js";

// Typical create times in AWS (seconds): interface endpoints and VPC Lambda functions dominate.
const CREATE_SECONDS: Record<string, number> = {
  "AWS::EC2::VPCEndpoint": 110,
  "AWS::Lambda::Function": 45,
  "AWS::Route53::HostedZone": 40,
  "AWS::Route53::RecordSet": 35,
  "AWS::EC2::VPCPeeringConnection": 12,
  "AWS::EC2::VPC": 12,
  "AWS::IAM::Role": 15,
  "AWS::SSM::Parameter": 3,
};

function timeline(template: string): { batches: EventSpec[][]; afterMs: number[]; seconds: number } {
  const resources = Object.entries(loadTemplate(join(templatesDir(), template)).Resources as Record<string, { Type: string }>);
  const marks: { at: number; events: EventSpec[] }[] = [{ at: 0, events: [stackEvent("CREATE_IN_PROGRESS", "User Initiated")] }];
  let end = 0;
  resources.forEach(([id, { Type }], i) => {
    const start = 1 + i * 0.5;
    const done = start + (CREATE_SECONDS[Type] ?? 5);
    end = Math.max(end, done);
    marks.push({ at: start, events: [resourceEvent(id, Type, "CREATE_IN_PROGRESS")] });
    marks.push({ at: start + 0.3, events: [resourceEvent(id, Type, "CREATE_IN_PROGRESS", "Resource creation Initiated")] });
    marks.push({ at: done, events: [resourceEvent(id, Type, "CREATE_COMPLETE")] });
  });
  marks.push({ at: end + 1, events: [stackEvent("CREATE_COMPLETE")] });
  marks.sort((a, b) => a.at - b.at);
  return { batches: marks.map((m) => m.events), afterMs: marks.map((m) => m.at * 1000), seconds: end + 1 };
}

// Sleeps cost nothing, but time spent computing between polls is real, so the hand-off delay measures us.
class SkippingClock extends FakeClock implements Clock {
  private readonly origin = performance.now();
  override now(): number {
    return this.t + (performance.now() - this.origin);
  }
}

// Zones as preflight would have chosen them (the stacks take them since the zones change).
const plan = buildPlan({ name: "bench", apiRegion: "us-east-1", clientRegion: "eu-west-1", apiCidr: "10.10.0.0/16", clientCidr: "10.20.0.0/16", apiAzs: "us-east-1b,us-east-1c", clientAzs: "eu-west-1b,eu-west-1c" });
const clock = new SkippingClock();
const cfn = new FakeCloudFormation(clock);
cfn.latencyMs = 60;
// AWS pages DescribeStackEvents 100 events at a time.
cfn.pageSize = 100;
const outputs: Record<string, Record<string, string>> = {
  "bench-api": { VpcId: "vpc-0123456789abcdef0", ApiId: "abcde12345", StageName: "v1", EndpointDnsName: "vpce-0a-b.execute-api.us-east-1.vpce.amazonaws.com", EndpointHostedZoneId: "Z7HUB22UULQXV" },
  "bench-client": { PeeringConnectionId: "pcx-0123456789abcdef0", FunctionName: "bench-client" },
  "bench-routes": {},
};
const lengths: number[] = [];
for (const stage of plan.stages) {
  const { batches, afterMs, seconds } = timeline(stage.template);
  lengths.push(seconds);
  cfn.stack(stage.stackName, { execute: { batches, afterMs, outputs: outputs[stage.stackName] } });
}
const clients = new Map<string, CloudFormationClient>();
const result = await deployAll(
  {
    clients: {
      profile: undefined,
      cloudFormation: (region) =>
        clients.get(region) ?? clients.set(region, new CloudFormationClient({ region, credentials: { accessKeyId: "x", secretAccessKey: "y" } })).get(region)!,
    },
    emit: () => {},
    clock,
    signal: new AbortController().signal,
    confirmReplace: async () => true,
  },
  plan,
);
if (result.kind !== "deployed") throw new Error(`bench deploy ended ${result.kind}`);
for (const [i, stage] of result.stages.entries()) {
  const calls = stage.result.stats.describeStackEventsCalls;
  const handoff = stage.handoffMs === undefined ? "—" : `${stage.handoffMs.toFixed(1)} ms (goal ≤ 1000 ms)`;
  console.log(
    `stage ${stage.stage} ${stage.stackName.padEnd(13)} ${String(lengths[i]?.toFixed(0)).padStart(4)} s of events  ${String(calls).padStart(3)} DescribeStackEvents calls  hand-off from previous stage: ${handoff}`,
  );
}
cfn.mock.restore();
