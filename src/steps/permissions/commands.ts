// What each scope needs: each stack the tool deploys (its own calls on the stack, the release of a function's
// interfaces before its delete, and what CloudFormation's handlers call for its resource types), and what
// each command calls itself. Pure data: no AWS, no I/O.
import type { OneClient, Permission, PermissionScope } from "./permissions.js";
import { holdsVpcFunction, STAGES, type StageKey } from "../stages.js";
import { resourceGrants } from "./resource-types.js";
import { anyFunction, clientFunction, ec2, type FunctionKind, GLOBAL, type Grant, hostedZones, on, parameters, restApi, stack, stageRegion, unscoped, type Where } from "./resources.js";

const STACK_ACTIONS = [
  "cloudformation:CreateChangeSet",
  "cloudformation:DescribeChangeSet",
  "cloudformation:ListChangeSets",
  "cloudformation:ExecuteChangeSet",
  "cloudformation:DeleteChangeSet",
  "cloudformation:DescribeStacks",
  "cloudformation:DescribeStackEvents",
  // Ctrl-C during a stage, and a stack left in ROLLBACK_COMPLETE that must be created again.
  "cloudformation:CancelUpdateStack",
  "cloudformation:DeleteStack",
];

// Before the client stack is deleted (teardown, or Ctrl-C while stage 2 is created), the tool finds the
// function and VPC among the stack's resources, detaches the function and deletes the network interfaces
// Lambda leaves behind, so that the delete does not wait 20-40 minutes for Lambda to release them.
// A connection's probe is released so too (connect-client.yaml names no VPC of its own: the stack's
// ClientVpcId parameter, read with DescribeStacks, does).
function interfaceRelease(t: OneClient, fn: FunctionKind = "client"): Grant[] {
  const w: Where = { t, region: t.clientRegion, peerRegion: t.apiRegion };
  return [
    on(stack(t, fn === "probe" ? "connect-client" : "client"), t.clientRegion, "cloudformation:DescribeStackResources"),
    on(clientFunction(t, fn), t.clientRegion, "lambda:GetFunctionConfiguration", "lambda:UpdateFunctionConfiguration"),
    unscoped(t.clientRegion, "ec2:DescribeNetworkInterfaces"),
    on(ec2(w, "network-interface"), t.clientRegion, "ec2:DeleteNetworkInterface"),
  ];
}

function scoped(scope: PermissionScope, grants: readonly Grant[], viaCloudFormation: boolean): Permission[] {
  return grants.map((g) => ({ scope, actions: g.actions, resource: g.resource.pattern, sample: g.resource.sample, region: g.region, viaCloudFormation }));
}

/** What deploying (and deleting) one stack needs: the tool's own calls on it, and CloudFormation's for its resources. */
export function stagePermissions(t: OneClient, key: StageKey): Permission[] {
  const region = stageRegion(t, key);
  const own: Grant[] = [on(stack(t, key), region, ...STACK_ACTIONS), ...(holdsVpcFunction(key) ? interfaceRelease(t, key === "connect-client" ? "probe" : "client") : [])];
  const byCloudFormation = [...resourceGrants(t, key).values()].flat();
  // Stage 3's RouteTableIds is an SSM-typed parameter: CloudFormation reads it with the caller's credentials.
  if (key === "routes") byCloudFormation.push(on(parameters(t), region, "ssm:GetParameters"));
  return [...scoped(key, own, false), ...scoped(key, byCloudFormation, true)];
}

const regionsOf = (t: OneClient) => [...new Set([t.apiRegion, t.clientRegion])];
const describeStacks = (t: OneClient) => STAGES.map((s) => on(stack(t, s.key), stageRegion(t, s.key), "cloudformation:DescribeStacks"));
export const CONNECT_KEYS = ["connect-client", "connect-api"] as const;
// status, verify and doctor of a name with no deployment look for a connection's stacks.
const describeConnection = (t: OneClient) => CONNECT_KEYS.map((key) => on(stack(t, key), stageRegion(t, key), "cloudformation:DescribeStacks"));
const VPC_SIDE = ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkAcls"];

export function preflightPermissions(t: OneClient): Permission[] {
  return scoped(
    "preflight",
    [
      // sts:GetCallerIdentity needs no permission (AWS answers it for every valid credential), so it is not here.
      ...regionsOf(t).map((region) => unscoped(region, "ec2:DescribeAvailabilityZones", "ec2:DescribeVpcs")),
      // Zone choice: the zones where the execute-api endpoint service is offered.
      unscoped(t.apiRegion, "ec2:DescribeVpcEndpointServices"),
      // The API VPC's quotas: its active peerings, its route table's routes, its endpoint group's rules.
      unscoped(t.apiRegion, "ec2:DescribeVpcPeeringConnections", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules", "ec2:DescribeManagedPrefixLists"),
      ...describeStacks(t),
    ],
    false,
  );
}

export function verifyPermissions(t: OneClient): Permission[] {
  // GetFunctionConfiguration: the function must be Active and its last update Successful before an invoke.
  return scoped(
    "verify",
    [
      ...describeStacks(t),
      on(clientFunction(t), t.clientRegion, "lambda:GetFunctionConfiguration", "lambda:InvokeFunction"),
    ],
    false,
  );
}

// A connection's: its stacks, its probe, and the API VPC's range the probe's answers are judged by.
export function verifyConnectionPermissions(t: OneClient): Permission[] {
  return scoped(
    "verify-connection",
    [...describeConnection(t), on(clientFunction(t, "probe"), t.clientRegion, "lambda:GetFunctionConfiguration", "lambda:InvokeFunction"), unscoped(t.apiRegion, "ec2:DescribeVpcs")],
    false,
  );
}

export function statusPermissions(t: OneClient): Permission[] {
  return scoped(
    "status",
    [
      ...describeStacks(t),
      // Whether the function is ready, and the network interfaces a stopped teardown left behind (found by the
      // client stack's own VPC and function security group).
      on(clientFunction(t), t.clientRegion, "lambda:GetFunctionConfiguration"),
      on(stack(t, "client"), t.clientRegion, "cloudformation:DescribeStackResources"),
      unscoped(t.clientRegion, "ec2:DescribeNetworkInterfaces"),
    ],
    false,
  );
}

// A connection's: its stacks, its probe and what it left, and whether each addition is still on the user's
// route tables, groups and VPC (our zone, our peering).
export function statusConnectionPermissions(t: OneClient): Permission[] {
  return scoped(
    "status-connection",
    [
      ...describeConnection(t),
      on(clientFunction(t, "probe"), t.clientRegion, "lambda:GetFunctionConfiguration"),
      on(stack(t, "connect-client"), t.clientRegion, "cloudformation:DescribeStackResources"),
      unscoped(t.clientRegion, "ec2:DescribeNetworkInterfaces"),
      ...regionsOf(t).map((region) => unscoped(region, "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules")),
      unscoped(t.clientRegion, "ec2:DescribeVpcPeeringConnections"),
      on(hostedZones({ t, region: t.clientRegion, peerRegion: t.apiRegion }), GLOBAL, "route53:GetHostedZone"),
    ],
    false,
  );
}

// A connection's stacks name the path: the probe (or, without one, the client VPC, whose subnets and groups
// doctor's own reads cover).
export function doctorConnectionPermissions(t: OneClient): Permission[] {
  return scoped("doctor-connection", describeConnection(t), false);
}

// doctor only reads: the function (B), the API with its stages and methods (A), both VPCs' routes, groups
// and network ACLs, the endpoint and its addresses (A), the peering (B) and the private zone (B).
export function doctorPermissions(t: OneClient): Permission[] {
  const a: Where = { t, region: t.apiRegion, peerRegion: t.clientRegion };
  return scoped(
    "doctor",
    [
      ...describeStacks(t),
      // Ours, a connection's probe or client, or any function --function names.
      on(anyFunction(t), t.clientRegion, "lambda:GetFunctionConfiguration"),
      on(restApi(a), t.apiRegion, "apigateway:GET"),
      ...regionsOf(t).map((region) => unscoped(region, ...VPC_SIDE)),
      unscoped(t.apiRegion, "ec2:DescribeVpcEndpoints", "ec2:DescribeNetworkInterfaces"),
      unscoped(t.clientRegion, "ec2:DescribeVpcPeeringConnections"),
      unscoped(GLOBAL, "route53:ListHostedZonesByVPC"),
      on(hostedZones(a), GLOBAL, "route53:ListResourceRecordSets"),
    ],
    false,
  );
}

// Besides these, CloudFormation deletes each stage's resources with the delete actions of the stage's rows.
export function teardownPermissions(t: OneClient): Permission[] {
  return scoped(
    "teardown",
    [
      ...STAGES.map((s) => on(stack(t, s.key), stageRegion(t, s.key), "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DeleteStack")),
      ...interfaceRelease(t),
      // Before stage 1 goes: routes stacks of client regions the run does not name still use it.
      unscoped(t.apiRegion, "cloudformation:ListStacks"),
    ],
    false,
  );
}

// connect's own calls: the questions' lists, both sides read as doctor reads them with the quota counts
// and our stacks, and the proof (doctor again, then the probe invoked). The stacks' own are the
// connect-client and connect-api scopes.
export function connectPermissions(t: OneClient): Permission[] {
  const a: Where = { t, region: t.apiRegion, peerRegion: t.clientRegion };
  return scoped(
    "connect",
    [
      ...describeConnection(t),
      on(anyFunction(t), t.clientRegion, "lambda:GetFunctionConfiguration"),
      unscoped(t.clientRegion, "lambda:ListFunctions"),
      on(clientFunction(t, "probe"), t.clientRegion, "lambda:GetFunctionConfiguration", "lambda:InvokeFunction"),
      on(restApi(a), t.apiRegion, "apigateway:GET"),
      ...regionsOf(t).map((region) => unscoped(region, ...VPC_SIDE, "ec2:DescribeSecurityGroupRules", "ec2:DescribeManagedPrefixLists", "ec2:DescribeVpcPeeringConnections")),
      unscoped(t.apiRegion, "ec2:DescribeVpcEndpoints", "ec2:DescribeNetworkInterfaces"),
      unscoped(GLOBAL, "route53:ListHostedZonesByVPC"),
      on(hostedZones(a), GLOBAL, "route53:ListResourceRecordSets"),
    ],
    false,
  );
}

// Besides these, CloudFormation deletes each stack's resources with the delete actions of its rows.
export function disconnectPermissions(t: OneClient): Permission[] {
  return scoped(
    "disconnect",
    [
      ...CONNECT_KEYS.map((key) => on(stack(t, key), stageRegion(t, key), "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DeleteStack")),
      ...interfaceRelease(t, "probe"),
    ],
    false,
  );
}
