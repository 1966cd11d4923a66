// Event scripts of a run with three client regions, shaped as the engine emits them: stage 1 alone, then
// the regions' stages 2 and 3 interleaved as they run side by side, each stage event naming its client region.
import type { ProgressEvent, StageRef } from "../../src/steps/events.js";
import type { VerifyReport } from "../../src/steps/verify/client-answer.js";
import { verifyMatrix } from "../../src/steps/verify/verify-matrix.js";
import { api, at, failingReport, passingReport, resource, stackEvent } from "./script.js";

export const REGIONS = ["eu-west-1", "ap-southeast-2", "us-west-2"] as const;

export const clientOf = (region: string): StageRef => ({ stage: 2, key: "client", stackName: "demo-client", region, clientRegion: region });
export const routesOf = (region: string, first = region === REGIONS[0]): StageRef => ({
  stage: 3,
  key: "routes",
  stackName: first ? "demo-routes" : `demo-routes-${region}`,
  region: "us-east-1",
  clientRegion: region,
});

/** A deploy's start: the run, the queue (stage 1, then each region's 2 and 3), stage 1 done. */
export const pluralStart: ProgressEvent[] = [
  { kind: "run-started", operation: "deploy", name: "demo", clientRegions: [...REGIONS], at: at(0) },
  { kind: "stages-queued", stages: [api, ...REGIONS.flatMap((r) => [clientOf(r), routesOf(r)])], at: at(0) },
  { kind: "stage-started", action: "create", at: at(1), ...api },
  stackEvent(api, "CREATE_IN_PROGRESS", 2),
  stackEvent(api, "CREATE_COMPLETE", 130),
  { kind: "stage-finished", outcome: "created", outputs: { ApiId: "a1b2c3d4e5" }, at: at(131), ...api },
];

/** Two regions at work (eu-west-1 already on its routes), the third waiting its turn. */
export const regionsRunning: ProgressEvent[] = [
  { kind: "stage-started", action: "create", at: at(132), ...clientOf("eu-west-1") },
  { kind: "stage-started", action: "create", at: at(132), ...clientOf("ap-southeast-2") },
  stackEvent(clientOf("eu-west-1"), "CREATE_IN_PROGRESS", 133),
  stackEvent(clientOf("ap-southeast-2"), "CREATE_IN_PROGRESS", 133),
  resource(clientOf("ap-southeast-2"), "ClientFunction", "CREATE_IN_PROGRESS", 140, { description: "Client function that calls the private API", resourceType: "AWS::Lambda::Function" }),
  stackEvent(clientOf("eu-west-1"), "CREATE_COMPLETE", 200),
  { kind: "stage-finished", outcome: "created", outputs: { FunctionName: "demo-client" }, at: at(201), ...clientOf("eu-west-1") },
  { kind: "stage-started", action: "create", at: at(201), ...routesOf("eu-west-1") },
  stackEvent(routesOf("eu-west-1"), "CREATE_IN_PROGRESS", 202),
  resource(routesOf("eu-west-1"), "ReturnRoute1", "CREATE_IN_PROGRESS", 203, { description: "Route back to the client VPC through the peering connection", resourceType: "AWS::EC2::Route" }),
];

/** eu-west-1 done; ap-southeast-2 fails its peering; us-west-2 never started. */
export const regionsEnd: ProgressEvent[] = [
  stackEvent(routesOf("eu-west-1"), "CREATE_COMPLETE", 215),
  { kind: "stage-finished", outcome: "created", outputs: {}, at: at(216), ...routesOf("eu-west-1") },
  resource(clientOf("ap-southeast-2"), "Peering", "CREATE_FAILED", 230, {
    description: "Peering to the API's VPC",
    resourceType: "AWS::EC2::VPCPeeringConnection",
    reason: "VpcPeeringConnection failed to reach active state",
  }),
  stackEvent(clientOf("ap-southeast-2"), "ROLLBACK_COMPLETE", 260),
  {
    kind: "stage-failed",
    ...clientOf("ap-southeast-2"),
    status: "ROLLBACK_COMPLETE",
    rootCause: { logicalId: "Peering", resourceType: "AWS::EC2::VPCPeeringConnection", reason: "VpcPeeringConnection failed to reach active state" },
    message: "demo-client could not be created and was rolled back (ROLLBACK_COMPLETE).",
    at: at(261),
  },
  { kind: "info", message: "Left: demo-api (us-east-1) CREATE_COMPLETE; eu-west-1: demo-client (eu-west-1) CREATE_COMPLETE, demo-routes (us-east-1) CREATE_COMPLETE; ap-southeast-2: nothing; us-west-2: nothing.", at: at(262) },
  { kind: "result", operation: "deploy", ok: false, summary: "demo-client could not be created. Up: eu-west-1; failed: ap-southeast-2 (stage 2/3); not started: us-west-2.", next: [], at: at(263) },
];

const slower = (report: VerifyReport, by: number): VerifyReport => ({
  ...report,
  cold: report.cold && { ...report.cold, insideMs: (report.cold.insideMs ?? 0) + by },
  warm: {
    roundTrip: report.warm.roundTrip,
    inside: report.warm.inside && { ...report.warm.inside, p50: report.warm.inside.p50 + by, p95: report.warm.inside.p95 + by },
  },
});

/** Each region's verification, ap-southeast-2 the slowest, then the matrix. */
export const reports = [
  { region: "eu-west-1", report: passingReport },
  { region: "ap-southeast-2", report: slower(passingReport, 250) },
  { region: "us-west-2", report: slower(passingReport, 90) },
];

export const pluralVerify: ProgressEvent[] = [
  ...reports.map(({ region, report }, i): ProgressEvent => ({ kind: "verify-result", report, region, at: at(300 + i) })),
  { kind: "verify-matrix", matrix: verifyMatrix(reports), at: at(304) },
];

export const pluralVerifyFailing: ProgressEvent[] = [
  { kind: "verify-result", report: passingReport, region: "eu-west-1", at: at(300) },
  { kind: "verify-result", report: failingReport, region: "us-west-2", at: at(301) },
  { kind: "verify-matrix", matrix: verifyMatrix([{ region: "eu-west-1", report: passingReport }, { region: "us-west-2", report: failingReport }]), at: at(302) },
];
