// Teardown's release of the client function's network interfaces (DESIGN §11) on scripted Lambda, EC2
// and CloudFormation timelines shaped as real accounts show them: detach, wait for Successful, wait the
// ~4 minutes Lambda takes to let the interfaces go, delete them, then the stack; a CloudFormation that does
// not wait for a detached function's interfaces and fails the subnet and group delete when one is left.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStage } from "../../../src/steps/deploy/deploy-stage.js";
import { teardownLanes } from "../../../src/steps/teardown/teardown.js";
import { type EventSpec, resourceEvent, stackEvent, type StackSetup } from "../../helpers/cfn-timeline.js";
import { ec2Error } from "../../helpers/aws-fixtures.js";
import { CLIENT_RESOURCES, FUNCTION, GROUP, lambdaError, lambdaInterface, LETS_GO_AFTER_MS, SUBNETS, VPC } from "../../helpers/function-network-timeline.js";
import { API_REGION, CLIENT_REGION, FIXTURES, harness, sequence, STAGE_2, teardown } from "../../helpers/engine-harness.js";

const MINUTE = 60_000;

type Harness = ReturnType<typeof harness>;

// Stage 3 takes a few polls: long enough for region B's release to start beside it.
const routesDelete = {
  batches: [
    [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("ReturnRoute1", "AWS::EC2::Route", "DELETE_IN_PROGRESS")],
    [],
    [resourceEvent("ReturnRoute1", "AWS::EC2::Route", "DELETE_COMPLETE")],
    [stackEvent("DELETE_COMPLETE")],
  ],
};

// What CloudFormation records when it reaches the subnets and the security group, decided when the poll
// reveals it: deleted when no interface is left in them, DependencyViolation and DELETE_FAILED otherwise
// (the real texts: aws/aws-cdk#31521, #14456). It does not wait for a detached function's interfaces.
function holders(h: Harness): EventSpec[] {
  const held = () => h.net.interfaces.some((eni) => eni.vpcId === VPC && eni.groupId === GROUP);
  const batch: EventSpec[] = [];
  return Object.assign(batch, {
    forEach: (each: (spec: EventSpec, i: number, all: EventSpec[]) => void) => {
      const specs = held()
        ? [
            resourceEvent("FunctionSecurityGroup", "AWS::EC2::SecurityGroup", "DELETE_FAILED",
              `resource ${GROUP} has a dependent object (Service: Ec2, Status Code: 400, Request ID: 62184a39-ecfc-4eb7-8ba2-6c96f113b959)`),
            resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_FAILED",
              `The subnet '${SUBNETS[0]}' has dependencies and cannot be deleted. (Service: Ec2, Status Code: 400, Request ID: 517031bf-dbb6-4f54-8149-7e431bc3f7cc)`),
            stackEvent("DELETE_FAILED", "The following resource(s) failed to delete: [FunctionSecurityGroup, Subnet1]. "),
          ]
        : [
            resourceEvent("FunctionSecurityGroup", "AWS::EC2::SecurityGroup", "DELETE_COMPLETE"),
            resourceEvent("Subnet1", "AWS::EC2::Subnet", "DELETE_COMPLETE"),
            resourceEvent("Subnet2", "AWS::EC2::Subnet", "DELETE_COMPLETE"),
            stackEvent("DELETE_COMPLETE"),
          ];
      specs.forEach((spec, i) => each(spec, i, specs));
    },
  });
}

// The client stack's delete: the function goes, `quiet` polls pass, then the subnets and the group.
function clientDelete(h: Harness, quiet = 0): { batches: (readonly EventSpec[])[] } {
  return {
    batches: [
      [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_IN_PROGRESS")],
      [resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_COMPLETE")],
      ...Array.from({ length: quiet }, () => []),
      holders(h),
    ],
  };
}

// What CloudFormation does for a function deleted while still in its VPC: the function's delete waits
// for Lambda to delete its interfaces ("waits for Lambda to delete them before proceeding").
const waitingClientDelete = {
  batches: [
    [stackEvent("DELETE_IN_PROGRESS", "User Initiated"), resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_IN_PROGRESS")],
    [], [], [], [], [],
    [resourceEvent("ClientFunction", "AWS::Lambda::Function", "DELETE_COMPLETE")],
    [stackEvent("DELETE_COMPLETE")],
  ],
};

function deployed(h: Harness, clientDeletes?: StackSetup["delete"]) {
  h.cfn
    .stack("demo-routes", { status: "CREATE_COMPLETE", delete: routesDelete })
    .stack("demo-client", { status: "CREATE_COMPLETE", resources: CLIENT_RESOURCES, delete: clientDeletes ?? clientDelete(h) })
    .stack("demo-api", { status: "CREATE_COMPLETE" });
  h.net.interfaces = [lambdaInterface(), lambdaInterface()];
}

const notes = (h: Harness) => h.events.flatMap((e) => (e.kind === "info" ? [e.message] : []));
const deletedInterfaces = (h: Harness) => h.net.calls.filter((c) => c.command === "DeleteNetworkInterface").map((c) => c.input["NetworkInterfaceId"]);
const releaseRows = (h: Harness) => h.events.flatMap((e) => (e.kind === "interfaces-release" ? [`${e.phase} ${e.deleted}/${e.total}`] : []));
const clientDeletes = (h: Harness) => h.cfn.calls.filter((c) => c.command === "DeleteStack" && c.region === CLIENT_REGION).length;
const deleteStackAt = (h: Harness) => h.cfn.calls.findIndex((c) => c.command === "DeleteStack" && c.region === CLIENT_REGION);

describe("teardown releases the client function's network interfaces before deleting its stack", () => {
  it("detaches the function, waits the minutes Lambda takes to let its interfaces go, deletes them, then the stack", async () => {
    const h = harness();
    deployed(h);
    const ours = h.net.interfaces.map((e) => e.id);
    const startedAt = h.clock.now();
    const result = await teardown(h);

    expect(result).toMatchObject({ kind: "done", stages: [{ outcome: "deleted" }, { outcome: "deleted" }, { outcome: "deleted" }] });
    expect(h.net.calls.find((c) => c.command === "UpdateFunctionConfiguration")).toMatchObject({
      region: CLIENT_REGION,
      input: { FunctionName: FUNCTION, VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } },
    });
    // Found by what the stack owns: its VPC and the function's own group, Lambda's wording and types.
    expect(h.net.calls.find((c) => c.command === "DescribeNetworkInterfaces")?.input["Filters"]).toEqual([
      { Name: "vpc-id", Values: [VPC] },
      { Name: "group-id", Values: [GROUP] },
      { Name: "description", Values: ["AWS Lambda VPC ENI*"] },
      { Name: "interface-type", Values: ["lambda", "interface"] },
    ]);
    expect(deletedInterfaces(h).sort()).toEqual([...ours].sort());
    expect(h.net.interfaces).toEqual([]);
    // The deletes came once Lambda let go, about 4 minutes in, and before the stack delete.
    const firstDelete = h.net.calls.find((c) => c.command === "DeleteNetworkInterface")!;
    expect(firstDelete.at - startedAt).toBeGreaterThanOrEqual(LETS_GO_AFTER_MS);
    expect(firstDelete.at - startedAt).toBeLessThan(LETS_GO_AFTER_MS + MINUTE);
    expect(clientDeletes(h)).toBe(1);

    const seq = sequence(h.events);
    expect(seq.indexOf("function-detach")).toBeLessThan(seq.indexOf("stage-finished:3:deleted"));
    expect(seq.lastIndexOf("interfaces-release")).toBeLessThan(seq.indexOf("resource:demo-client:DELETE_IN_PROGRESS"));
    expect(seq.indexOf("stage-started:1:delete")).toBeGreaterThan(seq.indexOf("stage-finished:2:deleted"));
    expect(h.events.filter((e) => e.kind === "function-detach").map((e) => e.kind === "function-detach" && e.phase)).toEqual(["started", "done"]);
    // The wait is shown: said once, and the row refreshed every minute until the interfaces are gone.
    expect(notes(h)).toContainEqual(expect.stringMatching(/about 4 minutes after it leaves the VPC .*waiting for 2 interfaces \(at most 10 minutes\)/));
    expect(releaseRows(h)).toEqual(["started 0/2", "progress 0/2", "progress 0/2", "progress 0/2", "done 2/2"]);
    expect(notes(h).join("\n")).not.toMatch(/20-40|CloudFormation waits/);
  });

  it("does not take an empty answer just after the detach for \"nothing to release\" (go-to-k/cdkd#43)", async () => {
    const h = harness();
    deployed(h);
    const ours = h.net.interfaces.map((e) => e.id);
    h.net.earlyEmptyReads = 3;
    const result = await teardown(h);

    expect(result.kind).toBe("done");
    // The ones it knew of were asked about directly while the list came back empty, and deleted once free.
    expect(new Set(deletedInterfaces(h))).toEqual(new Set(ours));
    expect(h.net.interfaces).toEqual([]);
    expect(h.events.filter((e) => e.kind === "interfaces-release").at(-1)).toMatchObject({ phase: "done", total: 2, deleted: 2 });
    expect(clientDeletes(h)).toBe(1);
  });

  it("with none seen before the detach, believes an empty list only once it has had 10 s to settle", async () => {
    const h = harness();
    deployed(h);
    // The first look missed them; right after the detach the list is still empty for a few reads.
    const missed = h.net.interfaces;
    h.net.interfaces = [];
    h.net.after("UpdateFunctionConfiguration", 1, () => (h.net.interfaces = missed));
    h.net.earlyEmptyReads = 3;
    expect((await teardown(h)).kind).toBe("done");

    expect(h.net.interfaces).toEqual([]);
    expect(releaseRows(h).at(-1)).toBe("done 2/2");
  });

  it("reads every page of interfaces", async () => {
    const h = harness();
    deployed(h);
    h.net.interfaces.push(lambdaInterface());
    h.net.pageSize = 1;
    expect((await teardown(h)).kind).toBe("done");
    expect(h.net.interfaces).toEqual([]);
    expect(h.net.calls.some((c) => c.command === "DescribeNetworkInterfaces" && c.input["NextToken"] === "2")).toBe(true);
  });

  it("against a Lambda slower than its own limit: gives up waiting, says CloudFormation will not wait, deletes the stack and sweeps the interfaces while it runs", async () => {
    const h = harness();
    // The stack delete reaches the subnets and group about 3 minutes after it starts.
    deployed(h, clientDelete(h, 40));
    h.net.availableAfterMs = 12 * MINUTE;
    let leftWhenDeleteStarted = -1;
    h.cfn.after("DeleteStack", 2, () => (leftWhenDeleteStarted = h.net.interfaces.length));
    const result = await teardown(h);

    expect(result.kind).toBe("done");
    expect(releaseRows(h).at(-1)).toBe("stuck 0/2");
    const note = notes(h).find((n) => /does not wait/.test(n));
    expect(note).toMatch(/^2 of the function's 2 network interfaces stayed in use 10 minutes after it left the VPC\. CloudFormation does not wait for the interfaces of a function that has left its VPC: demo-client is deleted now/);
    expect(notes(h).join("\n")).not.toMatch(/20-40|CloudFormation waits/);
    expect(leftWhenDeleteStarted).toBe(2);
    expect(h.net.interfaces).toEqual([]);
    expect(notes(h)).toContainEqual("Deleted 2 network interfaces Lambda let go of while demo-client was being deleted.");
    // Swept in time: the one delete succeeded, no retry.
    expect(clientDeletes(h)).toBe(1);
  });

  it("stops the run with the credentials error when they expire during the sweep, after following the delete", async () => {
    const h = harness({ profile: "prod-sso" });
    deployed(h, clientDelete(h, 40));
    h.net.availableAfterMs = 12 * MINUTE;
    h.cfn.after("DeleteStack", 2, () => h.net.failNext("DescribeNetworkInterfaces", ec2Error("ExpiredToken", "The security token included in the request is expired")));
    const error = await teardown(h).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "CredentialsError", fix: expect.stringContaining("aws sso login --profile prod-sso") });
    expect(h.cfn.status("demo-client")).toBe("DELETE_FAILED");
  });

  it("when the delete still meets them (DependencyViolation, DELETE_FAILED) waits for them, deletes them and deletes the stack once more", async () => {
    const h = harness();
    // The subnets are reached before Lambda lets go (11 minutes after the detach, past the 10-minute wait).
    deployed(h, [clientDelete(h), clientDelete(h)]);
    h.net.availableAfterMs = 11 * MINUTE;
    const result = await teardown(h);

    expect(result).toMatchObject({ kind: "done", stages: [{ stage: 3 }, { stage: 2, outcome: "deleted" }, { stage: 1 }] });
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([API_REGION, CLIENT_REGION, CLIENT_REGION, API_REGION]);
    expect(notes(h)).toContainEqual(expect.stringMatching(
      /^demo-client could not delete FunctionSecurityGroup \(resource sg-0f1 has a dependent object .*\); waiting for the client function's network interfaces, deleting them and deleting the stack once more\.$/));
    expect(h.net.interfaces).toEqual([]);
    // They were deleted between the two stack deletes.
    const secondDelete = h.cfn.calls.filter((c) => c.command === "DeleteStack" && c.region === CLIENT_REGION).length;
    expect(secondDelete).toBe(2);
    expect(h.events.some((e) => e.kind === "resource" && e.status === "DELETE_FAILED")).toBe(true);
  });

  it("retries only once: a second DELETE_FAILED is the stage's failure, with each interface left and how to finish", async () => {
    const h = harness();
    deployed(h, [clientDelete(h), clientDelete(h)]);
    // Shared with another function, or stuck: Lambda never lets this one go.
    h.net.interfaces = [lambdaInterface({ stuck: true })];
    const [stuck] = h.net.interfaces;
    const result = await teardown(h);

    expect(result).toMatchObject({ kind: "failed", stage: 2, status: "DELETE_FAILED", rootCause: { logicalId: "FunctionSecurityGroup" } });
    expect(clientDeletes(h)).toBe(2);
    expect(result.kind === "failed" && result.message.split("\n")).toEqual([
      expect.stringMatching(/^demo-client could not be deleted \(DELETE_FAILED\)\. Cause: FunctionSecurityGroup .* has a dependent object.* demo-client left 1 network interface in vpc-0c11e47a5b1d2e3f4 \(demo-client, us-east-1\):$/),
      `  ${stuck!.id} in-use: Lambda still holds it; once it is available, teardown deletes it and demo-client`,
      "Once they are gone, run teardown again: CloudFormation deletes what is left of the stack.",
    ]);
  });

  it("falls back to CloudFormation's own wait, with its note and the reason, when the caller may not update the function", async () => {
    const h = harness();
    deployed(h, waitingClientDelete);
    h.net.failNext(
      "UpdateFunctionConfiguration",
      lambdaError("AccessDeniedException", `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: lambda:UpdateFunctionConfiguration on resource: ${FUNCTION}`, 403),
    );
    const result = await teardown(h);

    expect(result.kind).toBe("done");
    expect(h.events.find((e) => e.kind === "function-detach" && e.phase === "not-possible")).toMatchObject({ reason: expect.stringContaining("AccessDeniedException") });
    const note = notes(h).find((n) => /20-40/.test(n));
    expect(note).toMatch(/^Deleting demo-client can take many minutes \(often 20-40\).*could not be detached.*lambda:UpdateFunctionConfiguration/);
    expect(note).toMatch(/This is expected, not a hang\.$/);
    const seq = sequence(h.events);
    expect(seq.indexOf("info", seq.indexOf("stage-started:2:delete"))).toBe(seq.indexOf("stage-started:2:delete") + 1);
    expect(h.net.count("DeleteNetworkInterface")).toBe(0);
    expect(h.net.interfaces).toHaveLength(2);
  });

  it("leaves the function in its VPC, so that CloudFormation waits, when EC2 may not list the interfaces", async () => {
    const h = harness();
    deployed(h, waitingClientDelete);
    h.net.failNext("DescribeNetworkInterfaces", ec2Error("UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ec2:DescribeNetworkInterfaces", 403));
    const result = await teardown(h);

    expect(result.kind).toBe("done");
    expect(h.net.count("UpdateFunctionConfiguration")).toBe(0);
    expect(h.events.find((e) => e.kind === "interfaces-release")).toMatchObject({ phase: "not-possible", reason: expect.stringContaining("ec2:DescribeNetworkInterfaces") });
    expect(notes(h).find((n) => /20-40/.test(n))).toMatch(/could not be listed \(UnauthorizedOperation.*\), so it stays in its VPC/);
  });

  it("when the function is already gone, waits for what it left to turn available and deletes it", async () => {
    const h = harness();
    deployed(h);
    h.net.deleteFunction();
    const result = await teardown(h);

    expect(result.kind).toBe("done");
    expect(h.net.count("UpdateFunctionConfiguration")).toBe(0);
    expect(h.net.interfaces).toEqual([]);
    expect(releaseRows(h).at(-1)).toBe("done 2/2");
    expect(clientDeletes(h)).toBe(1);
    expect(notes(h).join("\n")).not.toMatch(/20-40/);
  });

  it("says nothing about a wait when the function is gone and left no interfaces", async () => {
    const h = harness();
    deployed(h);
    h.net.deleteFunction();
    h.net.interfaces = [];
    expect((await teardown(h)).kind).toBe("done");
    expect(notes(h)).toEqual([]);
    expect(h.events.some((e) => e.kind === "function-detach" || e.kind === "interfaces-release")).toBe(false);
  });

  it("never deletes an interface the stack does not own, even a deletable one that EC2's filters let through", async () => {
    const h = harness();
    // Two of them are in our group: on AWS they would fail the delete too, which is not what this is about.
    deployed(h, waitingClientDelete);
    // Each is available (deletable) and fails exactly one of the matcher's guards.
    const foreign = [
      // Another function's, in our VPC with its own group: Lambda's wording and type.
      lambdaInterface({ function: "other-fn", groupId: "sg-0other", status: "available", interfaceType: "interface" }),
      // A person's, described like ours, in another group of our VPC.
      lambdaInterface({ function: undefined, description: `AWS Lambda VPC ENI-${FUNCTION}`, groupId: "sg-0person", status: "available", interfaceType: "interface" }),
      // In another VPC (a group id can only be in one VPC; the answer is wrong on purpose).
      lambdaInterface({ function: undefined, vpcId: "vpc-0ther0000000000", status: "available", interfaceType: "interface" }),
      // In our group and VPC but not Lambda's: a person's debugging interface.
      lambdaInterface({ function: undefined, description: "debugging ENI", status: "available", interfaceType: "interface" }),
      // Lambda's wording on an interface of another type.
      lambdaInterface({ function: undefined, status: "available", interfaceType: "efa" }),
    ];
    h.net.interfaces.push(...foreign);
    h.net.ignoreFilters = true;
    const result = await teardown(h);

    expect(result.kind).toBe("done");
    expect(h.net.interfaces.map((e) => e.id)).toEqual(foreign.map((e) => e.id));
    for (const eni of foreign) expect(deletedInterfaces(h)).not.toContain(eni.id);
  });

  it("treats EC2 refusing to delete the interfaces after the detach as interfaces left, which the stack delete meets", async () => {
    const h = harness();
    deployed(h, [clientDelete(h), clientDelete(h)]);
    h.net.availableAfterMs = 0;
    h.net.failNext("DeleteNetworkInterface", ec2Error("UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ec2:DeleteNetworkInterface", 403));
    const result = await teardown(h);

    expect(h.events.find((e) => e.kind === "interfaces-release" && e.phase === "not-possible")).toMatchObject({ reason: expect.stringContaining("ec2:DeleteNetworkInterface") });
    expect(notes(h)).toContainEqual(expect.stringMatching(/^Its network interfaces could not be deleted \(UnauthorizedOperation.*\)\. CloudFormation does not wait/));
    expect(result.kind).toBe("done");
  });

  it("on Ctrl-C during the release stops before deleting the client stack and says it is still there", async () => {
    const h = harness();
    deployed(h);
    h.cfn.after("DescribeStackEvents", 3, () => h.controller.abort());
    const result = await teardown(h);
    expect(result.kind).toBe("cancelled");
    expect(h.cfn.calls.filter((c) => c.command === "DeleteStack").map((c) => c.region)).toEqual([API_REGION]);
    expect(deleteStackAt(h)).toBe(-1);
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
    h.cfn.stack("demo-client", { resources: CLIENT_RESOURCES, execute: createClient, delete: clientDelete(h) });
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
    h.cfn.stack("demo-client", { status: "ROLLBACK_COMPLETE", resources: CLIENT_RESOURCES, delete: clientDelete(h), execute: createClient });
    h.net.fn = undefined;
    h.net.interfaces = [lambdaInterface({ status: "available", interfaceType: "interface" })];
    const result = await runStage(h.ctx, STAGE_2, PARAMS_2, template());

    expect(result).toMatchObject({ kind: "deployed", outcome: "created" });
    expect(h.net.interfaces).toEqual([]);
    const seq = sequence(h.events);
    expect(seq.indexOf("interfaces-release")).toBeLessThan(seq.indexOf("resource:demo-client:DELETE_IN_PROGRESS"));
    expect(h.cfn.calls.map((c) => c.command).indexOf("DeleteStack")).toBeLessThan(h.cfn.calls.map((c) => c.command).indexOf("CreateChangeSet"));
  });
});

describe("disconnect releases the probe's network interfaces as teardown releases the client function's", () => {
  const CONNECTION = [
    { stage: 2 as const, key: "connect-api" as const, stackName: `demo-connect-api-${CLIENT_REGION}`, region: API_REGION },
    { stage: 1 as const, key: "connect-client" as const, stackName: "demo-connect-client", region: CLIENT_REGION },
  ];
  // connect-client.yaml holds no VPC of its own: the probe runs in the user's, which ClientVpcId names.
  const PROBE_RESOURCES = [
    { logicalId: "ClientRoute1", type: "AWS::EC2::Route", physicalId: "rtb-0user|10.50.8.0/24" },
    { logicalId: "ProbeSecurityGroup", type: "AWS::EC2::SecurityGroup", physicalId: GROUP },
    { logicalId: "ProbeRole", type: "AWS::IAM::Role", physicalId: "demo-connect-client-ProbeRole-1AB2" },
    { logicalId: "ProbeFunction", type: "AWS::Lambda::Function", physicalId: FUNCTION },
  ];

  it("finds the VPC from the stack's ClientVpcId, detaches the probe, deletes its interfaces, then the stack; the API side goes first", async () => {
    const h = harness();
    h.cfn
      .stack(`demo-connect-api-${CLIENT_REGION}`, { status: "CREATE_COMPLETE", delete: routesDelete })
      .stack("demo-connect-client", { status: "CREATE_COMPLETE", resources: PROBE_RESOURCES, parameters: { ClientVpcId: VPC, ProbeSubnetIds: SUBNETS.join(",") }, delete: clientDelete(h) });
    h.net.interfaces = [lambdaInterface(), lambdaInterface()];
    const ours = h.net.interfaces.map((e) => e.id);
    const result = await teardownLanes(h.ctx, [CONNECTION], { maxParallel: 1, command: "disconnect" });

    expect(result).toMatchObject({ kind: "done", stages: [{ key: "connect-api", outcome: "deleted" }, { key: "connect-client", outcome: "deleted" }] });
    expect(h.net.calls.find((c) => c.command === "DescribeNetworkInterfaces")?.input["Filters"]).toContainEqual({ Name: "vpc-id", Values: [VPC] });
    expect(deletedInterfaces(h).sort()).toEqual([...ours].sort());
    const seq = sequence(h.events);
    expect(seq.indexOf("stage-finished:2:deleted")).toBeLessThan(seq.indexOf("stage-started:1:delete"));
    expect(seq.lastIndexOf("interfaces-release")).toBeLessThan(seq.indexOf("resource:demo-connect-client:DELETE_IN_PROGRESS"));
  });
});
