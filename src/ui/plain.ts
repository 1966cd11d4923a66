// One line per state change, for CI logs and pipes: no cursor movement, nothing redrawn, and a heartbeat
// so a long quiet wait (a Lambda ENI being released) never looks like a hang.
import type { Writable } from "node:stream";
import { styleText } from "node:util";
import type { ProgressEvent, StageNumber, StageRef } from "../steps/events.js";
import type { VerifyReport, VerifySample } from "../steps/verify/client-answer.js";
import { changeSummary, changeText, functionText, hopLine, latencyColumns, latencyTable, matrixLines, permissionLines, regionVerifyText, releaseStepText } from "./wording.js";
import { failureStatus, formatDuration, formatMs, stageLabel, terminalColumns, truncate, wrapLines } from "./format.js";
import { additionLines, type ConnectLine, connectPlanLines } from "./connect-text.js";
import { zonesEventText } from "./plan-text.js";
import { type Renderer, unreachable } from "./renderer.js";
import { stageCount, type StageKey } from "../steps/stages.js";

const ROUTINE_STACK_STATUS = /^(REVIEW_IN_PROGRESS|(CREATE|UPDATE|DELETE)_(IN_PROGRESS|COMPLETE)|UPDATE_COMPLETE_CLEANUP_IN_PROGRESS)$/;

/** The timers the heartbeat uses; tests pass fakes. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimeout(handle: ReturnType<typeof setTimeout>): void;
}

/** Where the lines go, the clock, the timers and the heartbeat interval. */
export interface PlainOptions {
  readonly stream: Writable;
  readonly now?: () => number;
  readonly timers?: Timers;
  readonly heartbeatMs?: number;
}

type Style = Parameters<typeof styleText>[0];

const VERB = { create: "creating", update: "updating", delete: "deleting", check: "checking" } as const;
const STACK_STATUS = { create: "CREATE_IN_PROGRESS", update: "UPDATE_IN_PROGRESS", delete: "DELETE_IN_PROGRESS", check: "" } as const;

interface Running {
  readonly ref: StageRef;
  readonly startedAt: number;
  status: string;
}

/** One line per state change, and a heartbeat during quiet waits. */
export function createPlainRenderer(options: PlainOptions): Renderer {
  const { stream, heartbeatMs = 30_000 } = options;
  const now = options.now ?? (() => Date.now());
  const timers: Timers = options.timers ?? {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle),
  };
  // By stage and client region: several client regions' stages run at once.
  const refs = new Map<string, StageRef>();
  const running = new Map<string, Running>();
  let plural = false;
  // CloudFormation repeats *_IN_PROGRESS ("Resource creation Initiated") for every resource; one line each.
  const shownStatus = new Map<string, string>();
  const stepStarted = new Map<string, number>();
  let lastEventAt = now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  // styleText drops the codes itself when the stream is not a TTY or NO_COLOR / NODE_DISABLE_COLORS is set.
  const paint = (style: Style, text: string) => styleText(style, text, { validateStream: true, stream });
  // In a terminal, whole words to its width as it is now (it may have been resized); pipes get one line each.
  const write = (line: string) => stream.write(`${wrapLines([line], terminalColumns(stream as { isTTY?: boolean; columns?: number })).join("\n")}\n`);
  const label = (stage: StageNumber | undefined, clientRegion?: string, key?: StageKey) => {
    if (stage === undefined) return "";
    const ref = refs.get(keyOf({ stage, clientRegion }));
    return `${ref ? stageLabel(ref, plural) : `[${stage}/${key ? stageCount(key) : 3}${plural && clientRegion ? ` ${clientRegion}` : ""}]`} `;
  };
  // A line about one client region, in a run with several, says which.
  const whose = (region: string) => (plural ? `[${region}] ` : "");

  function arm(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = timers.setTimeout(heartbeat, heartbeatMs);
    // A forgotten close() must not keep the process alive.
    timer.unref?.();
  }

  function stop(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  }

  function heartbeat(): void {
    if (running.size > 0) {
      const each = [...running.values()].map(({ ref, startedAt, status }) => {
        const state = status ? `, ${status}` : "";
        return `${ref.stackName} (${ref.region}${plural && ref.clientRegion && ref.clientRegion !== ref.region ? ` ← ${ref.clientRegion}` : ""}): ${formatDuration(now() - startedAt)}${state}`;
      });
      write(paint("dim", `… still waiting on ${each.join("; ")}`));
    } else {
      write(paint("dim", `… still working: ${formatDuration(now() - lastEventAt)} since the last update`));
    }
    arm();
  }

  function render(e: ProgressEvent): void {
    switch (e.kind) {
      case "run-started":
        plural = (e.clientRegions?.length ?? 0) > 1;
        return void write(`${e.operation} ${e.name}${plural ? ` (client regions ${e.clientRegions?.join(", ")})` : ""}`);
      case "identity":
        return void write(`AWS account ${e.account} as ${e.arn}`);
      case "warning":
        return void write(`${label(e.stage, e.clientRegion)}${paint("yellow", "warning:")} ${e.message}`);
      case "info":
        return void write(`${label(e.stage, e.clientRegion)}${e.message}`);
      case "permission-check": {
        const [first = "", ...rest] = permissionLines(e.report);
        write(e.report.outcome === "denied" ? paint("red", first) : first);
        return void rest.forEach(write);
      }
      case "zones":
        return void write(zonesEventText(e));
      case "stage-started":
        refs.set(keyOf(e), e);
        running.set(keyOf(e), { ref: e, startedAt: e.at, status: STACK_STATUS[e.action] });
        return void write(`${label(e.stage, e.clientRegion)}${VERB[e.action]} ${e.stackName}`);
      case "resource": {
        refs.set(keyOf(e), e);
        const mine = running.get(keyOf(e));
        if (mine && e.logicalId === e.stackName) mine.status = e.status;
        // The stack's own start and finish already have their stage lines; its rollbacks and failures do not.
        if (e.logicalId === e.stackName && ROUTINE_STACK_STATUS.test(e.status)) return;
        const key = `${keyOf(e)} ${e.logicalId}`;
        if (shownStatus.get(key) === e.status) return;
        shownStatus.set(key, e.status);
        const failed = e.status.endsWith("_FAILED");
        const elapsed = mine ? ` ${formatDuration(e.at - mine.startedAt)}` : "";
        const status = failed ? paint("red", e.status) : e.status;
        write(`${label(e.stage, e.clientRegion)}${status}  ${e.description ?? e.resourceType} (${e.logicalId})${elapsed}`);
        if (failed && e.reason) write(`    ${e.reason}`);
        return;
      }
      case "stage-finished": {
        const mine = running.get(keyOf(e));
        const took = mine ? ` in ${formatDuration(e.at - mine.startedAt)}` : "";
        running.delete(keyOf(e));
        write(`${label(e.stage, e.clientRegion)}${paint("green", finishedText(e.outcome, e.stackName))}${took}`);
        for (const [key, value] of Object.entries(e.outputs)) write(`    ${key}: ${value}`);
        return;
      }
      case "stage-failed": {
        running.delete(keyOf(e));
        const status = failureStatus(e.status);
        write(`${label(e.stage, e.clientRegion)}${paint("red", `FAILED ${e.stackName}`)}: ${status ? `${status} ` : ""}${e.message}`);
        if (e.rootCause) write(`    ${e.rootCause.logicalId} (${e.rootCause.resourceType}): ${e.rootCause.reason}`);
        return;
      }
      case "change-set":
        write(`${label(e.stage, e.clientRegion)}${changeSummary(e.changes.length)}`);
        for (const change of e.changes) {
          const { text, risky } = changeText(change);
          write(`    ${risky ? paint("yellow", text) : text}`);
        }
        return;
      case "stage-cancelled":
        running.delete(keyOf(e));
        return void write(`${label(e.stage, e.clientRegion)}${paint("yellow", e.message)}`);
      case "stack-state":
        write(`${label(e.stage, e.clientRegion, e.key)}${e.summary}`);
        for (const [key, value] of Object.entries(e.outputs)) write(`    ${key}: ${value}`);
        return;
      case "function-waiting":
      case "function-ready":
      case "function-state": {
        const { text, attention } = functionText(e);
        const line = e.kind === "function-state" ? text : `${whose(e.region)}${text}`;
        return void write(attention ? paint("yellow", line) : line);
      }
      case "function-detach":
      case "interfaces-release": {
        // Stage 2's release runs beside stage 3: its lines carry their own stage, its time its own clock.
        refs.set(keyOf(e), e);
        const step = releaseStepText(e);
        const stepKey = `${keyOf(e)} ${step.step}`;
        const started = stepStarted.get(stepKey) ?? e.at;
        stepStarted.set(stepKey, started);
        const status = step.state === "fallback" ? paint("yellow", step.status) : step.status;
        const took = step.state === "running" && e.at === started ? "" : ` ${formatDuration(e.at - started)}`;
        write(`${label(e.stage, e.clientRegion)}${status}  ${step.label}${took}`);
        if (e.reason) write(`    ${e.reason}`);
        return;
      }
      case "verify-sample":
        return void write(`${whose(e.region)}${sampleLine(e.sample)}`);
      case "verify-result":
        if (plural) return void regionVerifyLines(e.region, e.report, paint).forEach(write);
        return void verifyLines(e.report, paint).forEach(write);
      case "verify-matrix": {
        const table = matrixLines(e.matrix);
        return void [table.header, ...table.rows, `(${table.note})`].forEach(write);
      }
      case "doctor-hop": {
        const line = hopLine(e);
        write(`${line.tone ? paint(line.tone, line.mark) : line.mark} ${line.name}  ${line.detail}`);
        if (line.fix) write(`    fix: ${line.fix}`);
        return;
      }
      case "result": {
        write(e.neutral ? e.summary : e.ok ? paint("green", e.summary) : paint("red", e.summary));
        for (const command of e.next) write(`  next: ${command}`);
        return;
      }
      case "connect-plan":
        return void connectPlanLines(e).forEach((line) => write(connectLine(line, paint)));
      case "connect-additions":
        return void additionLines(e.carriers).forEach((line) => write(connectLine(line, paint)));
      case "stages-queued":
        // Each stage gets its own line as it starts; a list up front would only repeat them. Their places
        // label what is said of a stage before it starts (connect's "nothing to add here").
        for (const ref of e.stages) refs.set(keyOf(ref), ref);
        return;
      default:
        return unreachable(e);
    }
  }

  return {
    onEvent(event) {
      lastEventAt = now();
      render(event);
      // After the run's result there is nothing left to wait for.
      if (event.kind === "result") stop();
      else arm();
    },
    close: stop,
  };
}

// A line of connect's plan or additions: its first word in its tone, a heading bold, the rest as it is.
function connectLine(line: ConnectLine, paint: (style: Style, text: string) => string): string {
  const indent = /^ */.exec(line.text)![0];
  const body = line.text.slice(indent.length);
  const space = body.indexOf(" ");
  const [first, rest] = space === -1 ? [body, ""] : [body.slice(0, space), body.slice(space)];
  // The indent stays outside the colour, where the wrapping finds it.
  if (line.heading) return `${indent}${paint("bold", body)}`;
  if (line.dim) return `${indent}${paint("dim", body)}`;
  return line.tone ? `${indent}${paint(line.tone, first)}${rest}` : line.text;
}

// One key per stage of one client region: stage 1 has none.
function keyOf(ref: { readonly stage: StageNumber; readonly clientRegion?: string | undefined }): string {
  return `${ref.stage} ${ref.clientRegion ?? ""}`;
}

// Several client regions: each region's verification in a line (and its advice when it failed); the
// matrix follows with the figures.
function regionVerifyLines(region: string, report: VerifyReport, paint: (style: Style, text: string) => string): string[] {
  const line = regionVerifyText(region, report);
  if (report.ok) return [paint("green", line)];
  return [paint("red", line), ...(report.failure ? [`    ${report.failure.advice}`] : [])];
}

function finishedText(outcome: "created" | "updated" | "no-op" | "deleted" | "absent", stackName: string): string {
  switch (outcome) {
    case "no-op":
      return `${stackName} is up to date`;
    case "absent":
      return `${stackName} does not exist`;
    default:
      return `${outcome} ${stackName}`;
  }
}

function sampleLine(sample: VerifySample): string {
  const head = `sample ${sample.index}${sample.index === 1 ? " (cold)" : ""}:`;
  const roundTrip = `round trip ${formatMs(sample.roundTripMs)} ms`;
  if (sample.kind === "unexpected") return `${head} unexpected answer: ${sample.detail} · ${roundTrip}`;
  const a = sample.answer;
  const what = a.ok ? `ok ${a.status ?? ""}`.trim() : `${a.error?.layer ?? "failed"} error: ${a.error?.message ?? ""}`;
  return `${head} ${what} · inside ${formatMs(a.timings.totalMs)} ms · ${roundTrip}`;
}

function verifyLines(report: VerifyReport, paint: (style: Style, text: string) => string): string[] {
  const table = latencyTable(report, latencyColumns(undefined));
  const lines = [table.header, ...table.rows, `(${table.note})`];
  // The latest answer the API itself gave; a DNS or connect failure has no response to show.
  const last = report.samples.findLast((s) => s.kind === "answer" && s.answer.status !== null);
  if (last?.kind === "answer") {
    lines.push(`response ${last.answer.status}: ${truncate(last.answer.body ?? "(no body)", 500)}`);
  }
  if (report.ok) {
    lines.push(paint("green", "verification passed"));
  } else if (report.failure) {
    lines.push(paint("red", `verification failed at the ${report.failure.layer} layer: ${report.failure.message}`));
    lines.push(`    ${report.failure.advice}`);
  }
  return lines;
}
