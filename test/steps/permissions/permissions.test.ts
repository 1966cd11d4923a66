// The one list of IAM permissions, against what it must cover: the resources AWS authorises the calls on, and
// the table of docs/permissions.md (generated from the list: XREGION_WRITE_DOCS=1 rewrites it). What
// CloudFormation's handlers call for each resource type is checked in permissions/resource-types.test.ts, what
// the tool itself calls in permissions.calls.test.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deployPermissions, requiredPermissions, type Permission, type PermissionScope } from "../../../src/steps/permissions/permissions.js";
import { GLOBAL } from "../../../src/steps/permissions/resources.js";
import { loadStages, onlyResourceOfType, TEMPLATES_DIR } from "../../helpers/template-fixtures.js";

const target = { partition: "aws", account: "123456789012", name: "demo", apiRegion: "us-east-1", clientRegions: ["eu-west-1"] };
const PAGE = join(TEMPLATES_DIR, "..", "docs", "permissions.md");
const BEGIN = "<!-- permissions:begin";
const END = "<!-- permissions:end -->";

// IAM's resource matching: * is any run of characters, ? one character; the rest is literal.
function arnMatches(pattern: string, arn: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(arn);
}

function has(list: readonly Permission[], scope: PermissionScope, action: string, resource: string, region?: string): boolean {
  return list.some((p) => p.scope === scope && p.actions.includes(action) && p.resource === resource && (region === undefined || p.region === region));
}

describe("the permissions list", () => {
  it("names each action as service:Action and each resource as an ARN of the target's partition, or *", () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov"]) {
      for (const p of requiredPermissions({ ...target, partition })) {
        for (const action of p.actions) expect(action).toMatch(/^(ec2|apigateway|ssm|route53|iam|logs|lambda|cloudformation):[A-Z][A-Za-z0-9]+$/);
        if (p.resource !== "*") expect(p.resource.startsWith(`arn:${partition}:`), p.resource).toBe(true);
      }
    }
  });

  it("asks the simulation about a concrete example of each resource, one its pattern grants", () => {
    for (const p of requiredPermissions(target)) {
      if (p.resource === "*") {
        expect(p.sample).toBe("*");
        continue;
      }
      expect(p.sample, p.resource).not.toMatch(/[*?]/);
      expect(arnMatches(p.resource, p.sample), `${p.sample} is not one of ${p.resource}`).toBe(true);
    }
    const role = requiredPermissions(target).find((p) => p.actions.includes("iam:PassRole"));
    // CloudFormation names the role <stack>-<logical id>-<suffix>: the example carries the template's logical id.
    const [logicalId] = onlyResourceOfType(loadStages()[1]!.template, "AWS::IAM::Role");
    expect(role?.sample).toBe(`arn:aws:iam::123456789012:role/demo-client-${logicalId}-EXAMPLE`);
    expect(arnMatches("arn:aws:iam::*:role/demo-client-ExecutionRole-*", role?.sample ?? "")).toBe(true);
  });
});

describe("the resources and regions of the calls", () => {
  const list = requiredPermissions(target);

  it("simulates peering creation in region B on both VPCs, and its acceptance in region A", () => {
    const created = list.filter((p) => p.scope === "client" && p.actions.includes("ec2:CreateVpcPeeringConnection"));
    expect(created.map((p) => [p.resource, p.region])).toEqual([
      ["arn:aws:ec2:eu-west-1:123456789012:vpc/*", "eu-west-1"],
      ["arn:aws:ec2:eu-west-1:123456789012:vpc-peering-connection/*", "eu-west-1"],
      ["arn:aws:ec2:us-east-1:123456789012:vpc/*", "eu-west-1"],
    ]);
    expect(has(list, "client", "ec2:AcceptVpcPeeringConnection", "arn:aws:ec2:us-east-1:123456789012:vpc-peering-connection/*", "us-east-1")).toBe(true);
    expect(has(list, "client", "ec2:AcceptVpcPeeringConnection", "arn:aws:ec2:us-east-1:123456789012:vpc/*", "us-east-1")).toBe(true);
  });

  it("authorises API Gateway tagging on /tags/, with the tagged resource's URL-encoded ARN in the example", () => {
    const tags = list.find((p) => p.scope === "api" && p.resource === "arn:aws:apigateway:us-east-1::/tags/*");
    expect(tags?.actions).toEqual(["apigateway:GET", "apigateway:PUT", "apigateway:DELETE"]);
    expect(tags?.sample).toBe("arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fa1b2c3d4e5");
  });

  it("tags the log group on its ARN without :*, and does the rest on the ARN with it", () => {
    const group = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/demo-client";
    expect(has(list, "client", "logs:TagResource", group)).toBe(true);
    expect(has(list, "client", "logs:TagResource", `${group}:*`)).toBe(false);
    expect(has(list, "client", "logs:CreateLogGroup", `${group}:*`)).toBe(true);
  });

  it("has stage 3's interface lookup in region A, the zone's delete path and the ENI wait", () => {
    expect(has(list, "routes", "ec2:DescribeNetworkInterfaces", "*", "us-east-1")).toBe(true);
    expect(has(list, "client", "route53:ListQueryLoggingConfigs", "arn:aws:route53:::hostedzone/*", GLOBAL)).toBe(true);
    expect(has(list, "client", "ec2:DescribeNetworkInterfaces", "*", "eu-west-1")).toBe(true);
    expect(has(list, "routes", "ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/xregion-private-api/demo/*")).toBe(true);
    expect(has(list, "client", "iam:PassRole", "arn:aws:iam::123456789012:role/demo-client-*", GLOBAL)).toBe(true);
  });

  it("lets teardown and a stopped stage-2 create find the function among the stack's resources and release its interfaces", () => {
    const stack = "arn:aws:cloudformation:eu-west-1:123456789012:stack/demo-client/*";
    const fn = "arn:aws:lambda:eu-west-1:123456789012:function:demo-client";
    for (const scope of ["client", "teardown"] as const) {
      expect(has(list, scope, "cloudformation:DescribeStackResources", stack, "eu-west-1"), scope).toBe(true);
      expect(has(list, scope, "lambda:UpdateFunctionConfiguration", fn), scope).toBe(true);
      expect(has(list, scope, "ec2:DeleteNetworkInterface", "arn:aws:ec2:eu-west-1:123456789012:network-interface/*"), scope).toBe(true);
    }
  });

  it("marks what CloudFormation calls, not the tool, and leaves the other commands out of deploy", () => {
    expect(list.filter((p) => p.viaCloudFormation).every((p) => ["api", "client", "routes", "connect-client", "connect-api"].includes(p.scope))).toBe(true);
    expect(list.find((p) => p.actions.includes("cloudformation:CreateChangeSet"))?.viaCloudFormation).toBe(false);
    expect(list.find((p) => p.actions.includes("ec2:CreateVpc"))?.viaCloudFormation).toBe(true);
    expect(new Set(deployPermissions(target).map((p) => p.scope))).toEqual(new Set(["preflight", "api", "client", "routes", "verify"]));
  });

  it("gives each client region the same list in its own region, and shares what stage 1 needs once", () => {
    const two = requiredPermissions({ ...target, clientRegions: ["eu-west-1", "ap-southeast-2"] });
    const fn = (region: string) => `arn:aws:lambda:${region}:123456789012:function:demo-client`;
    for (const region of ["eu-west-1", "ap-southeast-2"]) {
      expect(has(two, "client", "lambda:CreateFunction", fn(region), region), region).toBe(true);
      expect(has(two, "teardown", "ec2:DeleteNetworkInterface", `arn:aws:ec2:${region}:123456789012:network-interface/*`, region), region).toBe(true);
      expect(has(two, "verify", "lambda:InvokeFunction", fn(region), region), region).toBe(true);
    }
    // Both routes stacks live in region A under one pattern; the second region's example is its own name.
    const routes = two.filter((p) => p.scope === "routes" && p.actions.includes("cloudformation:CreateChangeSet"));
    expect(routes.map((p) => [p.resource, p.sample])).toEqual([
      ["arn:aws:cloudformation:us-east-1:123456789012:stack/demo-routes*/*", "arn:aws:cloudformation:us-east-1:123456789012:stack/demo-routes/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"],
      ["arn:aws:cloudformation:us-east-1:123456789012:stack/demo-routes*/*", "arn:aws:cloudformation:us-east-1:123456789012:stack/demo-routes-ap-southeast-2/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"],
    ]);
    const once = (list: typeof two) => list.filter((p) => p.scope === "api").length;
    expect(once(two)).toBe(once(requiredPermissions(target)));
  });

  it("is what the permissions table of docs/permissions.md says", () => {
    const text = readFileSync(PAGE, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start, "docs/permissions.md has no permissions table markers").toBeGreaterThan(-1);
    const from = text.indexOf("\n", start) + 1;
    const expected = permissionsTable();
    if (process.env["XREGION_WRITE_DOCS"] === "1") writeFileSync(PAGE, text.slice(0, from) + expected + text.slice(end));
    expect(text.slice(from, end)).toBe(expected);
  });
});

const SCOPES: Record<PermissionScope, string> = {
  preflight: "deploy: preflight",
  api: "deploy: stage 1 (API, region A)",
  client: "deploy: stage 2 (client, region B)",
  routes: "deploy: stage 3 (routes, region A)",
  verify: "verify (and the end of deploy)",
  status: "status",
  doctor: "doctor",
  teardown: "teardown",
  connect: "connect: reads and proof",
  "connect-client": "connect: stage 1 (client side, region B)",
  "connect-api": "connect: stage 2 (API side, region A)",
  disconnect: "disconnect",
  "verify-connection": "verify (a connection)",
  "status-connection": "status (a connection)",
  "doctor-connection": "doctor (a connection)",
};

// The table's rows: one per scope and resource, the actions in the list's order.
function permissionsTable(): string {
  const placeholders = { partition: "${Partition}", account: "${Account}", name: "${Name}", apiRegion: "${RegionA}", clientRegions: ["${RegionB}"] };
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
