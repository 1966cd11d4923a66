// A template evaluated the way CloudFormation evaluates it for one stack: parameters, pseudo parameters,
// conditions and every intrinsic (Ref, Fn::Sub, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split, Fn::If)
// resolved to concrete values, so a test can read what each API call will carry. What only AWS knows
// (a resource's id, an endpoint's DNS names) takes a sample of AWS's own shape at its longest; a resource
// type or attribute referenced without a sample, or an intrinsic this does not know, throws rather than
// guess.
import { createHash } from "node:crypto";
import type { Json, JsonObject, Template, TemplateResource } from "./cfn-yaml.js";

/** Where a stack is deployed, and the parameter values it is given. */
export interface StackContext {
  readonly stackName: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly accountId: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Parameter Store values, for AWS::SSM::Parameter::Value<…> parameters (CloudFormation reads them at deploy time). */
  readonly ssm: Readonly<Record<string, string>>;
}

/** One resource with its properties resolved. */
export interface EvaluatedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: JsonObject;
  /** The name CloudFormation generates when the template names none (the Name type), if the type has one. */
  readonly generatedName?: { readonly property: string; readonly value: string };
}

/** A stack's resources and outputs (those whose Condition holds), resolved. */
export interface EvaluatedStack {
  readonly resources: readonly EvaluatedResource[];
  readonly outputs: Readonly<Record<string, string>>;
}

// CloudFormation's generated names: "<stack>-<logical id>-<suffix>", e.g. MyStack-MyBucket-abcdefghijk1
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
const GENERATED_SUFFIX = "ABCDEFGHIJK1";

interface Sample {
  /** What Ref gives, for a type whose Ref is not its name. */
  readonly ref?: (r: Resolver) => string;
  /** The property that names the resource (CloudFormation generates a name without it), and whether Ref gives the name. */
  readonly name?: { readonly property: string; readonly isRef: boolean };
  readonly attributes?: Readonly<Record<string, (r: Resolver) => Json>>;
}

interface Resolver {
  readonly logicalId: string;
  readonly ctx: StackContext;
  property(name: string): Json;
  physicalId(): string;
}

// A deterministic id per resource, at the length AWS's ids have (17 hex digits after the prefix).
const hex = (r: Resolver, length: number): string =>
  createHash("sha256").update(`${r.ctx.stackName}/${r.logicalId}`).digest("hex").slice(0, length);
const id = (prefix: string, length = 17) => (r: Resolver) => `${prefix}${hex(r, length)}`;
const arn = (service: string, resource: (r: Resolver) => string) => (r: Resolver) =>
  `arn:${r.ctx.partition}:${service}:${r.ctx.region}:${r.ctx.accountId}:${resource(r)}`;

const SAMPLES: Readonly<Record<string, Sample>> = {
  "AWS::EC2::VPC": { ref: id("vpc-"), attributes: { CidrBlock: (r) => r.property("CidrBlock") } },
  "AWS::EC2::Subnet": { ref: id("subnet-") },
  "AWS::EC2::RouteTable": { ref: id("rtb-") },
  // In a VPC, Ref is the group id; the group's name is generated.
  "AWS::EC2::SecurityGroup": { ref: id("sg-"), name: { property: "GroupName", isRef: false }, attributes: { GroupId: id("sg-") } },
  "AWS::EC2::VPCPeeringConnection": { ref: id("pcx-") },
  "AWS::EC2::VPCEndpoint": {
    ref: id("vpce-"),
    // "<hosted zone id>:<name>", the regional name first, then one per zone (AWS::EC2::VPCEndpoint return values).
    attributes: {
      DnsEntries: (r) => {
        const name = `${r.physicalId()}-${hex(r, 8)}.execute-api.${r.ctx.region}.vpce.${r.ctx.urlSuffix}`;
        return [`Z7HUB22UULQXV:${name}`, `Z7HUB22UULQXV:${r.ctx.region}a.${name}`];
      },
    },
  },
  "AWS::ApiGateway::RestApi": { ref: id("", 10), attributes: { RootResourceId: (r) => hex(r, 10).toUpperCase() } },
  "AWS::ApiGateway::Resource": { ref: id("", 6) },
  "AWS::ApiGateway::Deployment": { ref: id("", 6) },
  "AWS::ApiGateway::Stage": { name: { property: "StageName", isRef: true } },
  "AWS::SSM::Parameter": { name: { property: "Name", isRef: true } },
  "AWS::Route53::HostedZone": { ref: (r) => `Z${hex(r, 20).toUpperCase()}` },
  "AWS::Route53::RecordSet": { name: { property: "Name", isRef: true } },
  "AWS::IAM::Role": {
    name: { property: "RoleName", isRef: true },
    attributes: { Arn: (r) => `arn:${r.ctx.partition}:iam::${r.ctx.accountId}:role/${r.physicalId()}` },
  },
  "AWS::Logs::LogGroup": {
    name: { property: "LogGroupName", isRef: true },
    attributes: { Arn: arn("logs", (r) => `log-group:${r.physicalId()}:*`) },
  },
  "AWS::Lambda::Function": {
    name: { property: "FunctionName", isRef: true },
    attributes: { Arn: arn("lambda", (r) => `function:${r.physicalId()}`) },
  },
};

const NO_VALUE = Symbol("AWS::NoValue");
type Value = Json | typeof NO_VALUE;

/** Every value of a template as CloudFormation resolves it for this stack. */
export function evaluateStack(template: Template, ctx: StackContext): EvaluatedStack {
  const conditions = (template.Conditions ?? {}) as JsonObject;
  const conditionMemo = new Map<string, boolean>();
  const physicalMemo = new Map<string, string>();

  const parameter = (name: string): Json | undefined => {
    const declared = template.Parameters[name];
    if (!declared) return undefined;
    const given = ctx.parameters[name] ?? (declared["Default"] as string | undefined);
    if (given === undefined) throw new Error(`parameter ${name} has no value`);
    const type = String(declared["Type"] ?? "String");
    if (type.startsWith("AWS::SSM::Parameter::Value<")) {
      const stored = ctx.ssm[given];
      if (stored === undefined) throw new Error(`parameter ${name}: no Parameter Store value for ${given}`);
      return type.includes("List<") ? stored.split(",") : stored;
    }
    return type.includes("List<") || type === "CommaDelimitedList" ? given.split(",") : given;
  };

  const pseudo: Record<string, string> = {
    "AWS::Region": ctx.region,
    "AWS::Partition": ctx.partition,
    "AWS::URLSuffix": ctx.urlSuffix,
    "AWS::AccountId": ctx.accountId,
    "AWS::StackName": ctx.stackName,
    "AWS::StackId": `arn:${ctx.partition}:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`,
  };

  const resource = (logicalId: string): TemplateResource => {
    const found = template.Resources[logicalId];
    if (!found) throw new Error(`no resource ${logicalId}`);
    return found;
  };
  const sample = (logicalId: string): Sample => {
    const type = resource(logicalId).Type;
    const found = SAMPLES[type];
    if (!found) throw new Error(`no sample physical id for ${type} (${logicalId}): add one to cfn-evaluate.ts`);
    return found;
  };
  const resolver = (logicalId: string): Resolver => ({
    logicalId,
    ctx,
    property: (name) => {
      const v = evaluate(resource(logicalId).Properties?.[name] ?? null, `${logicalId}.${name}`);
      return v === NO_VALUE ? null : v;
    },
    physicalId: () => physicalId(logicalId),
  });
  const generatedName = (logicalId: string): string => `${ctx.stackName}-${logicalId}-${GENERATED_SUFFIX}`;
  const physicalId = (logicalId: string): string => {
    const memo = physicalMemo.get(logicalId);
    if (memo !== undefined) return memo;
    const { ref, name } = sample(logicalId);
    const r = resolver(logicalId);
    const given = name?.isRef ? r.property(name.property) : null;
    const value = name?.isRef ? (given === null ? generatedName(logicalId) : String(given)) : ref?.(r);
    if (value === undefined) throw new Error(`no sample Ref for ${resource(logicalId).Type} (${logicalId})`);
    physicalMemo.set(logicalId, value);
    return value;
  };

  const condition = (name: string): boolean => {
    const memo = conditionMemo.get(name);
    if (memo !== undefined) return memo;
    const body = conditions[name];
    if (body === undefined) throw new Error(`no condition ${name}`);
    const result = truth(body, `Conditions.${name}`);
    conditionMemo.set(name, result);
    return result;
  };
  const truth = (node: Json, where: string): boolean => {
    if (node !== null && typeof node === "object" && !Array.isArray(node)) {
      const [key, arg] = Object.entries(node)[0] ?? [];
      const args = arg as Json[];
      if (key === "Condition") return condition(String(arg));
      if (key === "Fn::Equals") return JSON.stringify(evaluate(args[0]!, where)) === JSON.stringify(evaluate(args[1]!, where));
      if (key === "Fn::Not") return !truth(args[0]!, where);
      if (key === "Fn::And") return args.every((a) => truth(a, where));
      if (key === "Fn::Or") return args.some((a) => truth(a, where));
    }
    throw new Error(`${where}: not a condition: ${JSON.stringify(node)}`);
  };

  const ref = (name: string, where: string): Json => {
    if (name === "AWS::NoValue") throw new Error(`${where}: AWS::NoValue outside a property`);
    if (name in pseudo) return pseudo[name]!;
    const p = parameter(name);
    if (p !== undefined) return p;
    if (name in template.Resources) return physicalId(name);
    throw new Error(`${where}: Ref to unknown ${name}`);
  };
  const getAtt = (logicalId: string, attribute: string, where: string): Json => {
    const read = sample(logicalId).attributes?.[attribute];
    if (!read) throw new Error(`${where}: no sample for ${logicalId}.${attribute} (${resource(logicalId).Type}): add one to cfn-evaluate.ts`);
    return read(resolver(logicalId));
  };
  const sub = (text: string, variables: JsonObject, where: string): string =>
    text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name.startsWith("!")) return `\${${name.slice(1)}}`;
      if (name in variables) return String(evaluate(variables[name]!, where));
      const dot = name.indexOf(".");
      if (dot > 0 && !name.startsWith("AWS::")) return String(getAtt(name.slice(0, dot), name.slice(dot + 1), where));
      return String(ref(name, where));
    });

  const evaluate = (node: Json, where: string): Value => {
    if (Array.isArray(node)) return node.map((n, i) => evaluate(n, `${where}[${i}]`)).filter((v): v is Json => v !== NO_VALUE);
    if (node === null || typeof node !== "object") return node;
    const entries = Object.entries(node);
    const [key, arg] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === "Ref" || key.startsWith("Fn::"))) {
      const args = arg as Json[];
      switch (key) {
        case "Ref":
          return arg === "AWS::NoValue" ? NO_VALUE : ref(String(arg), where);
        case "Fn::Sub":
          return typeof arg === "string" ? sub(arg, {}, where) : sub(String(args[0]), args[1] as JsonObject, where);
        case "Fn::GetAtt": {
          const [logicalId, attribute] = typeof arg === "string" ? [arg.slice(0, arg.indexOf(".")), arg.slice(arg.indexOf(".") + 1)] : args;
          return getAtt(String(logicalId), String(attribute), where);
        }
        case "Fn::Join": {
          const list = evaluate(args[1]!, where);
          if (!Array.isArray(list)) throw new Error(`${where}: Fn::Join of ${JSON.stringify(list)}`);
          return list.map(String).join(String(args[0]));
        }
        case "Fn::Select": {
          const list = evaluate(args[1]!, where);
          if (!Array.isArray(list)) throw new Error(`${where}: Fn::Select from ${JSON.stringify(list)}`);
          const item = list[Number(evaluate(args[0]!, where))];
          if (item === undefined) throw new Error(`${where}: Fn::Select index out of range`);
          return item;
        }
        case "Fn::Split":
          return String(evaluate(args[1]!, where)).split(String(args[0]));
        case "Fn::If":
          return evaluate(truth({ Condition: args[0]! }, where) ? args[1]! : args[2]!, where);
        default:
          throw new Error(`${where}: ${key} is not evaluated here: add it to cfn-evaluate.ts`);
      }
    }
    const out: JsonObject = {};
    for (const [k, v] of entries) {
      const value = evaluate(v, `${where}.${k}`);
      if (value !== NO_VALUE) out[k] = value;
    }
    return out;
  };

  const resources = Object.entries(template.Resources)
    .filter(([, r]) => r.Condition === undefined || condition(r.Condition))
    .map(([logicalId, r]): EvaluatedResource => {
      const properties = evaluate(r.Properties ?? {}, `Resources.${logicalId}.Properties`) as JsonObject;
      const name = SAMPLES[r.Type]?.name;
      const generated = name && properties[name.property] === undefined
        ? { property: name.property, value: generatedName(logicalId) }
        : undefined;
      return { logicalId, type: r.Type, properties, ...(generated ? { generatedName: generated } : {}) };
    });
  const outputs = Object.fromEntries(
    Object.entries(template.Outputs).filter(([, output]) => output["Condition"] === undefined || condition(String(output["Condition"]))).map(([name, output]) => [name, String(evaluate(output["Value"] ?? null, `Outputs.${name}`))]),
  );
  return { resources, outputs };
}
