// Values AWS would refuse never leave the tool. Every template is evaluated as the tool writes it — the
// plan's parameters, the renderer's hashed Deployment id, connect's two stacks with every slot filled, each partition the tool deploys to, the shortest
// and the longest deployment names --name allows — and every value is checked against the constraint AWS
// states for the field it lands in (test/helpers/field-constraints.ts names each rule's source: the
// service models, their documentation, AWS's pages, CloudFormation's registry schemas).
import { partitionsInfo } from "aws-sdk-partitions";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, type Answers } from "../../src/config/answers.js";
import { DEPLOYABLE_PARTITIONS, offeredRegions } from "../../src/config/regions.js";
import { nameProblem } from "../../src/config/validate.js";
import { resolveParameters, type StageOutputs } from "../../src/steps/deploy/deploy.js";
import { loadStageTemplate } from "../../src/steps/deploy/deployment-id.js";
import { buildPlan, type StagePlan } from "../../src/steps/plan.js";
import { slotParameters, SLOTS, type SlotFamily } from "../../src/steps/connect/slots.js";
import { CONNECT_TEMPLATES, loadConnectTemplate } from "../../src/steps/connect/templates.js";
import { connectStackNames, TAG_CONNECTION, TAG_DEPLOYMENT } from "../../src/steps/stages.js";
import { evaluateStack, type EvaluatedResource } from "../helpers/cfn-evaluate.js";
import { parseTemplate, type Json, type JsonObject } from "../helpers/cfn-yaml.js";
import {
  ConstraintCheck,
  FIELDS,
  membersNamed,
  readModels,
  STACK_FIELDS,
  STATED,
  type Destination,
  type Member,
  type Models,
  type Where,
} from "../helpers/field-constraints.js";
import { TEMPLATES_DIR } from "../helpers/template-fixtures.js";

const ACCOUNT = "123456789012";

// The names --name allows at both ends, found by asking the tool's own validator (src/config/validate.ts).
function allowedNames(): { shortest: string; longest: string } {
  const accepted = (name: string) => nameProblem(name) === undefined;
  const shortest = "z";
  let longest = shortest;
  // Letters, digits and hyphens: every character class the rule admits.
  for (const next of "9-x".repeat(40)) if (accepted(longest + next)) longest += next;
  return { shortest, longest };
}

const NAMES = allowedNames();

/** One deployment as the tool would make it: its answers, and each stage's stack as sent. */
interface Deployment {
  readonly label: string;
  readonly stages: readonly DeployedStage[];
}

interface DeployedStage {
  readonly plan: Pick<StagePlan, "stackName" | "tags" | "template"> & Partial<Pick<StagePlan, "key" | "clientRegion">>;
  readonly body: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly resources: readonly EvaluatedResource[];
  readonly where: Where;
}

// Each partition's two longest region ids (the longest values), as the API and the first client region;
// a second client region, when the partition has one, gets a routes stack of its own name form and the
// endpoint rule the first one's range does not need.
function answersFor(partition: string, name: string): Answers {
  const [apiRegion, ...clientRegions] = offeredRegions(partition)
    .map((r) => r.id)
    .sort((a, b) => b.length - a.length || a.localeCompare(b));
  const ranges = [DEFAULTS.clientCidr, "10.21.0.0/16"];
  return {
    name,
    apiRegion: apiRegion!,
    apiCidr: DEFAULTS.apiCidr,
    clients: clientRegions.slice(0, 2).map((region, i) => ({ region, cidr: ranges[i]!, azs: `${region}a,${region}b` })),
    apiAzs: `${apiRegion}a,${apiRegion}b`,
  };
}

// The stages in order, each evaluated with the parameters the tool would pass: the plan's, and the
// earlier stages' outputs (and stage 1's Parameter Store value that CloudFormation reads for stage 3).
async function deploy(answers: Answers): Promise<DeployedStage[]> {
  const plan = buildPlan(answers);
  // Stage 1's outputs, and each client region's own stage 2 and 3.
  const chains = new Map<string | undefined, { -readonly [K in keyof StageOutputs]: StageOutputs[K] }>();
  const ssm: Record<string, string> = {};
  const stages: DeployedStage[] = [];
  for (const stage of plan.stages) {
    const outputs = chains.get(stage.clientRegion) ?? { 1: chains.get(undefined)?.[1] };
    chains.set(stage.clientRegion, outputs);
    const parameters = resolveParameters(stage, outputs);
    const { body } = await loadStageTemplate(stage.template, parameters, TEMPLATES_DIR);
    const partition = partitionsInfo.partitions.find((p) => stage.region in p.regions)!;
    const where = { partition: partition.id, region: stage.region, accountId: ACCOUNT };
    const evaluated = evaluateStack(parseTemplate(body, stage.template), {
      ...where,
      stackName: stage.stackName,
      urlSuffix: partition.outputs.dnsSuffix,
      parameters,
      ssm,
    });
    outputs[stage.number] = evaluated.outputs;
    for (const r of evaluated.resources.filter((r) => r.type === "AWS::SSM::Parameter")) {
      ssm[String(r.properties["Name"])] = String(r.properties["Value"]);
    }
    stages.push({ plan: stage, body, parameters, resources: evaluated.resources, where });
  }
  return stages;
}

// connect's two stacks for a connection between the same regions, as the planner fills them with every slot in
// use (the most values there can be): ids at AWS's longest (17 hex digits), the peering made by the client
// stack, the zone and the probe on. The client template is sent rendered, with the probe's code.
async function connect(answers: Answers): Promise<DeployedStage[]> {
  // A connection has one client region: the deployment's first.
  const clientRegion = answers.clients[0]!.region;
  const names = connectStackNames(answers.name, clientRegion);
  const id = (prefix: string, n: number) => `${prefix}-${(n.toString(16) + "f".repeat(17)).slice(0, 17)}`;
  const slots = (family: SlotFamily, on: string) =>
    slotParameters(family, Array.from({ length: SLOTS[family].count }, (_, i) => ({ index: i + 1, on: id(on, i), cidr: `10.${i}.0.0/16`, kept: false })));
  const partition = partitionsInfo.partitions.find((p) => answers.apiRegion in p.regions)!;
  const tags = { [TAG_DEPLOYMENT]: answers.name, [TAG_CONNECTION]: "true" };
  const client = {
    DeploymentName: answers.name,
    ClientVpcId: id("vpc", 1),
    PeeringConnectionId: "",
    CreateZone: "true",
    ApiRegion: answers.apiRegion,
    ApiVpcId: id("vpc", 2),
    ApiId: "a1b2c3d4e5",
    ApiStageName: "prod",
    ApiEndpointDnsName: `${id("vpce", 3)}-k2x9q7ra.execute-api.${answers.apiRegion}.vpce.${partition.outputs.dnsSuffix}`,
    ApiEndpointHostedZoneId: "Z7HUB22UULQXV",
    Probe: "true",
    ProbeSubnetIds: Array.from({ length: 16 }, (_, i) => id("subnet", i)).join(","),
    ProbePath: "/orders/recent",
    EndpointCidr1: "10.50.8.0/24",
    EndpointCidr2: "10.50.9.0/24",
    EndpointCidr3: "10.50.10.0/24",
    EndpointCidr4: "10.50.11.0/24",
    ...slots("ClientRoute", "rtb"),
    ...slots("ClientEgress", "sg"),
  };
  const api = { DeploymentName: answers.name, ClientRegion: clientRegion, PeeringConnectionId: id("pcx", 4), ...slots("ReturnRoute", "rtb"), ...slots("EndpointIngress", "sg") };
  const stacks = [
    { key: "client" as const, stackName: names.client, region: clientRegion, parameters: client },
    { key: "api" as const, stackName: names.api, region: answers.apiRegion, parameters: api },
  ];
  return Promise.all(stacks.map(async (stack): Promise<DeployedStage> => {
    const { body } = await loadConnectTemplate(stack.key, TEMPLATES_DIR);
    const where = { partition: partition.id, region: stack.region, accountId: ACCOUNT };
    const evaluated = evaluateStack(parseTemplate(body, CONNECT_TEMPLATES[stack.key]), { ...where, stackName: stack.stackName, urlSuffix: partition.outputs.dnsSuffix, parameters: stack.parameters, ssm: {} });
    return { plan: { stackName: stack.stackName, tags, template: CONNECT_TEMPLATES[stack.key] }, body, parameters: stack.parameters, resources: evaluated.resources, where };
  }));
}

/** A value found at a concrete path of a resource's properties, with the object holding it (a rule's siblings). */
interface Found {
  readonly path: string;
  readonly value: Json;
  readonly parent: JsonObject;
}

// "A.B[].C": properties A, then B, then each item of B, then its C.
function select(properties: JsonObject, pattern: string): Found[] {
  let found: Found[] = [{ path: "", value: properties, parent: properties }];
  for (const segment of pattern.split(".")) {
    const name = segment.replace(/\[\]$/, "");
    found = found.flatMap(({ path, value }) => {
      if (value === null || typeof value !== "object" || Array.isArray(value) || !(name in value)) return [];
      const next = value[name]!;
      const at = path ? `${path}.${name}` : name;
      if (!segment.endsWith("[]")) return [{ path: at, value: next, parent: value }];
      return Array.isArray(next) ? next.map((item, i) => ({ path: `${at}[${i}]`, value: item, parent: value })) : [];
    });
  }
  return found;
}

/** Every string or number of the properties, by path (booleans state nothing AWS could refuse). */
function leaves(value: Json, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return typeof value === "string" || typeof value === "number" ? [path] : [];
}

function tagsOf(value: Json | undefined): Record<string, string> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((t) => [String((t as JsonObject)["Key"]), String((t as JsonObject)["Value"])]));
  return Object.fromEntries(Object.entries((value ?? {}) as JsonObject).map(([k, v]) => [k, String(v)]));
}

/** Lands every value of one stage on its member; returns the property paths no row of FIELDS covers. */
function checkStage(check: ConstraintCheck, models: Models, stage: DeployedStage, label: string): string[] {
  const { plan, where } = stage;
  const at = `${label} ${plan.template}`;
  const uncovered: string[] = [];
  STACK_FIELDS.stackName.forEach((m) => check.member(m, plan.stackName, `${at} stack name`, where));
  check.member(STACK_FIELDS.tags, Object.entries(plan.tags).map(([Key, Value]) => ({ Key, Value })), `${at} stack tags`, where);
  check.member(STACK_FIELDS.templateBody, stage.body, `${at} template body`, where);
  for (const resource of stage.resources) {
    const fields = FIELDS[resource.type];
    if (!fields) throw new Error(`${resource.type} has no row in FIELDS (test/helpers/field-constraints.ts)`);
    const here = `${at} ${resource.logicalId}`;
    check.member(STACK_FIELDS.logicalId, resource.logicalId, `${here} (logical id)`, where);
    const covered: string[] = [];
    for (const [pattern, destination] of Object.entries(fields)) {
      for (const found of select(resource.properties, pattern)) {
        covered.push(found.path);
        const member = memberFor(destination, found);
        const value = typeof destination === "object" && "tags" in destination
          ? asTags(models, member, { ...plan.tags, ...tagsOf(found.value) })
          : found.value;
        check.member(member, value, `${here}.${found.path}`, where);
      }
    }
    if (resource.generatedName) {
      const destination = fields[resource.generatedName.property];
      if (typeof destination !== "string") throw new Error(`${resource.type}.${resource.generatedName.property}: no row for its generated name`);
      check.member(destination, resource.generatedName.value, `${here} (name CloudFormation generates)`, where);
    }
    const tagged = Object.entries(fields).find(([, d]) => typeof d === "object" && "tags" in d);
    if (tagged && !(tagged[0] in resource.properties)) {
      // The stack's tags alone, on a taggable resource the template gives none.
      const member = (tagged[1] as { tags: Member }).tags;
      check.member(member, asTags(models, member, plan.tags), `${here} (stack tags)`, where);
    }
    const schema = models.schemas[`${resource.type}@${where.region}`];
    if (schema) check.schema(schema, resource.properties, `${here}`, `CloudFormation registry schema of ${resource.type} (cfn-lint ${models.versions["cfn-lint"]})`);
    for (const leaf of leaves(resource.properties)) {
      if (!covered.some((c) => leaf === c || leaf.startsWith(`${c}.`) || leaf.startsWith(`${c}[`))) uncovered.push(`${here}.${leaf}`);
    }
  }
  return uncovered;
}

function memberFor(destination: Destination, found: Found): Member {
  if (typeof destination === "string") return destination;
  if ("tags" in destination) return destination.tags;
  const sibling = Object.keys(destination.bySibling).find((key) => key in found.parent);
  if (!sibling) throw new Error(`${found.path}: none of ${Object.keys(destination.bySibling).join(", ")} beside it`);
  return destination.bySibling[sibling]!;
}

// Tags as the API takes them: a list of { Key, Value } or a map.
function asTags(models: Models, member: Member, tags: Record<string, string>): Json {
  return models.members[member]?.type === "list" ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : tags;
}

const deployments: Deployment[] = [];
let models: Models;

beforeAll(async () => {
  for (const partition of DEPLOYABLE_PARTITIONS) {
    for (const [which, name] of Object.entries(NAMES)) {
      const answers = answersFor(partition, name);
      deployments.push({ label: `${partition}, ${which} name ${name}`, stages: [...(await deploy(answers)), ...(await connect(answers))] });
    }
  }
  const schemas = new Map<string, [string, string]>();
  for (const d of deployments) for (const s of d.stages) for (const r of s.resources) schemas.set(`${r.type}@${s.where.region}`, [r.type, s.where.region]);
  models = readModels(membersNamed(), [...schemas.values()]);
}, 60_000);

describe("every value the templates send meets the constraint AWS states for its field", () => {
  it("evaluates the deployments the tool allows at both ends: each partition it deploys to, the shortest and longest --name", () => {
    expect(DEPLOYABLE_PARTITIONS.length).toBeGreaterThanOrEqual(2);
    expect(nameProblem(NAMES.longest + "x")).toBeDefined();
    expect(NAMES.longest.length).toBeGreaterThan(NAMES.shortest.length);
    expect(deployments.map((d) => d.label)).toHaveLength(DEPLOYABLE_PARTITIONS.length * 2);
    for (const d of deployments) expect(d.stages.map((s) => s.resources.length).every((n) => n > 0)).toBe(true);
    // A second client region (the aws partition has one) sends the endpoint rule, under the routes stack's other name.
    const second = deployments.filter((d) => d.label.startsWith("aws,")).flatMap((d) => d.stages.filter((s) => s.plan.key === "routes" && s.plan.stackName.endsWith(s.plan.clientRegion!)));
    expect(second).toHaveLength(2);
    for (const s of second) expect(s.resources.map((r) => r.type)).toContain("AWS::EC2::SecurityGroupIngress");
  });

  it("lands every string and number of every resource on a field whose constraint is looked up", () => {
    const check = new ConstraintCheck(models);
    const uncovered = deployments.flatMap((d) => d.stages.flatMap((s) => checkStage(check, models, s, d.label)));
    expect(uncovered).toEqual([]);
  });

  it.each(DEPLOYABLE_PARTITIONS.flatMap((p) => Object.keys(NAMES).map((n) => [p, n] as const)))(
    "in %s with the %s name, nothing breaks a constraint",
    (partition, which) => {
      const deployment = deployments.find((d) => d.label.startsWith(`${partition}, ${which} `))!;
      const check = new ConstraintCheck(models);
      deployment.stages.forEach((s) => checkStage(check, models, s, deployment.label));
      expect(check.problems).toEqual([]);
    },
  );

  it("every rule quoted from a model's documentation is still said there", () => {
    const missing = Object.entries(STATED).flatMap(([member, rules]) => {
      const documentation = models.members[member.replace(/#.*$/, "")]?.documentation;
      return rules.filter((r) => r.says && documentation !== undefined && !r.says.test(documentation)).map((r) => `${member}: ${r.says}`);
    });
    const unread = Object.keys(STATED).filter((m) => !m.startsWith("template:") && !models.members[m.replace(/#.*$/, "")]);
    expect({ missing, unread }).toEqual({ missing: [], unread: [] });
  });
});

// Values real accounts refused, each with the capture that shows the refusal: the rules must refuse them
// too, and take the values that replaced them.
const REFUSED_ON_AWS: readonly [member: Member, capture: string, value: Json][] = [
  ["ec2:IpRange.Description", "aws-cloudformation/cfn-lint#173 (an apostrophe)", "HTTPS to the API VPC's execute-api endpoint (over the peering connection)"],
  ["ec2:CreateSecurityGroupRequest.Description", "hashicorp/terraform-provider-aws#43854", "セキュリティグループ"],
  ["ec2:IpRange.Description", "agentic-community/mcp-gateway-registry#1728", "auth-server -> registry"],
  ["iam:CreateRoleRequest.RoleName", "faizanbashir/python-ses-dynamodb-contactform#4", "python-sesdynamodb-contactform-development-eu-central-1-lambdaRole"],
  ["lambda:CreateFunctionRequest.Role", "aarondfrancis/sidecar#147", "lambdarole"],
  ["lambda:Environment.Variables", "aws-solutions-library-samples/cloud-intelligence-dashboards-framework#1067", { "account-map-database-name": "x" }],
  ["lambda:Environment.Variables", "trek10inc/serverless-secrets#39", { a: "x" }],
  ["lambda:Environment.Variables", "mattermost/mattermost-cloud-monitoring#264", { AWS_REGION: "x" }],
  ["lambda:Environment.Variables", "github-aws-runners/terraform-aws-github-runner#3594", { RUNNER_CONFIG: "x".repeat(4096) }],
  ["logs:CreateLogGroupRequest.logGroupName", "awslabs/aws-embedded-metrics-java#65", "testServiceName:latest-metrics"],
  ["ssm:PutParameterRequest.Name", "boto/boto3#1499", "Dev MySQL DB"],
  ["ssm:PutParameterRequest.Name", "aws/aws-sdk-php#1952", "/myPrefix/xmpt/support@gmail.com"],
];

describe("the rules refuse what AWS refused", () => {
  it.each(REFUSED_ON_AWS)("%s refuses the value %s shows refused", (member, _, value) => {
    const check = new ConstraintCheck(models);
    check.member(member, value, "value", { partition: "aws", region: "us-east-1", accountId: ACCOUNT });
    expect(check.problems.filter((p) => !p.rule.startsWith("the model no longer says")).length).toBeGreaterThan(0);
  });

  it("and take what replaced them", () => {
    const check = new ConstraintCheck(models);
    const at = { partition: "aws", region: "us-east-1", accountId: ACCOUNT };
    check.member("ec2:IpRange.Description", "HTTPS to the execute-api endpoint in the API VPC (over the peering connection)", "value", at);
    check.member("lambda:Environment.Variables", { account_map_database_name: "x" }, "value", at);
    check.member("ssm:PutParameterRequest.Name", "/myPrefix/xmpt/support", "value", at);
    expect(check.problems).toEqual([]);
  });
});
