// Actions CloudFormation's handlers list (handler-permissions.json) that src/steps/permissions/permissions.ts does not
// grant, each with the reason our templates never make the handler call it. A schema lists everything a
// handler may call; most of these serve a property our templates do not set (named in the reason, as the
// schema spells it). "Inferred" marks a reason no source states: the handlers of these types are not public.
// The permissions test fails on an exception the catalogue grants anyway or the schema no longer lists.

type Exceptions = Readonly<Record<string, Readonly<Record<string, string>>>>;

const NOT_IAM = "not an IAM action (an S3 access-log operation name); no policy can grant it";

export const HANDLER_EXCEPTIONS: Exceptions = {
  "AWS::EC2::VPC": {
    "ec2:CreateVpcEncryptionControl": "only for VpcEncryptionControl, which our VPCs do not set",
    "ec2:ModifyVpcTenancy": "only for a change of InstanceTenancy, which our VPCs never set",
  },
  "AWS::EC2::Subnet": {
    "ec2:AssociateSubnetCidrBlock": "only for Ipv6CidrBlock(s), which our IPv4-only subnets do not set",
    "ec2:DisassociateSubnetCidrBlock": "only for Ipv6CidrBlock(s), which our IPv4-only subnets do not set",
  },
  "AWS::EC2::VPCEndpoint": {
    "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation": "only for ServiceNetworkArn (a ServiceNetwork endpoint); ours is an Interface endpoint",
    "vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation": "only for ServiceNetworkArn (a ServiceNetwork endpoint); ours is an Interface endpoint",
    "vpce:AllowMultiRegion": "only for ServiceRegion (a cross-region endpoint); ours is for execute-api in its own region",
  },
  "AWS::EC2::VPCPeeringConnection": {
    "sts:AssumeRole": "only for PeerRoleArn (another account's accepter role); ours is a same-account peering, accepted without a role",
  },
  "AWS::ApiGateway::RestApi": {
    "s3:GetObject": "only for BodyS3Location; our API is built from resources and methods, without a Body",
    "iam:PassRole": "only for a Body (OpenAPI) whose integrations name credentials; ours has no Body (inferred)",
  },
  "AWS::ApiGateway::Method": {
    "iam:PassRole": "only for Integration.Credentials; our MOCK integration has none",
  },
  "AWS::Route53::HostedZone": {
    "route53:CreateQueryLoggingConfig": "only for QueryLoggingConfig, which our zone does not set (a private zone cannot log queries)",
    "route53:DeleteQueryLoggingConfig": "only for a query logging configuration, which our zone never has (QueryLoggingConfig not set)",
    "route53:UpdateHostedZoneFeatures": "only for HostedZoneFeatures, which our zone does not set (inferred for the delete handler)",
  },
  "AWS::IAM::Role": {
    "iam:PutRolePolicy": "only for inline Policies; our role has only ManagedPolicyArns",
    "iam:GetRolePolicy": "only for inline Policies, which ListRolePolicies finds none of on our role",
    "iam:DeleteRolePolicy": "only for inline Policies; our role has only ManagedPolicyArns",
    "iam:PutRolePermissionsBoundary": "only for PermissionsBoundary, which our role does not set",
    "iam:DeleteRolePermissionsBoundary": "only for PermissionsBoundary, which our role does not set",
  },
  "AWS::Logs::LogGroup": {
    "logs:PutDataProtectionPolicy": "only for DataProtectionPolicy, which our log group does not set",
    "logs:CreateLogDelivery": "only for a DataProtectionPolicy's audit destination, which our log group does not set (inferred: no other property of the schema delivers logs)",
    "firehose:TagDeliveryStream": "only for a DataProtectionPolicy's audit destination in Firehose, which our log group does not set (inferred)",
    "logs:PutResourcePolicy": "only for a DataProtectionPolicy's audit destination in CloudWatch Logs, which our log group does not set (inferred)",
    "logs:DescribeResourcePolicies": "only for a DataProtectionPolicy's audit destination in CloudWatch Logs, which our log group does not set (inferred)",
    "s3:REST.PUT.OBJECT": NOT_IAM,
    "logs:AssociateKmsKey": "only for KmsKeyId, which our log group does not set",
    "logs:DisassociateKmsKey": "only for KmsKeyId, which our log group does not set",
  },
  "AWS::Lambda::Function": {
    "lambda:PutFunctionConcurrency": "only for ReservedConcurrentExecutions, which our function does not set",
    "lambda:DeleteFunctionConcurrency": "only for ReservedConcurrentExecutions, which our function never sets",
    "s3:GetObject": "only for Code.S3Bucket; our code is inline (Code.ZipFile)",
    "s3:GetObjectVersion": "only for Code.S3ObjectVersion; our code is inline (Code.ZipFile)",
    "elasticfilesystem:DescribeMountTargets": "only for FileSystemConfigs, which our function does not set",
    "s3files:ListMountTargets": "only for FileSystemConfigs, which our function does not set",
    "kms:CreateGrant": "only for KmsKeyArn (a customer managed key), which our function does not set",
    "kms:Decrypt": "only for KmsKeyArn (a customer managed key), which our function does not set",
    "kms:Encrypt": "only for KmsKeyArn (a customer managed key), which our function does not set",
    "kms:GenerateDataKey": "only for KmsKeyArn (a customer managed key), which our function does not set",
    "lambda:GetCodeSigningConfig": "only for CodeSigningConfigArn, which our function does not set",
    "lambda:PutFunctionCodeSigningConfig": "only for CodeSigningConfigArn, which our function does not set",
    "lambda:DeleteFunctionCodeSigningConfig": "only for CodeSigningConfigArn, which our function never sets",
    "lambda:GetLayerVersion": "only for Layers, which our function does not set",
    "lambda:PutRuntimeManagementConfig": "only for RuntimeManagementConfig, which our function does not set",
    "lambda:PutFunctionRecursionConfig": "only for RecursiveLoop, which our function does not set",
    "lambda:PutFunctionScalingConfig": "only for FunctionScalingConfig, which our function does not set",
    "lambda:PassCapacityProvider": "only for CapacityProviderConfig, which our function does not set",
  },
};
