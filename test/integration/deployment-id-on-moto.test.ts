// The API Deployment's hashed logical id on the wire (moto, through our launcher): stage 1 deployed as
// the tool renders it, re-deployed unchanged (an empty change set), then with one parameter changed:
// the change set adds a new Deployment, modifies the Stage that refers to it and removes the old one.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { APIGatewayClient, GetDeploymentsCommand, GetStageCommand } from "@aws-sdk/client-api-gateway";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackResourcesCommand,
  ExecuteChangeSetCommand,
  type DescribeChangeSetCommandOutput,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateFacts } from "../../src/aws/template-facts.js";
import { renderTemplate } from "../../src/steps/deploy/deployment-id.js";
import { describeStack, outputsOf } from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";

const REGION = "us-east-1";
const STACK = "hash-api";
const SOURCE = readFileSync(new URL("../../templates/1-api.yaml", import.meta.url), "utf8");
const PARAMETERS = {
  DeploymentName: "hash",
  VpcCidr: "10.10.0.0/16",
  Subnet1Cidr: "10.10.0.0/24",
  Subnet2Cidr: "10.10.1.0/24",
  // The emulated account's us-east-1a is use1-az3, where execute-api is not offered.
  AvailabilityZone1: "us-east-1b",
  AvailabilityZone2: "us-east-1c",
  ClientVpcCidr: "10.20.0.0/16",
};

let moto: MotoServer;
let cfn: CloudFormationClient;
let apigw: APIGatewayClient;

beforeAll(async () => {
  moto = await startMotoServer();
  cfn = new CloudFormationClient(moto.clientConfig(REGION));
  apigw = new APIGatewayClient(moto.clientConfig(REGION));
});

afterAll(async () => {
  cfn?.destroy();
  apigw?.destroy();
  await moto?.stop();
});

async function changeSet(type: "CREATE" | "UPDATE", parameters: Record<string, string>): Promise<DescribeChangeSetCommandOutput> {
  const { Id } = await cfn.send(
    new CreateChangeSetCommand({
      StackName: STACK,
      ChangeSetName: `xregion-${randomUUID()}`,
      ChangeSetType: type,
      TemplateBody: renderTemplate(SOURCE, parameters, templateFacts(SOURCE)).body,
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    if (described.Status !== "CREATE_PENDING" && described.Status !== "CREATE_IN_PROGRESS") return described;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the change set never settled");
}

async function execute(described: DescribeChangeSetCommandOutput): Promise<void> {
  expect(described.Status, described.StatusReason).toBe("CREATE_COMPLETE");
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: described.ChangeSetId }));
}

/** The stack's Deployment resources (logical → physical id) and the deployment its Stage serves. */
async function served(): Promise<{ deployments: Record<string, string>; stageDeployment: string | undefined }> {
  const { StackResources } = await cfn.send(new DescribeStackResourcesCommand({ StackName: STACK }));
  const deployments = Object.fromEntries(
    (StackResources ?? []).filter((r) => r.ResourceType === "AWS::ApiGateway::Deployment").map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]),
  );
  const apiId = outputsOf(await describeStack(cfn, STACK)).ApiId!;
  const stage = await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: "v1" }));
  return { deployments, stageDeployment: stage.deploymentId };
}

describe("the API Deployment's hashed id on moto", () => {
  const first = renderTemplate(SOURCE, PARAMETERS, templateFacts(SOURCE)).renamed!.to;

  it("creates stage 1 with the hashed Deployment, which the Stage serves", async () => {
    await execute(await changeSet("CREATE", PARAMETERS));
    expect((await describeStack(cfn, STACK))?.StackStatus).toBe("CREATE_COMPLETE");
    const { deployments, stageDeployment } = await served();
    expect(Object.keys(deployments)).toEqual([first]);
    expect(stageDeployment).toBe(deployments[first]);
  });

  it("re-deploying the same template and values is an empty change set", async () => {
    const again = await changeSet("UPDATE", PARAMETERS);
    expect(again.Status).toBe("FAILED");
    expect(again.StatusReason).toMatch(/didn't contain changes/);
  });

  it("a changed parameter adds a new Deployment, modifies the Stage and removes the old Deployment", async () => {
    const changed = { ...PARAMETERS, ClientVpcCidr: "10.30.0.0/16" };
    const second = renderTemplate(SOURCE, changed, templateFacts(SOURCE)).renamed!.to;
    expect(second).not.toBe(first);
    const update = await changeSet("UPDATE", changed);
    const actions = (update.Changes ?? []).map((c) => [c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId]);
    expect(actions).toEqual(expect.arrayContaining([["Add", second], ["Remove", first], ["Modify", "Stage"]]));
    await execute(update);
    expect((await describeStack(cfn, STACK))?.StackStatus).toBe("UPDATE_COMPLETE");
    const { deployments, stageDeployment } = await served();
    expect(Object.keys(deployments)).toEqual([second]);
    // The Stage serves the new deployment, as on AWS: its DeploymentId is a Ref to it, and the launcher
    // updates a Stage's DeploymentId in place (apigateway:StageModel, row 4 of docs/emulator.md).
    expect(stageDeployment).toBe(deployments[second]);
    const apiId = outputsOf(await describeStack(cfn, STACK)).ApiId!;
    const { items } = await apigw.send(new GetDeploymentsCommand({ restApiId: apiId }));
    expect(items?.map((d) => d.id)).toContain(deployments[second]);
  });
});
