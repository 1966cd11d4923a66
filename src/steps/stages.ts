// The contract between the tool and the three templates: which template each stage deploys, in which
// region, and the names of the parameters it takes and the outputs the tool reads back. Template tests
// check both directions against the YAML, so a rename on either side fails the suite. Also the one
// locator of a stage's stack (name and region).
import type { Answers } from "../config/answers.js";
import type { StageRef } from "./events.js";

export type StageKey = "api" | "client" | "routes";
export type RegionRole = "api" | "client";

export interface StageDef {
  readonly number: 1 | 2 | 3;
  readonly key: StageKey;
  readonly title: string;
  readonly template: string;
  readonly regionRole: RegionRole;
  readonly parameters: readonly string[];
  readonly outputs: readonly string[];
}

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

export const TAG_DEPLOYMENT = "xregion-private-api:deployment";
export const TAG_STAGE = "xregion-private-api:stage";

export function ssmPrefix(name: string): string {
  return `/xregion-private-api/${name}`;
}

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
