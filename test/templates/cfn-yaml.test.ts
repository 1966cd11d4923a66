import { describe, expect, it } from "vitest";
import { isIntrinsic, parseTemplate } from "../helpers/cfn-yaml.js";

const parse = (body: string) => parseTemplate(`Resources: {}\nOutputs:\n${body}`).Outputs;

describe("the CloudFormation YAML loader", () => {
  it("turns every short form into its long form", () => {
    const out = parse(`
  ref: !Ref Vpc
  sub: !Sub "\${AWS::Region}-x"
  subList: !Sub ["\${A}", { A: !Ref B }]
  getAttDot: !GetAtt Vpc.CidrBlock
  getAttDots: !GetAtt Db.Endpoint.Address
  getAttList: [!GetAtt [Vpc, CidrBlock]]
  join: !Join [",", [!Ref A, !Ref B]]
  select: !Select [0, !GetAZs ""]
  split: !Split [":", !Select [0, !GetAtt E.DnsEntries]]
  if: !If [Cond, !Ref A, !Ref AWS::NoValue]
  equals: !Equals [!Ref A, "x"]
  not: !Not [!Equals [!Ref A, "x"]]
  and: !And [!Condition C1, !Condition C2]
  or: !Or [!Condition C1, !Condition C2]
  findInMap: !FindInMap [M, !Ref AWS::Region, K]
  base64: !Base64 "text"
  cidr: !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]
  importValue: !ImportValue exported-name
  transform: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
`);
    expect(out).toEqual({
      ref: { Ref: "Vpc" },
      sub: { "Fn::Sub": "${AWS::Region}-x" },
      subList: { "Fn::Sub": ["${A}", { A: { Ref: "B" } }] },
      getAttDot: { "Fn::GetAtt": ["Vpc", "CidrBlock"] },
      getAttDots: { "Fn::GetAtt": ["Db", "Endpoint.Address"] },
      getAttList: [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }],
      join: { "Fn::Join": [",", [{ Ref: "A" }, { Ref: "B" }]] },
      select: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      split: { "Fn::Split": [":", { "Fn::Select": [0, { "Fn::GetAtt": ["E", "DnsEntries"] }] }] },
      if: { "Fn::If": ["Cond", { Ref: "A" }, { Ref: "AWS::NoValue" }] },
      equals: { "Fn::Equals": [{ Ref: "A" }, "x"] },
      not: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "A" }, "x"] }] },
      and: { "Fn::And": [{ Condition: "C1" }, { Condition: "C2" }] },
      or: { "Fn::Or": [{ Condition: "C1" }, { Condition: "C2" }] },
      findInMap: { "Fn::FindInMap": ["M", { Ref: "AWS::Region" }, "K"] },
      base64: { "Fn::Base64": "text" },
      cidr: { "Fn::Cidr": [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }, 2, 8] },
      importValue: { "Fn::ImportValue": "exported-name" },
      transform: { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://b/k" } } },
    });
  });

  it("keeps long forms, plain scalars and block text as they are", () => {
    const out = parse(`
  long: { "Fn::GetAtt": [Vpc, CidrBlock] }
  number: 443
  yes: true
  text: |
    line one
    \${not substituted}
`);
    expect(out).toEqual({
      long: { "Fn::GetAtt": ["Vpc", "CidrBlock"] },
      number: 443,
      yes: true,
      text: "line one\n${not substituted}\n",
    });
  });

  it("recognises intrinsic objects", () => {
    expect(isIntrinsic({ Ref: "A" })).toBe(true);
    expect(isIntrinsic({ "Fn::Sub": "x" })).toBe(true);
    expect(isIntrinsic({ Ref: "A", Other: 1 })).toBe(false);
    expect(isIntrinsic("Ref")).toBe(false);
  });

  it.each([
    ["an unknown tag", "  x: !Reff Vpc\n"],
    ["a duplicate key", "  x: 1\n  x: 2\n"],
    ["an alias", "  a: &anchor 1\n  b: *anchor\n"],
    ["a GetAtt without an attribute", "  x: !GetAtt Vpc\n"],
  ])("rejects %s", (_what, body) => {
    expect(() => parse(body)).toThrow();
  });
});
