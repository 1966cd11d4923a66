// Realistic event scripts, shaped as the engine emits them: the stack's own events carry its status, a
// resource's first event has no physical id (so rows key on logicalId), a rollback follows a failure.
import type { FunctionStatus } from "../../src/aws/function.js";
import type { ProgressEvent, StageRef } from "../../src/steps/events.js";
import type { ClientAnswer, VerifyReport, VerifySample } from "../../src/steps/verify/client-answer.js";
import { clientAnswer } from "./payloads.js";

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
export const at = (seconds: number) => T0 + seconds * 1000;

export const api: StageRef = { stage: 1, key: "api", stackName: "demo-api", region: "us-east-1" };
export const client: StageRef = { stage: 2, key: "client", stackName: "demo-client", region: "eu-west-1" };
export const routes: StageRef = { stage: 3, key: "routes", stackName: "demo-routes", region: "us-east-1" };

let ids = 0;

export function resource(
  ref: StageRef,
  logicalId: string,
  status: string,
  seconds: number,
  extra: { description?: string; reason?: string; resourceType?: string } = {},
): ProgressEvent {
  ids += 1;
  return {
    kind: "resource",
    ...ref,
    logicalId,
    resourceType: extra.resourceType ?? (logicalId === ref.stackName ? "AWS::CloudFormation::Stack" : "AWS::EC2::VPC"),
    status,
    reason: extra.reason,
    description: extra.description,
    eventId: `event-${ids}`,
    at: at(seconds),
  };
}

export const stackEvent = (ref: StageRef, status: string, seconds: number) => resource(ref, ref.stackName, status, seconds);

export const PEERING_REASON = "VpcPeeringConnection failed: the CIDR 10.0.0.0/16 overlaps the peer's 10.0.0.0/16 (Service: Ec2, Status Code: 400)";

export const deployStage1: ProgressEvent[] = [
  { kind: "run-started", operation: "deploy", name: "demo", at: at(0) },
  { kind: "identity", account: "123456789012", arn: "arn:aws:sts::123456789012:assumed-role/Admin/dev", at: at(0) },
  { kind: "stage-started", action: "create", at: at(1), ...api },
  stackEvent(api, "CREATE_IN_PROGRESS", 2),
  resource(api, "Vpc", "CREATE_IN_PROGRESS", 4, { description: "VPC for the private API in us-east-1" }),
  resource(api, "Vpc", "CREATE_IN_PROGRESS", 5, { description: "VPC for the private API in us-east-1" }),
  resource(api, "ApiRole", "CREATE_IN_PROGRESS", 5, { resourceType: "AWS::IAM::Role" }),
  resource(api, "Vpc", "CREATE_COMPLETE", 16, { description: "VPC for the private API in us-east-1" }),
  resource(api, "Endpoint", "CREATE_IN_PROGRESS", 17, { description: "execute-api interface endpoint", resourceType: "AWS::EC2::VPCEndpoint" }),
];

export const finishStage1: ProgressEvent[] = [
  resource(api, "Endpoint", "CREATE_COMPLETE", 120, { description: "execute-api interface endpoint", resourceType: "AWS::EC2::VPCEndpoint" }),
  stackEvent(api, "CREATE_COMPLETE", 130),
  { kind: "stage-finished", outcome: "created", outputs: { ApiId: "a1b2c3d4e5" }, at: at(131), ...api },
];

export const failStage2: ProgressEvent[] = [
  { kind: "stage-started", action: "create", at: at(132), ...client },
  stackEvent(client, "CREATE_IN_PROGRESS", 133),
  resource(client, "Peering", "CREATE_IN_PROGRESS", 135, { description: "Peering to the API's VPC", resourceType: "AWS::EC2::VPCPeeringConnection" }),
  resource(client, "Peering", "CREATE_FAILED", 150, {
    description: "Peering to the API's VPC",
    resourceType: "AWS::EC2::VPCPeeringConnection",
    reason: PEERING_REASON,
  }),
  resource(client, "Function", "CREATE_FAILED", 151, {
    description: "Client function in eu-west-1",
    resourceType: "AWS::Lambda::Function",
    reason: "Resource creation cancelled",
  }),
  stackEvent(client, "ROLLBACK_IN_PROGRESS", 152),
  resource(client, "Peering", "DELETE_COMPLETE", 170, { description: "Peering to the API's VPC", resourceType: "AWS::EC2::VPCPeeringConnection" }),
  stackEvent(client, "ROLLBACK_COMPLETE", 189),
  {
    kind: "stage-failed",
    ...client,
    status: "ROLLBACK_COMPLETE",
    rootCause: { logicalId: "Peering", resourceType: "AWS::EC2::VPCPeeringConnection", reason: PEERING_REASON },
    message: "demo-client could not be created and was rolled back (ROLLBACK_COMPLETE). The next run will delete it and create it again.",
    at: at(190),
  },
  {
    kind: "result",
    operation: "deploy",
    ok: false,
    summary: "deploy failed at stage 2",
    next: ["npx xregion-private-api deploy --name demo", "npx xregion-private-api teardown --name demo"],
    at: at(190),
  },
];

export const teardown: ProgressEvent[] = [
  { kind: "run-started", operation: "teardown", name: "demo", at: at(0) },
  { kind: "stage-finished", outcome: "absent", outputs: {}, at: at(1), ...routes },
  { kind: "stage-started", action: "delete", at: at(2), ...client },
  { kind: "info", stage: 2, message: "Deleting demo-client can take many minutes (often 20-40) while Lambda releases the function's network interfaces.", at: at(2) },
  stackEvent(client, "DELETE_IN_PROGRESS", 3),
  resource(client, "Function", "DELETE_COMPLETE", 30, { description: "Client function in eu-west-1", resourceType: "AWS::Lambda::Function" }),
  resource(client, "Subnet1", "DELETE_IN_PROGRESS", 31, { description: "Client subnet 1", resourceType: "AWS::EC2::Subnet" }),
];

export const finishTeardown: ProgressEvent[] = [
  resource(client, "Subnet1", "DELETE_COMPLETE", 1500, { description: "Client subnet 1", resourceType: "AWS::EC2::Subnet" }),
  stackEvent(client, "DELETE_COMPLETE", 1510),
  { kind: "stage-finished", outcome: "deleted", outputs: {}, at: at(1511), ...client },
  { kind: "stage-started", action: "delete", at: at(1512), ...api },
  stackEvent(api, "DELETE_COMPLETE", 1600),
  { kind: "stage-finished", outcome: "deleted", outputs: {}, at: at(1601), ...api },
  { kind: "result", operation: "teardown", ok: true, summary: "Deleted 2 stacks; 1 was not there.", next: [], at: at(1601) },
];

function answer(totalMs: number, overrides: Partial<ClientAnswer> = {}): ClientAnswer {
  return clientAnswer({
    body: '{"message":"hello from the private API","region":"us-east-1"}',
    timings: { dnsMs: 2, connectMs: 70, tlsMs: 75, firstByteMs: totalMs - 5, totalMs },
    resolvedAddresses: ["10.0.1.23"],
    ...overrides,
  });
}

export const samples: VerifySample[] = [
  { index: 1, roundTripMs: 1450, kind: "answer", answer: answer(310) },
  { index: 2, roundTripMs: 190, kind: "answer", answer: answer(150) },
  { index: 3, roundTripMs: 210, kind: "answer", answer: answer(160) },
  { index: 4, roundTripMs: 185, kind: "answer", answer: answer(148) },
  { index: 5, roundTripMs: 260, kind: "answer", answer: answer(170) },
];

export const passingReport: VerifyReport = {
  ok: true,
  samples,
  cold: { insideMs: 310, roundTripMs: 1450 },
  warm: {
    inside: { count: 4, min: 148, p50: 155, p95: 170, max: 170 },
    roundTrip: { count: 4, min: 185, p50: 200, p95: 260, max: 260 },
  },
  failure: undefined,
};

const dnsFailure = answer(5003, {
  ok: false,
  status: null,
  body: null,
  resolvedAddresses: [],
  error: { layer: "dns", message: "getaddrinfo ENOTFOUND a1b2c3d4e5.execute-api.us-east-1.amazonaws.com" },
});

export const failingReport: VerifyReport = {
  ok: false,
  samples: [{ index: 1, roundTripMs: 5400, kind: "answer", answer: dnsFailure }],
  cold: { insideMs: 5003, roundTripMs: 5400 },
  warm: { inside: undefined, roundTrip: undefined },
  failure: {
    layer: "dns",
    message: "getaddrinfo ENOTFOUND a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
    advice: "Check that the private hosted zone in eu-west-1 is associated with the client VPC.",
  },
};

export const verifyPass: ProgressEvent[] = [
  ...samples.map((sample, i): ProgressEvent => ({ kind: "verify-sample", sample, region: "eu-west-1", at: at(200 + i) })),
  { kind: "verify-result", report: passingReport, region: "eu-west-1", at: at(210) },
  {
    kind: "result",
    operation: "deploy",
    ok: true,
    summary: "The client in eu-west-1 reaches the private API in us-east-1.",
    next: ["npx xregion-private-api verify --name demo", "npx xregion-private-api teardown --name demo"],
    at: at(210),
  },
];

// The client function as Lambda reports it while verify waits for it (GetFunctionConfiguration's fields).
export const pendingFunction: FunctionStatus = {
  functionName: "demo-client",
  region: "eu-west-1",
  state: "Pending",
  stateReason: "The function is being created.",
  stateReasonCode: "Creating",
  lastUpdateStatus: undefined,
  lastUpdateStatusReason: undefined,
  lastUpdateStatusReasonCode: undefined,
};
export const activeFunction: FunctionStatus = {
  ...pendingFunction,
  state: "Active",
  stateReason: undefined,
  stateReasonCode: undefined,
  lastUpdateStatus: "Successful",
};
export const failedFunction: FunctionStatus = {
  ...pendingFunction,
  state: "Failed",
  stateReasonCode: "SubnetOutOfIPAddresses",
  stateReason: "Lambda was unable to configure access to your environment variables because the subnet has insufficient IP addresses.",
};
// A teardown that releases the client function's interfaces in region B while region A deletes stage 3.
const release = (phase: "started" | "progress" | "done", deleted: number, seconds: number): ProgressEvent => ({
  kind: "interfaces-release", ...client, phase, total: 2, deleted, at: at(seconds),
});
export const quickTeardown: ProgressEvent[] = [
  { kind: "run-started", operation: "teardown", name: "demo", at: at(0) },
  { kind: "stages-queued", stages: [routes, client, api], at: at(0) },
  { kind: "stage-started", action: "delete", at: at(1), ...routes },
  { kind: "function-detach", ...client, functionName: "demo-client", phase: "started", at: at(1) },
  stackEvent(routes, "DELETE_IN_PROGRESS", 2),
  { kind: "function-detach", ...client, functionName: "demo-client", phase: "done", at: at(9) },
  release("started", 0, 10),
];
export const finishQuickTeardown: ProgressEvent[] = [
  release("progress", 1, 14),
  stackEvent(routes, "DELETE_COMPLETE", 20),
  { kind: "stage-finished", outcome: "deleted", outputs: {}, at: at(21), ...routes },
  { kind: "stage-started", action: "delete", at: at(21), ...client },
  release("done", 2, 22),
  stackEvent(client, "DELETE_IN_PROGRESS", 23),
];
