// What the Ink screen shows, folded from the event stream by one pure function. Finished things are
// appended to `history` (printed once by <Static>); only the running stage, the client regions still at
// work (a run with several) and the verify samples stay live.
import type { ProgressEvent, StageNumber, StageRef } from "../steps/events.js";
import { changeSummary, changeText, functionText, isReleaseEvent, permissionLines, type ReleaseEvent, releaseStepText } from "./wording.js";
import { zonesEventText } from "./plan-text.js";
import type { HistoryItem, Note, Outcome, ProgressState, RegionView, ResourceRow, StageView, StepRow } from "./progress-view.js";
import { unreachable } from "./renderer.js";

/** The state before any event. */
export const initialState: ProgressState = {
  history: [],
  running: undefined,
  plural: false,
  regions: [],
  samples: [],
  regionSamples: {},
  failure: undefined,
  outputs: [],
  pending: [],
  ahead: {},
};

/** Folds one event into the state (pure). */
export function reduce(state: ProgressState, event: ProgressEvent): ProgressState {
  const regional = state.plural && "clientRegion" in event && typeof event.clientRegion === "string" ? event.clientRegion : undefined;
  if (regional !== undefined && state.regions.some((r) => r.region === regional)) {
    const handled = applyRegional(state, event, regional);
    if (handled) return handled;
  }
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
    case "stages-queued": {
      if (!state.plural) return { ...state, pending: event.stages.map(ref) };
      // Several client regions: one row per region, stage 1 as a stage of its own.
      const byRegion = new Map<string, StageRef[]>();
      for (const stage of event.stages) {
        if (stage.clientRegion !== undefined) byRegion.set(stage.clientRegion, [...(byRegion.get(stage.clientRegion) ?? []), ref(stage)]);
      }
      const regions = [...byRegion].map(([region, stages]): RegionView => ({ region, stages, current: undefined, ended: [], phase: "waiting", startedAt: undefined, finishedAt: undefined, ahead: [] }));
      return { ...state, regions, pending: event.stages.filter((s) => s.clientRegion === undefined).map(ref) };
    }
    case "run-started": {
      const plural = (event.clientRegions?.length ?? 0) > 1;
      return append({ ...state, plural }, { kind: "note", note: { tone: "heading", text: `${event.operation} ${event.name}${plural ? ` (client regions ${event.clientRegions?.join(", ")})` : ""}` } });
    }
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
      const n: Note = { tone: event.kind, text: state.plural && event.clientRegion ? `[${event.clientRegion}] ${event.message}` : event.message };
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
      return retire(withOutputs(state, event), stage);
    }
    case "stage-failed": {
      const stage = failed(current(state, event), event);
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
      return append(state, { kind: "note", note: { tone: attention ? "attention" : "info", text: state.plural && event.kind !== "function-state" ? `[${event.region}] ${text}` : text } });
    }
    case "function-detach":
    case "interfaces-release": {
      const running = state.running;
      if (running?.stage === event.stage) return { ...state, running: { ...running, steps: withStep(running.steps, event) } };
      return { ...state, ahead: { ...state.ahead, [event.stage]: withStep(state.ahead[event.stage] ?? [], event) } };
    }
    case "verify-sample":
      if (state.plural) return { ...state, regionSamples: { ...state.regionSamples, [event.region]: [...(state.regionSamples[event.region] ?? []), event.sample] } };
      return { ...state, samples: [...state.samples, event.sample] };
    case "verify-result": {
      const { failure } = event.report;
      const next = { ...state, samples: [], failure: state.failure ?? (failure ? { kind: "verify" as const, failure, region: state.plural ? event.region : undefined } : undefined) };
      if (!state.plural) return append(next, { kind: "verify", report: event.report });
      const { [event.region]: _done, ...others } = state.regionSamples;
      return append({ ...next, regionSamples: others }, { kind: "region-verify", verified: { region: event.region, report: event.report } });
    }
    case "verify-matrix":
      return append(state, { kind: "matrix", matrix: event.matrix });
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
      return append(settleRunning(settleRegions({ ...state, pending: [] }, event.at), event.at), { kind: "result", outcome });
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
  return { stage: e.stage, key: e.key, stackName: e.stackName, region: e.region, ...(e.clientRegion === undefined ? {} : { clientRegion: e.clientRegion }) };
}

// A stage's outputs, kept for the end (one entry per stack: a stage number and its client region).
function withOutputs(state: ProgressState, e: Extract<ProgressEvent, { kind: "stage-finished" }>): ProgressState {
  if (Object.keys(e.outputs).length === 0) return state;
  const same = (o: StageRef) => o.stage === e.stage && o.clientRegion === e.clientRegion;
  const outputs = [...state.outputs.filter((o) => !same(o)), { ...ref(e), outputs: e.outputs }];
  return { ...state, outputs: outputs.sort((a, b) => a.stage - b.stage) };
}

// ------------------------------------------------------------------ several client regions
// An event of a client region in a run with several: its row changes; undefined leaves it to apply().
function applyRegional(state: ProgressState, event: ProgressEvent, region: string): ProgressState | undefined {
  const view = state.regions.find((r) => r.region === region)!;
  const put = (next: RegionView, base: ProgressState = state) => ({ ...base, regions: base.regions.map((r) => (r.region === region ? next : r)) });
  switch (event.kind) {
    case "stage-started": {
      const same = view.current?.stage === event.stage && view.current.phase === "running" ? view.current : undefined;
      const stage: StageView = {
        ...newStage(event),
        phase: "running",
        action: event.action,
        startedAt: same?.startedAt ?? event.at,
        notes: [],
        steps: same?.steps ?? (event.stage === 2 ? view.ahead : []),
      };
      return put({ ...view, current: stage, phase: "running", startedAt: view.startedAt ?? event.at, ahead: event.stage === 2 ? [] : view.ahead });
    }
    case "resource": {
      const stage = view.current;
      if (stage?.stage !== event.stage || stage.phase !== "running") return state;
      if (event.logicalId === event.stackName) return put({ ...view, current: { ...stage, stackStatus: event.status } });
      return put({ ...view, current: withResource(stage, event) });
    }
    case "stage-finished": {
      const stage: StageView = { ...regionStage(view, event), phase: "done", outcome: event.outcome, finishedAt: event.at };
      const last = view.stages.at(-1)?.stage === event.stage;
      const next: RegionView = { ...view, current: stage, ended: [...view.ended, stage], phase: last ? "done" : "running", finishedAt: last ? event.at : undefined };
      const updated = put(next, withOutputs(state, event));
      return last ? retireRegion(updated, next) : updated;
    }
    case "stage-failed": {
      const stage = failed(regionStage(view, event), event);
      const next: RegionView = { ...view, current: stage, ended: [...view.ended, stage], phase: "failed", finishedAt: event.at };
      return retireRegion(put(next, { ...state, failure: state.failure ?? { kind: "stage", stage, region } }), next);
    }
    case "stage-cancelled": {
      const stage: StageView = { ...regionStage(view, event), phase: "cancelled", finishedAt: event.at, cancelled: { status: event.status, message: event.message } };
      const next: RegionView = { ...view, current: stage, ended: [...view.ended, stage], phase: "cancelled", finishedAt: event.at };
      return retireRegion(put(next), next);
    }
    case "function-detach":
    case "interfaces-release": {
      const stage = view.current;
      if (stage?.stage === event.stage && stage.phase === "running") return put({ ...view, current: { ...stage, steps: withStep(stage.steps, event) } });
      return put({ ...view, ahead: withStep(view.ahead, event) });
    }
    case "change-set": {
      const lines = [changeSummary(event.changes.length), ...event.changes.map((c) => `  ${changeText(c).text}`)];
      const risky = event.changes.some((c) => changeText(c).risky);
      return append(state, { kind: "note", note: { tone: risky ? "attention" : "info", text: `[${region}] ${event.stackName}: ${lines.join("\n")}` } });
    }
    default:
      return undefined;
  }
}

// The stage an event ends: the region's current one, or one we only hear of as it ends (absent, never started).
function regionStage(view: RegionView, e: StageRef): StageView {
  return view.current?.stage === e.stage && view.current.phase === "running" ? view.current : { ...newStage(e), steps: e.stage === 2 ? view.ahead : [] };
}

// A region that ended leaves the live rows for one line in the history.
function retireRegion(state: ProgressState, view: RegionView): ProgressState {
  return append({ ...state, regions: state.regions.filter((r) => r.region !== view.region) }, { kind: "region", region: view });
}

// The run ended with regions still at work (an error ended it): each keeps its row as it was, its clock stopped.
function settleRegions(state: ProgressState, at: number): ProgressState {
  let settled: ProgressState = state;
  for (const view of state.regions) {
    if (view.phase === "waiting") continue;
    const current = view.current && { ...view.current, finishedAt: view.current.finishedAt ?? at };
    settled = retireRegion(settled, { ...view, finishedAt: view.finishedAt ?? at, current });
  }
  return { ...settled, regions: [] };
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

// A stage as its failure leaves it: its root cause kept from the failure, else from its resource rows.
function failed(base: StageView, event: Extract<ProgressEvent, { kind: "stage-failed" }>): StageView {
  return {
    ...base,
    phase: "failed",
    finishedAt: event.at,
    rootCauseId: event.rootCause?.logicalId ?? base.rootCauseId,
    failure: { status: event.status, message: event.message, rootCause: event.rootCause },
  };
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
