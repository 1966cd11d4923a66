// The API Deployment's logical id carries a hash of the stage-1 template and its parameter values, so a
// change to what the API serves makes a new deployment, and the same inputs keep the same id.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { templateFacts } from "../../src/aws/template-facts.js";
import { deploymentHash, renameInFacts, renderTemplate } from "../../src/steps/deployment-id.js";
import { parseTemplate, walk, type Json } from "../helpers/cfn-yaml.js";
import { TEMPLATES_DIR } from "../helpers/template-fixtures.js";

const API = readFileSync(join(TEMPLATES_DIR, "1-api.yaml"), "utf8");
const CLIENT = readFileSync(join(TEMPLATES_DIR, "2-client.yaml"), "utf8");
const PARAMETERS = {
  DeploymentName: "demo",
  VpcCidr: "10.10.0.0/16",
  Subnet1Cidr: "10.10.0.0/24",
  Subnet2Cidr: "10.10.1.0/24",
  ClientVpcCidr: "10.20.0.0/16",
};

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
  const rendered = renderTemplate(API, PARAMETERS);
  const id = rendered.renamed!.to;

  it("is Deployment followed by 8 hex digits of the template's and parameters' hash", () => {
    expect(rendered.renamed).toEqual({ from: "Deployment", to: `Deployment${deploymentHash(API, PARAMETERS)}` });
    expect(id).toMatch(/^Deployment[0-9a-f]{8}$/);
  });

  it("renames the resource and every reference to it, and nothing else", () => {
    const before = parseTemplate(API);
    const after = parseTemplate(rendered.body);
    expect(Object.keys(after.Resources)).toEqual(Object.keys(before.Resources).map((k) => (k === "Deployment" ? id : k)));
    expect(after.Resources[id]).toEqual(before.Resources["Deployment"]);
    expect(after.Resources["Stage"]?.Properties?.["DeploymentId"]).toEqual({ Ref: id });
    expect(referencedIds(rendered.body)).not.toContain("Deployment");
    expect(referencedIds(rendered.body)).toContain(id);
    // Prose, comments and the DeploymentName parameter keep their words.
    expect(after.Parameters).toEqual(before.Parameters);
    expect(after.Metadata).toEqual(before.Metadata);
    expect(rendered.body.split("\n").filter((l) => l.trimStart().startsWith("#"))).toEqual(
      API.split("\n").filter((l) => l.trimStart().startsWith("#")),
    );
  });

  it("is the same for the same template and values, in any order", () => {
    const reversed = Object.fromEntries(Object.entries(PARAMETERS).reverse());
    expect(renderTemplate(API, reversed)).toEqual(rendered);
  });

  it("changes when a parameter value, the method or the policy changes", () => {
    const ids = new Set([
      id,
      renderTemplate(API, { ...PARAMETERS, ClientVpcCidr: "10.30.0.0/16" }).renamed!.to,
      renderTemplate(API.replace("PathPart: hello", "PathPart: hi"), PARAMETERS).renamed!.to,
      renderTemplate(API.replace("Sid: AllowInvoke", "Sid: AllowAnyInvoke"), PARAMETERS).renamed!.to,
    ]);
    expect(ids.size).toBe(4);
  });

  it("leaves a template without an API Deployment as it is", () => {
    expect(renderTemplate(CLIENT, { DeploymentName: "demo" })).toEqual({ body: CLIENT, renamed: undefined });
  });

  it("follows every way a template names a resource: Ref, GetAtt, Sub, DependsOn inline, flow and block", () => {
    const body = [
      "Resources:",
      "  Deployment:",
      "    Type: 'AWS::ApiGateway::Deployment'",
      "    Properties: { RestApiId: x }",
      "  DeploymentWatcher:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn:",
      "      - Deployment",
      "      - Other",
      "    Properties:",
      "      TopicName: !Sub ${Deployment}-${Deployment.DeploymentId}-${DeploymentName}",
      "  A:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn: [Other, Deployment]",
      "    Properties: { TopicName: !GetAtt Deployment.DeploymentId, DisplayName: !Ref Deployment }",
      "  B:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn: Deployment",
      "    Properties: { TopicName: { Ref: Deployment }, DisplayName: { 'Fn::GetAtt': [Deployment, DeploymentId] } }",
      "  Other: { Type: AWS::SNS::Topic, Properties: { DisplayName: Deployment of the API } }",
      "",
    ].join("\n");
    const out = renderTemplate(body, {}).body;
    const to = `Deployment${deploymentHash(body, {})}`;
    expect(out.split("\n")).toEqual([
      "Resources:",
      `  ${to}:`,
      "    Type: 'AWS::ApiGateway::Deployment'",
      "    Properties: { RestApiId: x }",
      "  DeploymentWatcher:",
      "    Type: AWS::SNS::Topic",
      "    DependsOn:",
      `      - ${to}`,
      "      - Other",
      "    Properties:",
      `      TopicName: !Sub \${${to}}-\${${to}.DeploymentId}-\${DeploymentName}`,
      "  A:",
      "    Type: AWS::SNS::Topic",
      `    DependsOn: [Other, ${to}]`,
      `    Properties: { TopicName: !GetAtt ${to}.DeploymentId, DisplayName: !Ref ${to} }`,
      "  B:",
      "    Type: AWS::SNS::Topic",
      `    DependsOn: ${to}`,
      `    Properties: { TopicName: { Ref: ${to} }, DisplayName: { 'Fn::GetAtt': [${to}, DeploymentId] } }`,
      "  Other: { Type: AWS::SNS::Topic, Properties: { DisplayName: Deployment of the API } }",
      "",
    ]);
  });

  it("keeps the renamed resource's plain-English description for the progress rows", () => {
    const facts = renameInFacts(templateFacts(API), rendered.renamed);
    expect(facts).toEqual(templateFacts(rendered.body));
    expect(facts.descriptions[id]).toBe("API deployment");
    expect(facts.descriptions["Deployment"]).toBeUndefined();
  });
});
