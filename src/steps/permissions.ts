// The IAM actions a deployment needs, each with the resource it applies to: one list, read by the
// preflight check (iam:SimulatePrincipalPolicy) and by the README's Permissions table (a test keeps the
// two equal). Pure data: no AWS, no I/O.
//
// The tool passes CloudFormation no service role, so CloudFormation creates every resource with the
// caller's own credentials: the caller needs what each resource type's handler calls, not only the
// CloudFormation actions. Sources: the Service Authorization Reference (actions and resource types) and
// the CloudFormation resource provider schemas' handler permissions, narrowed to what our templates use.
import { STAGES, ssmPrefix, stackName, type StageKey } from "./stages.js";

/** "tool": preflight and status; the stages are keyed as in stages.ts. */
export type PermissionScope = "tool" | StageKey | "verify" | "teardown";

/** One IAM action the tool needs, for which part, on which resource. */
export interface Permission {
  readonly scope: PermissionScope;
  readonly actions: readonly string[];
  // An ARN pattern, or "*" for actions that take no resource (Describe calls, CreateHostedZone).
  readonly resource: string;
  // The region the request goes to ("global" for IAM and Route 53), for the simulation's aws:RequestedRegion.
  readonly region: string;
}

/** The deployment the permissions are for: partition, account, regions, name. */
export interface PermissionTarget {
  readonly partition: string;
  readonly account: string;
  readonly name: string;
  readonly apiRegion: string;
  readonly clientRegion: string;
}

/** The region of a global service's permissions. */
export const GLOBAL = "global";

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
  routes: ["AWS::EC2::Route"],
};

interface Where {
  readonly t: PermissionTarget;
  // The region of the stage's stack, and the other one.
  readonly region: string;
  readonly peerRegion: string;
}

type Grant = Omit<Permission, "scope">;
type Catalogue = Readonly<Record<string, (w: Where) => readonly Grant[]>>;

const ec2 = (w: Where, type: string, region = w.region) => `arn:${w.t.partition}:ec2:${region}:${w.t.account}:${type}/*`;
const unscoped = (w: Where, actions: readonly string[], region = w.region): Grant => ({ actions, resource: "*", region });
const on = (resource: string, region: string, ...actions: string[]): Grant => ({ actions, resource, region });
const restApis = (w: Where) => `arn:${w.t.partition}:apigateway:${w.region}::/restapis/*`;
const hostedZones = (w: Where) => `arn:${w.t.partition}:route53:::hostedzone/*`;
const changes = (w: Where) => `arn:${w.t.partition}:route53:::change/*`;
const clientFunction = (w: Where) => `arn:${w.t.partition}:lambda:${w.t.clientRegion}:${w.t.account}:function:${w.t.name}-client`;
// CloudFormation names the role <stack>-<logical id>-<random suffix>; no path.
const executionRole = (w: Where) => `arn:${w.t.partition}:iam::${w.t.account}:role/${stackName(w.t.name, "client")}-*`;
const parameters = (w: Where) => `arn:${w.t.partition}:ssm:${w.t.apiRegion}:${w.t.account}:parameter${ssmPrefix(w.t.name)}/*`;
const logGroup = (w: Where) => `arn:${w.t.partition}:logs:${w.region}:${w.t.account}:log-group:/aws/lambda/${w.t.name}-client:*`;
const apiGateway = (...verbs: string[]) => verbs.map((v) => `apigateway:${v}`);

/** What CloudFormation calls, with the caller's credentials, to create, read and delete each resource type. */
export const RESOURCE_TYPE_PERMISSIONS: Catalogue = {
  "AWS::EC2::VPC": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DescribeVpcAttribute", "ec2:DeleteVpc", "ec2:CreateTags"),
    unscoped(w, ["ec2:DescribeVpcs"]),
  ],
  "AWS::EC2::Subnet": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateSubnet"),
    on(ec2(w, "subnet"), w.region, "ec2:CreateSubnet", "ec2:ModifySubnetAttribute", "ec2:DeleteSubnet", "ec2:CreateTags"),
    unscoped(w, ["ec2:DescribeSubnets"]),
  ],
  "AWS::EC2::RouteTable": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateRouteTable"),
    on(ec2(w, "route-table"), w.region, "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateTags"),
    unscoped(w, ["ec2:DescribeRouteTables"]),
  ],
  "AWS::EC2::SubnetRouteTableAssociation": (w) => [
    on(ec2(w, "route-table"), w.region, "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable"),
    on(ec2(w, "subnet"), w.region, "ec2:AssociateRouteTable"),
    unscoped(w, ["ec2:DescribeRouteTables"]),
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
      "ec2:DeleteSecurityGroup",
      "ec2:CreateTags",
    ),
    unscoped(w, ["ec2:DescribeSecurityGroups"]),
  ],
  "AWS::EC2::VPCEndpoint": (w) => [
    on(ec2(w, "vpc-endpoint"), w.region, "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:CreateTags"),
    on(ec2(w, "vpc"), w.region, "ec2:CreateVpcEndpoint"),
    on(ec2(w, "subnet"), w.region, "ec2:CreateVpcEndpoint"),
    on(ec2(w, "security-group"), w.region, "ec2:CreateVpcEndpoint"),
    unscoped(w, ["ec2:DescribeVpcEndpoints"]),
    // Private DNS associates the VPC with a private zone that the endpoint service owns.
    on(hostedZones(w), GLOBAL, "route53:AssociateVPCWithHostedZone"),
  ],
  // Requested in this region; CloudFormation accepts it in the peer (API) region, as the same account.
  "AWS::EC2::VPCPeeringConnection": (w) => [
    on(ec2(w, "vpc"), w.region, "ec2:CreateVpcPeeringConnection"),
    on(ec2(w, "vpc-peering-connection"), w.region, "ec2:CreateVpcPeeringConnection", "ec2:DeleteVpcPeeringConnection", "ec2:CreateTags"),
    on(ec2(w, "vpc", w.peerRegion), w.peerRegion, "ec2:CreateVpcPeeringConnection", "ec2:AcceptVpcPeeringConnection"),
    on(ec2(w, "vpc-peering-connection", w.peerRegion), w.peerRegion, "ec2:AcceptVpcPeeringConnection"),
    unscoped(w, ["ec2:DescribeVpcPeeringConnections"]),
    unscoped(w, ["ec2:DescribeVpcPeeringConnections"], w.peerRegion),
  ],
  "AWS::EC2::Route": (w) => [on(ec2(w, "route-table"), w.region, "ec2:CreateRoute", "ec2:DeleteRoute"), unscoped(w, ["ec2:DescribeRouteTables"])],
  "AWS::ApiGateway::RestApi": (w) => [
    on(`arn:${w.t.partition}:apigateway:${w.region}::/restapis`, w.region, "apigateway:POST"),
    // A private API's resource policy needs UpdateRestApiPolicy besides the PATCH that carries it.
    { actions: [...apiGateway("GET", "PUT", "PATCH", "DELETE"), "apigateway:UpdateRestApiPolicy"], resource: restApis(w), region: w.region },
  ],
  "AWS::ApiGateway::Resource": (w) => [{ actions: apiGateway("GET", "POST", "DELETE"), resource: restApis(w), region: w.region }],
  "AWS::ApiGateway::Method": (w) => [{ actions: apiGateway("GET", "PUT", "PATCH", "DELETE"), resource: restApis(w), region: w.region }],
  "AWS::ApiGateway::Deployment": (w) => [{ actions: apiGateway("GET", "POST", "PATCH", "DELETE"), resource: restApis(w), region: w.region }],
  "AWS::ApiGateway::Stage": (w) => [{ actions: apiGateway("GET", "POST", "PATCH", "DELETE"), resource: restApis(w), region: w.region }],
  "AWS::SSM::Parameter": (w) => [
    on(parameters(w), w.region, "ssm:PutParameter", "ssm:AddTagsToResource", "ssm:GetParameters", "ssm:DeleteParameter"),
  ],
  "AWS::Route53::HostedZone": (w) => [
    unscoped(w, ["route53:CreateHostedZone"], GLOBAL),
    on(hostedZones(w), GLOBAL, "route53:GetHostedZone", "route53:AssociateVPCWithHostedZone", "route53:ChangeTagsForResource", "route53:DeleteHostedZone"),
    on(changes(w), GLOBAL, "route53:GetChange"),
    // Route 53 checks the VPC of a private zone with the caller's credentials.
    unscoped(w, ["ec2:DescribeVpcs"]),
  ],
  "AWS::Route53::RecordSet": (w) => [
    on(hostedZones(w), GLOBAL, "route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone"),
    on(changes(w), GLOBAL, "route53:GetChange"),
  ],
  "AWS::IAM::Role": (w) => [
    on(
      executionRole(w),
      GLOBAL,
      "iam:CreateRole",
      "iam:GetRole",
      "iam:TagRole",
      "iam:AttachRolePolicy",
      "iam:DetachRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies",
      "iam:DeleteRole",
    ),
  ],
  "AWS::Logs::LogGroup": (w) => [
    on(logGroup(w), w.region, "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:TagResource", "logs:DeleteLogGroup"),
    on(`arn:${w.t.partition}:logs:${w.region}:${w.t.account}:log-group:*`, w.region, "logs:DescribeLogGroups"),
  ],
  "AWS::Lambda::Function": (w) => [
    on(
      clientFunction(w),
      w.region,
      "lambda:CreateFunction",
      "lambda:GetFunction",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:TagResource",
      "lambda:DeleteFunction",
    ),
    on(executionRole(w), GLOBAL, "iam:PassRole"),
    // Lambda checks a function's VPC settings with the caller's credentials; CloudFormation waits for the
    // function's network interfaces to go before it deletes the subnets and security group.
    unscoped(w, ["ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeNetworkInterfaces"]),
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

function stackArn(t: PermissionTarget, key: StageKey): string {
  const def = STAGES.find((s) => s.key === key);
  const region = def?.regionRole === "client" ? t.clientRegion : t.apiRegion;
  return `arn:${t.partition}:cloudformation:${region}:${t.account}:stack/${stackName(t.name, key)}/*`;
}

function stagePermissions(t: PermissionTarget, key: StageKey): Permission[] {
  const def = STAGES.find((s) => s.key === key);
  const region = def?.regionRole === "client" ? t.clientRegion : t.apiRegion;
  const w: Where = { t, region, peerRegion: region === t.apiRegion ? t.clientRegion : t.apiRegion };
  const grants: Grant[] = [on(stackArn(t, key), region, ...STACK_ACTIONS)];
  for (const type of STAGE_RESOURCE_TYPES[key]) grants.push(...(RESOURCE_TYPE_PERMISSIONS[type]?.(w) ?? []));
  // Stage 3's RouteTableIds is an SSM-typed parameter: CloudFormation reads it with the caller's credentials.
  if (key === "routes") grants.push(on(parameters(w), region, "ssm:GetParameters"));
  return grants.map((g) => ({ scope: key, ...g }));
}

function toolPermissions(t: PermissionTarget): Permission[] {
  const regions = [...new Set([t.apiRegion, t.clientRegion])];
  return [
    // sts:GetCallerIdentity needs no permission (AWS answers it for every valid credential), so it is not here.
    ...regions.map((region) => ({ scope: "tool" as const, actions: ["ec2:DescribeAvailabilityZones", "ec2:DescribeVpcs"], resource: "*", region })),
    // Zone choice: the zones where the execute-api endpoint service is offered.
    { scope: "tool", actions: ["ec2:DescribeVpcEndpointServices"], resource: "*", region: t.apiRegion },
    ...STAGES.map((s) => ({ scope: "tool" as const, actions: ["cloudformation:DescribeStacks"], resource: stackArn(t, s.key), region: s.regionRole === "client" ? t.clientRegion : t.apiRegion })),
    // status shows whether the client function is ready to be invoked.
    { scope: "tool", actions: ["lambda:GetFunctionConfiguration"], resource: clientFunction({ t, region: t.clientRegion, peerRegion: t.apiRegion }), region: t.clientRegion },
  ];
}

function verifyPermissions(t: PermissionTarget): Permission[] {
  const w: Where = { t, region: t.clientRegion, peerRegion: t.apiRegion };
  // GetFunctionConfiguration: the function must be Active and its last update Successful before an invoke.
  return [{ scope: "verify", actions: ["lambda:GetFunctionConfiguration", "lambda:InvokeFunction"], resource: clientFunction(w), region: t.clientRegion }];
}

// Besides these, CloudFormation deletes each stage's resources with the delete actions listed for the stage.
function teardownPermissions(t: PermissionTarget): Permission[] {
  const w: Where = { t, region: t.clientRegion, peerRegion: t.apiRegion };
  return [
    ...STAGES.map((s) => ({
      scope: "teardown" as const,
      actions: ["cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DeleteStack"],
      resource: stackArn(t, s.key),
      region: s.regionRole === "client" ? t.clientRegion : t.apiRegion,
    })),
    // Releasing the function's network interfaces before the stack delete (detach from the VPC, then
    // delete the interfaces Lambda leaves behind) turns a 20-40 minute wait into minutes.
    { scope: "teardown", actions: ["lambda:GetFunctionConfiguration", "lambda:UpdateFunctionConfiguration"], resource: clientFunction(w), region: t.clientRegion },
    { scope: "teardown", actions: ["ec2:DescribeNetworkInterfaces"], resource: "*", region: t.clientRegion },
    { scope: "teardown", actions: ["ec2:DeleteNetworkInterface"], resource: ec2(w, "network-interface"), region: t.clientRegion },
  ];
}

/** Every permission of every scope, in the order the README lists them: tool, stages 1-3, verify, teardown. */
export function requiredPermissions(t: PermissionTarget): Permission[] {
  return [
    ...toolPermissions(t),
    ...STAGES.flatMap((s) => stagePermissions(t, s.key)),
    ...verifyPermissions(t),
    ...teardownPermissions(t),
  ];
}

/** What `deploy` needs: preflight, the three stages and the verification that ends it. */
export function deployPermissions(t: PermissionTarget): Permission[] {
  return requiredPermissions(t).filter((p) => p.scope !== "teardown");
}
