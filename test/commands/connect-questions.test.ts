// connect's questions list what exists: the private APIs of region A with their stages, the execute-api
// endpoints marked by what makes them the API's, the functions attached to a VPC and the VPCs of region B,
// and a VPC's subnets. Each list is read through the SDK (mocked) and offered to a stand-in for inquirer.
import { APIGatewayClient, GetRestApisCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import { DescribeSubnetsCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { connectChooser } from "../../src/commands/connect-questions.js";
import type { ListChoice } from "../../src/ui/prompts.js";
import { testClients } from "../helpers/aws-fixtures.js";

const apigw = mockClient(APIGatewayClient);
const ec2 = mockClient(EC2Client);
const lambda = mockClient(LambdaClient);
const VPCE = "vpce-0a1b2c3d4e5f60718";
const OTHER = "vpce-0ffffffffffffffff";
const POLICY = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": VPCE } } }] });

// Stands in for inquirer: records what each question offered and answers with the pick.
function prompts(pick: (message: string, choices: readonly ListChoice<unknown>[]) => unknown) {
  const asked: { message: string; choices: string[]; descriptions: (string | undefined)[] }[] = [];
  const record = (message: string, choices: readonly ListChoice<unknown>[]) => asked.push({ message, choices: choices.map((c) => c.name), descriptions: choices.map((c) => c.description) });
  const module = {
    askChoice: async (message: string, choices: readonly ListChoice<unknown>[]) => (record(message, choices), pick(message, choices)),
    askSome: async (message: string, choices: readonly ListChoice<string>[]) => (record(message, choices), [choices[0]!.value]),
    askConnectionName: async (initial: string) => initial,
    terminalAsker: () => ({ region: async () => "us-east-1" }),
  };
  return { asked, load: async () => module as never };
}

describe("connect's questions", () => {
  let clients: AwsClients;
  beforeEach(() => {
    for (const m of [apigw, ec2, lambda]) m.reset();
    clients = testClients();
    apigw.on(GetRestApisCommand).resolves({
      items: [
        { id: "a1b2c3d4e5", name: "orders-internal", endpointConfiguration: { types: ["PRIVATE"], vpcEndpointIds: [VPCE] }, policy: POLICY.replace(/"/g, '\\"') },
        { id: "p0p0p0p0p0", name: "public-one", endpointConfiguration: { types: ["REGIONAL"] } },
      ],
    });
    apigw.on(GetStagesCommand).resolves({ item: [{ stageName: "prod", deploymentId: "d1" }, { stageName: "test", deploymentId: "d2" }] });
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        { VpcEndpointId: VPCE, VpcId: "vpc-0a", State: "Available", SubnetIds: ["subnet-0a1"], PrivateDnsEnabled: true, OwnerId: "123456789012" },
        { VpcEndpointId: OTHER, VpcId: "vpc-0c", State: "Available", SubnetIds: ["subnet-0c1"], PrivateDnsEnabled: false, OwnerId: "123456789012" },
      ],
    });
    lambda.on(ListFunctionsCommand).resolves({
      Functions: [
        { FunctionName: "orders-caller", FunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders-caller", VpcConfig: { VpcId: "vpc-0b", SubnetIds: ["subnet-0b1", "subnet-0b2"], SecurityGroupIds: ["sg-0fn"] } },
        { FunctionName: "not-in-a-vpc", FunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:not-in-a-vpc" },
      ],
    });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: "vpc-0b", CidrBlock: "10.60.0.0/16", Tags: [{ Key: "Name", Value: "apps" }] }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: "subnet-0b1", CidrBlock: "10.60.4.0/24", AvailabilityZone: "eu-west-1b" }, { SubnetId: "subnet-0b2", CidrBlock: "10.60.5.0/24", AvailabilityZone: "eu-west-1c" }] });
  });
  afterEach(() => clients.destroy());

  it("offers the region's private APIs only, with their stages, then the stages of the one chosen", async () => {
    const p = prompts((_m, choices) => choices[choices.length - 1]!.value);
    const chooser = connectChooser(clients, p.load);
    expect(await chooser.api("us-east-1")).toBe("a1b2c3d4e5");
    expect(await chooser.stage("us-east-1", "a1b2c3d4e5")).toBe("test");
    expect(p.asked[0]).toEqual({ message: "Private API in us-east-1 (of 1)", choices: ["orders-internal  a1b2c3d4e5"], descriptions: ["stages: prod, test"] });
    expect(p.asked[1]!.choices).toEqual(["prod", "test"]);
    // Listed once: the stage question reads the same list.
    expect(apigw.commandCalls(GetRestApisCommand)).toHaveLength(1);
  });

  it("marks each execute-api endpoint by what makes it the API's, and lets connect choose first", async () => {
    const p = prompts((_m, choices) => choices[0]!.value);
    const chooser = connectChooser(clients, p.load);
    await chooser.api("us-east-1");
    expect(await chooser.endpoint("us-east-1", "a1b2c3d4e5")).toBeUndefined();
    expect(p.asked[1]!.choices).toEqual([
      "Let connect choose: the endpoint the API names, else the one its policy admits",
      `${VPCE}  vpc-0a  named by the API · admitted by the API's policy · private DNS on`,
      `${OTHER}  vpc-0c  not admitted by the API's policy · private DNS off`,
    ]);
  });

  it("offers the functions attached to a VPC and the VPCs, then a VPC's subnets", async () => {
    const p = prompts((_m, choices) => choices[1]!.value);
    const chooser = connectChooser(clients, p.load);
    expect(await chooser.client("eu-west-1")).toEqual({ kind: "network", clientVpc: "vpc-0b", clientSubnets: "subnet-0b1" });
    expect(p.asked[0]!.choices).toEqual(["function orders-caller", "VPC vpc-0b (apps)"]);
    expect(p.asked[0]!.descriptions[0]).toBe("in vpc-0b, 2 subnets, groups sg-0fn");
    expect(p.asked[1]!.choices).toEqual(["subnet-0b1  10.60.4.0/24  eu-west-1b", "subnet-0b2  10.60.5.0/24  eu-west-1c"]);
  });

  it("says when a region has no private API to choose (exit 2, with the flags to pass)", async () => {
    apigw.on(GetRestApisCommand).resolves({ items: [] });
    const chooser = connectChooser(clients, prompts(() => undefined).load);
    await expect(chooser.api("us-east-1")).rejects.toThrow("us-east-1 has no private REST API these credentials can see: pick the region the API is in, or pass --api-id and --api-region");
  });
});
