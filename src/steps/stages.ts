// The contract between the tool and the three templates: which template each stage deploys, in which
// region, and the names of the parameters it takes and the outputs the tool reads back. Template tests
// check both directions against the YAML, so a rename on either side fails the suite. Also the one
// locator of a stage's stack (name and region).
import type { Answers } from "../config/answers.js";
import type { StageRef } from "./events.js";

/** A stage's key: api, client or routes. */
export type StageKey = "api" | "client" | "routes";
/** Which region a stage deploys to: the API's or the client's. */
export type RegionRole = "api" | "client";

/** One stage of the contract: template, region, parameters taken and outputs given. */
export interface StageDef {
  readonly number: 1 | 2 | 3;
  readonly key: StageKey;
  readonly title: string;
  readonly template: string;
  readonly regionRole: RegionRole;
  readonly parameters: readonly string[];
  readonly outputs: readonly string[];
}

/** The three stages, in deploy order. */
export const STAGES: readonly [StageDef, StageDef, StageDef] = [
  {
    number: 1,
    key: "api",
    title: "Private API",
    template: "1-api.yaml",
    regionRole: "api",
    parameters: [
      "DeploymentName",
      "VpcCidr",
      "Subnet1Cidr",
      "Subnet2Cidr",
      "AvailabilityZone1",
      "AvailabilityZone2",
      "ClientVpcCidr",
    ],
    outputs: [
      "VpcId",
      "VpcCidr",
      "ApiId",
      "StageName",
      "InvokeUrl",
      "EndpointDnsName",
      "EndpointHostedZoneId",
      "RouteTableIds",
    ],
  },
  {
    number: 2,
    key: "client",
    title: "Client function and peering",
    template: "2-client.yaml",
    regionRole: "client",
    parameters: [
      "DeploymentName",
      "VpcCidr",
      "Subnet1Cidr",
      "Subnet2Cidr",
      "AvailabilityZone1",
      "AvailabilityZone2",
      "ApiRegion",
      "ApiVpcId",
      "ApiVpcCidr",
      "ApiId",
      "ApiStageName",
      "ApiEndpointDnsName",
      "ApiEndpointHostedZoneId",
    ],
    outputs: ["VpcId", "VpcCidr", "PeeringConnectionId", "FunctionName", "HostedZoneId"],
  },
  {
    number: 3,
    key: "routes",
    title: "Return routes",
    template: "3-routes.yaml",
    regionRole: "api",
    parameters: ["DeploymentName", "ClientVpcCidr", "PeeringConnectionId", "RouteTableIds"],
    outputs: [],
  },
];

/** The tag that names the deployment on each stack. */
export const TAG_DEPLOYMENT = "xregion-private-api:deployment";
/** The tag that names the stage on each stack. */
export const TAG_STAGE = "xregion-private-api:stage";

/** The SSM parameter path prefix of a deployment's parameters. */
export function ssmPrefix(name: string): string {
  return `/xregion-private-api/${name}`;
}

/** A stage's stack name for a deployment. */
export function stackName(name: string, key: StageKey): string {
  return `${name}-${key}`;
}

/** Where each stage lives, from the name and regions alone: the one locator, enough to find a deployment without a plan. */
export function stageRefs(deployment: Pick<Answers, "name" | "apiRegion" | "clientRegion">): readonly StageRef[] {
  return STAGES.map((def) => ({
    stage: def.number,
    key: def.key,
    stackName: stackName(deployment.name, def.key),
    region: def.regionRole === "api" ? deployment.apiRegion : deployment.clientRegion,
  }));
}

/** A planned stage's location, as events carry it. */
export function stageRef(stage: Pick<StageDef, "number" | "key"> & Pick<StageRef, "stackName" | "region">): StageRef {
  return { stage: stage.number, key: stage.key, stackName: stage.stackName, region: stage.region };
}
