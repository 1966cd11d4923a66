// Every partition the templates deploy to (DESIGN §10.3): hostnames end in ${AWS::URLSuffix}, ARNs name
// ${AWS::Partition}, and the execute-api endpoint service takes China's name there. A literal
// amazonaws.com or arn:aws: would deploy in the aws partition and break in China.
import { describe, expect, it } from "vitest";
import { walk, type Json, type JsonObject } from "../helpers/cfn-yaml.js";
import { asObject, loadAllTemplates, loadStages, onlyResourceOfType, props } from "../helpers/template-fixtures.js";

const api = loadStages()[0]!;
const loaded = loadAllTemplates();

// The one documented literal: IAM service principals are <service>.amazonaws.com in every partition,
// China's included (aws-cdk's region-info moved China's principals back to it, aws/aws-cdk#3491).
const SERVICE_PRINCIPAL = /\.Principal\.Service(\[\d+\])?$/;

/** Every string value of a template's Resources, Conditions and Outputs, with where it sits. */
function strings(template: JsonObject): { path: string; value: string }[] {
  const found: { path: string; value: string }[] = [];
  for (const section of ["Resources", "Conditions", "Outputs"]) {
    const part = template[section];
    if (part === undefined) continue;
    walk(part, (value, path) => {
      if (typeof value === "string") found.push({ path: `${section}${path.slice(1)}`, value });
    });
  }
  return found;
}

/** Fn::If and Fn::Equals on AWS::Partition evaluated, the rest left as it is. */
function inPartition(value: Json, partition: string, conditions: JsonObject): Json {
  if (Array.isArray(value)) return value.map((v) => inPartition(v, partition, conditions));
  if (typeof value !== "object" || value === null) return value;
  const branch = value["Fn::If"];
  if (Array.isArray(branch)) {
    const [name, then, otherwise] = branch as [string, Json, Json];
    const [left, right] = asObject(conditions[name]!)["Fn::Equals"] as [Json, Json];
    expect(left).toEqual({ Ref: "AWS::Partition" });
    return inPartition(right === partition ? then : otherwise, partition, conditions);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inPartition(v, partition, conditions)]));
}

describe("the templates in every partition", () => {
  it.each(loaded.map((l) => [l.file, l] as const))("%s names no partition's domain or ARN prefix", (_, { template }) => {
    const literal = strings(template as unknown as JsonObject).filter(
      ({ path, value }) => /amazonaws\.com|arn:aws[:-]/.test(value) && !(SERVICE_PRINCIPAL.test(path) && /^[a-z0-9-]+\.amazonaws\.com$/.test(value)),
    );
    expect(literal).toEqual([]);
  });

  it("every ARN the templates build names ${AWS::Partition}", () => {
    const arns = loaded.flatMap(({ template }) => strings(template as unknown as JsonObject)).filter(({ value }) => value.includes("arn:"));
    expect(arns.length).toBeGreaterThan(0);
    for (const { path, value } of arns) expect(value, path).toMatch(/^arn:\$\{AWS::Partition\}:/);
  });

  it("every execute-api hostname ends in ${AWS::URLSuffix}", () => {
    const hosts = loaded
      .flatMap(({ template }) => strings(template as unknown as JsonObject))
      .filter(({ value }) => /\.execute-api\.\$\{/.test(value));
    expect(hosts.length).toBeGreaterThanOrEqual(9); // stage 1's InvokeUrl; per client template (stage 2, connect): the zone, its record, the function's URL, ApiUrl
    for (const { path, value } of hosts) expect(value, path).toMatch(/\.execute-api\.\$\{(ApiRegion|AWS::Region)\}\.\$\{AWS::URLSuffix\}(\.|\/|$)/);
  });

  it.each([
    ["aws", "com.amazonaws.${AWS::Region}.execute-api"],
    ["aws-us-gov", "com.amazonaws.${AWS::Region}.execute-api"],
    ["aws-cn", "cn.com.amazonaws.${AWS::Region}.execute-api"],
  ])("stage 1's endpoint in %s is for the service %s", (partition, service) => {
    const [, endpoint] = onlyResourceOfType(api.template, "AWS::EC2::VPCEndpoint");
    const conditions = (api.template as unknown as JsonObject)["Conditions"] as JsonObject;
    expect(inPartition(props(endpoint).ServiceName!, partition, conditions)).toEqual({ "Fn::Sub": service });
  });
});
