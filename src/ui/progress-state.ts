// What the Ink screen shows, folded from the event stream by one pure function. Finished things are
// appended to `history` (printed once by <Static>); only the running stage and the verify samples stay live.
import type { CarrierState, ConnectPlanView, ProgressEvent, RootCause, StageNumber, StageOutcome, StageRef } from "../steps/events.js";
import type { VerifyReport, VerifySample } from "../steps/client-answer.js";
import { changeSummary, changeText, functionText, isReleaseEvent, permissionLines, type ReleaseEvent, releaseStepText, type ReleaseStepText } from "./wording.js";
import { zonesEventText } from "./plan-text.js";
import { unreachable } from "./renderer.js";

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

/** The failure the screen boxes: a stage's, or verify's. */
export type Failure =
  | { readonly kind: "stage"; readonly stage: StageView }
  | { readonly kind: "verify"; readonly failure: NonNullable<VerifyReport["failure"]> };

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

/** A finished line: printed once, never redrawn. */
export type HistoryItem =
  | { readonly key: string; readonly kind: "note"; readonly note: Note }
  | { readonly key: string; readonly kind: "stage"; readonly stage: StageView }
  | { readonly key: string; readonly kind: "verify"; readonly report: VerifyReport }
  | { readonly key: string; readonly kind: "hop"; readonly hop: DoctorHop }
  | { readonly key: string; readonly kind: "connect-plan"; readonly plan: ConnectPlanView }
  | { readonly key: string; readonly kind: "connect-additions"; readonly carriers: readonly CarrierState[] }
  | { readonly key: string; readonly kind: "result"; readonly outcome: Outcome };

/** The screen's state: history, the running stage, samples, failure, outputs. */
export interface ProgressState {
  // Append-only, so <Static> can print each item exactly once.
  readonly history: readonly HistoryItem[];
  readonly running: StageView | undefined;
  readonly samples: readonly VerifySample[];
  readonly failure: Failure | undefined;
  readonly outputs: readonly StageOutputs[];
  // Stages of this run not started yet, shown as waiting rows under the running one.
  readonly pending: readonly StageRef[];
  // Steps of a stage that has not started: stage 2's release runs while stage 3 is being deleted.
  readonly ahead: Readonly<Partial<Record<StageNumber, readonly StepRow[]>>>;
}

/** One doctor hop as the screen shows it. */
export type DoctorHop = Omit<Extract<ProgressEvent, { kind: "doctor-hop" }>, "kind" | "at">;

/** The state before any event. */
export const initialState: ProgressState = { history: [], running: undefined, samples: [], failure: undefined, outputs: [], pending: [], ahead: {} };

/** Folds one event into the state (pure). */
export function reduce(state: ProgressState, event: ProgressEvent): ProgressState {
  return apply(noLongerWaiting(state, event), event);
}

// Anything said about a stage means it has begun (or was skipped): it is no longer waiting. Its release
// steps are the exception: they are prepared while the stage still waits for its turn.
function noLongerWaiting(state: ProgressState, event: ProgressEvent): ProgressState {
  const stage = "stage" in event && !isReleaseEvent(event) ? event.stage : undefined;
  if (stage === undefined || !state.pending.some((p) => p.stage === stage)) return state;
  return { ...state, pending: state.pending.filter((p) => p.stage !== stage) };
}

function apply(state: ProgressState, event: ProgressEvent): ProgressState {
  switch (event.kind) {
    case "stages-queued":
      return { ...state, pending: event.stages.map(ref) };
    case "run-started":
      return append(state, { kind: "note", note: { tone: "heading", text: `${event.operation} ${event.name}` } });
    case "identity":
      return append(state, { kind: "note", note: { tone: "info", text: `AWS account ${event.account} as ${event.arn}` } });
    case "permission-check": {
      const tone = event.report.outcome === "denied" ? "attention" : "info";
      return append(state, { kind: "note", note: { tone, text: permissionLines(event.report).join("\n") } });
    }
    case "zones":
      return append(state, { kind: "note", note: { tone: "info", text: zonesEventText(event) } });
    case "warning":
    case "info": {
      const n: Note = { tone: event.kind, text: event.message };
      // A note about the running stage stays beside it (the teardown's "many minutes" must stay in view).
      if (state.running && event.stage === state.running.stage) {
        return { ...state, running: { ...state.running, notes: [...state.running.notes, n] } };
      }
      return append(state, { kind: "note", note: n });
    }
    case "stage-started": {
      const same = state.running?.stage === event.stage ? state.running : undefined;
      // Waiting for another operation ("check") and then running ours is one row; its rows start afresh.
      const running: StageView = {
        ...newStage(event),
        phase: "running",
        action: event.action,
        startedAt: same?.startedAt ?? event.at,
        notes: same?.notes ?? [],
        steps: same?.steps ?? state.ahead[event.stage] ?? [],
      };
      return { ...(same ? state : settleRunning(state, event.at)), running, ahead: without(state.ahead, event.stage) };
    }
    case "resource": {
      const running = state.running;
      if (running?.stage !== event.stage) return state;
      if (event.logicalId === event.stackName) return { ...state, running: { ...running, stackStatus: event.status } };
      return { ...state, running: withResource(running, event) };
    }
    case "stage-finished": {
      const stage: StageView = { ...current(state, event), phase: "done", outcome: event.outcome, finishedAt: event.at };
      if (Object.keys(event.outputs).length === 0) return retire(state, stage);
      const outputs = [...state.outputs.filter((o) => o.stage !== event.stage), { ...ref(event), outputs: event.outputs }];
      return retire({ ...state, outputs: outputs.sort((a, b) => a.stage - b.stage) }, stage);
    }
    case "stage-failed": {
      const base = current(state, event);
      const stage: StageView = {
        ...base,
        phase: "failed",
        finishedAt: event.at,
        rootCauseId: event.rootCause?.logicalId ?? base.rootCauseId,
        failure: { status: event.status, message: event.message, rootCause: event.rootCause },
      };
      return retire({ ...state, failure: state.failure ?? { kind: "stage", stage } }, stage);
    }
    case "change-set": {
      if (state.running?.stage !== event.stage) return state;
      const notes: Note[] = [
        { tone: "info", text: changeSummary(event.changes.length) },
        ...event.changes.map((c): Note => {
          const { text, risky } = changeText(c);
          return { tone: risky ? "attention" : "info", text: `  ${text}` };
        }),
      ];
      return { ...state, running: { ...state.running, notes: [...state.running.notes, ...notes] } };
    }
    case "stage-cancelled": {
      const stage: StageView = { ...current(state, event), phase: "cancelled", finishedAt: event.at, cancelled: { status: event.status, message: event.message } };
      return retire(state, stage);
    }
    case "stack-state": {
      const outputs = Object.entries(event.outputs).map(([key, value]) => `${key}: ${value}`);
      return append(state, { kind: "note", note: { tone: "info", text: [event.summary, ...outputs.map((o) => `  ${o}`)].join("\n") } });
    }
    case "function-waiting":
    case "function-ready":
    case "function-state": {
      const { text, attention } = functionText(event);
      return append(state, { kind: "note", note: { tone: attention ? "attention" : "info", text } });
    }
    case "function-detach":
    case "interfaces-release": {
      const running = state.running;
      if (running?.stage === event.stage) return { ...state, running: { ...running, steps: withStep(running.steps, event) } };
      return { ...state, ahead: { ...state.ahead, [event.stage]: withStep(state.ahead[event.stage] ?? [], event) } };
    }
    case "verify-sample":
      return { ...state, samples: [...state.samples, event.sample] };
    case "verify-result": {
      const { failure } = event.report;
      const next = { ...state, samples: [], failure: state.failure ?? (failure ? { kind: "verify" as const, failure } : undefined) };
      return append(next, { kind: "verify", report: event.report });
    }
    case "doctor-hop":
      return append(state, { kind: "hop", hop: { hop: event.hop, ok: event.ok, detail: event.detail, fix: event.fix } });
    case "connect-plan": {
      const { kind: _kind, at: _at, ...plan } = event;
      return append(state, { kind: "connect-plan", plan });
    }
    case "connect-additions":
      return append(state, { kind: "connect-additions", carriers: event.carriers });
    case "result": {
      const outcome: Outcome = { ok: event.ok, neutral: event.neutral === true, summary: event.summary, next: event.next, failure: state.failure, outputs: state.outputs };
      return append(settleRunning({ ...state, pending: [] }, event.at), { kind: "result", outcome });
    }
    default:
      return unreachable(event);
  }
}

type Unkeyed = { [K in HistoryItem["kind"]]: Omit<Extract<HistoryItem, { kind: K }>, "key"> }[HistoryItem["kind"]];

function append(state: ProgressState, item: Unkeyed): ProgressState {
  // The index makes keys unique even when a stage or a message repeats.
  return { ...state, history: [...state.history, { ...item, key: `${item.kind}-${state.history.length}` }] };
}

function ref(e: StageRef): StageRef {
  return { stage: e.stage, key: e.key, stackName: e.stackName, region: e.region };
}

function newStage(e: StageRef): StageView {
  return {
    ...ref(e),
    phase: "running",
    action: undefined,
    stackStatus: undefined,
    outcome: undefined,
    startedAt: undefined,
    finishedAt: undefined,
    resources: [],
    steps: [],
    rootCauseId: undefined,
    notes: [],
    failure: undefined,
    cancelled: undefined,
  };
}

// The stage an event is about: the running one, or one we only hear of as it ends (absent, never started).
function current(state: ProgressState, e: StageRef): StageView {
  return state.running?.stage === e.stage ? state.running : { ...newStage(e), steps: state.ahead[e.stage] ?? [] };
}

function without(ahead: ProgressState["ahead"], stage: StageNumber): ProgressState["ahead"] {
  if (!(stage in ahead)) return ahead;
  const { [stage]: _started, ...rest } = ahead;
  return rest;
}

// A step keeps one row (by step), its clock running from its first event.
function withStep(steps: readonly StepRow[], event: ReleaseEvent): readonly StepRow[] {
  const text = releaseStepText(event);
  const old = steps.find((s) => s.step === text.step);
  const row: StepRow = { ...text, firstAt: old?.firstAt ?? event.at, lastAt: event.at };
  return old ? steps.map((s) => (s === old ? row : s)) : [...steps, row];
}

function retire(state: ProgressState, stage: StageView): ProgressState {
  const running = state.running?.stage === stage.stage ? undefined : state.running;
  return append({ ...state, running, ahead: without(state.ahead, stage.stage) }, { kind: "stage", stage });
}

// A stage still running when another starts (or the run ends) never told us how it ended: keep it as it
// was, its clock stopped.
function settleRunning(state: ProgressState, at: number): ProgressState {
  return state.running ? retire(state, { ...state.running, finishedAt: at }) : state;
}

function withResource(stage: StageView, e: Extract<ProgressEvent, { kind: "resource" }>): StageView {
  const failed = e.status.endsWith("_FAILED");
  const old = stage.resources.find((row) => row.logicalId === e.logicalId);
  const row: ResourceRow = {
    logicalId: e.logicalId,
    resourceType: e.resourceType,
    description: e.description ?? old?.description,
    status: e.status,
    failure: old?.failure ?? (failed ? { status: e.status, reason: e.reason } : undefined),
    firstAt: old?.firstAt ?? e.at,
    lastAt: e.at,
  };
  const resources = old ? stage.resources.map((r) => (r === old ? row : r)) : [...stage.resources, row];
  return { ...stage, resources, rootCauseId: stage.rootCauseId ?? (failed ? e.logicalId : undefined) };
}
