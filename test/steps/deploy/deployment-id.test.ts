// The API Deployment's logical id carries a hash of the stage-1 template and its parameter values, so a
// change to what the API serves makes a new deployment, and the same inputs keep the same id. The rename
// works on the parsed template: every way a template names the Deployment, and nothing else.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { templateFacts } from "../../../src/aws/template-facts.js";
import { UsageError } from "../../../src/errors.js";
import { deploymentHash, loadStageTemplate, renameInFacts, renderTemplate } from "../../../src/steps/deploy/deployment-id.js";
import { tempDir } from "../../helpers/cli.js";
import { parseTemplate, walk, type Json } from "../../helpers/cfn-yaml.js";
import { TEMPLATES_DIR } from "../../helpers/template-fixtures.js";

const API = readFileSync(join(TEMPLATES_DIR, "1-api.yaml"), "utf8");
const CLIENT = readFileSync(join(TEMPLATES_DIR, "2-client.yaml"), "utf8");
// Every parameter stage 1 is deployed with (steps/plan.ts).
const PARAMETERS = {
  DeploymentName: "demo",
  VpcCidr: "10.10.0.0/16",
  Subnet1Cidr: "10.10.0.0/24",
  Subnet2Cidr: "10.10.1.0/24",
  AvailabilityZone1: "us-east-1a",
  AvailabilityZone2: "us-east-1b",
  ClientVpcCidr: "10.20.0.0/16",
};

function render(body: string, parameters: Readonly<Record<string, string>> = {}) {
  return renderTemplate(body, parameters, templateFacts(body));
}

/** Every logical id a template's values point at (Ref, GetAtt, ${…} in Sub, DependsOn). */
function referencedIds(body: string): Set<string> {
  const template = parseTemplate(body);
  const ids = new Set<string>();
  walk(template as unknown as Json, (value, path) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    if (typeof value["Ref"] === "string") ids.add(value["Ref"]);
    const getAtt = value["Fn::GetAtt"];
    if (Array.isArray(getAtt) && typeof getAtt[0] === "string") ids.add(getAtt[0]);
    const sub = value["Fn::Sub"];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === "string") for (const [, id] of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) ids.add(id!);
    if (path.endsWith(".Resources") || /\.Resources\.[^.]+$/.test(path)) {
      for (const dependency of [value["DependsOn"]].flat()) if (typeof dependency === "string") ids.add(dependency);
    }
  });
  return ids;
}

describe("the API Deployment's logical id", () => {
  const rendered = render(API, PARAMETERS);
  const id = rendered.renamed!.to;

  it("is Deployment followed by 8 hex digits of the template's and parameters' hash", () => {
    expect(rendered.renamed).toEqual({ from: "Deployment", to: `Deployment${deploymentHash(API, PARAMETERS)}` });
    expect(id).toMatch(/^Deployment[0-9a-f]{8}$/);
  });

  // Pinned: a change of the scheme (what is hashed, how) would rename every user's Deployment on their
  // next deploy, and the API would get a new deployment for nothing. (The two values were computed apart,
  // with Python's hashlib over the same bytes.)
  it("hashes as it always has: SHA-256 of the text, a NUL, and the values as sorted JSON pairs", () => {
    const body = "Resources:\n  Deployment:\n    Type: AWS::ApiGateway::Deployment\n";
    expect(deploymentHash(body, { B: "2", A: "1" })).toBe("199d2876");
    expect(deploymentHash(body, {})).toBe("23c71620");
  });

  it("sends the shipped template as written, but for the Deployment's key and its one reference", () => {
    // CloudFormation sees the same text as before the parser did the renaming: no update for existing stacks.
    const expected = API.replace("\n  Deployment:\n", `\n  ${id}:\n`).replace("      DeploymentId: !Ref Deployment\n", `      DeploymentId: !Ref ${id}\n`);
    expect(expected).not.toBe(API);
    expect(rendered.body).toBe(expected);
  });

  it("renames the resource and every reference to it, and nothing else", () => {
    const before = parseTemplate(API);
    const after = parseTemplate(rendered.body);
    expect(Object.keys(after.Resources)).toEqual(Object.keys(before.Resources).map((k) => (k === "Deployment" ? id : k)));
    expect(after.Resources[id]).toEqual(before.Resources["Deployment"]);
    expect(after.Resources["Stage"]?.Properties?.["DeploymentId"]).toEqual({ Ref: id });
    expect(referencedIds(rendered.body)).not.toContain("Deployment");
    expect(referencedIds(rendered.body)).toContain(id);
  });

  it("is the same for the same template and values, in any order", () => {
    const reversed = Object.fromEntries(Object.entries(PARAMETERS).reverse());
    expect(render(API, reversed)).toEqual(rendered);
  });

  it.each(Object.keys(PARAMETERS))("changes when %s changes", (key) => {
    const changed = { ...PARAMETERS, [key]: `${PARAMETERS[key as keyof typeof PARAMETERS]}x` };
    expect(render(API, changed).renamed!.to).not.toBe(id);
  });

  it("changes when a parameter is added or left out, the method or the policy changes", () => {
    const { ClientVpcCidr: _left, ...fewer } = PARAMETERS;
    const ids = new Set([
      id,
      render(API, fewer).renamed!.to,
      render(API, { ...PARAMETERS, Extra: "" }).renamed!.to,
      render(API.replace("PathPart: hello", "PathPart: hi"), PARAMETERS).renamed!.to,
      render(API.replace("Sid: AllowInvoke", "Sid: AllowAnyInvoke"), PARAMETERS).renamed!.to,
    ]);
    expect(ids.size).toBe(5);
  });

  it("leaves a template without an API Deployment as it is", () => {
    expect(render(CLIENT, { DeploymentName: "demo" })).toEqual({ body: CLIENT, renamed: undefined });
  });

  it("keeps the renamed resource's plain-English description for the progress rows", () => {
    const facts = renameInFacts(templateFacts(API), rendered.renamed);
    expect(facts).toEqual(templateFacts(rendered.body));
    expect(facts.descriptions[id]).toBe("API deployment");
    expect(facts.descriptions["Deployment"]).toBeUndefined();
  });
});

describe("renaming on the parsed template", () => {
  it("follows every spelling of Ref, GetAtt, Sub and DependsOn, and nothing that only looks like one", () => {
    const body = [
      "Description: Deployment of the API (Deployment, !Ref Deployment in prose)",
      "Parameters:",
      "  DeploymentName: { Type: String }",
      "  DeploymentBucket: { Type: String }",
      "Resources:",
      "  Deployment:",
      "    Type: 'AWS::ApiGateway::Deployment'",
      "    Properties: { RestApiId: x, Description: Deployment }",
      "  A:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn:",
      "      - Deployment",
      "      - Other",
      "    Properties:",
      "      TopicName: !Sub ${Deployment}-${Deployment.DeploymentId}-${DeploymentName}-${!Deployment}",
      "      DisplayName: !Sub |",
      "        ${Deployment.DeploymentId} of ${DeploymentBucket}",
      "  B:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn: [Other, Deployment]",
      "    Properties: { TopicName: !GetAtt Deployment.DeploymentId, DisplayName: !Ref Deployment }",
      "  C:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn: Deployment",
      "    Properties: { TopicName: { Ref: Deployment }, DisplayName: { 'Fn::GetAtt': [Deployment, DeploymentId] } }",
      "  D:",
      "    Type: AWS::SNS::Topic",
      "    Properties:",
      '      TopicName: {"Ref": "Deployment"}',
      '      DisplayName: !GetAtt "Deployment.DeploymentId"',
      "      Tags:",
      "        - Key: a",
      "          Value:",
      "            Fn::GetAtt: Deployment.DeploymentId",
      "        - Key: b",
      "          Value:",
      "            Fn::GetAtt:",
      "              - Deployment",
      "              - DeploymentId",
      "        - Key: c",
      '          Value: !Sub ["${Deployment}-x", {Deployment: abc}]',
      "        - Key: d",
      '          Value: !Sub ["${Deployment}-${Api}", {Api: !Ref Deployment}]',
      "        - Key: Deployment",
      "          Value: DeploymentBucket",
      "  Other: { Type: AWS::SNS::Topic, Properties: { DisplayName: Deployment of the API } }",
      "Outputs:",
      "  DeploymentOut: { Value: !Ref Deployment }",
      "",
    ].join("\n");
    const out = render(body).body;
    const to = `Deployment${deploymentHash(body, {})}`;
    expect(out.split("\n")).toEqual([
      "Description: Deployment of the API (Deployment, !Ref Deployment in prose)",
      "Parameters:",
      "  DeploymentName: { Type: String }",
      "  DeploymentBucket: { Type: String }",
      "Resources:",
      `  ${to}:`,
      "    Type: 'AWS::ApiGateway::Deployment'",
      "    Properties: { RestApiId: x, Description: Deployment }",
      "  A:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn:",
      `      - ${to}`,
      "      - Other",
      "    Properties:",
      `      TopicName: !Sub \${${to}}-\${${to}.DeploymentId}-\${DeploymentName}-\${!Deployment}`,
      "      DisplayName: !Sub |",
      `        \${${to}.DeploymentId} of \${DeploymentBucket}`,
      "  B:",
      "    Type: AWS::SNS::Topic",
      `    DependsOn: [Other, ${to}]`,
      `    Properties: { TopicName: !GetAtt ${to}.DeploymentId, DisplayName: !Ref ${to} }`,
      "  C:",
      "    Type: AWS::SNS::Topic",
      `    DependsOn: ${to}`,
      `    Properties: { TopicName: { Ref: ${to} }, DisplayName: { 'Fn::GetAtt': [${to}, DeploymentId] } }`,
      "  D:",
      "    Type: AWS::SNS::Topic",
      "    Properties:",
      `      TopicName: {"Ref": "${to}"}`,
      `      DisplayName: !GetAtt "${to}.DeploymentId"`,
      "      Tags:",
      "        - Key: a",
      "          Value:",
      `            Fn::GetAtt: ${to}.DeploymentId`,
      "        - Key: b",
      "          Value:",
      "            Fn::GetAtt:",
      `              - ${to}`,
      "              - DeploymentId",
      "        - Key: c",
      '          Value: !Sub ["${Deployment}-x", {Deployment: abc}]',
      "        - Key: d",
      `          Value: !Sub ["\${${to}}-\${Api}", {Api: !Ref ${to}}]`,
      "        - Key: Deployment",
      "          Value: DeploymentBucket",
      "  Other: { Type: AWS::SNS::Topic, Properties: { DisplayName: Deployment of the API } }",
      "Outputs:",
      `  DeploymentOut: { Value: !Ref ${to} }`,
      "",
    ]);
  });

  it("works on a JSON template too", () => {
    const body = JSON.stringify({
      Resources: {
        Deployment: { Type: "AWS::ApiGateway::Deployment", Properties: { RestApiId: "x" } },
        Stage: { Type: "AWS::ApiGateway::Stage", DependsOn: ["Deployment"], Properties: { DeploymentId: { Ref: "Deployment" }, Description: { "Fn::Sub": "${Deployment}" } } },
      },
    }, null, 1);
    const to = `Deployment${deploymentHash(body, {})}`;
    expect(JSON.parse(render(body).body)).toEqual({
      Resources: {
        [to]: { Type: "AWS::ApiGateway::Deployment", Properties: { RestApiId: "x" } },
        Stage: { Type: "AWS::ApiGateway::Stage", DependsOn: [to], Properties: { DeploymentId: { Ref: to }, Description: { "Fn::Sub": `\${${to}}` } } },
      },
    });
  });

  it("follows an alias of a reference it renamed", () => {
    const body = [
      "Resources:",
      "  Deployment: { Type: AWS::ApiGateway::Deployment }",
      "  A: { Type: AWS::SNS::Topic, Properties: { TopicName: &id !Ref Deployment, DisplayName: *id } }",
      "",
    ].join("\n");
    const to = `Deployment${deploymentHash(body, {})}`;
    expect(render(body).body).toBe(body.replaceAll("Deployment:", `${to}:`).replace("!Ref Deployment", `!Ref ${to}`));
  });

  it.each([
    ["an escaped name", '      TopicName: !Ref "Deploym\\x65nt"', 6],
    ["an escaped name in a !Sub string", '      TopicName: !Sub "${Deploym\\u0065nt}-x"', 6],
    ["an alias of a value written elsewhere", "      TopicName: { Ref: *name }", 6],
  ])("refuses %s, naming the line and how to write it", (_, line, number) => {
    const body = [
      "Metadata: { Name: &name Deployment }",
      "Resources:",
      "  Deployment: { Type: AWS::ApiGateway::Deployment }",
      "  A:",
      "    Properties:",
      line,
      "",
    ].join("\n");
    const attempt = () => render(body, { DeploymentName: "demo" });
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(
      new RegExp(`^the template: line ${number} \\(${escape(line.trim())}\\) names the API Deployment Deployment .+, which the tool cannot rename to carry its hash: write it as !Ref Deployment, !GetAtt Deployment\\.<attribute>, or \\$\\{Deployment\\} in a !Sub string; or restore the shipped template$`),
    );
  });
});

describe("a stage's template as deployed", () => {
  it("refuses an edited stage-1 template it cannot rename, naming the file, before anything is sent", async () => {
    const dir = tempDir("xregion-edited-");
    writeFileSync(join(dir, "1-api.yaml"), API.replace("DeploymentId: !Ref Deployment", "DeploymentId: !Ref \"Deploym\\x65nt\""));
    const loading = loadStageTemplate("1-api.yaml", PARAMETERS, dir);
    await expect(loading).rejects.toThrow(UsageError);
    await expect(loading).rejects.toThrow(`${join(dir, "1-api.yaml")}: line `);
  });

  it("renames the shipped one as the parser found it", async () => {
    const dir = tempDir("xregion-shipped-");
    writeFileSync(join(dir, "1-api.yaml"), API);
    const loaded = await loadStageTemplate("1-api.yaml", PARAMETERS, dir);
    expect(loaded.body).toBe(render(API, PARAMETERS).body);
    expect(loaded.facts.descriptions[`Deployment${deploymentHash(API, PARAMETERS)}`]).toBe("API deployment");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
