// The deploy engine on a scripted CloudFormation whose events arrive at real-world times (built from the
// real templates with typical per-type create times), on a clock that skips sleeps but counts real
// processing time. Prints DescribeStackEvents calls per stage and the hand-off delay between stages.
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { join } from "node:path";
import { deployAll } from "../../src/steps/deploy/deploy.js";
import { buildPlan } from "../../src/steps/plan.js";
import { templatesDir } from "../../src/aws/templates.js";
import type { Clock } from "../../src/aws/clock.js";
import { FakeCloudFormation, FakeClock, resourceEvent, stackEvent, type EventSpec } from "../../test/helpers/cfn-timeline.js";
import { loadTemplate } from "../../test/helpers/cfn-yaml.js";
import { FakeFunctionNetwork } from "../../test/helpers/function-network-timeline.js";

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
const plan = buildPlan({ name: "bench", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16", apiAzs: "us-east-1b,us-east-1c", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16", azs: "eu-west-1b,eu-west-1c" }] });
const clock = new SkippingClock();
const cfn = new FakeCloudFormation(clock);
cfn.latencyMs = 60;
// The client function's network, as the engine checks it once stage 2 is complete (mocked: nothing leaves).
const net = new FakeFunctionNetwork(clock);
const credentials = { accessKeyId: "x", secretAccessKey: "y" };
// AWS pages DescribeStackEvents 100 events at a time.
cfn.pageSize = 100;
// Every output a stage's template declares, so that a later stage finds what it takes: AWS-shaped values
// for the ones the engine reads, a placeholder for the rest.
const KNOWN_OUTPUTS: Record<string, string> = {
  VpcId: "vpc-0123456789abcdef0",
  ApiId: "abcde12345",
  StageName: "v1",
  EndpointDnsName: "vpce-0a-b.execute-api.us-east-1.vpce.amazonaws.com",
  EndpointHostedZoneId: "Z7HUB22UULQXV",
  PeeringConnectionId: "pcx-0123456789abcdef0",
  FunctionName: "bench-client",
};
const outputsOf = (template: string) =>
  Object.fromEntries(Object.keys((loadTemplate(join(templatesDir(), template)).Outputs ?? {}) as Record<string, unknown>).map((key) => [key, KNOWN_OUTPUTS[key] ?? `bench-${key}`]));
const lengths: number[] = [];
for (const stage of plan.stages) {
  const { batches, afterMs, seconds } = timeline(stage.template);
  lengths.push(seconds);
  cfn.stack(stage.stackName, { execute: { batches, afterMs, outputs: outputsOf(stage.template) } });
}
const clients = new Map<string, CloudFormationClient>();
const result = await deployAll(
  {
    clients: {
      profile: undefined,
      cloudFormation: (region) =>
        clients.get(region) ?? clients.set(region, new CloudFormationClient({ region, credentials })).get(region)!,
      lambda: (region) => new LambdaClient({ region, credentials }),
      ec2: (region) => new EC2Client({ region, credentials }),
    },
    emit: () => {},
    clock,
    signal: new AbortController().signal,
    confirmReplace: async () => true,
  },
  plan,
  { maxParallel: 1 },
);
if (result.kind !== "deployed") throw new Error(`bench deploy ended ${result.kind}: ${JSON.stringify(result).slice(0, 600)}`);
for (const [i, stage] of result.stages.entries()) {
  const calls = stage.result.stats.describeStackEventsCalls;
  const handoff = stage.handoffMs === undefined ? "—" : `${stage.handoffMs.toFixed(1)} ms (goal ≤ 1000 ms)`;
  console.log(
    `stage ${stage.stage} ${stage.stackName.padEnd(13)} ${String(lengths[i]?.toFixed(0)).padStart(4)} s of events  ${String(calls).padStart(3)} DescribeStackEvents calls  hand-off from previous stage: ${handoff}`,
  );
}
cfn.mock.restore();
net.restore();
