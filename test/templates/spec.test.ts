// The templates against AWS's published resource specification (@aws-cdk/aws-service-spec) and against
// the stage contract in src/steps/stages.ts: types, property names, required properties, GetAtt
// attributes, Ref/Sub targets, parameters and outputs, tags and the human-readable descriptions.
import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";
import type { Property, PropertyType, Resource, SpecDatabase } from "@aws-cdk/service-spec-types";
import { beforeAll, describe, expect, it } from "vitest";
import { ssmPrefix, STAGES, TAG_DEPLOYMENT } from "../../src/steps/stages.js";
import { isIntrinsic, parseTemplate, walk, type Json, type JsonObject, type Template } from "../helpers/cfn-yaml.js";
import { asArray, asObject, loadAllTemplates, loadStages, onlyResourceOfType, props, resourcesOfType } from "../helpers/template-fixtures.js";

const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

const loaded = loadStages();
const all = loadAllTemplates();
let db: SpecDatabase;

beforeAll(async () => {
  db = await loadAwsServiceSpec();
});

function specOf(type: string): Resource | undefined {
  const found = db.lookup("resource", "cloudFormationType", "equals", type);
  return found.length === 1 ? found[0] : undefined;
}

// ------------------------------------------------------------------ property checking, recursively
function checkProperties(where: string, value: Json | undefined, spec: Record<string, Property>, problems: string[]): void {
  if (value === undefined || isIntrinsic(value)) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${where}: expected an object, got ${JSON.stringify(value)}`);
    return;
  }
  for (const [name, v] of Object.entries(value as JsonObject)) {
    const p = spec[name];
    if (p === undefined) problems.push(`${where}.${name}: no such property`);
    else checkType(`${where}.${name}`, v, p.type, problems);
  }
  for (const [name, p] of Object.entries(spec)) {
    if (p.required === true && !(name in value)) problems.push(`${where}: required property ${name} is missing`);
  }
}

function checkType(where: string, value: Json, type: PropertyType, problems: string[]): void {
  if (isIntrinsic(value)) return;
  switch (type.type) {
    case "ref": {
      const def = db.get("typeDefinition", type.reference);
      checkProperties(where, value, def.properties, problems);
      return;
    }
    case "array":
      if (!Array.isArray(value)) problems.push(`${where}: expected a list`);
      else value.forEach((v, i) => checkType(`${where}[${i}]`, v, type.element, problems));
      return;
    case "map":
      if (value === null || typeof value !== "object" || Array.isArray(value)) problems.push(`${where}: expected a map`);
      else for (const [k, v] of Object.entries(value as JsonObject)) checkType(`${where}.${k}`, v, type.element, problems);
      return;
    case "union": {
      const attempts = type.types.map((t) => {
        const p: string[] = [];
        checkType(where, value, t, p);
        return p;
      });
      if (!attempts.some((p) => p.length === 0)) problems.push(...(attempts[0] ?? []));
      return;
    }
    case "tag":
      checkTag(where, value, problems);
      return;
    case "boolean":
      if (typeof value !== "boolean" && value !== "true" && value !== "false") problems.push(`${where}: expected a boolean`);
      return;
    case "integer":
    case "number":
      if (typeof value !== "number" && !(typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value))) {
        problems.push(`${where}: expected a number`);
      }
      return;
    case "string":
      if (typeof value === "object" && value !== null) problems.push(`${where}: expected a string`);
      else if (type.allowedValues && typeof value === "string" && !type.allowedValues.includes(value)) {
        problems.push(`${where}: ${value} is not one of ${type.allowedValues.join(", ")}`);
      }
      return;
    default:
      return; // json, date-time, null: anything goes
  }
}

function checkTag(where: string, value: Json, problems: string[]): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${where}: expected a { Key, Value } tag`);
    return;
  }
  const keys = Object.keys(value).sort().join(",");
  if (keys !== "Key,Value") problems.push(`${where}: a tag has exactly Key and Value, got ${keys}`);
}

// ------------------------------------------------------------------ references
interface References {
  refs: { name: string; path: string }[];
  getAtts: { resource: string; attribute: Json; path: string }[];
}

function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!).filter((name) => !name.startsWith("!"));
}

function collectReferences(template: Template): References {
  const out: References = { refs: [], getAtts: [] };
  const sections = { Resources: template.Resources, Outputs: template.Outputs, Conditions: template.Conditions ?? {} };
  walk(sections as unknown as Json, (value, path) => {
    if (!isIntrinsic(value)) return;
    const [key, arg] = Object.entries(value)[0]!;
    if (key === "Ref" && typeof arg === "string") out.refs.push({ name: arg, path });
    if (key === "Fn::GetAtt" && Array.isArray(arg) && typeof arg[0] === "string") {
      out.getAtts.push({ resource: arg[0], attribute: arg[1] ?? null, path });
    }
    if (key === "Fn::Sub") {
      const [text, vars] = typeof arg === "string" ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [null, {}];
      if (typeof text !== "string") return;
      const local = new Set(vars !== null && typeof vars === "object" && !Array.isArray(vars) ? Object.keys(vars) : []);
      for (const name of subVariables(text)) {
        if (local.has(name)) continue;
        const dot = name.indexOf(".");
        if (dot > 0 && !name.startsWith("AWS::")) {
          out.getAtts.push({ resource: name.slice(0, dot), attribute: name.slice(dot + 1), path });
        } else out.refs.push({ name, path });
      }
    }
  });
  return out;
}

// ------------------------------------------------------------------ the checks, per template
function typeProblems(template: Template): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => specOf(r.Type) === undefined)
    .map(([id, r]) => `${id}: no resource type ${r.Type}`);
}

function propertyProblems(template: Template): string[] {
  const problems: string[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    const spec = specOf(r.Type);
    if (spec) checkProperties(id, r.Properties ?? {}, spec.properties, problems);
  }
  return problems;
}

function referenceProblems(template: Template): string[] {
  const known = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources), ...PSEUDO_PARAMETERS]);
  const refs = collectReferences(template).refs.filter((r) => !known.has(r.name)).map((r) => `${r.path}: no ${r.name}`);
  const dependsOn = Object.entries(template.Resources).flatMap(([id, r]) =>
    asArray(r.DependsOn)
      .filter((d) => typeof d !== "string" || !(d in template.Resources))
      .map((d) => `${id}.DependsOn: no resource ${String(d)}`),
  );
  return [...refs, ...dependsOn];
}

function getAttProblems(template: Template): string[] {
  return collectReferences(template).getAtts.flatMap(({ resource, attribute, path }) => {
    const r = template.Resources[resource];
    if (!r) return [`${path}: no resource ${resource}`];
    const spec = specOf(r.Type);
    if (typeof attribute !== "string") return [`${path}: attribute must be a literal`];
    if (!spec || !(attribute in spec.attributes)) return [`${path}: ${r.Type} has no attribute ${attribute}`];
    return [];
  });
}

describe("the specification checks themselves", () => {
  const broken = parseTemplate(`
Parameters:
  Name: { Type: String }
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    DependsOn: Ghost
    Properties:
      CidrBlok: 10.0.0.0/16
      Tags: [{ Key: a, Value: b, Extra: c }]
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      ResourceId: !Ref Nowhere
      RestApiId: !Sub "\${Vpc.NoSuchAttribute}-\${AWS::Region}-\${Name}-\${!Literal}"
      Integration: { Typ: MOCK, IntegrationResponses: [{ ResponseTemplates: {} }] }
  Odd:
    Type: AWS::EC2::NoSuchThing
Outputs:
  Out: { Value: !GetAtt Vpc.Nope }
`);

  it("catches unknown types, misspelt and missing properties at any depth", () => {
    expect(typeProblems(broken)).toEqual(["Odd: no resource type AWS::EC2::NoSuchThing"]);
    expect(propertyProblems(broken)).toEqual(
      expect.arrayContaining([
        "Vpc.CidrBlok: no such property",
        "Vpc.Tags[0]: a tag has exactly Key and Value, got Extra,Key,Value",
        "Method.Integration.Typ: no such property",
        "Method.Integration.IntegrationResponses[0]: required property StatusCode is missing",
      ]),
    );
  });

  it("catches references to nothing and attributes that do not exist", () => {
    expect(referenceProblems(broken)).toEqual(
      expect.arrayContaining([expect.stringContaining("no Nowhere"), "Vpc.DependsOn: no resource Ghost"]),
    );
    expect(referenceProblems(broken).join()).not.toMatch(/AWS::Region|no Name|Literal/);
    expect(getAttProblems(broken)).toEqual([
      expect.stringContaining("AWS::EC2::VPC has no attribute NoSuchAttribute"),
      expect.stringContaining("AWS::EC2::VPC has no attribute Nope"),
    ]);
  });
});

// What each later stage's parameters are fed from (DESIGN 5.8: the tool passes outputs as parameters).
const FED_FROM: Record<string, Record<string, { stage: 1 | 2; output: string }>> = {
  client: {
    ApiVpcId: { stage: 1, output: "VpcId" },
    ApiVpcCidr: { stage: 1, output: "VpcCidr" },
    ApiId: { stage: 1, output: "ApiId" },
    ApiStageName: { stage: 1, output: "StageName" },
    ApiEndpointDnsName: { stage: 1, output: "EndpointDnsName" },
    ApiEndpointHostedZoneId: { stage: 1, output: "EndpointHostedZoneId" },
  },
  routes: {
    ClientVpcCidr: { stage: 2, output: "VpcCidr" },
    PeeringConnectionId: { stage: 2, output: "PeeringConnectionId" },
    EndpointSecurityGroupId: { stage: 1, output: "EndpointSecurityGroupId" },
  },
};

describe.each(all)("template $file", ({ template }) => {
  const resources = Object.entries(template.Resources);

  it("is a plain CloudFormation template (no transform)", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect((template as unknown as JsonObject).Transform).toBeUndefined();
    expect(resources.length).toBeGreaterThan(0);
  });

  it("uses only resource types that exist", () => {
    expect(typeProblems(template)).toEqual([]);
  });

  it("uses only property names that exist and sets every required property", () => {
    expect(propertyProblems(template)).toEqual([]);
  });

  it("refers only to parameters, resources and pseudo parameters that exist", () => {
    expect(collectReferences(template).refs.length).toBeGreaterThan(0);
    expect(referenceProblems(template)).toEqual([]);
  });

  it("asks GetAtt only for attributes the resource type has", () => {
    expect(getAttProblems(template)).toEqual([]);
  });

  it("lists every parameter in its ParameterGroups (when it has them), each once", () => {
    const metadata = (template as unknown as JsonObject).Metadata;
    if (metadata === undefined) return;
    const interfaceMeta = asObject(asObject(metadata)["AWS::CloudFormation::Interface"]);
    const grouped = asArray(interfaceMeta["ParameterGroups"]).flatMap((group) => asArray(asObject(group)["Parameters"]).map(String));
    expect([...grouped].sort()).toEqual(Object.keys(template.Parameters).sort());
  });

  it("gives every resource a plain-text Metadata.Description for the progress rows", () => {
    const bad = resources
      .filter(([, r]) => {
        const d = r.Metadata?.Description;
        return typeof d !== "string" || d.trim().length < 5 || d.includes("${");
      })
      .map(([id]) => id);
    expect(bad).toEqual([]);
  });

  it("tags every taggable resource with the deployment and a Name", () => {
    const problems: string[] = [];
    for (const [id, r] of resources) {
      const info = specOf(r.Type)?.tagInformation;
      if (!info) continue;
      const tags = props(r)[info.tagPropertyName];
      const pairs: [string, Json][] =
        info.variant === "map"
          ? Object.entries(asObject(tags))
          : asArray(tags).map((t) => {
              const o = asObject(t);
              return [String(o.Key), o.Value ?? null];
            });
      const byKey = new Map(pairs);
      if (JSON.stringify(byKey.get(TAG_DEPLOYMENT)) !== JSON.stringify({ Ref: "DeploymentName" })) {
        problems.push(`${id}: ${TAG_DEPLOYMENT} must be !Ref DeploymentName`);
      }
      if (!byKey.has("Name")) problems.push(`${id}: no Name tag`);
    }
    expect(problems).toEqual([]);
  });

  it("derives every name it sets from DeploymentName", () => {
    const NAME_PROPS = ["Name", "FunctionName", "LogGroupName", "RoleName", "GroupName", "TopicName", "QueueName"];
    const problems: string[] = [];
    for (const [id, r] of resources) {
      for (const key of NAME_PROPS) {
        const v = props(r)[key];
        if (v === undefined) continue;
        const text = JSON.stringify(v);
        // DNS names follow the API's own hostname, which is unique per deployment through ApiId.
        const perDeployment = ["DeploymentName", ...(r.Type.startsWith("AWS::Route53::") ? ["ApiId"] : [])];
        if (!perDeployment.some((name) => text.includes("${" + name + "}") || text.includes(`"Ref":"${name}"`))) {
          problems.push(`${id}.${key} is fixed: ${text}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("exports no output (exports do not cross regions)", () => {
    for (const [name, output] of Object.entries(template.Outputs)) expect(output.Export, name).toBeUndefined();
  });
});

describe.each(loaded)("stage template $stage.template", ({ stage, template }) => {
  const resources = Object.entries(template.Resources);

  it("declares exactly the parameters the tool passes (others only with a default)", () => {
    const declared = Object.keys(template.Parameters);
    expect(declared).toEqual(expect.arrayContaining([...stage.parameters]));
    const unpassed = declared.filter((p) => !stage.parameters.includes(p) && template.Parameters[p]?.Default === undefined);
    expect(unpassed).toEqual([]);
  });

  it("puts its subnets in the zones the tool chose (typed parameters), never in !GetAZs order", () => {
    const subnets = resources.filter(([, r]) => r.Type === "AWS::EC2::Subnet");
    if (stage.key === "routes") {
      expect(subnets).toEqual([]);
      return;
    }
    for (const name of ["AvailabilityZone1", "AvailabilityZone2"]) {
      expect(template.Parameters[name]?.Type, name).toBe("AWS::EC2::AvailabilityZone::Name");
    }
    expect(subnets.map(([, r]) => props(r)["AvailabilityZone"])).toEqual([{ Ref: "AvailabilityZone1" }, { Ref: "AvailabilityZone2" }]);
    expect(JSON.stringify(template)).not.toContain("Fn::GetAZs");
  });

  it("declares every output the tool reads", () => {
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining([...stage.outputs]));
    for (const [name, output] of Object.entries(template.Outputs)) {
      expect(output.Value, name).toBeDefined();
      expect(output.Export, `${name}: exports do not cross regions`).toBeUndefined();
    }
  });

  it("is fed only from outputs that the earlier stage declares", () => {
    const feeds = FED_FROM[stage.key] ?? {};
    for (const [param, from] of Object.entries(feeds)) {
      expect(stage.parameters, param).toContain(param);
      const earlier = loaded[from.stage - 1]!;
      expect(earlier.stage.outputs, `${param} ← stage ${from.stage} ${from.output}`).toContain(from.output);
      expect(Object.keys(earlier.template.Outputs)).toContain(from.output);
    }
  });
});

describe("the stages fit together", () => {
  const [api, client, routes] = loaded as [(typeof loaded)[0], (typeof loaded)[0], (typeof loaded)[0]];

  it("stage 1 publishes every route table id under the deployment's SSM path", () => {
    const tables = resourcesOfType(api.template, "AWS::EC2::RouteTable").map(([id]) => ({ Ref: id }));
    expect(tables.length).toBeGreaterThan(0);
    const params = resourcesOfType(api.template, "AWS::SSM::Parameter");
    const rt = params.find(([, r]) => JSON.stringify(props(r).Name).includes("/route-table-ids"));
    expect(rt, "route-table-ids parameter").toBeDefined();
    const p = props(rt![1]);
    expect(p.Name).toEqual({ "Fn::Sub": `${ssmPrefix("${DeploymentName}")}/route-table-ids` });
    expect(p.Type).toBe("StringList");
    expect(p.Value).toEqual({ "Fn::Join": [",", tables] });
    expect(api.template.Outputs.RouteTableIds?.Value).toEqual({ "Fn::Join": [",", tables] });
    // Every SSM parameter lives under the deployment's prefix.
    for (const [, r] of params) {
      expect(JSON.stringify(props(r).Name)).toContain(ssmPrefix("${DeploymentName}") + "/");
    }
  });

  it("stage 3 reads the route table ids from SSM and adds one route per table of stage 1", () => {
    expect(routes.template.Parameters.RouteTableIds?.Type).toBe("AWS::SSM::Parameter::Value<List<String>>");
    const tableCount = resourcesOfType(api.template, "AWS::EC2::RouteTable").length;
    const returnRoutes = resourcesOfType(routes.template, "AWS::EC2::Route");
    expect(returnRoutes).toHaveLength(tableCount);
    const selected = returnRoutes.map(([, r]) => props(r).RouteTableId).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(selected).toEqual(Array.from({ length: tableCount }, (_, i) => ({ "Fn::Select": [i, { Ref: "RouteTableIds" }] })));
    for (const [, r] of returnRoutes) {
      expect(props(r).DestinationCidrBlock).toEqual({ Ref: "ClientVpcCidr" });
      expect(props(r).VpcPeeringConnectionId).toEqual({ Ref: "PeeringConnectionId" });
    }
  });

  it("stage 3 admits its client range on stage 1's endpoint group only when stage 1's own rule does not", () => {
    const [endpointId, endpoint] = onlyResourceOfType(api.template, "AWS::EC2::VPCEndpoint");
    const groupId = asObject(asArray(props(endpoint).SecurityGroupIds)[0]).Ref as string;
    expect(api.template.Outputs.EndpointSecurityGroupId?.Value, endpointId).toEqual({ "Fn::GetAtt": [groupId, "GroupId"] });
    const [ruleId, rule] = onlyResourceOfType(routes.template, "AWS::EC2::SecurityGroupIngress");
    expect(props(rule).GroupId).toEqual({ Ref: "EndpointSecurityGroupId" });
    expect(props(rule).CidrIp).toEqual({ Ref: "ClientVpcCidr" });
    const condition = rule.Condition as string;
    expect(condition, ruleId).toBeDefined();
    // Stage 1's inline rule is for its ClientVpcCidr, which the tool passes here as EndpointAdmittedCidr.
    expect(routes.template.Conditions?.[condition]).toEqual({
      "Fn::Not": [{ "Fn::Equals": [{ Ref: "ClientVpcCidr" }, { Ref: "EndpointAdmittedCidr" }] }],
    });
    const inline = asArray(props(api.template.Resources[groupId]!).SecurityGroupIngress).map(asObject);
    expect(inline.map((r) => r.CidrIp)).toContainEqual({ Ref: "ClientVpcCidr" });
  });

  it("stage 2 routes to the API VPC through its peering connection, which points at stage 1's VPC in ApiRegion", () => {
    const [peeringId, peering] = resourcesOfType(client.template, "AWS::EC2::VPCPeeringConnection")[0]!;
    expect(props(peering).PeerVpcId).toEqual({ Ref: "ApiVpcId" });
    expect(props(peering).PeerRegion).toEqual({ Ref: "ApiRegion" });
    expect(props(peering).PeerRoleArn).toBeUndefined();
    const clientRoutes = resourcesOfType(client.template, "AWS::EC2::Route");
    const tables = resourcesOfType(client.template, "AWS::EC2::RouteTable");
    expect(clientRoutes).toHaveLength(tables.length);
    for (const [, r] of clientRoutes) {
      expect(props(r).DestinationCidrBlock).toEqual({ Ref: "ApiVpcCidr" });
      expect(props(r).VpcPeeringConnectionId).toEqual({ Ref: peeringId });
    }
  });

  it("stage 2 resolves the API's default hostname to stage 1's endpoint in this VPC only", () => {
    const [zoneId, zone] = resourcesOfType(client.template, "AWS::Route53::HostedZone")[0]!;
    // Peering never crosses partitions: this region's URL suffix is the API region's.
    const hostname = "${ApiId}.execute-api.${ApiRegion}.${AWS::URLSuffix}";
    expect(props(zone).Name).toEqual({ "Fn::Sub": hostname });
    expect(props(zone).VPCs).toEqual([{ VPCId: { Ref: "Vpc" }, VPCRegion: { Ref: "AWS::Region" } }]);
    const records = resourcesOfType(client.template, "AWS::Route53::RecordSet");
    expect(records).toHaveLength(1);
    const record = props(records[0]![1]);
    expect(record.HostedZoneId).toEqual({ Ref: zoneId });
    expect(record.Name).toEqual({ "Fn::Sub": `${hostname}.` });
    expect(record.Type).toBe("A");
    expect(record.AliasTarget).toEqual({
      DNSName: { Ref: "ApiEndpointDnsName" },
      HostedZoneId: { Ref: "ApiEndpointHostedZoneId" },
      EvaluateTargetHealth: false,
    });
  });

  it("stage 2's function calls exactly the hostname the zone answers for, over HTTPS", () => {
    const [, fn] = resourcesOfType(client.template, "AWS::Lambda::Function")[0]!;
    const vars = asObject(asObject(props(fn).Environment).Variables);
    expect(vars.API_URL).toEqual({
      "Fn::Sub": "https://${ApiId}.execute-api.${ApiRegion}.${AWS::URLSuffix}/${ApiStageName}/hello",
    });
    expect(client.template.Outputs.ApiUrl?.Value).toEqual(vars.API_URL);
  });

  it("stage 1 gives the API a stage and a deployment that waits for every method", () => {
    const methods = resourcesOfType(api.template, "AWS::ApiGateway::Method").map(([id]) => id);
    const deployments = resourcesOfType(api.template, "AWS::ApiGateway::Deployment");
    expect(deployments).toHaveLength(1);
    expect(asArray(deployments[0]![1].DependsOn)).toEqual(expect.arrayContaining(methods));
    const [stageId] = resourcesOfType(api.template, "AWS::ApiGateway::Stage")[0]!;
    expect(api.template.Outputs.StageName?.Value).toEqual({ Ref: stageId });
    // The regional endpoint name and its zone, in the form the alias record needs.
    const [endpointId] = resourcesOfType(api.template, "AWS::EC2::VPCEndpoint")[0]!;
    const firstEntry = { "Fn::Select": [0, { "Fn::GetAtt": [endpointId, "DnsEntries"] }] };
    expect(api.template.Outputs.EndpointDnsName?.Value).toEqual({ "Fn::Select": [1, { "Fn::Split": [":", firstEntry] }] });
    expect(api.template.Outputs.EndpointHostedZoneId?.Value).toEqual({ "Fn::Select": [0, { "Fn::Split": [":", firstEntry] }] });
  });

  it("the stage list matches the three template files", () => {
    expect(STAGES.map((s) => s.template)).toEqual(["1-api.yaml", "2-client.yaml", "3-routes.yaml"]);
  });
});
