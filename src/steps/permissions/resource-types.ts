// What CloudFormation's handler for each resource type calls, with the caller's credentials, to create, read,
// update and delete it. The tool passes CloudFormation no service role, so CloudFormation acts with the
// caller's own credentials (forward access sessions; such calls carry aws:CalledVia
// cloudformation.amazonaws.com): the caller needs what each resource type's handler calls, not only the
// CloudFormation actions. The handlers' own lists are CloudFormation's registry schemas
// (handlers.{create,read,update,delete}.permissions), kept with their source in
// test/steps/permissions/handler-permissions.json: a test fails when a type here lacks one of their
// actions without a written reason. Pure data: no AWS, no I/O.
import type { OneClient } from "./permissions.js";
import type { StageKey } from "../stages.js";
import { allLogGroups, apiGateway, apiTags, changes, clientFunction, ec2, executionRole, gateway, GLOBAL, type Grant, hostedZones, logGroup, on, parameters, resource, restApi, stageRegion, taggedLogGroup, unscoped, type Where } from "./resources.js";

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

/** What each resource type of a stage needs, in the stage's region, for one client region. */
export function resourceGrants(t: OneClient, key: StageKey): Map<string, readonly Grant[]> {
  const region = stageRegion(t, key);
  const w: Where = { t, region, peerRegion: region === t.apiRegion ? t.clientRegion : t.apiRegion, fn: key === "connect-client" ? "probe" : "client" };
  return new Map(STAGE_RESOURCE_TYPES[key].map((type) => [type, RESOURCE_TYPE_PERMISSIONS[type]?.(w) ?? []]));
}
