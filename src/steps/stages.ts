// The contract between the tool and the three templates: which template each stage deploys, in which
// region, and the names of the parameters it takes and the outputs the tool reads back. Template tests
// check both directions against the YAML, so a rename on either side fails the suite. Also the one
// locator of a stage's stack (name and region).
import type { StageRef } from "./events.js";

/** A stage's key: a deployment's api, client or routes, or a connection's two stacks. */
export type StageKey = DeploymentStageKey | ConnectStageKey;
/** A deployment's three stages. */
export type DeploymentStageKey = "api" | "client" | "routes";
/** A connection's stages: its client side (region B, stage 1 of 2), then its API side (region A, stage 2 of 2). */
export type ConnectStageKey = "connect-client" | "connect-api";
/** Which region a stage deploys to: the API's or the client's. */
export type RegionRole = "api" | "client";

/** One stage of the contract: template, region, parameters taken and outputs given. */
export interface StageDef {
  readonly number: 1 | 2 | 3;
  readonly key: DeploymentStageKey;
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
      "EndpointSecurityGroupId",
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
    parameters: ["DeploymentName", "ClientVpcCidr", "PeeringConnectionId", "RouteTableIds", "EndpointSecurityGroupId", "EndpointAdmittedCidr"],
    outputs: [],
  },
];

/** The tag that names the deployment on each stack. */
export const TAG_DEPLOYMENT = "xregion-private-api:deployment";
/** The tag that names the stage on each stack. */
export const TAG_STAGE = "xregion-private-api:stage";
/** The tag that names a routes stack's client region (its name may not: the first region's is `<name>-routes`). */
export const TAG_CLIENT_REGION = "xregion-private-api:client-region";

/** The tag that tells a connection's stacks and resources from a deployment's. */
export const TAG_CONNECTION = "xregion-private-api:connection";

/** How many stages a run of this stage's kind has: a deployment's three, a connection's two. */
export function stageCount(key: StageKey): 2 | 3 {
  return key === "connect-client" || key === "connect-api" ? 2 : 3;
}

/** Whether the stage's stack holds a function in a VPC whose network interfaces are released before the stack is deleted. */
export function holdsVpcFunction(key: StageKey): boolean {
  return key === "client" || key === "connect-client";
}

/** The region a stage's stack lives in: the API's or the client's. */
export function regionRoleOf(key: StageKey): RegionRole {
  return key === "client" || key === "connect-client" ? "client" : "api";
}

/** A connection's stack names: its client stack in region B, and its API-side stack in region A, named for B so that several client regions coexist. */
export function connectStackNames(name: string, clientRegion: string): { readonly client: string; readonly api: string } {
  return { client: `${name}-connect-client`, api: `${name}-connect-api-${clientRegion}` };
}

/**
 * Where a connection's two stages live, in the order connect deploys them. `regional`: one of several client
 * regions, so both stages name the client region they serve (renderers then draw a row per region).
 */
export function connectStageRefs(connection: { readonly name: string; readonly apiRegion: string; readonly clientRegion: string }, regional = false): readonly [StageRef, StageRef] {
  const names = connectStackNames(connection.name, connection.clientRegion);
  const serves = regional ? { clientRegion: connection.clientRegion } : {};
  return [
    { stage: 1, key: "connect-client", stackName: names.client, region: connection.clientRegion, ...serves },
    { stage: 2, key: "connect-api", stackName: names.api, region: connection.apiRegion, ...serves },
  ];
}

/** The SSM parameter path prefix of a deployment's parameters. */
export function ssmPrefix(name: string): string {
  return `/xregion-private-api/${name}`;
}

/** A stage's stack name for a deployment (the routes stack of its first client region). */
export function stackName(name: string, key: StageKey): string {
  return `${name}-${key}`;
}

/** A client region's client stack: one name in every client region (stack names are per region). */
export function clientStackName(name: string): string {
  return stackName(name, "client");
}

/**
 * A client region's routes stack, in the API region: `<name>-routes` for the first client region (a
 * one-region deployment's name), `<name>-routes-<client region>` for every other one.
 */
export function routesStackName(name: string, clientRegion: string, first: boolean): string {
  return first ? stackName(name, "routes") : `${stackName(name, "routes")}-${clientRegion}`;
}

/** What finds a deployment: its name, region A and its client regions (their ranges, where known, find an untagged routes stack). */
export interface DeploymentRef {
  readonly name: string;
  readonly apiRegion: string;
  readonly clients: readonly { readonly region: string; readonly cidr?: string | undefined }[];
}

/**
 * Where each stage is expected, from the name and regions alone: stage 1, then each client region's
 * stage 2 and 3 (its routes stack under the name its position gives; stacks.ts also looks under the other).
 */
export function stageRefs(deployment: DeploymentRef): readonly StageRef[] {
  return [
    { stage: 1, key: "api", stackName: stackName(deployment.name, "api"), region: deployment.apiRegion },
    ...deployment.clients.flatMap(({ region }, i): StageRef[] => [
      { stage: 2, key: "client", stackName: clientStackName(deployment.name), region, clientRegion: region },
      { stage: 3, key: "routes", stackName: routesStackName(deployment.name, region, i === 0), region: deployment.apiRegion, clientRegion: region },
    ]),
  ];
}

/** A planned stage's location, as events carry it. */
export function stageRef(stage: { readonly number: StageRef["stage"]; readonly key: StageKey } & Pick<StageRef, "stackName" | "region" | "clientRegion">): StageRef {
  return {
    stage: stage.number,
    key: stage.key,
    stackName: stage.stackName,
    region: stage.region,
    ...(stage.clientRegion === undefined ? {} : { clientRegion: stage.clientRegion }),
  };
}
