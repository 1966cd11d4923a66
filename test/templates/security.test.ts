// The security rules of DESIGN section 5, read straight from the templates (the three stages and the two
// connect templates, as the tool renders them).
import { describe, expect, it } from "vitest";
import { evaluateStack } from "../helpers/cfn-evaluate.js";
import { isIntrinsic, walk, type Json, type JsonObject } from "../helpers/cfn-yaml.js";
import { asArray, asObject, loadAllTemplates, loadConnect, loadStages, onlyResourceOfType, props, resourcesOfType } from "../helpers/template-fixtures.js";

const loaded = loadStages();
const [api, client, routes] = loaded as [(typeof loaded)[0], (typeof loaded)[0], (typeof loaded)[0]];
const all = loadAllTemplates();
const [connectClient, connectApi] = loadConnect() as [ReturnType<typeof loadConnect>[0], ReturnType<typeof loadConnect>[0]];
const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];
// What EC2 accepts in a security group's or rule's description (EC2 API reference, IpRange.Description and
// CreateSecurityGroup GroupDescription: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*", up to 255).
const EC2_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

/** Every security group rule in a template, inline (an Fn::If's rule too) or as a separate resource. */
function rules(direction: "Ingress" | "Egress"): { where: string; rule: JsonObject }[] {
  return all.flatMap(({ file, template }) =>
    Object.entries(template.Resources).flatMap(([id, r]) => {
      if (r.Type === "AWS::EC2::SecurityGroup") {
        return asArray(props(r)[`SecurityGroup${direction}`]).map((rule, i) => {
          const branch = asObject(rule)["Fn::If"];
          return { where: `${file} ${id}[${i}]`, rule: asObject(Array.isArray(branch) ? branch[1] : rule) };
        });
      }
      if (r.Type === `AWS::EC2::SecurityGroup${direction}`) return [{ where: `${file} ${id}`, rule: props(r) }];
      return [];
    }),
  );
}

/** A description as EC2 will receive it: each ${Parameter} replaced by a longest value its pattern allows. */
function described(text: Json): string {
  const sample: Record<string, string> = { DeploymentName: "a".repeat(24), ApiRegion: "ap-southeast-2", ClientRegion: "ap-southeast-2", ClientVpcCidr: "172.16.255.240/28" };
  const raw = isIntrinsic(text) ? String(asObject(text)["Fn::Sub"]) : String(text);
  return raw.replace(/\$\{([^}]+)\}/g, (_, name: string) => sample[name] ?? `<${name}>`);
}

describe("security rules", () => {
  it("admits nothing from anywhere: no ingress from 0.0.0.0/0 or ::/0", () => {
    const open = rules("Ingress").filter(({ rule }) => OPEN_CIDRS.includes(String(rule.CidrIp)) || OPEN_CIDRS.includes(String(rule.CidrIpv6)));
    expect(open).toEqual([]);
    // And nothing in any template names an open CIDR at all.
    for (const { file, template } of all) {
      walk(template.Resources as unknown as Json, (value, path) => {
        if (typeof value === "string") expect(OPEN_CIDRS, `${file} ${path}`).not.toContain(value);
      });
    }
  });

  it("every group and rule description is one EC2 accepts, with the longest names filled in", () => {
    const texts = [
      ...[...rules("Ingress"), ...rules("Egress")].filter(({ rule }) => rule.Description !== undefined).map(({ where, rule }) => ({ where, text: described(rule.Description!) })),
      ...all.flatMap(({ file, template }) => resourcesOfType(template, "AWS::EC2::SecurityGroup").map(([id, r]) => ({ where: `${file} ${id}`, text: described(props(r).GroupDescription!) }))),
    ];
    expect(texts.length).toBeGreaterThanOrEqual(8);
    for (const { where, text } of texts) expect(text, where).toMatch(EC2_DESCRIPTION);
  });

  it("the stages keep security group rules inline, but for the routes stack's rule on the endpoint's group", () => {
    for (const { stage, template } of loaded) {
      expect(resourcesOfType(template, "AWS::EC2::SecurityGroupEgress"), stage.template).toEqual([]);
      expect(resourcesOfType(template, "AWS::EC2::SecurityGroupIngress").length, stage.template).toBe(stage.key === "routes" ? 1 : 0);
    }
  });

  it("the routes stack's rule admits only TCP 443 from its client VPC, on the endpoint's group", () => {
    const [, rule] = onlyResourceOfType(routes.template, "AWS::EC2::SecurityGroupIngress");
    expect(props(rule)).toMatchObject({ IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: { Ref: "ClientVpcCidr" }, GroupId: { Ref: "EndpointSecurityGroupId" } });
    expect(Object.keys(props(rule)).sort()).toEqual(["CidrIp", "Description", "FromPort", "GroupId", "IpProtocol", "ToPort"]);
  });

  it("the routes stack adds that rule only for a range stage 1's own rule does not admit (never a duplicate)", () => {
    const stack = (clientCidr: string) =>
      evaluateStack(routes.template, {
        stackName: "demo-routes",
        region: "us-east-1",
        partition: "aws",
        urlSuffix: "amazonaws.com",
        accountId: "123456789012",
        parameters: {
          DeploymentName: "demo",
          ClientVpcCidr: clientCidr,
          PeeringConnectionId: "pcx-0123456789abcdef0",
          RouteTableIds: "/xregion-private-api/demo/route-table-ids",
          EndpointSecurityGroupId: "sg-0123456789abcdef0",
          EndpointAdmittedCidr: "10.20.0.0/16",
        },
        ssm: { "/xregion-private-api/demo/route-table-ids": "rtb-0123456789abcdef0" },
      }).resources.filter((r) => r.type === "AWS::EC2::SecurityGroupIngress");
    expect(stack("10.20.0.0/16")).toEqual([]);
    expect(stack("10.30.0.0/16").map((r) => r.properties)).toEqual([
      expect.objectContaining({ GroupId: "sg-0123456789abcdef0", CidrIp: "10.30.0.0/16", IpProtocol: "tcp", FromPort: 443, ToPort: 443 }),
    ]);
  });


  it("the endpoint's group admits only TCP 443, from the client VPC and its own VPC", () => {
    const [endpointId, endpoint] = onlyResourceOfType(api.template, "AWS::EC2::VPCEndpoint");
    const groups = asArray(props(endpoint).SecurityGroupIds);
    expect(groups, endpointId).toHaveLength(1);
    const groupId = asObject(groups[0]).Ref as string;
    const group = props(api.template.Resources[groupId]!);
    const ingress = asArray(group.SecurityGroupIngress).map(asObject);
    expect(ingress.length).toBeGreaterThan(0);
    for (const rule of ingress) {
      expect(rule.IpProtocol).toBe("tcp");
      expect(rule.FromPort).toBe(443);
      expect(rule.ToPort).toBe(443);
    }
    expect(ingress.map((r) => r.CidrIp)).toEqual([{ Ref: "ClientVpcCidr" }, { "Fn::GetAtt": ["Vpc", "CidrBlock"] }]);
    // Its default allow-all egress is replaced by a rule that matches nothing.
    const egress = asArray(group.SecurityGroupEgress).map(asObject);
    expect(egress).toHaveLength(1);
    expect(egress[0]).toMatchObject({ IpProtocol: "icmp", CidrIp: "255.255.255.255/32" });
  });

  it("the endpoint is the execute-api interface endpoint in both subnets, with private DNS", () => {
    const [, endpoint] = onlyResourceOfType(api.template, "AWS::EC2::VPCEndpoint");
    const p = props(endpoint);
    expect(p.VpcEndpointType).toBe("Interface");
    // China's execute-api service carries a "cn." prefix; the condition is on the partition itself.
    expect(p.ServiceName).toEqual({
      "Fn::If": ["IsChina", { "Fn::Sub": "cn.com.amazonaws.${AWS::Region}.execute-api" }, { "Fn::Sub": "com.amazonaws.${AWS::Region}.execute-api" }],
    });
    expect(api.template.Conditions?.["IsChina"]).toEqual({ "Fn::Equals": [{ Ref: "AWS::Partition" }, "aws-cn"] });
    expect(p.PrivateDnsEnabled).toBe(true);
    expect(p.SubnetIds).toEqual([{ Ref: "Subnet1" }, { Ref: "Subnet2" }]);
  });

  it("the endpoint reaches only this account's APIs, and admits the unsigned (anonymous) caller", () => {
    const [, endpoint] = onlyResourceOfType(api.template, "AWS::EC2::VPCEndpoint");
    const statements = asArray(asObject(props(endpoint).PolicyDocument).Statement).map(asObject);
    expect(statements).toHaveLength(1);
    const [statement] = statements as [JsonObject];
    expect(statement.Effect).toBe("Allow");
    // A call without an Authorization header is evaluated as anonymous: only Principal "*" admits it.
    expect(statement.Principal).toBe("*");
    expect(asArray(statement.Action)).toEqual(["execute-api:Invoke"]);
    expect(asArray(statement.Resource)).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:execute-api:*:${AWS::AccountId}:*/*" }]);
    expect(statement.Condition).toBeUndefined();
  });

  it("the function's group has no ingress and egress only TCP 443 to the API VPC", () => {
    const [, fn] = onlyResourceOfType(client.template, "AWS::Lambda::Function");
    const groups = asArray(asObject(props(fn).VpcConfig).SecurityGroupIds);
    expect(groups).toHaveLength(1);
    const group = props(client.template.Resources[asObject(groups[0]).Ref as string]!);
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(group.SecurityGroupEgress).toEqual([
      expect.objectContaining({ IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: { Ref: "ApiVpcCidr" } }),
    ]);
  });

  it("the API is private and its resource policy denies every call not through the endpoint", () => {
    const [, restApi] = onlyResourceOfType(api.template, "AWS::ApiGateway::RestApi");
    const [endpointId] = onlyResourceOfType(api.template, "AWS::EC2::VPCEndpoint");
    const p = props(restApi);
    expect(p.EndpointConfiguration).toEqual({ Types: ["PRIVATE"] });
    const statements = asArray(asObject(p.Policy).Statement).map(asObject);
    const denies = statements.filter((s) => s.Effect === "Deny");
    expect(denies).toHaveLength(1);
    const deny = denies[0]!;
    expect(deny.Principal).toBe("*");
    expect(asArray(deny.Action)).toContain("execute-api:Invoke");
    expect(asArray(deny.Resource)).toContain("execute-api:/*");
    expect(deny.Condition).toEqual({ StringNotEquals: { "aws:SourceVpce": { Ref: endpointId } } });
    // Allows grant nothing beyond invoking this API.
    for (const s of statements.filter((st) => st.Effect === "Allow")) {
      expect(asArray(s.Action)).toEqual(["execute-api:Invoke"]);
      expect(asArray(s.Resource)).toEqual(["execute-api:/*"]);
    }
  });

  it("no policy anywhere grants a wildcard action", () => {
    for (const { file, template } of all) {
      walk(template.Resources as unknown as Json, (value, path) => {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return;
        for (const key of ["Action", "NotAction"]) {
          if (!(key in value)) continue;
          for (const action of asArray(value[key])) {
            expect(typeof action === "string" && action.includes("*"), `${file} ${path}.${key}: ${String(action)}`).toBe(false);
          }
          expect(key, `${file} ${path}: NotAction grants everything else`).toBe("Action");
        }
      });
    }
  });

  it("each function's role (stage 2's client, connect's probe) can do only what a VPC function needs", () => {
    const roles = all.flatMap(({ template }) => resourcesOfType(template, "AWS::IAM::Role"));
    expect(roles.map(([id]) => id)).toEqual(["ExecutionRole", "ProbeRole"]);
    for (const [, r] of roles) {
      const role = props(r);
      expect(role.ManagedPolicyArns).toEqual([
        { "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" },
      ]);
      expect(role.Policies).toBeUndefined();
      expect(role.PermissionsBoundary).toBeUndefined();
      const trust = asArray(asObject(role.AssumeRolePolicyDocument).Statement).map(asObject);
      expect(trust).toEqual([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    }
    for (const { template } of all) {
      for (const type of ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User", "AWS::Lambda::Permission"]) {
        expect(resourcesOfType(template, type), type).toEqual([]);
      }
    }
  });

  it("no network reaches the internet: no gateway, NAT, public address or default route", () => {
    for (const { file, template } of all) {
      for (const type of ["AWS::EC2::InternetGateway", "AWS::EC2::EgressOnlyInternetGateway", "AWS::EC2::NatGateway", "AWS::EC2::EIP"]) {
        expect(resourcesOfType(template, type), `${file} ${type}`).toEqual([]);
      }
      for (const [id, subnet] of resourcesOfType(template, "AWS::EC2::Subnet")) {
        expect(props(subnet).MapPublicIpOnLaunch, `${file} ${id}`).not.toBe(true);
      }
      for (const [id, route] of resourcesOfType(template, "AWS::EC2::Route")) {
        expect(props(route).VpcPeeringConnectionId, `${file} ${id}`).toBeDefined();
        expect(props(route).GatewayId, `${file} ${id}`).toBeUndefined();
      }
    }
  });

  it("connect's rules are standalone, TCP 443 only, each for one slot's block on one slot's group", () => {
    for (const [template, type, prefix] of [[connectClient.template, "AWS::EC2::SecurityGroupEgress", "ClientEgress"], [connectApi.template, "AWS::EC2::SecurityGroupIngress", "EndpointIngress"]] as const) {
      const found = resourcesOfType(template, type);
      expect(found.length).toBeGreaterThan(0);
      for (const [id, r] of found) {
        const p = props(r);
        expect(p, id).toMatchObject({ IpProtocol: "tcp", FromPort: 443, ToPort: 443, GroupId: { Ref: `${id}Group` }, CidrIp: { Ref: `${id}Cidr` } });
        expect(id.startsWith(prefix), id).toBe(true);
        for (const key of ["SourceSecurityGroupId", "DestinationSecurityGroupId", "SourcePrefixListId", "DestinationPrefixListId", "CidrIpv6"]) expect(p[key], `${id}.${key}`).toBeUndefined();
      }
    }
    // The connect templates add no group of the user's and edit none: their only group is the probe's own.
    expect(resourcesOfType(connectApi.template, "AWS::EC2::SecurityGroup")).toEqual([]);
    expect(resourcesOfType(connectClient.template, "AWS::EC2::SecurityGroup").map(([id]) => id)).toEqual(["ProbeSecurityGroup"]);
  });

  it("the probe's group has no ingress and egress only TCP 443 to the endpoint's subnet blocks", () => {
    const [, fn] = onlyResourceOfType(connectClient.template, "AWS::Lambda::Function");
    expect(asObject(props(fn).VpcConfig).SecurityGroupIds).toEqual([{ Ref: "ProbeSecurityGroup" }]);
    const group = props(connectClient.template.Resources["ProbeSecurityGroup"]!);
    expect(group.SecurityGroupIngress).toBeUndefined();
    const egress = rules("Egress").filter(({ where }) => where.startsWith("connect-client.yaml ProbeSecurityGroup"));
    expect(egress.map(({ rule }) => [rule.IpProtocol, rule.FromPort, rule.ToPort, rule.CidrIp])).toEqual([1, 2, 3, 4].map((n) => ["tcp", 443, 443, { Ref: `EndpointCidr${n}` }]));
  });

  it.each([
    ["stage 2's client", () => client.template, "client"],
    ["connect's probe", () => connectClient.template, "probe"],
  ])("%s has a timeout for a cold cross-region call and its own log group with retention", (_name, template, suffix) => {
    const [fnId, fn] = onlyResourceOfType(template(), "AWS::Lambda::Function");
    const p = props(fn);
    expect(p.Runtime).toMatch(/^nodejs\d+\.x$/);
    expect(p.Handler).toBe("index.handler");
    expect(Number(p.Timeout)).toBeGreaterThanOrEqual(10);
    const env = asObject(asObject(p.Environment).Variables);
    expect(Number(env.TOTAL_TIMEOUT_MS)).toBeLessThan(Number(p.Timeout) * 1000);
    expect(Number(env.CONNECT_TIMEOUT_MS)).toBeLessThan(Number(env.TOTAL_TIMEOUT_MS));
    const [logId, log] = onlyResourceOfType(template(), "AWS::Logs::LogGroup");
    expect(props(log).LogGroupName).toEqual({ "Fn::Sub": `/aws/lambda/\${DeploymentName}-${suffix}` });
    expect(p.FunctionName).toEqual({ "Fn::Sub": `\${DeploymentName}-${suffix}` });
    expect(Number(props(log).RetentionInDays)).toBeGreaterThan(0);
    expect(asObject(p.LoggingConfig).LogGroup, fnId).toEqual({ Ref: logId });
  });

  it("stage 2's client runs in its two subnets; the probe in the client subnets the tool names", () => {
    const [, fn] = onlyResourceOfType(client.template, "AWS::Lambda::Function");
    expect(asObject(props(fn).VpcConfig).SubnetIds).toEqual([{ Ref: "Subnet1" }, { Ref: "Subnet2" }]);
    const [, probe] = onlyResourceOfType(connectClient.template, "AWS::Lambda::Function");
    expect(asObject(props(probe).VpcConfig).SubnetIds).toEqual({ Ref: "ProbeSubnetIds" });
    expect(connectClient.template.Parameters["ProbeSubnetIds"]?.Type).toBe("List<AWS::EC2::Subnet::Id>");
  });
});
