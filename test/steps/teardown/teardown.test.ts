import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CredentialsError } from "../../../src/aws/errors.js";
import { templateFacts } from "../../../src/aws/template-facts.js";
import { renderTemplate } from "../../../src/steps/deploy/deployment-id.js";
import { templatesDir } from "../../../src/aws/templates.js";
import { resourceEvent, serviceError, stackEvent } from "../../helpers/cfn-timeline.js";
import { lookupStacks } from "../../../src/steps/stacks.js";
import { teardownAll } from "../../../src/steps/teardown/teardown.js";
import { API_REGION, CLIENT_REGION, harness, sequence, TARGET, teardown } from "../../helpers/engine-harness.js";


// Lambda's hyperplane ENIs keep the client stack deleting for a long time: many quiet polls.
const slowClientDelete = {
  batches: [
    [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("Function", "AWS::Lambda::Function", "DELETE_IN_PROGRESS")],
    [resourceEvent("Function", "AWS::Lambda::Function", "DELETE_COMPLETE"), resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_IN_PROGRESS")],
    [], [], [], [],
    [resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_COMPLETE")],
    [stackEvent("DELETE_COMPLETE")],
  ],
};

describe("teardownAll", () => {
  it("tears down a partial deployment: routes absent, client deleted after many polls, then the api", async () => {
    const h = harness();
    h.cfn
      .stack("demo-client", { status: "CREATE_COMPLETE", delete: slowClientDelete })
      .stack("demo-api", { status: "CREATE_COMPLETE" });
    const result = await teardown(h);

    expect(result).toMatchObject({
      kind: "done",
      stages: [
        { stage: 3, outcome: "absent" },
        { stage: 2, outcome: "deleted", describeStackEventsCalls: 8 },
        { stage: 1, outcome: "deleted" },
      ],
    });
    const seq = sequence(h.events);
    expect(seq.filter((s) => s.startsWith("stage-"))).toEqual([
      "stage-finished:3:absent",
      "stage-started:2:delete", "stage-finished:2:deleted",
      "stage-started:1:delete", "stage-finished:1:deleted",
    ]);
    // A stack that names no function has no interfaces to release, so no wait to announce.
    expect(h.events.some((e) => e.kind === "info")).toBe(false);
    expect(seq.filter((s) => s.startsWith("resource:")).length).toBeGreaterThanOrEqual(6);

    expect(h.cfn.calls.filter((c) => c.command !== "DescribeStackEvents").map((c) => `${c.command} ${String(c.input["StackName"]).split("/")[1] ?? c.input["StackName"]} ${c.region}`)).toEqual([
      // Found first: stage 1, the routes stack under both names, the client stack.
      `DescribeStacks demo-api ${API_REGION}`,
      `DescribeStacks demo-routes ${API_REGION}`,
      `DescribeStacks demo-client ${CLIENT_REGION}`,
      `DescribeStacks demo-routes-${CLIENT_REGION} ${API_REGION}`,
      `DescribeStackResources demo-client ${CLIENT_REGION}`,
      `DescribeStacks demo-routes ${API_REGION}`,
      `DescribeStacks demo-client ${CLIENT_REGION}`,
      `DeleteStack demo-client ${CLIENT_REGION}`,
      // No other client region's routes stack holds on to stage 1.
      `ListStacks undefined ${API_REGION}`,
      `DescribeStacks demo-api ${API_REGION}`,
      `DeleteStack demo-api ${API_REGION}`,
    ]);
    expect(h.clock.sleeps.slice(0, 6)).toEqual([1000, 1000, 2000, 3000, 5000, 5000]);
  });

  it("names the resources it deletes by the templates' descriptions, as deploy does", async () => {
    const h = harness();
    const source = readFileSync(join(templatesDir(), "1-api.yaml"), "utf8");
    // The API Deployment lives under the id deploy gave it: the hash of the template and the stack's parameters.
    const deployment = renderTemplate(source, {}, templateFacts(source)).renamed!.to;
    h.cfn
      .stack("demo-client", {
        status: "CREATE_COMPLETE",
        delete: {
          batches: [
            [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_IN_PROGRESS")],
            [resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_COMPLETE"), resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_COMPLETE")],
            [stackEvent("DELETE_COMPLETE")],
          ],
        },
      })
      .stack("demo-api", {
        status: "CREATE_COMPLETE",
        delete: {
          batches: [
            [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent(deployment, "AWS::ApiGateway::Deployment", "DELETE_COMPLETE")],
            [stackEvent("DELETE_COMPLETE")],
          ],
        },
      });
    expect((await teardown(h)).kind).toBe("done");
    const described = h.events.flatMap((e) => (e.kind === "resource" && e.logicalId !== e.stackName ? [[e.logicalId, e.description]] : []));
    expect(new Map(described as [string, string][])).toEqual(
      new Map([
        ["ClientFunction", "Client function that calls the private API"],
        ["Subnet1", "Private subnet in the first Availability Zone"],
        [deployment, "API deployment"],
      ]),
    );
  });

  it("finds nothing to do the second time", async () => {
    const h = harness();
    h.cfn.stack("demo-client", { status: "CREATE_COMPLETE" }).stack("demo-api", { status: "UPDATE_COMPLETE" });
    expect((await teardown(h)).kind).toBe("done");
    h.events.length = 0;
    const deletes = h.cfn.count("DeleteStack");

    const again = await teardown(h);
    expect(again).toMatchObject({ kind: "done", stages: [{ outcome: "absent" }, { outcome: "absent" }, { outcome: "absent" }] });
    expect(h.cfn.count("DeleteStack")).toBe(deletes);
    expect(sequence(h.events)).toEqual(["stages-queued:3,2,1", "stage-finished:3:absent", "stage-finished:2:absent", "stage-finished:1:absent"]);
  });

  it("stops at DELETE_FAILED with the root cause and says what is left", async () => {
    const h = harness();
    h.cfn
      .stack("demo-routes", { status: "CREATE_COMPLETE" })
      .stack("demo-client", {
        status: "CREATE_COMPLETE",
        delete: {
          batches: [
            [stackEvent("DELETE_IN_PROGRESS", "User Initiated")],
            [resourceEvent("SecurityGroup", "AWS::EC2::SecurityGroup", "DELETE_FAILED", "resource sg-0c3 has a dependent object")],
            [stackEvent("DELETE_FAILED", "The following resource(s) failed to delete: [SecurityGroup].")],
          ],
        },
      })
      .stack("demo-api", { status: "CREATE_COMPLETE" });
    const result = await teardown(h);
    expect(result).toMatchObject({
      kind: "failed",
      stage: 2,
      status: "DELETE_FAILED",
      rootCause: { logicalId: "SecurityGroup", reason: "resource sg-0c3 has a dependent object" },
      left: [
        { stage: 3, status: "absent" },
        { stage: 2, status: "DELETE_FAILED" },
        { stage: 1, status: "CREATE_COMPLETE" },
      ],
    });
    // A security group held by a dependent object is retried once, after looking for the function's interfaces.
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([API_REGION, CLIENT_REGION, CLIENT_REGION]);
    expect(h.events.at(-1)).toMatchObject({ kind: "info", message: expect.stringContaining("demo-client (us-east-1) DELETE_FAILED") });
    expect(result.kind === "failed" && result.message).toBe(
      "demo-client could not be deleted (DELETE_FAILED). Cause: SecurityGroup (AWS::EC2::SecurityGroup): resource sg-0c3 has a dependent object. " +
        "Remove what holds it, then run teardown again: CloudFormation deletes what is left of the stack.",
    );
  });

  it("stops at a DELETE_FAILED of another stack without retrying it, kept and listed, and says how to finish", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      status: "CREATE_COMPLETE",
      delete: {
        batches: [
          [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_COMPLETE")],
          [resourceEvent("Vpc", "AWS::EC2::VPC", "DELETE_FAILED",
            "The vpc 'vpc-0a1' has dependencies and cannot be deleted. (Service: Ec2, Status Code: 400, Request ID: ce53e737-09e2-44bf-98e4-83779815c803)")],
          [stackEvent("DELETE_FAILED", "The following resource(s) failed to delete: [Vpc]. ")],
        ],
      },
    });
    const result = await teardown(h);

    expect(result).toMatchObject({ kind: "failed", stage: 1, status: "DELETE_FAILED", left: [{ status: "absent" }, { status: "absent" }, { stage: 1, status: "DELETE_FAILED" }] });
    expect(h.cfn.count("DeleteStack")).toBe(1);
    expect(result.kind === "failed" && result.message).toMatch(/^demo-api could not be deleted \(DELETE_FAILED\)\. Cause: Vpc \(AWS::EC2::VPC\): The vpc 'vpc-0a1' has dependencies .* Remove what holds it, then run teardown again/);
  });

  it("follows a delete an earlier teardown started instead of starting another", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      status: "DELETE_IN_PROGRESS",
      running: { batches: [[stackEvent("DELETE_IN_PROGRESS", "User Initiated")], [], [stackEvent("DELETE_COMPLETE")]] },
    });
    const result = await teardown(h);
    expect(result).toMatchObject({ kind: "done", stages: [{ outcome: "absent" }, { outcome: "absent" }, { outcome: "deleted" }] });
    expect(h.cfn.count("DeleteStack")).toBe(0);
  });

  it("on Ctrl-C stops following the delete, which continues in AWS, and says what is left", async () => {
    const h = harness();
    h.cfn.stack("demo-client", { status: "CREATE_COMPLETE", delete: slowClientDelete }).stack("demo-api", { status: "CREATE_COMPLETE" });
    h.cfn.after("DescribeStackEvents", 2, () => h.controller.abort());
    const result = await teardown(h);
    expect(result).toMatchObject({
      kind: "cancelled",
      message: expect.stringContaining("continues in AWS"),
      left: [{ stage: 3, status: "absent" }, { stage: 2, status: "DELETE_IN_PROGRESS" }, { stage: 1, status: "CREATE_COMPLETE" }],
    });
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([CLIENT_REGION]);
    expect(sequence(h.events)).toContain("stage-cancelled:2:DELETE_IN_PROGRESS");
  });

  it("turns missing credentials into a CredentialsError that suggests aws configure", async () => {
    const h = harness();
    const missing = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    // Found first (as the command does), then the keys go missing while the first stack is looked at again.
    const stacks = await lookupStacks(h.ctx.clients, TARGET);
    h.cfn.failNext("DescribeStacks", missing);
    const error = await teardownAll(h.ctx, stacks, { maxParallel: 4, removeApi: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toMatchObject({ problem: "missing", fix: expect.stringContaining("aws configure") });
  });

  it("treats expired credentials during the wait as a CredentialsError too", async () => {
    const h = harness({ profile: "prod-sso" });
    h.cfn.stack("demo-api", { status: "CREATE_COMPLETE" });
    h.cfn.failNext("DescribeStackEvents", serviceError("ExpiredToken", "The security token included in the request is expired"));
    const error = await teardown(h).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "CredentialsError", fix: expect.stringContaining("aws sso login --profile prod-sso") });
  });
});
