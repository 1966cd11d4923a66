// The one list of IAM permissions, against the templates (every resource type they declare has its
// actions) and against the README's Permissions table (generated from the list; this test fails when the
// two disagree — XREGION_WRITE_README=1 rewrites the table).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deployPermissions,
  GLOBAL,
  requiredPermissions,
  RESOURCE_TYPE_PERMISSIONS,
  STAGE_RESOURCE_TYPES,
  type Permission,
  type PermissionScope,
} from "../../src/steps/permissions.js";
import { loadStages, TEMPLATES_DIR } from "../helpers/template-fixtures.js";

const target = { partition: "aws", account: "123456789012", name: "demo", apiRegion: "us-east-1", clientRegion: "eu-west-1" };
const README = join(TEMPLATES_DIR, "..", "README.md");
const BEGIN = "<!-- permissions:begin";
const END = "<!-- permissions:end -->";

function has(list: readonly Permission[], scope: PermissionScope, action: string, resource: string, region?: string): boolean {
  return list.some((p) => p.scope === scope && p.actions.includes(action) && p.resource === resource && (region === undefined || p.region === region));
}

describe("the permissions list", () => {
  it("gives every resource type of every template its actions, and names no type a template lacks", () => {
    for (const { stage, template } of loadStages()) {
      const types = new Set(Object.values(template.Resources).map((r) => r.Type));
      expect(new Set(STAGE_RESOURCE_TYPES[stage.key]), stage.template).toEqual(types);
      for (const type of types) {
        const grants = RESOURCE_TYPE_PERMISSIONS[type]?.({ t: target, region: "us-east-1", peerRegion: "eu-west-1" }) ?? [];
        expect(grants.flatMap((g) => g.actions).length, `${type} in ${stage.template} has no actions`).toBeGreaterThan(0);
      }
    }
  });

  it("names each action as service:Action and each resource as an ARN of the target's partition, or *", () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov"]) {
      for (const p of requiredPermissions({ ...target, partition })) {
        for (const action of p.actions) expect(action).toMatch(/^(ec2|apigateway|ssm|route53|iam|logs|lambda|cloudformation):[A-Z][A-Za-z0-9]+$/);
        if (p.resource !== "*") expect(p.resource.startsWith(`arn:${partition}:`), p.resource).toBe(true);
      }
    }
  });

  it("has CloudFormation's peering acceptance in region A, the ENI wait and the private zone's VPC check", () => {
    const list = requiredPermissions(target);
    expect(has(list, "client", "ec2:AcceptVpcPeeringConnection", "arn:aws:ec2:us-east-1:123456789012:vpc-peering-connection/*", "us-east-1")).toBe(true);
    expect(has(list, "client", "ec2:CreateVpcPeeringConnection", "arn:aws:ec2:eu-west-1:123456789012:vpc-peering-connection/*", "eu-west-1")).toBe(true);
    expect(has(list, "client", "ec2:DescribeNetworkInterfaces", "*", "eu-west-1")).toBe(true);
    expect(has(list, "client", "route53:AssociateVPCWithHostedZone", "arn:aws:route53:::hostedzone/*", GLOBAL)).toBe(true);
    expect(has(list, "client", "ec2:DescribeVpcs", "*", "eu-west-1")).toBe(true);
    expect(has(list, "client", "iam:PassRole", "arn:aws:iam::123456789012:role/demo-client-*", GLOBAL)).toBe(true);
    expect(has(list, "api", "apigateway:POST", "arn:aws:apigateway:us-east-1::/restapis")).toBe(true);
    expect(has(list, "api", "apigateway:UpdateRestApiPolicy", "arn:aws:apigateway:us-east-1::/restapis/*")).toBe(true);
    expect(has(list, "routes", "ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/xregion-private-api/demo/*")).toBe(true);
    expect(has(list, "api", "cloudformation:CreateChangeSet", "arn:aws:cloudformation:us-east-1:123456789012:stack/demo-api/*")).toBe(true);
    expect(has(list, "client", "cloudformation:ExecuteChangeSet", "arn:aws:cloudformation:eu-west-1:123456789012:stack/demo-client/*")).toBe(true);
  });

  it("has what verify and teardown's network-interface release call, and deploy leaves teardown out", () => {
    const fn = "arn:aws:lambda:eu-west-1:123456789012:function:demo-client";
    const list = requiredPermissions(target);
    expect(has(list, "verify", "lambda:InvokeFunction", fn)).toBe(true);
    expect(has(list, "verify", "lambda:GetFunctionConfiguration", fn)).toBe(true);
    expect(has(list, "teardown", "lambda:UpdateFunctionConfiguration", fn)).toBe(true);
    expect(has(list, "teardown", "ec2:DeleteNetworkInterface", "arn:aws:ec2:eu-west-1:123456789012:network-interface/*")).toBe(true);
    expect(has(list, "teardown", "ec2:DescribeNetworkInterfaces", "*", "eu-west-1")).toBe(true);
    const deploy = deployPermissions(target);
    expect(deploy.some((p) => p.scope === "teardown")).toBe(false);
    expect(new Set(deploy.map((p) => p.scope))).toEqual(new Set(["tool", "api", "client", "routes", "verify"]));
  });

  it("is what the README's Permissions table says", () => {
    const text = readFileSync(README, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start, "the README has no permissions table markers").toBeGreaterThan(-1);
    const from = text.indexOf("\n", start) + 1;
    const expected = permissionsTable();
    if (process.env["XREGION_WRITE_README"] === "1") writeFileSync(README, text.slice(0, from) + expected + text.slice(end));
    expect(text.slice(from, end)).toBe(expected);
  });
});

const SCOPES: Record<PermissionScope, string> = {
  tool: "the tool (preflight, status)",
  api: "stage 1 (API, region A)",
  client: "stage 2 (client, region B)",
  routes: "stage 3 (routes, region A)",
  verify: "verify",
  teardown: "teardown",
};

// The README's rows: one per scope and resource, the actions in the list's order.
function permissionsTable(): string {
  const placeholders = { partition: "${Partition}", account: "${Account}", name: "${Name}", apiRegion: "${RegionA}", clientRegion: "${RegionB}" };
  const rows = new Map<string, { scope: PermissionScope; resource: string; actions: string[] }>();
  for (const p of requiredPermissions(placeholders)) {
    const resource = p.resource === "*" ? (p.region === GLOBAL ? "`*`" : `\`*\` in ${p.region}`) : `\`${p.resource}\``;
    const key = `${p.scope} ${resource}`;
    const row = rows.get(key) ?? { scope: p.scope, resource, actions: [] };
    for (const action of p.actions) if (!row.actions.includes(action)) row.actions.push(action);
    rows.set(key, row);
  }
  const lines = ["| for | resource | actions |", "| --- | --- | --- |"];
  for (const row of rows.values()) lines.push(`| ${SCOPES[row.scope]} | ${row.resource} | ${row.actions.map((a) => `\`${a}\``).join(", ")} |`);
  return `${lines.join("\n")}\n`;
}
