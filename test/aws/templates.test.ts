import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { templateFacts } from "../../src/aws/template-facts.js";
import { FACTS_FILE, loadTemplateFacts, readTemplate, templateHash } from "../../src/aws/templates.js";
import { CONNECT_TEMPLATES } from "../../src/steps/connect/templates.js";
import { STAGES } from "../../src/steps/stages.js";
import { tempDir } from "../helpers/cli.js";

const BODY = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Metadata:
      Description: !Sub Network in \${AWS::Region}
`;

/** A module in <dist>/chunks/, as the bundle lays them out, with <dist>/template-facts.json beside it. */
function bundleLayout(facts: object): string {
  const dist = tempDir("xregion-facts-");
  mkdirSync(join(dist, "chunks"));
  writeFileSync(join(dist, FACTS_FILE), JSON.stringify(facts));
  return pathToFileURL(join(dist, "chunks", "deploy.js")).href;
}

describe("loadTemplateFacts", () => {
  it("takes a template's facts from the build's file when its text is the one the build saw", async () => {
    // Facts the parser would never produce, so only the file can have given them.
    const fromBuild = { descriptions: { Vpc: "as the build recorded it" }, namedIam: true };
    const from = bundleLayout({ [templateHash(BODY)]: fromBuild });
    expect(await loadTemplateFacts(BODY, from)).toEqual(fromBuild);
  });

  it("parses a template whose text the build did not see (edited after it, or run from the sources)", async () => {
    const from = bundleLayout({ [templateHash(`${BODY}\n# an older text`)]: { descriptions: {}, namedIam: true } });
    expect(await loadTemplateFacts(BODY, from)).toEqual({ descriptions: { Vpc: "Network in ${AWS::Region}" }, namedIam: false });
  });
});

describe("the build's template-facts.json", () => {
  it("holds, for every shipped template, what parsing that template gives", () => {
    const root = resolve(import.meta.dirname, "../..");
    const shipped = JSON.parse(readFileSync(join(root, "dist", FACTS_FILE), "utf8")) as Record<string, object>;
    const templates = readdirSync(join(root, "templates")).filter((f) => f.endsWith(".yaml"));
    expect(templates.toSorted()).toEqual([...STAGES.map((s) => s.template), ...Object.values(CONNECT_TEMPLATES)].toSorted());
    for (const file of templates) {
      const body = readFileSync(join(root, "templates", file), "utf8");
      expect(shipped[templateHash(body)], file).toEqual({ template: file, ...templateFacts(body) });
    }
  });
});

describe("readTemplate", () => {
  const body = `
Parameters:
  DeploymentName: { Type: String }
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Metadata:
      Description: !Sub "execute-api endpoint for \${DeploymentName} in \${AWS::Region}"
    Properties:
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.execute-api
      VpcId: !ImportValue { "Fn::Sub": "x" }
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Ref AWS::NoValue
  Plain:
    Type: AWS::EC2::VPC
`;

  it("reads descriptions through any short-form tag and fills in the region and parameters", () => {
    const info = readTemplate(templateFacts(body), { region: "ap-southeast-2", stackName: "demo-api", parameters: { DeploymentName: "demo" } });
    expect([...info.descriptions]).toEqual([["Endpoint", "execute-api endpoint for demo in ap-southeast-2"]]);
    expect(info.capabilities).toEqual(["CAPABILITY_IAM"]);
  });

  it("asks for CAPABILITY_NAMED_IAM only when an IAM resource is given a name", () => {
    const named = body.replace("AssumeRolePolicyDocument", "RoleName: !Sub ${DeploymentName}-role\n      AssumeRolePolicyDocument");
    expect(readTemplate(templateFacts(named), { region: "eu-west-1", stackName: "x" }).capabilities).toEqual(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]);
  });
});
