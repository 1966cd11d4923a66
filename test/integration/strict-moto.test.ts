// What AWS refuses, refused on moto too: small templates under moto/strict/ that AWS would fail, each
// deployed through a change set (as the tool deploys) and expected to fail with AWS's error, roll back
// and leave nothing; and what AWS does where moto did something else (an update it cannot make, the
// endpoint's hosted zone in another region, a private zone's name servers). Each test fails without its
// patch in moto/launcher.py.

import { readFileSync } from "node:fs";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  ExecuteChangeSetCommand,
  ListChangeSetsCommand,
  type ChangeSetType,
  type Stack,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { APIGatewayClient, GetRestApiCommand, GetStageCommand } from "@aws-sdk/client-api-gateway";
import { CreateRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeStack, motoAws, outputsOf, type MotoAws } from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";

const REGION = "eu-west-1";

let moto: MotoServer;
let aws: MotoAws;

beforeAll(async () => {
  // A change set is computed in 10 s on AWS: half a second here (one second stands for 20), time enough to
  // act on one still being computed.
  moto = await startMotoServer({ timeScale: 20 });
  aws = motoAws(moto);
});

afterAll(async () => {
  aws?.destroy();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
});

const template = (file: string): string => readFileSync(new URL(`./moto/strict/${file}`, import.meta.url), "utf8");

interface Outcome {
  readonly stack: Stack | undefined;
  /** Oldest first. */
  readonly events: StackEvent[];
  readonly failed: StackEvent[];
}

/** CreateChangeSet (CREATE, or UPDATE when the stack exists), ExecuteChangeSet, then the stack and its events. */
async function deploy(name: string, body: string, parameters: Record<string, string> = {}): Promise<Outcome> {
  const cfn: CloudFormationClient = aws.cfn(REGION);
  const existing = await describeStack(cfn, name);
  const type: ChangeSetType = existing ? "UPDATE" : "CREATE";
  const { Id } = await cfn.send(
    new CreateChangeSetCommand({
      StackName: name,
      ChangeSetName: `strict-${Date.now()}`,
      ChangeSetType: type,
      TemplateBody: body,
      Capabilities: ["CAPABILITY_IAM"],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  );
  // AWS computes a change set (CREATE_PENDING, CREATE_IN_PROGRESS) and runs the stack's operation in its own time.
  let changeSet = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
  while (changeSet.Status === "CREATE_PENDING" || changeSet.Status === "CREATE_IN_PROGRESS") {
    await pause();
    changeSet = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
  }
  expect(changeSet.Status, changeSet.StatusReason).toBe("CREATE_COMPLETE");
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
  let stack = await describeStack(cfn, name);
  while (stack?.StackStatus?.endsWith("_IN_PROGRESS")) {
    await pause();
    stack = await describeStack(cfn, name);
  }
  const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
  const events = [...(StackEvents ?? [])].reverse();
  return { stack, events, failed: events.filter((e) => e.ResourceStatus?.endsWith("_FAILED")) };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
const REQUEST_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** The stack rolled back its creation because of `logicalId` alone, and is then deleted. */
async function expectRefusedCreate(name: string, outcome: Outcome, logicalId: string): Promise<string> {
  expect(outcome.stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
  expect(outcome.failed.map((e) => [e.LogicalResourceId, e.ResourceStatus])).toEqual([[logicalId, "CREATE_FAILED"]]);
  await aws.cfn(REGION).send(new DeleteStackCommand({ StackName: name }));
  return outcome.failed[0]?.ResourceStatusReason ?? "";
}

describe("what AWS refuses, the launcher refuses", () => {
  // Each reason in the form CloudFormation gives for the type (cfn_change_sets.py names the real failures).
  it("deploying a private API that has no resource policy (BadRequestException)", async () => {
    const outcome = await deploy("no-policy", template("private-api-without-policy.yaml"));
    const reason = await expectRefusedCreate("no-policy", outcome, "Deployment");
    expect(reason).toMatch(new RegExp(
      `^Private REST API doesn't have a resource policy attached to it \\(Service: AmazonApiGateway; Status Code: 400; Error Code: BadRequestException; Request ID: ${REQUEST_ID}\\)$`,
    ));
  });

  it("a RestApi with neither Name nor an OpenAPI body (ValidationException)", async () => {
    const outcome = await deploy("no-name", template("rest-api-without-name.yaml"));
    const reason = await expectRefusedCreate("no-name", outcome, "Api");
    expect(reason).toMatch(/^1 validation error detected: Value null at 'createRestApiInput\.name' failed to satisfy constraint: Member must not be null \(Service: AmazonApiGateway; Status Code: 400; Error Code: ValidationException; /);
  });

  it("a Stage whose DeploymentId is not a deployment of the API (BadRequestException), or is empty", async () => {
    const unknown = await deploy("bad-stage", template("api-stage.yaml"), { DeploymentId: "abc123" });
    const reason = await expectRefusedCreate("bad-stage", unknown, "Stage");
    expect(reason.startsWith('Resource handler returned message: "Deployment id does not exist (Service: '), reason).toBe(true);
    expect(reason).toMatch(/\(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/);
    const empty = await deploy("empty-stage", template("api-stage.yaml"), { DeploymentId: "" });
    expect(await expectRefusedCreate("empty-stage", empty, "Stage")).toMatch(
      new RegExp(`^Resource handler returned message: "DeploymentId cannot be empty" \\(RequestToken: ${REQUEST_ID}, HandlerErrorCode: InvalidRequest\\)$`),
    );
  });

  it("a role naming a managed policy that does not exist (NoSuchEntity), leaving no role behind", async () => {
    const outcome = await deploy("bad-role", template("role-with-missing-policy.yaml"));
    expect(await expectRefusedCreate("bad-role", outcome, "Role")).toMatch(new RegExp(
      "^Policy arn:aws:iam::aws:policy/service-role/NoSuchPolicyAnywhere does not exist or is not attachable\\. " +
        `\\(Service: AmazonIdentityManagement; Status Code: 404; Error Code: NoSuchEntity; Request ID: ${REQUEST_ID}; Proxy: null\\)$`,
    ));
    const iam = new IAMClient(moto.clientConfig(REGION));
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
    iam.destroy();
  });
});

describe("what AWS does where moto did nothing", () => {
  it("a role's managed policies are attached, kept in step on update, and detached when it is deleted", async () => {
    const withPolicy = (name: string) => template("role-with-missing-policy.yaml").replace("NoSuchPolicyAnywhere", name);
    const iam = new IAMClient(moto.clientConfig(REGION));
    const attached = async (): Promise<string[]> => {
      const { Roles } = await iam.send(new ListRolesCommand({}));
      expect(Roles).toHaveLength(1);
      const { AttachedPolicies } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: Roles![0]!.RoleName }));
      return AttachedPolicies?.map((p) => p.PolicyArn!) ?? [];
    };
    expect((await deploy("role", withPolicy("AWSLambdaVPCAccessExecutionRole"))).stack?.StackStatus).toBe("CREATE_COMPLETE");
    expect(await attached()).toEqual(["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]);
    expect((await deploy("role", withPolicy("AWSLambdaENIManagementAccess"))).stack?.StackStatus).toBe("UPDATE_COMPLETE");
    expect(await attached()).toEqual(["arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"]);
    await aws.cfn(REGION).send(new DeleteStackCommand({ StackName: "role" }));
    expect(await describeStack(aws.cfn(REGION), "role")).toBeUndefined();
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
    iam.destroy();
  });
});

describe("a resource under a Condition", () => {
  it("is there while its condition holds (a rule with its sgr- id), and an update whose condition turns false deletes it: the rule is revoked, the group stays", async () => {
    const created = await deploy("ingress", template("ingress-rule.yaml"), { RuleCidr: "10.21.0.0/16" });
    expect(created.stack?.StackStatus).toBe("CREATE_COMPLETE");
    const { GroupId, RuleId } = outputsOf(created.stack);
    expect(RuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    const inbound = async () =>
      ((await aws.ec2(REGION).send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [GroupId!] }] }))).SecurityGroupRules ?? [])
        .filter((r) => !r.IsEgress)
        .map((r) => [r.SecurityGroupRuleId, r.CidrIpv4]);
    expect(await inbound()).toEqual([[RuleId, "10.21.0.0/16"]]);
    const dropped = await deploy("ingress", template("ingress-rule.yaml"), { RuleCidr: "" });
    expect(dropped.stack?.StackStatus, JSON.stringify(dropped.failed.map((e) => [e.LogicalResourceId, e.ResourceStatusReason]))).toBe("UPDATE_COMPLETE");
    expect(outputsOf(dropped.stack).GroupId).toBe(GroupId);
    expect(await inbound()).toEqual([]);
  });
});

describe("an update moto cannot make fails as AWS fails an update, instead of pretending", () => {
  it("a new VPC range (a replacement): UPDATE_FAILED, rolled back, the VPC and the stack as they were", async () => {
    const created = await deploy("net", template("vpc.yaml"), { Cidr: "10.30.0.0/16" });
    expect(created.stack?.StackStatus).toBe("CREATE_COMPLETE");
    const { VpcId } = outputsOf(created.stack);

    const updated = await deploy("net", template("vpc.yaml"), { Cidr: "10.31.0.0/16" });
    expect(updated.stack?.StackStatus).toBe("UPDATE_ROLLBACK_COMPLETE");
    expect(updated.failed).toHaveLength(1);
    expect(updated.failed[0]).toMatchObject({ LogicalResourceId: "Vpc", ResourceStatus: "UPDATE_FAILED" });
    // The emulator's own refusal, in its own words.
    expect(updated.failed[0]?.ResourceStatusReason).toMatch(/cannot apply .* to AWS::EC2::VPC.*\(Error Code: NotUpdatable\)$/);
    const statuses = updated.events.filter((e) => e.LogicalResourceId === "net").map((e) => e.ResourceStatus);
    expect(statuses.slice(-4)).toEqual(["CREATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"]);
    expect(outputsOf(updated.stack)).toEqual({ VpcId });
    expect(updated.stack?.Parameters).toEqual([{ ParameterKey: "Cidr", ParameterValue: "10.30.0.0/16" }]);
    const { Vpcs } = await aws.ec2(REGION).send(new DescribeVpcsCommand({ VpcIds: [VpcId!] }));
    expect(Vpcs?.[0]?.CidrBlock).toBe("10.30.0.0/16");
  });

  it("an update moto can make still completes: the API renamed in place, its stage moved to a new deployment", async () => {
    const created = await deploy("staged", template("api-stage.yaml"));
    const { ApiId, DeploymentId: first } = outputsOf(created.stack);
    const renamed = template("api-stage.yaml").replaceAll("DeploymentA", "DeploymentB").replace("Name: staged", "Name: restaged");
    const updated = await deploy("staged", renamed);
    expect(updated.stack?.StackStatus).toBe("UPDATE_COMPLETE");
    const second = outputsOf(updated.stack).DeploymentId;
    expect(second).not.toBe(first);
    const apigateway = new APIGatewayClient(moto.clientConfig(REGION));
    expect((await apigateway.send(new GetStageCommand({ restApiId: ApiId, stageName: "v1" }))).deploymentId).toBe(second);
    expect((await apigateway.send(new GetRestApiCommand({ restApiId: ApiId }))).name).toBe("restaged");
    apigateway.destroy();
  });
});

/** A CREATE change set of vpc.yaml for a new stack; its id. */
async function vpcChangeSet(stack: string, name: string, cidr: string): Promise<string> {
  const made = await aws.cfn(REGION).send(new CreateChangeSetCommand({ StackName: stack, ChangeSetName: name, ChangeSetType: "CREATE", TemplateBody: template("vpc.yaml"), Parameters: [{ ParameterKey: "Cidr", ParameterValue: cidr }] }));
  return made.Id!;
}

describe("what AWS answers where moto answered something else", () => {
  it("a change set is computed before it can run, and deleting one that executing a sibling removed succeeds", async () => {
    const cfn = aws.cfn(REGION);
    const [first, second] = [await vpcChangeSet("computed", "first", "10.32.0.0/16"), await vpcChangeSet("computed", "second", "10.32.0.0/16")];
    // CREATE_PENDING, then CREATE_IN_PROGRESS (guardian/riff-raff#519); executing it then is refused (saksdirect/nova#10).
    expect((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: first }))).Status).toMatch(/^CREATE_(PENDING|IN_PROGRESS)$/);
    await expect(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: first }))).rejects.toMatchObject({
      name: "InvalidChangeSetStatusException",
      message: expect.stringMatching(new RegExp(`^ChangeSet \\[${first.replace(/[/.*+?^${}()|[\]\\]/g, "\\$&")}\\] cannot be executed in its current status of \\[CREATE_(PENDING|IN_PROGRESS)\\]$`)),
    });
    let described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: first }));
    while (described.Status !== "CREATE_COMPLETE") {
      await pause();
      described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: first }));
    }
    expect(described.ExecutionStatus).toBe("AVAILABLE");
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: first }));
    // Executing one deletes the stack's others; deleting one of those again succeeds (ministackorg/ministack#1625).
    await expect(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: second }))).rejects.toMatchObject({ name: "ChangeSetNotFoundException" });
    await expect(cfn.send(new DeleteChangeSetCommand({ ChangeSetName: second }))).resolves.toBeDefined();
  });

  it("a change set named without its ARN is looked for in the stack the call names, and only there", async () => {
    const cfn = aws.cfn(REGION);
    const [mine, theirs] = [await vpcChangeSet("named-mine", "review", "10.33.0.0/16"), await vpcChangeSet("named-theirs", "review", "10.33.0.0/16")];
    expect((await cfn.send(new DescribeChangeSetCommand({ StackName: "named-mine", ChangeSetName: "review" }))).ChangeSetId).toBe(mine);
    expect((await cfn.send(new DescribeChangeSetCommand({ StackName: "named-theirs", ChangeSetName: "review" }))).ChangeSetId).toBe(theirs);
    // Recorded on AWS by localstack's AWS-validated snapshots (test_changesets.snapshot.json: DeleteChangeSet
    // without StackName, and with a stack that does not exist; DescribeChangeSet with one).
    await expect(cfn.send(new DeleteChangeSetCommand({ ChangeSetName: "review" }))).rejects.toMatchObject({
      name: "ValidationError",
      message: "StackName must be specified if ChangeSetName is not specified as an ARN.",
    });
    await expect(cfn.send(new DeleteChangeSetCommand({ StackName: "nostack", ChangeSetName: "review" }))).rejects.toMatchObject({ name: "ValidationError", message: "Stack [nostack] does not exist" });
    await expect(cfn.send(new DescribeChangeSetCommand({ StackName: "somestack", ChangeSetName: "review" }))).rejects.toMatchObject({ name: "ValidationError", message: "Stack [somestack] does not exist" });
    // DescribeChangeSet and ExecuteChangeSet without StackName: no capture of their text, so the code only.
    await expect(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: "review" }))).rejects.toMatchObject({ name: "ValidationError" });
    await expect(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: "review" }))).rejects.toMatchObject({ name: "ValidationError" });
    await expect(cfn.send(new DescribeChangeSetCommand({ StackName: "named-mine", ChangeSetName: "other" }))).rejects.toMatchObject({ name: "ChangeSetNotFoundException" });
    await cfn.send(new DeleteChangeSetCommand({ StackName: "named-mine", ChangeSetName: "review" }));
    await expect(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: mine }))).rejects.toMatchObject({ name: "ChangeSetNotFoundException" });
    expect((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: theirs }))).ChangeSetName).toBe("review");
  });

  it("ListChangeSets lists the named stack's own change sets, and refuses a stack that does not exist", async () => {
    const cfn = aws.cfn(REGION);
    const made = await vpcChangeSet("listed", "only", "10.34.0.0/16");
    await vpcChangeSet("elsewhere", "other", "10.35.0.0/16");
    expect(((await cfn.send(new ListChangeSetsCommand({ StackName: "listed" }))).Summaries ?? []).map((c) => c.ChangeSetId)).toEqual([made]);
    // The code only: the text is its sibling calls' wording, by analogy (cfn_lifecycle.py).
    await expect(cfn.send(new ListChangeSetsCommand({ StackName: "never-made" }))).rejects.toMatchObject({ name: "ValidationError" });
  });

  /** The hosted zone id of each DNS entry of a new execute-api interface endpoint in `region`. */
  async function endpointZoneIds(region: string): Promise<string[]> {
    const ec2 = aws.ec2(region);
    const service = `com.amazonaws.${region}.execute-api`;
    const { ServiceDetails } = await ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [service] }));
    const zone = ServiceDetails?.[0]?.AvailabilityZones?.[0];
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }));
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: "10.40.1.0/24", AvailabilityZone: zone }),
    );
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({ VpcId: Vpc!.VpcId, ServiceName: service, VpcEndpointType: "Interface", SubnetIds: [Subnet!.SubnetId!] }),
    );
    return VpcEndpoint?.DnsEntries?.map((e) => e.HostedZoneId!) ?? [];
  }

  it("an interface endpoint's DNS entries carry its own region's hosted zone id, not us-east-1's", async () => {
    // ap-southeast-2.vpce.amazonaws.com's zone, as AWS answers it; the regional name and the zone's name.
    expect(await endpointZoneIds("ap-southeast-2")).toEqual(["ZDK2GCRPAFKGO", "ZDK2GCRPAFKGO"]);
    // A region the launcher's table lacks still gets a zone of its own.
    const [zone, ...rest] = await endpointZoneIds("ca-west-1");
    expect(zone).toMatch(/^Z[0-9A-F]{13}$/);
    expect(zone).not.toBe("Z7HUB22UULQXV");
    expect(rest).toEqual([zone]);
  });

  it("a stack left ROLLBACK_COMPLETE by its first create takes no update change set (jenseickmeyer/todo-app-nodejs#5)", async () => {
    const cfn = aws.cfn(REGION);
    const outcome = await deploy("rolled-back", template("role-with-missing-policy.yaml"));
    expect(outcome.stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    const refused = await cfn
      .send(new CreateChangeSetCommand({ StackName: "rolled-back", ChangeSetName: "again", ChangeSetType: "UPDATE", TemplateBody: template("role-with-missing-policy.yaml"), Capabilities: ["CAPABILITY_IAM"] }))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "ValidationError", message: `Stack:${outcome.stack!.StackId} is in ROLLBACK_COMPLETE state and can not be updated.` });
    await cfn.send(new DeleteStackCommand({ StackName: "rolled-back" }));
  });

  it("a subnet in another region's zone is refused with EC2's answer (kube-aws#206, npk#166), not made", async () => {
    const ec2 = aws.ec2(REGION);
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.41.0.0/16" }));
    const refused = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: "10.41.1.0/24", AvailabilityZone: "us-east-1a" })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "InvalidParameterValue" });
    expect((refused as Error).message).toMatch(/^Value \(us-east-1a\) for parameter availabilityZone is invalid\. Subnets can currently only be created in the following availability zones: eu-west-1a, /);
  });

  it("a private hosted zone has no name servers; a public one has its four", async () => {
    const outcome = await deploy("zones", template("zones.yaml"));
    expect(outcome.stack?.StackStatus).toBe("CREATE_COMPLETE");
    const outputs = outputsOf(outcome.stack);
    expect(outputs.PrivateNameServers ?? "").toBe("");
    expect(outputs.PublicNameServers?.split(",")).toHaveLength(4);
  });
});

describe("a value outside what AWS states for its field is refused, as CloudFormation surfaces it", () => {
  // [case, value, the resource that fails, AWS's error code as the reason names it, AWS's message as a real
  // refusal shows it] (patches/field_constraints.py cites each capture; cases whose text no capture shows assert
  // the code only). A function's reason comes from its registry handler, which names no service error code but
  // its HandlerErrorCode (vittorio-nardone/disposable_app#3): Lambda's code for those rows is in the patch.
  const REFUSED: readonly [string, string, string, string, string | undefined][] = [
    ["rule-description", "HTTPS to the API VPC's endpoint", "RuleGroup", "InvalidParameterValue",
      "Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"],
    ["group-description", "the API VPC's endpoint", "Group", "InvalidParameterValue",
      "Invalid security group description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"],
    ["tag-key", "aws:deployment", "Vpc", "InvalidParameterValue",
      "Value ( aws:deployment ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use"],
    ["role-description", "client function’s role", "Role", "ValidationError",
      "1 validation error detected: Value 'client function’s role' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*"],
    ["role-path", "service-role", "Role", "ValidationError", undefined],
    ["function-name", `f${"x".repeat(64)}`, "Function", "HandlerErrorCode: InvalidRequest", undefined],
    ["function-description", "d".repeat(257), "Function", "HandlerErrorCode: InvalidRequest",
      `1 validation error detected: Value '${"d".repeat(257)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`],
    ["environment-key", "", "Function", "HandlerErrorCode: InvalidRequest",
      "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"],
    ["environment-reserved", "", "Function", "HandlerErrorCode: InvalidRequest",
      "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION"],
    ["log-group-name", "/aws/lambda/client:logs", "LogGroup", "InvalidParameterException",
      "1 validation error detected: Value '/aws/lambda/client:logs' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"],
    ["parameter-name", "/xregion-private-api/demo/route table ids", "Parameter", "ValidationException",
      "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_"],
  ];

  it.each(REFUSED)("%s: the resource fails and the stack rolls back", async (kind, value, logicalId, code, message) => {
    const name = `field-${kind}`;
    const outcome = await deploy(name, template("field-constraints.yaml"), { Case: kind, Value: value });
    const reason = await expectRefusedCreate(name, outcome, logicalId).catch((error: unknown) => {
      throw new Error(`${String(error)}; ${outcome.failed.map((e) => e.ResourceStatusReason).join("; ")}`);
    });
    expect(reason).toContain(code);
    if (message !== undefined) expect(reason).toContain(message);
  });

  it("the values that replaced them are created", async () => {
    const taken = [
      ["rule-description", "HTTPS to the execute-api endpoint in the API VPC (over the peering connection)"],
      ["group-description", "demo: client function; no inbound, outbound HTTPS to the API VPC only"],
      ["role-description", "xregion-private-api demo client function (VPC access and logs only)"],
      ["log-group-name", "/aws/lambda/demo-client"],
      ["parameter-name", "/xregion-private-api/demo/route-table-ids"],
    ];
    for (const [kind, value] of taken) {
      const outcome = await deploy(`taken-${kind}`, template("field-constraints.yaml"), { Case: kind!, Value: value! });
      expect(outcome.stack?.StackStatus, `${kind}: ${outcome.failed[0]?.ResourceStatusReason}`).toBe("CREATE_COMPLETE");
    }
  });

  it("a role name longer than IAM's 64 characters is refused by the API (ValidationError, HTTP 400)", async () => {
    const iam = new IAMClient(moto.clientConfig(REGION));
    const error = (await iam
      .send(new CreateRoleCommand({ RoleName: "r".repeat(65), AssumeRolePolicyDocument: "{}" }))
      .catch((e: unknown) => e)) as { name?: string; $metadata?: { httpStatusCode?: number }; message?: string };
    iam.destroy();
    expect(error).toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });
    expect(error.message).toBe(
      `1 validation error detected: Value '${"r".repeat(65)}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  });
});
