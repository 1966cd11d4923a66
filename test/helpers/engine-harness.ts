// Builds the engine's context for a test: a fake clock, the scripted CloudFormation, an event recorder,
// an AbortController standing in for Ctrl-C, and a three-stage plan over the fixture templates.
import { fileURLToPath } from "node:url";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { onTestFinished, vi } from "vitest";
import type { DeployContext } from "../../src/steps/context.js";
import type { ProgressEvent } from "../../src/steps/events.js";
import type { Plan, StagePlan } from "../../src/steps/plan.js";
import { type Deployment, lookupStacks } from "../../src/steps/stacks.js";
import { type TeardownOptions, teardownAll } from "../../src/steps/teardown/teardown.js";
import { FakeClock, FakeCloudFormation } from "./cfn-timeline.js";
import { FakeFunctionNetwork } from "./function-network-timeline.js";

export const API_REGION = "eu-west-1";
export const CLIENT_REGION = "us-east-1";
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

export function harness(options: { profile?: string } = {}) {
  const clock = new FakeClock();
  const cfn = new FakeCloudFormation(clock);
  const net = new FakeFunctionNetwork(clock);
  onTestFinished(() => {
    cfn.mock.restore();
    net.restore();
  });
  const events: ProgressEvent[] = [];
  const controller = new AbortController();
  const clients = new Map<string, CloudFormationClient>();
  const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };
  const confirmReplace = vi.fn(async (_stackName: string, _region: string) => true);
  const ctx: DeployContext = {
    clients: {
      profile: options.profile,
      cloudFormation: (region) => {
        let client = clients.get(region);
        if (!client) {
          client = new CloudFormationClient({ region, credentials });
          clients.set(region, client);
        }
        return client;
      },
      lambda: (region) => new LambdaClient({ region, credentials }),
      ec2: (region) => new EC2Client({ region, credentials }),
    },
    emit: (event) => events.push(event),
    clock,
    signal: controller.signal,
    random: () => 0.5,
    confirmReplace,
    templatesDir: FIXTURES,
  };
  return { clock, cfn, net, events, controller, ctx, confirmReplace };
}

const TAGS = { "xregion-private-api:deployment": "demo" };

export const STAGE_1: StagePlan = {
  number: 1, key: "api", title: "Private API", region: API_REGION, clientRegion: undefined, stackName: "demo-api", template: "1-api.yaml",
  parameters: { DeploymentName: { kind: "value", value: "demo" }, VpcCidr: { kind: "value", value: "10.10.0.0/16" } },
  tags: { ...TAGS, "xregion-private-api:stage": "api" },
};
export const STAGE_2: StagePlan = {
  number: 2, key: "client", title: "Client function and peering", region: CLIENT_REGION, clientRegion: CLIENT_REGION, stackName: "demo-client", template: "2-client.yaml",
  parameters: { DeploymentName: { kind: "value", value: "demo" }, ApiVpcId: { kind: "output", stage: 1, output: "VpcId" } },
  tags: { ...TAGS, "xregion-private-api:stage": "client" },
};
export const STAGE_3: StagePlan = {
  number: 3, key: "routes", title: "Return routes", region: API_REGION, clientRegion: CLIENT_REGION, stackName: "demo-routes", template: "3-routes.yaml",
  parameters: { PeeringConnectionId: { kind: "output", stage: 2, output: "PeeringConnectionId" } },
  tags: { ...TAGS, "xregion-private-api:stage": "routes" },
};

export const PLAN: Plan = {
  answers: { name: "demo", apiRegion: API_REGION, apiCidr: "10.10.0.0/16", clients: [{ region: CLIENT_REGION, cidr: "10.20.0.0/16" }] },
  api: { region: API_REGION, cidr: "10.10.0.0/16", subnets: [{ cidr: "10.10.0.0/24", azIndex: 0 }, { cidr: "10.10.1.0/24", azIndex: 1 }], zones: [{ name: "eu-west-1b", id: "euw1-az1" }, { name: "eu-west-1c", id: "euw1-az2" }] },
  clients: [{ region: CLIENT_REGION, cidr: "10.20.0.0/16", subnets: [{ cidr: "10.20.0.0/24", azIndex: 0 }, { cidr: "10.20.1.0/24", azIndex: 1 }], zones: [{ name: "us-east-1b", id: "use1-az6" }, { name: "us-east-1c", id: "use1-az1" }] }],
  stages: [STAGE_1, STAGE_2, STAGE_3],
  ssmPrefix: "/xregion-private-api/demo",
  cost: { lines: [] },
  warnings: [],
};

// "kind" or "kind:status" per event: enough to assert the sequence a renderer will see.
export function sequence(events: readonly ProgressEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case "resource":
        return `resource:${e.logicalId}:${e.status}`;
      case "stage-started":
        return `stage-started:${e.stage}:${e.action}`;
      case "stage-finished":
        return `stage-finished:${e.stage}:${e.outcome}`;
      case "stage-failed":
        return `stage-failed:${e.stage}:${e.status}`;
      case "stage-cancelled":
        return `stage-cancelled:${e.stage}:${e.status}`;
      case "stages-queued":
        return `stages-queued:${e.stages.map((s) => s.stage).join(",")}`;
      default:
        return e.kind;
    }
  });
}

/** The one-region deployment the harness's teardowns find. */
export const TARGET: Deployment = { name: "demo", apiRegion: API_REGION, clients: [{ region: CLIENT_REGION }] };

/** A teardown as the command runs it: the stacks found first, then deleted (all of them, 4 regions at once). */
export async function teardown(h: ReturnType<typeof harness>, target: Deployment = TARGET, options: Partial<TeardownOptions> = {}) {
  return teardownAll(h.ctx, await lookupStacks(h.ctx.clients, target), { maxParallel: 4, removeApi: true, ...options });
}

