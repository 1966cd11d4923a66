// Teardown's release of the client function's network interfaces (DESIGN §11) on scripted Lambda, EC2
// and CloudFormation timelines: detach, wait for Successful, wait for `available`, delete, then the stack.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStage } from "../../src/steps/deploy-stage.js";
import { teardownAll } from "../../src/steps/teardown.js";
import { resourceEvent, stackEvent, type StackSetup } from "../helpers/cfn-timeline.js";
import { ec2Error, FUNCTION, lambdaError, lambdaInterface, VPC } from "../helpers/function-network-timeline.js";
import { API_REGION, CLIENT_REGION, FIXTURES, harness, sequence, STAGE_2 } from "../helpers/engine-harness.js";

const TARGET = { name: "demo", apiRegion: API_REGION, clientRegion: CLIENT_REGION };

const CLIENT_RESOURCES = [
  { logicalId: "Vpc", type: "AWS::EC2::VPC", physicalId: VPC },
  { logicalId: "FunctionSecurityGroup", type: "AWS::EC2::SecurityGroup", physicalId: "sg-0f1" },
  { logicalId: "ExecutionRole", type: "AWS::IAM::Role", physicalId: "demo-client-ExecutionRole-1AB2" },
  { logicalId: "ClientFunction", type: "AWS::Lambda::Function", physicalId: FUNCTION },
];

// Stage 3 takes a few polls: long enough for region B's release to run beside it.
const routesDelete = {
  batches: [
    [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("ReturnRoute1", "AWS::EC2::Route", "DELETE_IN_PROGRESS")],
    [],
    [resourceEvent("ReturnRoute1", "AWS::EC2::Route", "DELETE_COMPLETE")],
    [stackEvent("DELETE_COMPLETE")],
  ],
};

const quickClientDelete = {
  batches: [
    [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_IN_PROGRESS")],
    [resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_COMPLETE"), resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_COMPLETE")],
    [stackEvent("DELETE_COMPLETE")],
  ],
};

// What CloudFormation does when Lambda still holds the interfaces: the function's delete waits on them.
const slowClientDelete = {
  batches: [
    [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_IN_PROGRESS")],
    [], [], [], [], [],
    [resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_COMPLETE")],
    [stackEvent("DELETE_COMPLETE")],
  ],
};

function deployed(h: ReturnType<typeof harness>, clientDelete: StackSetup["delete"] = quickClientDelete) {
  h.cfn
    .stack("demo-routes", { status: "CREATE_COMPLETE", delete: routesDelete })
    .stack("demo-client", { status: "CREATE_COMPLETE", resources: CLIENT_RESOURCES, delete: clientDelete })
    .stack("demo-api", { status: "CREATE_COMPLETE" });
  h.net.interfaces = [lambdaInterface(), lambdaInterface()];
}

const notes = (h: ReturnType<typeof harness>) => h.events.flatMap((e) => (e.kind === "info" ? [e.message] : []));
const deletedInterfaces = (h: ReturnType<typeof harness>) =>
  h.net.calls.filter((c) => c.command === "DeleteNetworkInterface").map((c) => c.input["NetworkInterfaceId"]);

describe("teardown releases the client function's network interfaces before deleting its stack", () => {
  it("detaches the function, waits for Successful and for the interfaces to turn available, deletes them, then the stack", async () => {
    const h = harness();
    deployed(h);
    const ours = h.net.interfaces.map((e) => e.id);
    const result = await teardownAll(h.ctx, TARGET);

    expect(result).toMatchObject({ kind: "done", stages: [{ outcome: "deleted" }, { outcome: "deleted" }, { outcome: "deleted" }] });
    const update = h.net.calls.find((c) => c.command === "UpdateFunctionConfiguration");
    expect(update).toEqual({
      command: "UpdateFunctionConfiguration",
      region: CLIENT_REGION,
      input: { FunctionName: FUNCTION, VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } },
    });
    // Polled through InProgress to Successful, then the interfaces through in-use to available.
    expect(h.net.count("GetFunctionConfiguration")).toBe(4);
    expect(h.net.count("DescribeNetworkInterfaces")).toBeGreaterThan(2);
    expect(h.net.calls.find((c) => c.command === "DescribeNetworkInterfaces")?.input["Filters"]).toEqual([
      { Name: "vpc-id", Values: [VPC] },
      { Name: "requester-managed", Values: ["true"] },
      { Name: "description", Values: [`AWS Lambda VPC ENI-${FUNCTION}-*`] },
    ]);
    expect(deletedInterfaces(h).sort()).toEqual([...ours].sort());
    expect(h.net.interfaces).toEqual([]);

    const seq = sequence(h.events);
    // Region B's release runs while region A deletes the routes; the client stack goes only afterwards.
    expect(seq.indexOf("function-detach")).toBeLessThan(seq.indexOf("stage-finished:3:deleted"));
    expect(seq.lastIndexOf("interfaces-release")).toBeLessThan(seq.indexOf("resource:demo-client:DELETE_IN_PROGRESS"));
    expect(seq.indexOf("stage-started:2:delete")).toBeGreaterThan(seq.indexOf("stage-finished:3:deleted"));
    expect(seq.indexOf("stage-started:1:delete")).toBeGreaterThan(seq.indexOf("stage-finished:2:deleted"));
    expect(h.events.filter((e) => e.kind === "function-detach").map((e) => e.kind === "function-detach" && e.phase)).toEqual(["started", "done"]);
    expect(h.events.filter((e) => e.kind === "interfaces-release").at(-1)).toMatchObject({ stage: 2, phase: "done", total: 2, deleted: 2 });
    expect(notes(h).join("\n")).not.toMatch(/20-40/);
  });

  it("falls back to the old wait, with its note and the reason, when the caller may not update the function", async () => {
    const h = harness();
    deployed(h, slowClientDelete);
    h.net.failNext(
      "UpdateFunctionConfiguration",
      lambdaError("AccessDeniedException", `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: lambda:UpdateFunctionConfiguration on resource: ${FUNCTION}`, 403),
    );
    const result = await teardownAll(h.ctx, TARGET);

    expect(result.kind).toBe("done");
    expect(h.events.find((e) => e.kind === "function-detach" && e.phase === "not-possible")).toMatchObject({
      reason: expect.stringContaining("AccessDeniedException"),
    });
    const note = notes(h).find((n) => /20-40/.test(n));
    expect(note).toMatch(/^Deleting demo-client can take many minutes \(often 20-40\).*could not be detached.*lambda:UpdateFunctionConfiguration/);
    // Nothing is promised "below": the plain lines and the live rows put the delete's progress in different places.
    expect(note).toMatch(/This is expected, not a hang\.$/);
    const seq = sequence(h.events);
    expect(seq.indexOf("info", seq.indexOf("stage-started:2:delete"))).toBe(seq.indexOf("stage-started:2:delete") + 1);
    expect(h.net.count("DeleteNetworkInterface")).toBe(0);
    expect(h.net.interfaces).toHaveLength(2);
  });

  it("waits a bounded time for an interface stuck in use, then deletes the stack anyway and says CloudFormation waits", async () => {
    const h = harness();
    deployed(h, slowClientDelete);
    h.net.interfaces = [lambdaInterface(), lambdaInterface(FUNCTION, VPC, { stuck: true })];
    const [free, stuck] = h.net.interfaces.map((e) => e.id);
    const result = await teardownAll(h.ctx, TARGET);

    expect(result.kind).toBe("done");
    expect(deletedInterfaces(h)).toEqual([free]);
    expect(h.net.interfaces.map((e) => e.id)).toEqual([stuck]);
    expect(h.events.filter((e) => e.kind === "interfaces-release").at(-1)).toMatchObject({ phase: "stuck", total: 2, deleted: 1 });
    expect(notes(h).find((n) => /20-40/.test(n))).toMatch(/1 of its 2 network interfaces stayed in use 3 minutes.*deleted anyway and CloudFormation waits/);
    // Bounded: the fake clock moved about three minutes, not forever.
    const polls = h.net.count("DescribeNetworkInterfaces");
    expect(polls).toBeGreaterThan(30);
    expect(polls).toBeLessThan(60);
    expect(h.cfn.count("DeleteStack")).toBe(3);
  });

  it("says why when the function is already gone: deletes what it left available, leaves the rest to Lambda", async () => {
    const h = harness();
    deployed(h, slowClientDelete);
    h.net.fn = undefined;
    h.net.interfaces = [lambdaInterface(), lambdaInterface(FUNCTION, VPC, { status: "available" })];
    const [held, orphan] = h.net.interfaces.map((e) => e.id);
    const result = await teardownAll(h.ctx, TARGET);

    expect(result.kind).toBe("done");
    expect(h.net.count("UpdateFunctionConfiguration")).toBe(0);
    expect(deletedInterfaces(h)).toEqual([orphan]);
    expect(h.net.interfaces.map((e) => e.id)).toEqual([held]);
    expect(notes(h).find((n) => /20-40/.test(n))).toMatch(/demo-client is already gone \(ResourceNotFoundException\), so 1 network interface it left in use/);
  });

  it("says nothing about a wait when the function is gone and left no interfaces", async () => {
    const h = harness();
    deployed(h);
    h.net.fn = undefined;
    h.net.interfaces = [];
    expect((await teardownAll(h.ctx, TARGET)).kind).toBe("done");
    expect(notes(h).join("\n")).not.toMatch(/20-40/);
    expect(h.events.some((e) => e.kind === "function-detach" || e.kind === "interfaces-release")).toBe(false);
  });

  it("never touches an interface that is not this function's in this VPC, even when EC2's filters let it through", async () => {
    const h = harness();
    deployed(h);
    const foreign = [
      lambdaInterface(`${FUNCTION}-2`, VPC), // another function whose name starts with ours
      lambdaInterface(FUNCTION, "vpc-0ther0000000000"), // our name, someone else's VPC
      { ...lambdaInterface(FUNCTION, VPC), function: undefined, requesterManaged: false }, // made by a person, described like ours
    ];
    h.net.interfaces.push(...foreign);
    // An answer that ignored the filters must not make the difference.
    h.net.ignoreFilters = true;
    const result = await teardownAll(h.ctx, TARGET);

    expect(result.kind).toBe("done");
    expect(h.net.interfaces.map((e) => e.id)).toEqual(foreign.map((e) => e.id));
    for (const eni of foreign) expect(deletedInterfaces(h)).not.toContain(eni.id);
  });

  it("cleans the interfaces and deletes once more when the delete fails on a subnet they hold (DependencyViolation)", async () => {
    const h = harness();
    deployed(h, [
      {
        batches: [
          [stackEvent("DELETE_IN_PROGRESS", "User Initiated")],
          [resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_COMPLETE")],
          [resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_FAILED",
            "The subnet 'subnet-0a1' has dependencies and cannot be deleted. (Service: Ec2, Status Code: 400, Request ID: 1f2e) (SDK Attempt Count: 1)")],
          [stackEvent("DELETE_FAILED", "The following resource(s) failed to delete: [Subnet1].")],
        ],
      },
      quickClientDelete,
    ]);
    // The plain delete of an earlier run took the function; Lambda left its interfaces available.
    h.net.fn = undefined;
    h.net.interfaces = [lambdaInterface(FUNCTION, VPC, { status: "available" })];
    // Our first pass finds nothing to do: the interface turns up only after the first delete failed.
    const late = h.net.interfaces;
    h.net.interfaces = [];
    h.cfn.after("DeleteStack", 2, () => (h.net.interfaces = late));
    const result = await teardownAll(h.ctx, TARGET);

    expect(result).toMatchObject({ kind: "done", stages: [{ stage: 3 }, { stage: 2, outcome: "deleted" }, { stage: 1 }] });
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([API_REGION, CLIENT_REGION, CLIENT_REGION, API_REGION]);
    expect(notes(h)).toContainEqual(expect.stringMatching(/demo-client could not delete Subnet1 \(The subnet .* has dependencies.*\); releasing the client function's network interfaces and deleting the stack once more/));
    expect(deletedInterfaces(h)).toEqual([late[0]!.id]);
  });

  it("retries only once: a second DELETE_FAILED is the stage's failure", async () => {
    const h = harness();
    const failing = {
      batches: [
        [stackEvent("DELETE_IN_PROGRESS", "User Initiated")],
        [resourceEvent("FunctionSecurityGroup", "AWS::EC2::SecurityGroup", "DELETE_FAILED", "resource sg-0f1 has a dependent object (Service: Ec2, Status Code: 400)")],
        [stackEvent("DELETE_FAILED", "The following resource(s) failed to delete: [FunctionSecurityGroup].")],
      ],
    };
    deployed(h, [failing, failing]);
    const result = await teardownAll(h.ctx, TARGET);
    expect(result).toMatchObject({ kind: "failed", stage: 2, status: "DELETE_FAILED", rootCause: { logicalId: "FunctionSecurityGroup" } });
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([API_REGION, CLIENT_REGION, CLIENT_REGION]);
  });

  it("treats EC2 refusing to list or delete interfaces as the fallback, not as a failed teardown", async () => {
    const h = harness();
    deployed(h, slowClientDelete);
    h.net.failNext("DescribeNetworkInterfaces", ec2Error("UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ec2:DescribeNetworkInterfaces"));
    const result = await teardownAll(h.ctx, TARGET);
    expect(result.kind).toBe("done");
    expect(h.events.find((e) => e.kind === "interfaces-release")).toMatchObject({ phase: "not-possible", reason: expect.stringContaining("ec2:DescribeNetworkInterfaces") });
    expect(notes(h).find((n) => /20-40/.test(n))).toMatch(/could not be deleted \(UnauthorizedOperation/);
  });

  it("on Ctrl-C during the release stops before deleting the client stack and says it is still there", async () => {
    const h = harness();
    deployed(h);
    h.net.availableAfterMs = 60_000;
    h.cfn.after("DescribeStackEvents", 3, () => h.controller.abort());
    const result = await teardownAll(h.ctx, TARGET);
    expect(result.kind).toBe("cancelled");
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([API_REGION]);
  });
});

describe("a stage-2 delete during deploy releases the interfaces first too", () => {
  const PARAMS_2 = { DeploymentName: "demo", ApiVpcId: "vpc-0a1" };
  const template = () => readFileSync(join(FIXTURES, "2-client.yaml"), "utf8");
  const createClient = {
    batches: [
      [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), resourceEvent("ClientFunction", "AWS::Lambda::Function", "CREATE_IN_PROGRESS")],
      [], [], [],
      [stackEvent("CREATE_COMPLETE")],
    ],
  };

  it("Ctrl-C during the create detaches the function and deletes its interfaces before deleting the stack", async () => {
    const h = harness();
    h.cfn.stack("demo-client", { resources: CLIENT_RESOURCES, execute: createClient, delete: quickClientDelete });
    h.net.interfaces = [lambdaInterface(), lambdaInterface()];
    h.cfn.after("DescribeStackEvents", 2, () => h.controller.abort());
    const result = await runStage(h.ctx, STAGE_2, PARAMS_2, template());

    expect(result).toMatchObject({ kind: "cancelled", status: "DELETE_COMPLETE" });
    expect(h.net.count("UpdateFunctionConfiguration")).toBe(1);
    expect(h.net.interfaces).toEqual([]);
    const seq = sequence(h.events);
    expect(seq.lastIndexOf("interfaces-release")).toBeLessThan(seq.indexOf("resource:demo-client:DELETE_IN_PROGRESS"));
    expect(String(h.cfn.calls.find((c) => c.command === "DeleteStack")?.input["ClientRequestToken"])).toMatch(/^xregion-cancel-/);
  });

  it("replacing a ROLLBACK_COMPLETE client stack first deletes the interfaces its function left available", async () => {
    const h = harness();
    h.cfn.stack("demo-client", { status: "ROLLBACK_COMPLETE", resources: CLIENT_RESOURCES, delete: quickClientDelete, execute: createClient });
    h.net.fn = undefined;
    h.net.interfaces = [lambdaInterface(FUNCTION, VPC, { status: "available" })];
    const result = await runStage(h.ctx, STAGE_2, PARAMS_2, template());

    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    expect(h.net.interfaces).toEqual([]);
    const seq = sequence(h.events);
    expect(seq.indexOf("interfaces-release")).toBeLessThan(seq.indexOf("resource:demo-client:DELETE_IN_PROGRESS"));
    expect(h.cfn.calls.map((c) => c.command).indexOf("DeleteStack")).toBeLessThan(h.cfn.calls.map((c) => c.command).indexOf("CreateChangeSet"));
  });
});
