// What the live view holds, as types: the rows of the running stage and of each client region at work, what
// history keeps once printed, the failure and the outcome. progress-state.ts folds the events into it.
import type { CarrierState, ConnectPlanView, ProgressEvent, RootCause, StageNumber, StageOutcome, StageRef } from "../steps/events.js";
import type { VerifyReport, VerifySample } from "../steps/verify/client-answer.js";
import type { VerifyMatrix } from "../steps/verify/verify-matrix.js";
import type { ReleaseStepText } from "./wording.js";

/** One resource row of a stage. */
export interface ResourceRow {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly description: string | undefined;
  readonly status: string;
  // The first failure is kept: a rollback moves the status on to DELETE_COMPLETE, the cause stays.
  readonly failure: { readonly status: string; readonly reason: string | undefined } | undefined;
  readonly firstAt: number;
  readonly lastAt: number;
}

/** A step the tool itself takes for a stage (freeing the client function's network interfaces). */
export interface StepRow extends ReleaseStepText {
  readonly firstAt: number;
  readonly lastAt: number;
}

/** Where a stage is: running, done, failed or cancelled. */
export type StagePhase = "running" | "done" | "failed" | "cancelled";

/** One stage as the screen shows it. */
export interface StageView extends StageRef {
  readonly phase: StagePhase;
  readonly action: "create" | "update" | "delete" | "check" | undefined;
  // CloudFormation's own word for the stack, from the stack's events (DELETE_IN_PROGRESS…).
  readonly stackStatus: string | undefined;
  readonly outcome: StageOutcome | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  // Keyed by logicalId, in order of first appearance: the physical id is empty on a resource's first event.
  readonly resources: readonly ResourceRow[];
  readonly steps: readonly StepRow[];
  // The resource whose failure started it all; its reason is the one worth reading.
  readonly rootCauseId: string | undefined;
  readonly notes: readonly Note[];
  readonly failure: { readonly status: string; readonly message: string; readonly rootCause: RootCause | undefined } | undefined;
  // Set when Ctrl-C stopped the stage: what that did, in words.
  readonly cancelled: { readonly status: string; readonly message: string } | undefined;
}

/** A line of text under a stage or in the history. */
export interface Note {
  // attention: worth a second look, though nothing is wrong (a resource an update replaces).
  readonly tone: "heading" | "info" | "warning" | "attention";
  readonly text: string;
}

/** The failure the screen boxes: a stage's, or verify's (of one client region, in a run with several). */
export type Failure =
  | { readonly kind: "stage"; readonly stage: StageView; readonly region?: string | undefined }
  | { readonly kind: "verify"; readonly failure: NonNullable<VerifyReport["failure"]>; readonly region?: string | undefined };

/** A finished stage's outputs. */
export interface StageOutputs extends StageRef {
  readonly outputs: Readonly<Record<string, string>>;
}

/** The run's result as shown last. */
export interface Outcome {
  readonly ok: boolean;
  readonly neutral: boolean;
  readonly summary: string;
  readonly next: readonly string[];
  readonly failure: Failure | undefined;
  // What the stacks of this run answered, shown once at the end as SAM does, not after every stage.
  readonly outputs: readonly StageOutputs[];
}

/** A client region of a run with several: its stages (2 and 3), the one at work, and how it stands. */
export interface RegionView {
  readonly region: string;
  // Its stages in this run's order (deploy 2, 3; teardown 3, 2).
  readonly stages: readonly StageRef[];
  // The stage at work, or the last one that ended.
  readonly current: StageView | undefined;
  readonly ended: readonly StageView[];
  readonly phase: "waiting" | StagePhase;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  // Steps of its stage 2 before that stage starts (the release beside stage 3's delete).
  readonly ahead: readonly StepRow[];
}

/** A finished verification of one client region, in a run with several (the matrix follows). */
export interface RegionVerified {
  readonly region: string;
  readonly report: VerifyReport;
}

/** A finished line: printed once, never redrawn. */
export type HistoryItem =
  | { readonly key: string; readonly kind: "note"; readonly note: Note }
  | { readonly key: string; readonly kind: "stage"; readonly stage: StageView }
  | { readonly key: string; readonly kind: "region"; readonly region: RegionView }
  | { readonly key: string; readonly kind: "verify"; readonly report: VerifyReport }
  | { readonly key: string; readonly kind: "region-verify"; readonly verified: RegionVerified }
  | { readonly key: string; readonly kind: "matrix"; readonly matrix: VerifyMatrix }
  | { readonly key: string; readonly kind: "hop"; readonly hop: DoctorHop }
  | { readonly key: string; readonly kind: "connect-plan"; readonly plan: ConnectPlanView }
  | { readonly key: string; readonly kind: "connect-additions"; readonly carriers: readonly CarrierState[] }
  | { readonly key: string; readonly kind: "result"; readonly outcome: Outcome };

/** The screen's state: history, the running stage, the client regions at work, samples, failure, outputs. */
export interface ProgressState {
  // Append-only, so <Static> can print each item exactly once.
  readonly history: readonly HistoryItem[];
  // The stage at work outside any client region's row: stage 1, or every stage of a one-region run.
  readonly running: StageView | undefined;
  // A run with several client regions: one row each while it is at work (regions.ts folds it once done).
  readonly plural: boolean;
  readonly regions: readonly RegionView[];
  readonly samples: readonly VerifySample[];
  // A run with several client regions: each region's samples so far.
  readonly regionSamples: Readonly<Record<string, readonly VerifySample[]>>;
  readonly failure: Failure | undefined;
  readonly outputs: readonly StageOutputs[];
  // Stages of this run not started yet, shown as waiting rows under the running one.
  readonly pending: readonly StageRef[];
  // Steps of a stage that has not started: stage 2's release runs while stage 3 is being deleted.
  readonly ahead: Readonly<Partial<Record<StageNumber, readonly StepRow[]>>>;
}

/** One doctor hop as the screen shows it. */
export type DoctorHop = Omit<Extract<ProgressEvent, { kind: "doctor-hop" }>, "kind" | "at" | "region">;
