// A test-only stand-in for the connect and disconnect commands (the lead wires the real ones into the deploy
// engine): the planner's stacks deployed through CreateChangeSet/ExecuteChangeSet with the templates as the
// tool renders them, deleted API side first. Its clients are the tool's AwsClients shape on moto, and count
// every call by service and action, which the suite reports with the time each side took.
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  ExecuteChangeSetCommand,
} from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Route53Client } from "@aws-sdk/client-route-53";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsClients } from "../../src/aws/clients.js";
import { describeStack } from "../../src/aws/stack.js";
import { apiStackParameters } from "../../src/steps/connect/plan.js";
import { loadConnectTemplate } from "../../src/steps/connect/templates.js";
import type { ConnectPlan, StackPlan } from "../../src/steps/connect/types.js";
import { settledChangeSet, settledStack } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";

/** The tool's clients on moto, counting each call as "service:Action". */
export function countingClients(moto: MotoServer, calls: Map<string, number>): AwsClients {
  const cache = new Map<string, { destroy(): void }>();
  const get = <T extends { destroy(): void; middlewareStack: { add: (...args: never[]) => void } }>(service: string, region: string, make: () => T): T => {
    const key = `${service}:${region}`;
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      const count = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const action = `${service}:${(context.commandName ?? "?").replace(/Command$/, "")}`;
        calls.set(action, (calls.get(action) ?? 0) + 1);
        return next(args);
      };
      (client.middlewareStack.add as (m: unknown, o: unknown) => void)(count, { step: "initialize", name: "countCalls" });
      cache.set(key, client);
    }
    return client;
  };
  const config = (region: string) => moto.clientConfig(region);
  return {
    profile: undefined,
    cloudFormation: (region) => get("cloudformation", region, () => new CloudFormationClient(config(region))),
    ec2: (region) => get("ec2", region, () => new EC2Client(config(region))),
    iam: (region) => get("iam", region, () => new IAMClient(config(region))),
    lambda: (region) => get("lambda", region, () => new LambdaClient(config(region))),
    sts: (region) => get("sts", region, () => new STSClient(config(region))),
    apiGateway: async (region) => get("apigateway", region, () => new APIGatewayClient(config(region))),
    route53: async (region) => get("route53", region, () => new Route53Client(config(region))),
    destroy() {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}

/** How a stack ended: created, updated, or left as it was (a change set without changes). */
export type Outcome = "created" | "updated" | "no-op";

async function deployStack(clients: AwsClients, stack: StackPlan, parameters: Readonly<Record<string, string>>): Promise<{ outcome: Outcome; outputs: Record<string, string> }> {
  const cfn = clients.cloudFormation(stack.region);
  const existing = await describeStack(cfn, stack.stackName);
  const { body } = await loadConnectTemplate(stack.key);
  const { Id } = await cfn.send(new CreateChangeSetCommand({
    StackName: stack.stackName,
    ChangeSetName: `connect-${Date.now()}`,
    ChangeSetType: existing ? "UPDATE" : "CREATE",
    TemplateBody: body,
    Capabilities: ["CAPABILITY_IAM"],
    Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    Tags: Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value })),
  }));
  const changeSet = await settledChangeSet(cfn, Id!);
  if (changeSet.Status === "FAILED" && /didn't contain changes/.test(changeSet.StatusReason ?? "")) {
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id }));
    return { outcome: "no-op", outputs: existing!.outputs };
  }
  if (changeSet.Status !== "CREATE_COMPLETE") throw new Error(`${stack.stackName}: change set ${changeSet.Status}: ${changeSet.StatusReason}`);
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
  const settled = await settledStack(cfn, stack.stackName);
  const done = settled && (await describeStack(cfn, stack.stackName));
  if (!done || !/^(CREATE|UPDATE)_COMPLETE$/.test(done.status)) {
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stack.stackName }))).StackEvents ?? [];
    const failed = events.filter((e) => e.ResourceStatus?.endsWith("_FAILED")).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    throw new Error(`${stack.stackName} ended ${done?.status}: ${failed.join("; ")}`);
  }
  return { outcome: existing ? "updated" : "created", outputs: done.outputs };
}

/** connect's two stacks in order: the client side, then the API side with the client's peering. */
export async function driveConnect(clients: AwsClients, plan: ConnectPlan): Promise<{ client: Outcome | "absent"; api: Outcome | "absent"; outputs: Record<string, string> }> {
  if (plan.refusals.length > 0) throw new Error(`refused: ${plan.refusals.map((r) => r.message).join(" | ")}`);
  const client = plan.client.needed ? await deployStack(clients, plan.client, plan.client.parameters) : undefined;
  const api = plan.api.needed ? await deployStack(clients, plan.api, apiStackParameters(plan, client?.outputs ?? {})) : undefined;
  return { client: client?.outcome ?? "absent", api: api?.outcome ?? "absent", outputs: client?.outputs ?? {} };
}

/** disconnect: the API side's stack, then the client side's; a stack that is not there is skipped. */
export async function driveDisconnect(clients: AwsClients, stacks: readonly Pick<StackPlan, "stackName" | "region">[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const { stackName, region } of stacks) {
    const cfn = clients.cloudFormation(region);
    if (!(await describeStack(cfn, stackName))) continue;
    await cfn.send(new DeleteStackCommand({ StackName: stackName }));
    const left = await settledStack(cfn, stackName);
    if (left) throw new Error(`${stackName} is ${left.StackStatus} after its delete`);
    deleted.push(stackName);
  }
  return deleted;
}
