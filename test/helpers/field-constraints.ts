// The constraint AWS states for each field a deployment's values land in, and the check of a value
// against it. Sources, in this order:
//   1. the AWS SDKs' service models (botocore's copy, read by aws-constraints.py): each API member's
//      min/max length, pattern and enum — generated, never copied here;
//   2. what the same models state only in a member's documentation (EC2's description character set,
//      Parameter Store's naming rules …): each such rule quotes the sentence it is built from, and the
//      test fails when the installed model no longer says it;
//   3. AWS documentation outside the models, named by URL (Lambda's reserved environment variables …);
//   4. CloudFormation's registry schema of each resource type (cfn-lint's copy): every pattern, length,
//      enum and range it has, applied to the whole of every resource's properties.
// AWS matches a pattern against the whole value (its validation message is "Member must satisfy regular
// expression pattern: <pattern>"); a registry schema's pattern is JSON Schema's, matched anywhere.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Json, JsonObject } from "./cfn-yaml.js";

/** An API member, "service:Shape.Member" in the service model (e.g. "ec2:IpRange.Description"). */
export type Member = string;

/** Where a property's value goes: one API member, or the member its sibling property picks. */
export type Destination = Member | { readonly bySibling: Readonly<Record<string, Member>> } | { readonly tags: Member };

/**
 * Each resource type's properties, by path ("[]" = every item of a list), and the API member CloudFormation
 * passes each one to. Every string or number a template sets must land on a row here (the test says which
 * does not). A `tags` destination also carries the stack's tags, which CloudFormation adds to every
 * resource it tags.
 */
export const FIELDS: Readonly<Record<string, Readonly<Record<string, Destination>>>> = {
  "AWS::EC2::VPC": { CidrBlock: "ec2:CreateVpcRequest.CidrBlock", Tags: { tags: "ec2:CreateTagsRequest.Tags" } },
  "AWS::EC2::Subnet": {
    VpcId: "ec2:CreateSubnetRequest.VpcId",
    CidrBlock: "ec2:CreateSubnetRequest.CidrBlock",
    AvailabilityZone: "ec2:CreateSubnetRequest.AvailabilityZone",
    Tags: { tags: "ec2:CreateTagsRequest.Tags" },
  },
  "AWS::EC2::RouteTable": { VpcId: "ec2:CreateRouteTableRequest.VpcId", Tags: { tags: "ec2:CreateTagsRequest.Tags" } },
  "AWS::EC2::SubnetRouteTableAssociation": {
    SubnetId: "ec2:AssociateRouteTableRequest.SubnetId",
    RouteTableId: "ec2:AssociateRouteTableRequest.RouteTableId",
  },
  "AWS::EC2::SecurityGroup": {
    GroupName: "ec2:CreateSecurityGroupRequest.GroupName",
    GroupDescription: "ec2:CreateSecurityGroupRequest.Description",
    VpcId: "ec2:CreateSecurityGroupRequest.VpcId",
    ...ruleFields("SecurityGroupIngress", "Source"),
    ...ruleFields("SecurityGroupEgress", "Destination"),
    Tags: { tags: "ec2:CreateTagsRequest.Tags" },
  },
  "AWS::EC2::VPCEndpoint": {
    VpcEndpointType: "ec2:CreateVpcEndpointRequest.VpcEndpointType",
    ServiceName: "ec2:CreateVpcEndpointRequest.ServiceName",
    PolicyDocument: "ec2:CreateVpcEndpointRequest.PolicyDocument",
    VpcId: "ec2:CreateVpcEndpointRequest.VpcId",
    SubnetIds: "ec2:CreateVpcEndpointRequest.SubnetIds",
    SecurityGroupIds: "ec2:CreateVpcEndpointRequest.SecurityGroupIds",
    Tags: { tags: "ec2:CreateTagsRequest.Tags" },
  },
  "AWS::EC2::VPCPeeringConnection": {
    VpcId: "ec2:CreateVpcPeeringConnectionRequest.VpcId",
    PeerVpcId: "ec2:CreateVpcPeeringConnectionRequest.PeerVpcId",
    PeerRegion: "ec2:CreateVpcPeeringConnectionRequest.PeerRegion",
    Tags: { tags: "ec2:CreateTagsRequest.Tags" },
  },
  "AWS::EC2::SecurityGroupIngress": { GroupId: "ec2:AuthorizeSecurityGroupIngressRequest.GroupId", ...ruleFields("", "Source") },
  "AWS::EC2::SecurityGroupEgress": { GroupId: "ec2:AuthorizeSecurityGroupEgressRequest.GroupId", ...ruleFields("", "Destination") },
  "AWS::EC2::Route": {
    RouteTableId: "ec2:CreateRouteRequest.RouteTableId",
    DestinationCidrBlock: "ec2:CreateRouteRequest.DestinationCidrBlock",
    VpcPeeringConnectionId: "ec2:CreateRouteRequest.VpcPeeringConnectionId",
  },
  "AWS::ApiGateway::RestApi": {
    Name: "apigateway:CreateRestApiRequest.name",
    Description: "apigateway:CreateRestApiRequest.description",
    "EndpointConfiguration.Types": "apigateway:EndpointConfiguration.types",
    Policy: "apigateway:CreateRestApiRequest.policy",
    Tags: { tags: "apigateway:CreateRestApiRequest.tags" },
  },
  "AWS::ApiGateway::Resource": {
    RestApiId: "apigateway:CreateResourceRequest.restApiId",
    ParentId: "apigateway:CreateResourceRequest.parentId",
    PathPart: "apigateway:CreateResourceRequest.pathPart",
  },
  "AWS::ApiGateway::Method": {
    RestApiId: "apigateway:PutMethodRequest.restApiId",
    ResourceId: "apigateway:PutMethodRequest.resourceId",
    HttpMethod: "apigateway:PutMethodRequest.httpMethod",
    AuthorizationType: "apigateway:PutMethodRequest.authorizationType",
    "Integration.Type": "apigateway:PutIntegrationRequest.type",
    "Integration.PassthroughBehavior": "apigateway:PutIntegrationRequest.passthroughBehavior",
    "Integration.RequestTemplates": "apigateway:PutIntegrationRequest.requestTemplates",
    "Integration.IntegrationResponses[].StatusCode": "apigateway:PutIntegrationResponseRequest.statusCode",
    "Integration.IntegrationResponses[].ResponseTemplates": "apigateway:PutIntegrationResponseRequest.responseTemplates",
    "MethodResponses[].StatusCode": "apigateway:PutMethodResponseRequest.statusCode",
  },
  "AWS::ApiGateway::Deployment": {
    RestApiId: "apigateway:CreateDeploymentRequest.restApiId",
    Description: "apigateway:CreateDeploymentRequest.description",
  },
  "AWS::ApiGateway::Stage": {
    RestApiId: "apigateway:CreateStageRequest.restApiId",
    DeploymentId: "apigateway:CreateStageRequest.deploymentId",
    StageName: "apigateway:CreateStageRequest.stageName",
    Description: "apigateway:CreateStageRequest.description",
    Tags: { tags: "apigateway:CreateStageRequest.tags" },
  },
  "AWS::SSM::Parameter": {
    Name: "ssm:PutParameterRequest.Name",
    Description: "ssm:PutParameterRequest.Description",
    Type: "ssm:PutParameterRequest.Type",
    Value: "ssm:PutParameterRequest.Value",
    Tags: { tags: "ssm:PutParameterRequest.Tags" },
  },
  "AWS::Route53::HostedZone": {
    Name: "route53:CreateHostedZoneRequest.Name",
    "HostedZoneConfig.Comment": "route53:HostedZoneConfig.Comment",
    "VPCs[].VPCId": "route53:VPC.VPCId",
    "VPCs[].VPCRegion": "route53:VPC.VPCRegion",
    HostedZoneTags: { tags: "route53:ChangeTagsForResourceRequest.AddTags" },
  },
  "AWS::Route53::RecordSet": {
    HostedZoneId: "route53:ChangeResourceRecordSetsRequest.HostedZoneId",
    Name: "route53:ResourceRecordSet.Name",
    Type: "route53:ResourceRecordSet.Type",
    "AliasTarget.DNSName": "route53:AliasTarget.DNSName",
    "AliasTarget.HostedZoneId": "route53:AliasTarget.HostedZoneId",
  },
  "AWS::IAM::Role": {
    RoleName: "iam:CreateRoleRequest.RoleName",
    Description: "iam:CreateRoleRequest.Description",
    Path: "iam:CreateRoleRequest.Path",
    AssumeRolePolicyDocument: "iam:CreateRoleRequest.AssumeRolePolicyDocument",
    "ManagedPolicyArns[]": "iam:AttachRolePolicyRequest.PolicyArn",
    Tags: { tags: "iam:CreateRoleRequest.Tags" },
  },
  "AWS::Logs::LogGroup": {
    LogGroupName: "logs:CreateLogGroupRequest.logGroupName",
    RetentionInDays: "logs:PutRetentionPolicyRequest.retentionInDays",
    Tags: { tags: "logs:CreateLogGroupRequest.tags" },
  },
  "AWS::Lambda::Function": {
    FunctionName: "lambda:CreateFunctionRequest.FunctionName",
    Description: "lambda:CreateFunctionRequest.Description",
    Runtime: "lambda:CreateFunctionRequest.Runtime",
    Handler: "lambda:CreateFunctionRequest.Handler",
    Role: "lambda:CreateFunctionRequest.Role",
    Timeout: "lambda:CreateFunctionRequest.Timeout",
    MemorySize: "lambda:CreateFunctionRequest.MemorySize",
    "LoggingConfig.LogGroup": "lambda:LoggingConfig.LogGroup",
    "VpcConfig.SubnetIds": "lambda:VpcConfig.SubnetIds",
    "VpcConfig.SecurityGroupIds": "lambda:VpcConfig.SecurityGroupIds",
    "Environment.Variables": "lambda:Environment.Variables",
    "Code.ZipFile": "lambda:FunctionCode.ZipFile",
    Tags: { tags: "lambda:CreateFunctionRequest.Tags" },
  },
};

// A rule's description lands on the member of what the rule names: a range, a group or a prefix list. The
// rules of a group's list ("SecurityGroupIngress[]."), or of a rule resource's own properties (list "").
function ruleFields(list: string, peer: "Source" | "Destination"): Record<string, Destination> {
  const at = list ? `${list}[].` : "";
  return {
    [`${at}Description`]: {
      bySibling: {
        CidrIp: "ec2:IpRange.Description",
        CidrIpv6: "ec2:Ipv6Range.Description",
        [`${peer}SecurityGroupId`]: "ec2:UserIdGroupPair.Description",
        [`${peer}PrefixListId`]: "ec2:PrefixListId.Description",
      },
    },
    [`${at}IpProtocol`]: "ec2:IpPermission.IpProtocol",
    [`${at}FromPort`]: "ec2:IpPermission.FromPort",
    [`${at}ToPort`]: "ec2:IpPermission.ToPort",
    [`${at}CidrIp`]: "ec2:IpRange.CidrIp",
  };
}

/** What a stack itself sends CloudFormation, and the template's own rules. */
export const STACK_FIELDS = {
  stackName: ["cloudformation:CreateChangeSetInput.StackName", "cloudformation:CreateStackInput.StackName"],
  tags: "cloudformation:CreateChangeSetInput.Tags",
  templateBody: "cloudformation:CreateChangeSetInput.TemplateBody",
  logicalId: "template:LogicalId",
} as const;

/** The stack a value is sent for: some rules count the ARN around a name. */
export interface Where {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

type Check = (value: Json, where: Where) => string | undefined;

/** A rule a member's documentation states (`says`, quoted from the model), or an AWS page states (`source`). */
export interface Stated {
  readonly says?: RegExp;
  readonly source?: string;
  readonly check: (said: RegExpMatchArray | null, models: Models) => Check;
}

const text = (value: Json): string => (typeof value === "string" ? value : JSON.stringify(value));
const maxLength = (max: number): Check => (value) =>
  [...text(value)].length > max ? `longer than ${max} characters` : undefined;
const maxBytes = (max: number): Check => (value) =>
  Buffer.byteLength(text(value)) > max ? `longer than ${max} bytes (${Buffer.byteLength(text(value))})` : undefined;
const refusedPrefix = (prefix: string, flags = ""): Check => (value) =>
  new RegExp(`^${escapeRegExp(prefix)}`, flags).test(text(value)) ? `starts with ${prefix}, which is reserved` : undefined;
const onlyCharacters = (allowed: (c: string) => boolean, described: string): Check => (value) => {
  const bad = [...new Set([...text(value)].filter((c) => !allowed(c)))];
  return bad.length > 0 ? `has ${bad.map((c) => JSON.stringify(c)).join(" ")}, outside ${described}` : undefined;
};
const inClass = (cls: string) => (c: string) => new RegExp(`^${cls}$`).test(c);

// EC2 writes its character sets out: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*".
function ec2Characters(list: string): (c: string) => boolean {
  const allowed = new Set<string>();
  for (const part of list.split(", ").map((p) => p.replace(/^and /, ""))) {
    if (part === "spaces") allowed.add(" ");
    else if (/^.-.$/.test(part)) for (let c = part.charCodeAt(0); c <= part.charCodeAt(2); c++) allowed.add(String.fromCharCode(c));
    else [...part].forEach((c) => allowed.add(c));
  }
  return (c) => allowed.has(c);
}

const EC2_DESCRIPTION: readonly Stated[] = [
  { says: /Up to (\d+) characters in length/, check: (m) => maxLength(Number(m![1])) },
  {
    says: /(?:Allowed characters are|Valid characters:) (\S.*\S)$/,
    check: (m) => onlyCharacters(ec2Characters(m![1]!), m![1]!),
  },
];

// The tagging guide every service's tag documentation points to.
const TAGGING_GUIDE = "https://docs.aws.amazon.com/general/latest/gr/aws_tagging.html";
const AWS_PREFIX: Stated = { source: `${TAGGING_GUIDE} ("aws:" is reserved for AWS use)`, check: () => refusedPrefix("aws:", "i") };

const NUMBER_WORDS: Readonly<Record<string, number>> = { ten: 10, fifteen: 15, twenty: 20 };

// Route 53's domain name format (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html):
// "Each label can be up to 63 characters long. The total length of a domain name can't exceed 255 bytes,
// including the dots."
const DNS_NAME: readonly Stated[] = [
  {
    source: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html (labels up to 63 characters, names up to 255 bytes)",
    check: () => (value) => {
      const name = text(value).replace(/\.$/, "");
      const long = name.split(".").find((label) => label.length > 63);
      if (long !== undefined) return `the label ${long} is longer than 63 characters`;
      return Buffer.byteLength(name) > 255 ? "longer than 255 bytes" : undefined;
    },
  },
];

// Lambda's reserved environment keys ("The keys for these environment variables are reserved and cannot be
// set in your function configuration", https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html),
// as cfn-lint keeps the list.
export const EXTENSIONS = { lambdaReservedKeys: "aws_lambda_function/environment_variable_keys" } as const;
const reservedKeys = (models: Models): readonly string[] =>
  ((models.extensions[EXTENSIONS.lambdaReservedKeys]?.["propertyNames"] as JsonObject | undefined)?.["not"] as JsonObject | undefined)?.["enum"] as string[] ?? [];

/**
 * Rules a member's documentation or an AWS page states, by member ("#key"/"#value" for a map's keys and
 * values). Pattern, length and enum traits come from the model by themselves and are not listed here.
 */
export const STATED: Readonly<Record<Member, readonly Stated[]>> = {
  "ec2:CreateSecurityGroupRequest.Description": EC2_DESCRIPTION,
  "ec2:CreateSecurityGroupRequest.GroupName": [...EC2_DESCRIPTION, { says: /Can't start with (sg-)/, check: (m) => refusedPrefix(m![1]!) }],
  "ec2:IpRange.Description": EC2_DESCRIPTION,
  "ec2:Ipv6Range.Description": EC2_DESCRIPTION,
  "ec2:UserIdGroupPair.Description": EC2_DESCRIPTION,
  "ec2:PrefixListId.Description": EC2_DESCRIPTION,
  "ec2:Tag.Key": [
    { says: /maximum of (\d+) Unicode characters/, check: (m) => maxLength(Number(m![1])) },
    { says: /May not begin with (aws:)/, check: (m) => refusedPrefix(m![1]!, "i") },
  ],
  "ec2:Tag.Value": [{ says: /maximum of (\d+) Unicode characters/, check: (m) => maxLength(Number(m![1])) }],
  "ec2:CreateVpcEndpointRequest.PolicyDocument": [
    {
      source: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html (\"The size of an endpoint policy cannot exceed 20,480 characters, including white space\")",
      check: () => maxLength(20_480),
    },
  ],
  ...Object.fromEntries(
    ["apigateway:CreateRestApiRequest.tags", "apigateway:CreateStageRequest.tags"].flatMap((member) => [
      [`${member}#key`, [
        { says: /The valid character set is (\[[^\]]+\])/, check: (m) => onlyCharacters(inClass(m![1]!), m![1]!) },
        { says: /The tag key can be up to (\d+) characters/, check: (m) => maxLength(Number(m![1])) },
        { says: /must not start with (aws:)/, check: (m) => refusedPrefix(m![1]!, "i") },
      ]],
      [`${member}#value`, [
        { says: /The valid character set is (\[[^\]]+\])/, check: (m) => onlyCharacters(inClass(m![1]!), m![1]!) },
        { says: /The tag value can be up to (\d+) characters/, check: (m) => maxLength(Number(m![1])) },
      ]],
    ]),
  ),
  "apigateway:CreateStageRequest.stageName": [
    { says: /Stage names can only contain alphanumeric characters, hyphens, and underscores/, check: () => onlyCharacters(inClass("[A-Za-z0-9_-]"), "A-Z a-z 0-9 - _") },
    { says: /Maximum length is (\d+) characters/, check: (m) => maxLength(Number(m![1])) },
  ],
  "lambda:CreateFunctionRequest.FunctionName": [{ says: /If you specify only the function name, it is limited to (\d+) characters/, check: (m) => maxLength(Number(m![1])) }],
  "lambda:CreateFunctionRequest.Timeout": [
    { says: /The maximum allowed value is (\d+) seconds/, check: (m) => (value) => (Number(value) > Number(m![1]) ? `more than ${m![1]} seconds` : undefined) },
  ],
  "lambda:Environment.Variables": [
    {
      // Measured as the variables' JSON text: "exceeded the 4KB limit. String measured: {"KEY":"value",…}"
      // (github-aws-runners/terraform-aws-github-runner#3594, a real account's refusal).
      source: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (environment variables: 4 KB in aggregate)",
      check: () => maxBytes(4096),
    },
  ],
  "lambda:Environment.Variables#key": [
    {
      source: `https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html (reserved environment variables; cfn-lint's ${EXTENSIONS.lambdaReservedKeys}.json)`,
      check: (_, models) => {
        const reserved = reservedKeys(models);
        if (reserved.length === 0) throw new Error(`cfn-lint's ${EXTENSIONS.lambdaReservedKeys}.json lists no keys: read it again`);
        return (value) => (reserved.includes(text(value)) ? "a key Lambda reserves" : undefined);
      },
    },
  ],
  "lambda:CreateFunctionRequest.Tags#key": [AWS_PREFIX],
  "logs:PutRetentionPolicyRequest.retentionInDays": [
    {
      says: /Possible values are: ([\d, and]+)\./,
      check: (m) => {
        const allowed = m![1]!.split(/,\s*(?:and\s+)?|\s+and\s+/).map(Number);
        return (value) => (allowed.includes(Number(value)) ? undefined : `not one of ${allowed.join(", ")}`);
      },
    },
  ],
  "logs:CreateLogGroupRequest.tags#key": [AWS_PREFIX],
  "ssm:PutParameterRequest.Name": [
    { says: /A parameter name can't be prefixed with " ?aws ?" or " ?ssm ?" \(case-insensitive\)/, check: () => (value) => (/^\/?(aws|ssm)/i.test(text(value)) ? "starts with aws or ssm" : undefined) },
    {
      says: /Parameter names can include only the following symbols and letters: (\S+) In addition, the slash character/,
      check: (m) => onlyCharacters(inClass(`[${m![1]!.replace(/-$/, "\\-")}/]`), `${m![1]} and /`),
    },
    {
      says: /limited to a maximum depth of (\w+) levels/,
      check: (m) => (value) => {
        const limit = NUMBER_WORDS[m![1]!] ?? Number(m![1]);
        const depth = text(value).split("/").filter(Boolean).length;
        return depth > limit ? `${depth} levels deep, more than ${limit}` : undefined;
      },
    },
    {
      says: /The maximum length for a parameter name that you specify is (\d+) characters. This count of \d+ characters includes the characters in the ARN that precede the name/,
      check: (m) => (value, where) => {
        const arn = `arn:${where.partition}:ssm:${where.region}:${where.accountId}:parameter/${text(value).replace(/^\//, "")}`;
        return arn.length > Number(m![1]) ? `${arn.length} characters with its ARN, more than ${m![1]}` : undefined;
      },
    },
  ],
  "ssm:PutParameterRequest.Value": [{ says: /Standard parameters have a value limit of (\d+) KB/, check: (m) => maxBytes(Number(m![1]) * 1024) }],
  "ssm:Tag.Key": [AWS_PREFIX],
  "iam:Tag.Key": [AWS_PREFIX],
  "route53:Tag.Key": [AWS_PREFIX],
  "route53:CreateHostedZoneRequest.Name": DNS_NAME,
  "route53:ResourceRecordSet.Name": DNS_NAME,
  "route53:AliasTarget.DNSName": DNS_NAME,
  "cloudformation:Tag.Key": [{ says: /reserved prefix: (aws:)/, check: (m) => refusedPrefix(m![1]!, "i") }],
  "cloudformation:CreateStackInput.StackName": [
    { says: /can contain only alphanumeric characters \(case sensitive\) and hyphens. It must start with an alphabetical character/, check: () => (value) => (/^[A-Za-z][A-Za-z0-9-]*$/.test(text(value)) ? undefined : "not a letter followed by letters, digits and hyphens") },
    { says: /can't be longer than (\d+) characters/, check: (m) => maxLength(Number(m![1])) },
  ],
  "cloudformation:CreateChangeSetInput.TemplateBody": [{ says: /a maximum length of ([\d,]+) bytes/, check: (m) => maxBytes(Number(m![1]!.replace(/,/g, ""))) }],
  "template:LogicalId": [
    {
      source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html (\"The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template\")",
      check: () => onlyCharacters(inClass("[A-Za-z0-9]"), "A-Z a-z 0-9"),
    },
  ],
};

/** Members that `template:…` names: the template's own rules, not an API's. */
const TEMPLATE_MEMBERS = new Set<Member>([STACK_FIELDS.logicalId]);

/** Every API member the tables name, to ask the models about. */
export function membersNamed(): Member[] {
  const named = new Set<Member>();
  for (const fields of Object.values(FIELDS)) {
    for (const destination of Object.values(fields)) {
      if (typeof destination === "string") named.add(destination);
      else if ("tags" in destination) named.add(destination.tags);
      else Object.values(destination.bySibling).forEach((m) => named.add(m));
    }
  }
  [...STACK_FIELDS.stackName, STACK_FIELDS.tags, STACK_FIELDS.templateBody].forEach((m) => named.add(m));
  for (const key of Object.keys(STATED)) named.add(key.replace(/#.*$/, ""));
  return [...named].filter((m) => !TEMPLATE_MEMBERS.has(m));
}

/** A shape's traits as the model gives them (aws-constraints.py). */
export interface Traits {
  readonly shape: string;
  readonly type: string;
  readonly documentation: string;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly key?: Traits;
  readonly value?: Traits;
  readonly member?: Traits;
  readonly members?: Readonly<Record<string, Traits>>;
}

/** What the installed models and schemas say. */
export interface Models {
  readonly versions: Readonly<Record<string, string>>;
  readonly members: Readonly<Record<Member, Traits>>;
  readonly schemas: Readonly<Record<string, JsonObject>>;
  readonly extensions: Readonly<Record<string, JsonObject>>;
}

const HELPER = join(dirname(fileURLToPath(import.meta.url)), "aws-constraints.py");

/** Reads the members and schemas from the installed botocore and cfn-lint (one Python run, about a second). */
export function readModels(members: readonly Member[], schemas: readonly (readonly [type: string, region: string])[]): Models {
  const extensions = Object.values(EXTENSIONS);
  const out = execFileSync("python3", [HELPER], { input: JSON.stringify({ members, schemas, extensions }), encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out) as Models;
}

/** One value broken against one rule, and the rule's source. */
export interface Problem {
  readonly where: string;
  readonly value: string;
  readonly rule: string;
  readonly source: string;
}

// The service model's pattern, matched as AWS matches it: against the whole value. Unicode classes
// (\p{L}) need the u flag; a pattern that the u flag rejects is read without it.
function wholeMatch(pattern: string): RegExp {
  const source = `^(?:${pattern})$`;
  try {
    return new RegExp(source, "u");
  } catch {
    return new RegExp(source);
  }
}

// cfn-lint reads the schemas' patterns with Python's regex module, whose \A and \Z JavaScript spells ^ and $.
function schemaMatch(pattern: string): RegExp {
  const js = pattern.replace(/\\A/g, "^").replace(/\\Z/g, "$");
  try {
    return new RegExp(js, "u");
  } catch {
    return new RegExp(js);
  }
}

/** Checks values against the models' traits and the stated rules, collecting problems. */
export class ConstraintCheck {
  readonly problems: Problem[] = [];

  constructor(private readonly models: Models) {}

  private traitsOf(member: Member): Traits {
    const traits = this.models.members[member];
    if (!traits) throw new Error(`${member} was not read from the models`);
    return traits;
  }

  private problem(where: string, value: Json, rule: string, source: string): void {
    this.problems.push({ where, value: text(value), rule, source });
  }

  /** A value landing on `member` (as given to the API: a list, a map, or a scalar). */
  member(member: Member, value: Json, where: string, at: Where): void {
    if (TEMPLATE_MEMBERS.has(member)) {
      this.stated(member, undefined, value, where, at);
      return;
    }
    const [service] = member.split(":");
    this.traits(`${service}:`, member, this.traitsOf(member), value, where, at);
  }

  private traits(service: string, member: Member, traits: Traits, value: Json, where: string, at: Where): void {
    const source = `${member} (${traits.shape}) in the ${service.slice(0, -1)} service model`;
    switch (traits.type) {
      case "list": {
        const items = Array.isArray(value) ? value : [value];
        this.count(items.length, traits, where, source);
        items.forEach((item, i) => {
          const itemTraits = traits.member!;
          if (itemTraits.members && item !== null && typeof item === "object" && !Array.isArray(item)) {
            for (const [name, v] of Object.entries(item)) {
              const inner = itemTraits.members[name];
              if (inner) this.traits(service, `${service}${itemTraits.shape}.${name}`, inner, v, `${where}[${i}].${name}`, at);
            }
          } else this.traits(service, `${member}#member`, itemTraits, item, `${where}[${i}]`, at);
        });
        break;
      }
      case "map": {
        const entries = Object.entries((value ?? {}) as JsonObject);
        this.count(entries.length, traits, where, source);
        for (const [k, v] of entries) {
          this.traits(service, `${member}#key`, traits.key!, k, `${where} key ${k}`, at);
          this.traits(service, `${member}#value`, traits.value!, v, `${where}.${k}`, at);
        }
        break;
      }
      case "integer":
      case "long":
        if (traits.min !== undefined && Number(value) < traits.min) this.problem(where, value, `less than ${traits.min}`, source);
        if (traits.max !== undefined && Number(value) > traits.max) this.problem(where, value, `more than ${traits.max}`, source);
        break;
      case "string": {
        const s = text(value);
        if (traits.min !== undefined && s.length < traits.min) this.problem(where, s, `shorter than ${traits.min} characters`, source);
        if (traits.max !== undefined && s.length > traits.max) this.problem(where, s, `longer than ${traits.max} characters`, source);
        if (traits.pattern !== undefined && !wholeMatch(traits.pattern).test(s)) this.problem(where, s, `does not match ${traits.pattern}`, source);
        if (traits.enum && traits.enum.length > 0 && !traits.enum.includes(s)) this.problem(where, s, "not one of the model's values", source);
        break;
      }
      default:
        break; // blob, boolean, structure: nothing stated about a value's text
    }
    this.stated(member, traits, value, where, at);
  }

  private count(n: number, traits: Traits, where: string, source: string): void {
    if (traits.min !== undefined && n < traits.min) this.problem(where, n, `fewer than ${traits.min} entries`, source);
    if (traits.max !== undefined && n > traits.max) this.problem(where, n, `more than ${traits.max} entries`, source);
  }

  private stated(member: Member, traits: Traits | undefined, value: Json, where: string, at: Where): void {
    for (const rule of STATED[member] ?? []) {
      let said: RegExpMatchArray | null = null;
      if (rule.says) {
        // A map's key and value rules are stated in the map's own documentation.
        const documentation = member.includes("#") ? this.traitsOf(member.replace(/#.*$/, "")).documentation : traits?.documentation ?? "";
        said = documentation.match(rule.says);
        if (!said) {
          this.problem(where, value, `the model no longer says ${rule.says}: read the member's documentation again`, member);
          continue;
        }
      }
      const broken = rule.check(said, this.models)(value, at);
      if (broken) this.problem(where, value, broken, rule.says ? `${member} documentation in the service model: "${said![0]}"` : rule.source!);
    }
  }

  /** Every value of a resource's properties against its registry schema. */
  schema(schema: JsonObject, value: Json, where: string, source: string, node: JsonObject = schema): void {
    const ref = node["$ref"];
    if (typeof ref === "string") {
      const target = ref.replace(/^#\//, "").split("/").reduce<Json>((at, key) => (at as JsonObject)[key] ?? null, schema);
      this.schema(schema, value, where, source, target as JsonObject);
      return;
    }
    for (const part of (node["allOf"] ?? []) as JsonObject[]) this.schema(schema, value, where, source, part);
    if (typeof value === "string") {
      if (typeof node["pattern"] === "string" && !schemaMatch(node["pattern"]).test(value)) this.problem(where, value, `does not match ${node["pattern"]}`, source);
      if (typeof node["maxLength"] === "number" && value.length > node["maxLength"]) this.problem(where, value, `longer than ${node["maxLength"]}`, source);
      if (typeof node["minLength"] === "number" && value.length < node["minLength"]) this.problem(where, value, `shorter than ${node["minLength"]}`, source);
    }
    if (typeof value === "number") {
      if (typeof node["maximum"] === "number" && value > node["maximum"]) this.problem(where, value, `more than ${node["maximum"]}`, source);
      if (typeof node["minimum"] === "number" && value < node["minimum"]) this.problem(where, value, `less than ${node["minimum"]}`, source);
    }
    if (Array.isArray(node["enum"]) && (typeof value === "string" || typeof value === "number") && !node["enum"].some((e) => String(e) === String(value))) {
      this.problem(where, value, `not one of ${node["enum"].join(", ")}`, source);
    }
    if (Array.isArray(value)) {
      if (typeof node["maxItems"] === "number" && value.length > node["maxItems"]) this.problem(where, value.length, `more than ${node["maxItems"]} items`, source);
      const items = node["items"];
      if (items && typeof items === "object" && !Array.isArray(items)) value.forEach((v, i) => this.schema(schema, v, `${where}[${i}]`, source, items));
    } else if (value !== null && typeof value === "object") {
      const properties = (node["properties"] ?? {}) as JsonObject;
      const patterns = Object.entries((node["patternProperties"] ?? {}) as JsonObject);
      for (const [k, v] of Object.entries(value)) {
        const declared = properties[k];
        if (declared) this.schema(schema, v, `${where}.${k}`, source, declared as JsonObject);
        for (const [pattern, sub] of patterns) if (schemaMatch(pattern).test(k)) this.schema(schema, v, `${where}.${k}`, source, sub as JsonObject);
        if (node["additionalProperties"] === false && !declared && patterns.length > 0 && !patterns.some(([p]) => schemaMatch(p).test(k))) {
          this.problem(`${where}.${k}`, k, `a key no pattern of ${patterns.map(([p]) => p).join(", ")} admits`, source);
        }
      }
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
