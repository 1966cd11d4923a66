// The IAM actions each command needs, each with the resource it applies to: one list, read by the
// preflight check (iam:SimulatePrincipalPolicy) and by the table of docs/permissions.md, which is generated
// from it. Pure data: no AWS, no I/O.
//
// The tool passes CloudFormation no service role, so CloudFormation creates, updates and deletes every
// resource with the caller's own credentials (forward access sessions; such calls carry aws:CalledVia
// cloudformation.amazonaws.com): the caller needs what each resource type's handler calls, not only the
// CloudFormation actions. The handlers' own lists are CloudFormation's registry schemas
// (handlers.{create,read,update,delete}.permissions), kept with their source in
// test/steps/permissions/handler-permissions.json: a test fails when a type here lacks one of their
// actions without a written reason. Resources follow the Service Authorization Reference.
import { connectStackNames, holdsVpcFunction, regionRoleOf, routesStackName, ssmPrefix, stackName, STAGES, type StageKey } from "./stages.js";

/**
 * Which command needs a permission: deploy's preflight, stages and closing verify, the other commands, and
 * connect's reads and proof ("connect") and its two stages.
 */
export type PermissionScope =
  | "preflight"
  | StageKey
  | "verify"
  | "status"
  | "doctor"
  | "teardown"
  | "connect"
  | "disconnect"
  // What verify, status and doctor need beyond a deployment's for a connection (deploy's verify needs none of it).
  | "verify-connection"
  | "status-connection"
  | "doctor-connection";

/** One IAM action the tool needs, for which part, on which resource. */
export interface Permission {
  readonly scope: PermissionScope;
  readonly actions: readonly string[];
  // What to grant: an ARN pattern, or "*" for actions that take no resource (Describe calls, CreateHostedZone).
  readonly resource: string;
  // What the simulation asks about: the pattern with its wildcard made a concrete example. IAM's simulator
  // takes a "*" in a resource ARN as that character, so a policy narrower than our pattern
  // (role/demo-client-ExecutionRole-*) would not match role/demo-client-* although it allows the real role.
  readonly sample: string;
  // The region the request goes to ("global" for IAM and Route 53), for the simulation's aws:RequestedRegion.
  readonly region: string;
  // CloudFormation makes the call with the caller's credentials, rather than the tool itself.
  readonly viaCloudFormation: boolean;
}

/** The deployment the permissions are for: partition, account, regions (region A, and one or more client regions), name. */
export interface PermissionTarget {
  readonly partition: string;
  readonly account: string;
  readonly name: string;
  readonly apiRegion: string;
  readonly clientRegions: readonly string[];
}

/** One client region's side of a deployment: each client region needs the same list, in its own region. */
export interface OneClient extends Omit<PermissionTarget, "clientRegions"> {
  readonly clientRegion: string;
  // The first client region's routes stack is <name>-routes, the others' <name>-routes-<region>.
  readonly first: boolean;
}

/** The region of a global service's permissions. */
export const GLOBAL = "global";

/** Calls the tool makes that no scope grants, and why. */
export const UNGRANTED_CALLS: Readonly<Record<string, string>> = {
  "sts:GetCallerIdentity": "AWS answers it for every valid credential: it needs no permission",
  "iam:SimulatePrincipalPolicy":
    "optional: without it the permission check is skipped with one line, and asking the simulator about itself would turn that skip into a denial",
};

/** The resource types of each stage's template; a test compares them with the YAML both ways. */
export const STAGE_RESOURCE_TYPES: Readonly<Record<StageKey, readonly string[]>> = {
  api: [
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::VPCEndpoint",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Stage",
    "AWS::SSM::Parameter",
  ],
  client: [
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::Route",
    "AWS::Route53::HostedZone",
    "AWS::Route53::RecordSet",
    "AWS::EC2::SecurityGroup",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::Lambda::Function",
  ],
  routes: ["AWS::EC2::Route", "AWS::EC2::SecurityGroupIngress"],
  "connect-client": [
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::Route",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::Route53::HostedZone",
    "AWS::Route53::RecordSet",
    "AWS::EC2::SecurityGroup",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::Lambda::Function",
  ],
  "connect-api": ["AWS::EC2::Route", "AWS::EC2::SecurityGroupIngress"],
};

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
interface Resource {
  readonly pattern: string;
  readonly sample: string;
}

/** What one resource type (or the tool) needs on one resource, before it is given a scope. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resource: Resource;
  readonly region: string;
}

const resource = (pattern: string, sample = pattern): Resource => ({ pattern, sample });
const ANY = resource("*");
const on = (r: Resource, region: string, ...actions: string[]): Grant => ({ actions, resource: r, region });
const unscoped = (region: string, ...actions: string[]): Grant => on(ANY, region, ...actions);

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

function ec2(w: Where, type: string, region = w.region): Resource {
  const base = `arn:${w.t.partition}:ec2:${region}:${w.t.account}:${type}/`;
  return resource(`${base}*`, `${base}${EC2_ID_PREFIX[type] ?? type}-0123456789abcdef0`);
}
const gateway = (w: Where, path: string) => `arn:${w.t.partition}:apigateway:${w.region}::${path}`;
// One REST API's part (a resource, method, deployment, stage): granted on every API, asked about on one.
const restApi = (w: Where, part = "") => resource(gateway(w, "/restapis/*"), gateway(w, `/restapis/${API_ID}${part}`));
// API Gateway authorises tagging on /tags/<the tagged resource's ARN, URL-encoded> (mattclay/aws-terminator#284:
// "not authorized to perform: apigateway:PUT on resource: arn:aws:apigateway:…::/tags/arn%3Aaws%3Aapigateway…").
const apiTags = (w: Where) => resource(gateway(w, "/tags/*"), gateway(w, `/tags/${encodeURIComponent(gateway(w, `/restapis/${API_ID}`))}`));
const hostedZones = (w: Where) => resource(`arn:${w.t.partition}:route53:::hostedzone/*`, `arn:${w.t.partition}:route53:::hostedzone/Z0123456789EXAMPLE`);
const changes = (w: Where) => resource(`arn:${w.t.partition}:route53:::change/*`, `arn:${w.t.partition}:route53:::change/C0123456789EXAMPLE`);
const functionName = (t: OneClient, fn: FunctionKind = "client") => `${t.name}-${fn}`;
const clientFunction = (t: OneClient, fn: FunctionKind = "client") => resource(`arn:${t.partition}:lambda:${t.clientRegion}:${t.account}:function:${functionName(t, fn)}`);
// Any function of region B: the one connect is given, or doctor's --function.
const anyFunction = (t: OneClient) => resource(`arn:${t.partition}:lambda:${t.clientRegion}:${t.account}:function:*`, `arn:${t.partition}:lambda:${t.clientRegion}:${t.account}:function:my-client`);
function executionRole(t: OneClient, fn: FunctionKind = "client"): Resource {
  const base = `arn:${t.partition}:iam::${t.account}:role/${stackNameOf(t, fn === "probe" ? "connect-client" : "client")}-`;
  return resource(`${base}*`, `${base}${ROLE[fn]}-EXAMPLE`);
}
const parameters = (t: OneClient) => {
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
const logGroup = (w: Where) => resource(`${logGroups(w)}${logGroupName(w)}:*`, `${logGroups(w)}${logGroupName(w)}:log-stream:`);
const taggedLogGroup = (w: Where) => resource(`${logGroups(w)}${logGroupName(w)}`);
const allLogGroups = (w: Where) => resource(`${logGroups(w)}*`, `${logGroups(w)}:log-stream:`);
// The routes stacks of every client region under one pattern (<name>-routes, <name>-routes-<region>).
const stack = (t: OneClient, key: StageKey) => {
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
const apiGateway = (...verbs: string[]) => verbs.map((v) => `apigateway:${v}`);

/** What CloudFormation's handler calls, with the caller's credentials, to create, read, update and delete each resource type. */
export const RESOURCE_TYPE_PERMISSIONS: Readonly<Record<string, (w: Where) => readonly Grant[]>> = {
  "AWS::EC2::VPC": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DescribeVpcAttribute", "ec2:DeleteVpc", "ec2:CreateTags", "ec2:DeleteTags"),
    unscoped(w.region, "ec2:DescribeVpcs", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcEncryptionControls"),
  ],
  "AWS::EC2::Subnet": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateSubnet"),
    on(ec2(w, "subnet"), w.region, "ec2:CreateSubnet", "ec2:ModifySubnetAttribute", "ec2:DeleteSubnet", "ec2:CreateTags", "ec2:DeleteTags"),
    unscoped(w.region, "ec2:DescribeSubnets", "ec2:DescribeNetworkAcls"),
  ],
  "AWS::EC2::RouteTable": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateRouteTable"),
    on(ec2(w, "route-table"), w.region, "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateTags", "ec2:DeleteTags"),
    unscoped(w.region, "ec2:DescribeRouteTables"),
  ],
  "AWS::EC2::SubnetRouteTableAssociation": (w) => [
    on(ec2(w, "route-table"), w.region, "ec2:AssociateRouteTable", "ec2:ReplaceRouteTableAssociation", "ec2:DisassociateRouteTable"),
    on(ec2(w, "subnet"), w.region, "ec2:AssociateRouteTable"),
    unscoped(w.region, "ec2:DescribeRouteTables", "ec2:DescribeSubnets"),
  ],
  "AWS::EC2::SecurityGroup": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateSecurityGroup"),
    on(
      ec2(w, "security-group"),
      w.region,
      "ec2:CreateSecurityGroup",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:AuthorizeSecurityGroupEgress",
      // Declared egress rules replace the default allow-all rule, which CloudFormation revokes.
      "ec2:RevokeSecurityGroupEgress",
      // A re-deploy with another range or description replaces or edits a rule.
      "ec2:RevokeSecurityGroupIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      "ec2:DeleteSecurityGroup",
      "ec2:CreateTags",
      "ec2:DeleteTags",
    ),
    unscoped(w.region, "ec2:DescribeSecurityGroups", "ec2:DescribeInstances"),
  ],
  "AWS::EC2::VPCEndpoint": (w) => [
    on(ec2(w, "vpc-endpoint"), w.region, "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:CreateTags", "ec2:DeleteTags"),
    on(ec2(w, "vpc"), w.region, "ec2:CreateVpcEndpoint"),
    on(ec2(w, "subnet"), w.region, "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint"),
    on(ec2(w, "security-group"), w.region, "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint"),
    unscoped(w.region, "ec2:DescribeVpcEndpoints", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"),
    // Private DNS associates the VPC with a private zone that the endpoint service owns (a dependent
    // action of ec2:CreateVpcEndpoint in the Service Authorization Reference).
    on(hostedZones(w), GLOBAL, "route53:AssociateVPCWithHostedZone"),
  ],
  // Requested in this region (B) on both VPCs; CloudFormation accepts it in the peer region (A), as the same account.
  "AWS::EC2::VPCPeeringConnection": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateVpcPeeringConnection"),
    on(ec2(w, "vpc-peering-connection"), w.region, "ec2:CreateVpcPeeringConnection", "ec2:DeleteVpcPeeringConnection", "ec2:CreateTags", "ec2:DeleteTags"),
    on(ec2(w, "vpc", w.peerRegion), w.region, "ec2:CreateVpcPeeringConnection"),
    on(ec2(w, "vpc", w.peerRegion), w.peerRegion, "ec2:AcceptVpcPeeringConnection"),
    on(ec2(w, "vpc-peering-connection", w.peerRegion), w.peerRegion, "ec2:AcceptVpcPeeringConnection"),
    unscoped(w.region, "ec2:DescribeVpcPeeringConnections"),
    unscoped(w.peerRegion, "ec2:DescribeVpcPeeringConnections"),
  ],
  "AWS::EC2::Route": (w) => [
    // ReplaceRoute: a re-deploy after the peering connection was replaced points the route at the new one.
    on(ec2(w, "route-table"), w.region, "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"),
    unscoped(w.region, "ec2:DescribeRouteTables", "ec2:DescribeNetworkInterfaces"),
  ],
  // A rule of its own on a group: a client region's HTTPS rule on the endpoint's group (stage 3, when stage
  // 1's own rule does not admit its range), or connect's on a group we did not make. It names the group, not a VPC.
  "AWS::EC2::SecurityGroupIngress": (w) => [
    on(ec2(w, "security-group"), w.region, "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress"),
    unscoped(w.region, "ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups"),
  ],
  "AWS::EC2::SecurityGroupEgress": (w) => [
    on(ec2(w, "security-group"), w.region, "ec2:AuthorizeSecurityGroupEgress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress", "ec2:RevokeSecurityGroupEgress"),
    unscoped(w.region, "ec2:DescribeSecurityGroupRules"),
  ],
  "AWS::ApiGateway::RestApi": (w) => [
    on(resource(gateway(w, "/restapis")), w.region, "apigateway:POST"),
    // A private API's resource policy needs UpdateRestApiPolicy besides the PATCH that carries it.
    on(restApi(w), w.region, ...apiGateway("GET", "PUT", "PATCH", "DELETE"), "apigateway:UpdateRestApiPolicy"),
    on(apiTags(w), w.region, ...apiGateway("GET", "PUT", "DELETE")),
  ],
  "AWS::ApiGateway::Resource": (w) => [on(restApi(w, "/resources/f6g7h8"), w.region, ...apiGateway("GET", "POST", "PATCH", "DELETE"))],
  "AWS::ApiGateway::Method": (w) => [on(restApi(w, "/resources/f6g7h8/methods/GET"), w.region, ...apiGateway("GET", "PUT", "PATCH", "DELETE"))],
  "AWS::ApiGateway::Deployment": (w) => [on(restApi(w, "/deployments/k9l0m1"), w.region, ...apiGateway("GET", "POST", "PUT", "PATCH", "DELETE"))],
  "AWS::ApiGateway::Stage": (w) => [
    on(restApi(w, "/stages/v1"), w.region, ...apiGateway("GET", "POST", "PUT", "PATCH", "DELETE")),
    on(apiTags(w), w.region, ...apiGateway("GET", "PUT", "DELETE")),
  ],
  "AWS::SSM::Parameter": (w) => [
    on(
      parameters(w.t),
      w.region,
      "ssm:PutParameter",
      "ssm:AddTagsToResource",
      "ssm:RemoveTagsFromResource",
      "ssm:ListTagsForResource",
      "ssm:GetParameters",
      "ssm:DeleteParameter",
    ),
  ],
  "AWS::Route53::HostedZone": (w) => [
    unscoped(GLOBAL, "route53:CreateHostedZone"),
    on(
      hostedZones(w),
      GLOBAL,
      "route53:GetHostedZone",
      "route53:AssociateVPCWithHostedZone",
      "route53:DisassociateVPCFromHostedZone",
      "route53:ChangeTagsForResource",
      "route53:ListTagsForResource",
      "route53:UpdateHostedZoneComment",
      // The delete handler looks for query logging configurations to remove first.
      "route53:ListQueryLoggingConfigs",
      "route53:DeleteHostedZone",
    ),
    on(changes(w), GLOBAL, "route53:GetChange"),
    // Route 53 checks the VPC of a private zone with the caller's credentials.
    unscoped(w.region, "ec2:DescribeVpcs"),
  ],
  // No registry handler (its schema has no `handlers`): the Route 53 API's own actions for a record change.
  "AWS::Route53::RecordSet": (w) => [
    on(hostedZones(w), GLOBAL, "route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone"),
    on(changes(w), GLOBAL, "route53:GetChange"),
  ],
  "AWS::IAM::Role": (w) => [
    on(
      executionRole(w.t, w.fn),
      GLOBAL,
      "iam:CreateRole",
      "iam:GetRole",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:ListRoleTags",
      "iam:AttachRolePolicy",
      "iam:DetachRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
      "iam:UpdateAssumeRolePolicy",
      "iam:DeleteRole",
    ),
  ],
  "AWS::Logs::LogGroup": (w) => [
    on(
      logGroup(w),
      w.region,
      "logs:CreateLogGroup",
      "logs:PutRetentionPolicy",
      "logs:DeleteRetentionPolicy",
      "logs:GetDataProtectionPolicy",
      "logs:DeleteDataProtectionPolicy",
      "logs:DeleteLogGroup",
    ),
    on(taggedLogGroup(w), w.region, "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource"),
    on(allLogGroups(w), w.region, "logs:DescribeLogGroups"),
  ],
  "AWS::Lambda::Function": (w) => [
    on(
      clientFunction(w.t, w.fn),
      w.region,
      "lambda:CreateFunction",
      "lambda:GetFunction",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionRecursionConfig",
      "lambda:GetRuntimeManagementConfig",
      "lambda:GetFunctionScalingConfig",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:PublishVersion",
      "lambda:TagResource",
      "lambda:UntagResource",
      "lambda:ListTags",
      "lambda:DeleteFunction",
    ),
    on(executionRole(w.t, w.fn), GLOBAL, "iam:PassRole"),
    // Lambda checks a function's VPC settings with the caller's credentials; the delete handler waits for
    // the function's network interfaces.
    unscoped(w.region, "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeNetworkInterfaces"),
  ],
};

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

function stageRegion(t: OneClient, key: StageKey): string {
  return regionRoleOf(key) === "client" ? t.clientRegion : t.apiRegion;
}

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

/** What each resource type of a stage needs, in the stage's region, as CloudFormation's handlers call it (the first client region's). */
export function stageResourceGrants(target: PermissionTarget, key: StageKey): Map<string, readonly Grant[]> {
  return resourceGrants(clientSides(target)[0]!, key);
}

function resourceGrants(t: OneClient, key: StageKey): Map<string, readonly Grant[]> {
  const region = stageRegion(t, key);
  const w: Where = { t, region, peerRegion: region === t.apiRegion ? t.clientRegion : t.apiRegion, fn: key === "connect-client" ? "probe" : "client" };
  return new Map(STAGE_RESOURCE_TYPES[key].map((type) => [type, RESOURCE_TYPE_PERMISSIONS[type]?.(w) ?? []]));
}

function stagePermissions(t: OneClient, key: StageKey): Permission[] {
  const region = stageRegion(t, key);
  const own: Grant[] = [on(stack(t, key), region, ...STACK_ACTIONS), ...(holdsVpcFunction(key) ? interfaceRelease(t, key === "connect-client" ? "probe" : "client") : [])];
  const byCloudFormation = [...resourceGrants(t, key).values()].flat();
  // Stage 3's RouteTableIds is an SSM-typed parameter: CloudFormation reads it with the caller's credentials.
  if (key === "routes") byCloudFormation.push(on(parameters(t), region, "ssm:GetParameters"));
  return [...scoped(key, own, false), ...scoped(key, byCloudFormation, true)];
}

const regionsOf = (t: OneClient) => [...new Set([t.apiRegion, t.clientRegion])];
const describeStacks = (t: OneClient) => STAGES.map((s) => on(stack(t, s.key), stageRegion(t, s.key), "cloudformation:DescribeStacks"));
const CONNECT_KEYS = ["connect-client", "connect-api"] as const;
// status, verify and doctor of a name with no deployment look for a connection's stacks.
const describeConnection = (t: OneClient) => CONNECT_KEYS.map((key) => on(stack(t, key), stageRegion(t, key), "cloudformation:DescribeStacks"));
const VPC_SIDE = ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkAcls"];

function preflightPermissions(t: OneClient): Permission[] {
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

function verifyPermissions(t: OneClient): Permission[] {
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
function verifyConnectionPermissions(t: OneClient): Permission[] {
  return scoped(
    "verify-connection",
    [...describeConnection(t), on(clientFunction(t, "probe"), t.clientRegion, "lambda:GetFunctionConfiguration", "lambda:InvokeFunction"), unscoped(t.apiRegion, "ec2:DescribeVpcs")],
    false,
  );
}

function statusPermissions(t: OneClient): Permission[] {
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
function statusConnectionPermissions(t: OneClient): Permission[] {
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
function doctorConnectionPermissions(t: OneClient): Permission[] {
  return scoped("doctor-connection", describeConnection(t), false);
}

// doctor only reads: the function (B), the API with its stages and methods (A), both VPCs' routes, groups
// and network ACLs, the endpoint and its addresses (A), the peering (B) and the private zone (B).
function doctorPermissions(t: OneClient): Permission[] {
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
function teardownPermissions(t: OneClient): Permission[] {
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
function connectPermissions(t: OneClient): Permission[] {
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
function disconnectPermissions(t: OneClient): Permission[] {
  return scoped(
    "disconnect",
    [
      ...CONNECT_KEYS.map((key) => on(stack(t, key), stageRegion(t, key), "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DeleteStack")),
      ...interfaceRelease(t, "probe"),
    ],
    false,
  );
}

/**
 * Every permission of every scope, in the order docs/permissions.md lists them: deploy's (preflight, stages 1-3,
 * verify), then status, doctor, teardown, then connect's (its reads and proof, its two stacks) and
 * disconnect. Each client region needs its own, in its own region; what they share (stage 1, region A's
 * reads) is listed once.
 */
export function requiredPermissions(target: PermissionTarget): Permission[] {
  const scopes: ((t: OneClient) => Permission[])[] = [
    preflightPermissions,
    ...STAGES.map((s) => (t: OneClient) => stagePermissions(t, s.key)),
    verifyPermissions,
    statusPermissions,
    doctorPermissions,
    teardownPermissions,
    verifyConnectionPermissions,
    statusConnectionPermissions,
    doctorConnectionPermissions,
    connectPermissions,
    ...CONNECT_KEYS.map((key) => (t: OneClient) => stagePermissions(t, key)),
    disconnectPermissions,
  ];
  const seen = new Set<string>();
  return scopes.flatMap((scope) =>
    clientSides(target).flatMap((t) =>
      scope(t).filter((p) => {
        const key = JSON.stringify([p.scope, p.actions, p.resource, p.sample, p.region, p.viaCloudFormation]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    ),
  );
}

function clientSides(target: PermissionTarget): OneClient[] {
  const { clientRegions, ...rest } = target;
  return clientRegions.map((clientRegion, i) => ({ ...rest, clientRegion, first: i === 0 }));
}

/** The commands that call AWS. */
export type AwsCommand = "deploy" | "verify" | "status" | "doctor" | "teardown" | "connect" | "disconnect";

/** The scopes of each command that calls AWS. */
export const COMMAND_SCOPES: Readonly<Record<AwsCommand, readonly PermissionScope[]>> = {
  deploy: ["preflight", "api", "client", "routes", "verify"],
  verify: ["verify", "verify-connection"],
  status: ["status", "status-connection"],
  doctor: ["doctor", "doctor-connection"],
  teardown: ["teardown"],
  connect: ["connect", "connect-client", "connect-api"],
  disconnect: ["disconnect"],
};

/** What a command needs: deploy's preflight, three stages and closing verification; connect's reads, two stacks and proof. */
export function commandPermissions(command: AwsCommand, t: PermissionTarget): Permission[] {
  return requiredPermissions(t).filter((p) => COMMAND_SCOPES[command].includes(p.scope));
}

/** What `deploy` needs: preflight, the three stages and the verification that ends it. */
export function deployPermissions(t: PermissionTarget): Permission[] {
  return commandPermissions("deploy", t);
}
