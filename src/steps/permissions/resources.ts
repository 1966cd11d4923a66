// The resources IAM authorises the calls on, after the Service Authorization Reference: for each, the ARN
// pattern to grant and a concrete example of it for the simulation to ask about. Pure data: no AWS, no I/O.
import type { OneClient } from "./permissions.js";
import { connectStackNames, regionRoleOf, routesStackName, ssmPrefix, stackName, type StageKey } from "../stages.js";

/** The region of a global service's permissions. */
export const GLOBAL = "global";

/** The function a template makes: a deployment's client function, or a connection's probe. */
export type FunctionKind = "client" | "probe";

/** Where a stage's resources are: the target, the stage's region and the other one, and whose function it makes. */
export interface Where {
  readonly t: OneClient;
  readonly region: string;
  readonly peerRegion: string;
  // Undefined: the deployment's client function.
  readonly fn?: FunctionKind | undefined;
}

/** A resource to grant (pattern) and the example of it the simulation asks about. */
export interface Resource {
  readonly pattern: string;
  readonly sample: string;
}

/** What one resource type (or the tool) needs on one resource, before it is given a scope. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resource: Resource;
  readonly region: string;
}

export const resource = (pattern: string, sample = pattern): Resource => ({ pattern, sample });
const ANY = resource("*");
export const on = (r: Resource, region: string, ...actions: string[]): Grant => ({ actions, resource: r, region });
export const unscoped = (region: string, ...actions: string[]): Grant => on(ANY, region, ...actions);

// Example ids in each resource's own format, so that a policy naming the id's prefix (vpc-*) matches.
const EC2_ID_PREFIX: Readonly<Record<string, string>> = {
  vpc: "vpc",
  subnet: "subnet",
  "route-table": "rtb",
  "security-group": "sg",
  "vpc-endpoint": "vpce",
  "vpc-peering-connection": "pcx",
  "network-interface": "eni",
};
const API_ID = "a1b2c3d4e5";
const STACK_ID = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
// The function's role's logical id in 2-client.yaml and connect-client.yaml: CloudFormation names a role
// <stack>-<logical id>-<suffix>.
const ROLE: Readonly<Record<FunctionKind, string>> = { client: "ExecutionRole", probe: "ProbeRole" };

export function ec2(w: Where, type: string, region = w.region): Resource {
  const base = `arn:${w.t.partition}:ec2:${region}:${w.t.account}:${type}/`;
  return resource(`${base}*`, `${base}${EC2_ID_PREFIX[type] ?? type}-0123456789abcdef0`);
}
export const gateway = (w: Where, path: string) => `arn:${w.t.partition}:apigateway:${w.region}::${path}`;
// One REST API's part (a resource, method, deployment, stage): granted on every API, asked about on one.
export const restApi = (w: Where, part = "") => resource(gateway(w, "/restapis/*"), gateway(w, `/restapis/${API_ID}${part}`));
// API Gateway authorises tagging on /tags/<the tagged resource's ARN, URL-encoded> (mattclay/aws-terminator#284:
// "not authorized to perform: apigateway:PUT on resource: arn:aws:apigateway:…::/tags/arn%3Aaws%3Aapigateway…").
export const apiTags = (w: Where) => resource(gateway(w, "/tags/*"), gateway(w, `/tags/${encodeURIComponent(gateway(w, `/restapis/${API_ID}`))}`));
export const hostedZones = (w: Where) => resource(`arn:${w.t.partition}:route53:::hostedzone/*`, `arn:${w.t.partition}:route53:::hostedzone/Z0123456789EXAMPLE`);
export const changes = (w: Where) => resource(`arn:${w.t.partition}:route53:::change/*`, `arn:${w.t.partition}:route53:::change/C0123456789EXAMPLE`);
const functionName = (t: OneClient, fn: FunctionKind = "client") => `${t.name}-${fn}`;
export const clientFunction = (t: OneClient, fn: FunctionKind = "client") => resource(`arn:${t.partition}:lambda:${t.clientRegion}:${t.account}:function:${functionName(t, fn)}`);
// Any function of region B: the one connect is given, or doctor's --function.
export const anyFunction = (t: OneClient) => resource(`arn:${t.partition}:lambda:${t.clientRegion}:${t.account}:function:*`, `arn:${t.partition}:lambda:${t.clientRegion}:${t.account}:function:my-client`);
export function executionRole(t: OneClient, fn: FunctionKind = "client"): Resource {
  const base = `arn:${t.partition}:iam::${t.account}:role/${stackNameOf(t, fn === "probe" ? "connect-client" : "client")}-`;
  return resource(`${base}*`, `${base}${ROLE[fn]}-EXAMPLE`);
}
export const parameters = (t: OneClient) => {
  const base = `arn:${t.partition}:ssm:${t.apiRegion}:${t.account}:parameter${ssmPrefix(t.name)}/`;
  return resource(`${base}*`, `${base}route-table-ids`);
};
const logGroupName = (w: Where) => `/aws/lambda/${functionName(w.t, w.fn)}`;
const logGroups = (w: Where) => `arn:${w.t.partition}:logs:${w.region}:${w.t.account}:log-group:`;
// CloudWatch Logs authorises most log-group actions on the ARN with a trailing :*, and TagResource,
// UntagResource and ListTagsForResource on the ARN without it (CloudWatch Logs user guide, "Overview of
// managing access permissions": "Use the second version, with the trailing :*, … for all other API actions").
// The examples take the form DescribeLogGroups is authorised on, log-group:<name>:log-stream: with an empty
// name (hashicorp/terraform-provider-aws#8804); that the others use it too is inferred.
export const logGroup = (w: Where) => resource(`${logGroups(w)}${logGroupName(w)}:*`, `${logGroups(w)}${logGroupName(w)}:log-stream:`);
export const taggedLogGroup = (w: Where) => resource(`${logGroups(w)}${logGroupName(w)}`);
export const allLogGroups = (w: Where) => resource(`${logGroups(w)}*`, `${logGroups(w)}:log-stream:`);
// The routes stacks of every client region under one pattern (<name>-routes, <name>-routes-<region>).
export const stack = (t: OneClient, key: StageKey) => {
  const at = `arn:${t.partition}:cloudformation:${stageRegion(t, key)}:${t.account}:stack/`;
  const name = key === "routes" ? routesStackName(t.name, t.clientRegion, t.first) : stackNameOf(t, key);
  return resource(`${at}${stackNameOf(t, key)}${key === "routes" ? "*" : ""}/*`, `${at}${name}/${STACK_ID}`);
};
// A connection's API-side stack is named for its client region; the others for their key.
function stackNameOf(t: OneClient, key: StageKey): string {
  if (key === "connect-client") return connectStackNames(t.name, t.clientRegion).client;
  if (key === "connect-api") return connectStackNames(t.name, t.clientRegion).api;
  return stackName(t.name, key);
}
export const apiGateway = (...verbs: string[]) => verbs.map((v) => `apigateway:${v}`);

/** The region of a stage's stack and resources: region A, or the client region. */
export function stageRegion(t: OneClient, key: StageKey): string {
  return regionRoleOf(key) === "client" ? t.clientRegion : t.apiRegion;
}
