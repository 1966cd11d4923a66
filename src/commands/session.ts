// What a command that talks to AWS sets up once: the renderer chosen from --progress, the AWS clients,
// and Ctrl-C semantics (first press cancels the running operation, second detaches at once).
//
// A run has two phases. Until `goLive()`, people may be asked questions, so events print as plain lines;
// from `goLive()` on nobody is asked anything and, in a terminal, Ink redraws the live rows.
import type { Writable } from "node:stream";
import { createClients, type AwsClients } from "../aws/clients.js";
import { systemClock } from "../aws/clock.js";
import type { StepContext } from "../steps/context.js";
import type { Emit, Operation, ProgressEvent, StageRef } from "../steps/events.js";
import { FailureError, InterruptedError, UsageError } from "../errors.js";
import { createPlainRenderer } from "../ui/plain.js";
import { terminalColumns, wrapCommand, wrapLines } from "../ui/format.js";
import { createJsonRenderer, type Renderer, wantsInk } from "../ui/renderer.js";
import type { CommandContext } from "./context.js";
import { asFailure } from "../aws/errors.js";
import { type Locatable, locateFlags } from "./next-steps.js";
import { listItems } from "../config/answers.js";

/** A command's AWS run: the one step context (every client, Ctrl-C wired) plus where people read and the live view. */
export interface Session extends StepContext {
  readonly clients: AwsClients;
  readonly signal: AbortSignal;
  // Where sentences for people go: stderr when stdout carries NDJSON.
  readonly human: Writable;
  goLive(): Promise<void>;
  close(): Promise<void>;
}

type HumanRenderer = Renderer & { close(): void | Promise<void> };

interface OpenSession extends Session {
  // For a run that ends in an error: the events a machine reader still needs (stage-failed for each stage
  // left open, then the result). People get the CLI's error line instead.
  endWithError(summary: string): void;
  // The caller's ARN once preflight or status learnt it.
  identity(): string | undefined;
}

/** What a session needs of a run's answers: the name and regions that find it (a deployment's client regions, or a connection's one), and the profile. */
export type Located = Locatable;

function openSession(ctx: CommandContext, answers: Located, operation: Operation): OpenSession {
  const json = ctx.flags.progress === "json";
  const human = json ? ctx.stderr : ctx.stdout;
  const machine = json ? createJsonRenderer(ctx.stdout) : undefined;
  let view: HumanRenderer = createPlainRenderer({ stream: human });
  const ending = trackEnding();
  const emit: Emit = (event: ProgressEvent) => {
    ending.see(event);
    machine?.onEvent(event);
    view.onEvent(event);
  };
  const clients = createClients({ profile: answers.profile });
  const controller = new AbortController();

  const regions = "clients" in answers ? answers.clients.map((c) => c.region) : listItems(answers.clientRegion);

  const onInterrupt = () => {
    if (!controller.signal.aborted) {
      emit({ kind: "info", message: cancellingLine(regions, ending.runningRegions()), at: Date.now() });
      controller.abort();
      return;
    }
    void view.close();
    const flags = locateFlags(answers);
    const columns = terminalColumns(human);
    // A connection's stacks are removed by disconnect, a deployment's by teardown.
    const remove = operation === "connect" || operation === "disconnect" ? "disconnect" : "teardown";
    const lines = [
      ...wrapLines(["Detached. CloudFormation carries on with whatever was running. See where it stands or remove it with:"], columns),
      ...wrapCommand(`${ctx.invocation} status ${flags}`, 2, columns),
      ...wrapCommand(`${ctx.invocation} ${remove} ${flags}`, 2, columns),
    ];
    human.write(`\n${lines.join("\n")}\n`);
    ctx.exit(130);
  };
  process.on("SIGINT", onInterrupt);
  emit({ kind: "run-started", operation, name: answers.name, ...(regions.length > 1 ? { clientRegions: regions } : {}), at: Date.now() });

  return {
    emit,
    clients,
    clock: systemClock,
    signal: controller.signal,
    human,
    async goLive() {
      if (!wantsInk(ctx.flags.progress, ctx.stdout, ctx.env)) return;
      // Ink and its React tree load only for a terminal that will show them.
      const { createInkRenderer } = await import("../ui/ink-renderer.js");
      await view.close();
      view = createInkRenderer({ stdout: human, env: ctx.env, clientRegions: regions });
    },
    identity: () => ending.identity,
    endWithError(summary) {
      if (!machine) return;
      for (const event of ending.closingEvents(operation, summary, Date.now())) machine.onEvent(event);
    },
    async close() {
      process.off("SIGINT", onInterrupt);
      await view.close();
      machine?.close();
      clients.destroy();
    },
  };
}

/**
 * Runs a command's AWS part in a session that is always closed (the final frame drawn, the clients
 * released), with AWS errors a person can act on turned into exit-1 failures.
 */
export async function withSession<T>(
  ctx: CommandContext,
  answers: Located,
  operation: Operation,
  body: (session: Session) => Promise<T>,
): Promise<T> {
  const session = openSession(ctx, answers, operation);
  try {
    return await body(session);
  } catch (error) {
    const failure = asFailure(error, answers.profile, session.identity());
    session.endWithError(errorLine(failure));
    throw failure;
  } finally {
    await session.close();
  }
}

/**
 * What the first Ctrl-C says. With several client regions, the regions whose stacks are being changed now
 * (all of the run's when no stage has started yet): each region has its own operation, and each is cancelled.
 * `running`: the client region of each stage running now (undefined for a stage of no one region).
 */
export function cancellingLine(regions: readonly string[], running: readonly (string | undefined)[]): string {
  const named = running.length > 0 ? regions.filter((r) => running.includes(r)) : regions;
  // One region, or the stage every region shares (deploy's stage 1): one operation.
  if (regions.length < 2 || named.length === 0) return "Cancelling the running operation… press Ctrl-C again to detach and leave it running.";
  if (named.length === 1) return `Cancelling the running operation of client region ${named[0]}… press Ctrl-C again to detach and leave it running.`;
  const list = `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
  return `Cancelling the running operations of client regions ${list}… press Ctrl-C again to detach and leave them running.`;
}

// The line the CLI prints for this error, without its "error: " prefix.
function errorLine(error: unknown): string {
  if (error instanceof FailureError || error instanceof UsageError || error instanceof InterruptedError) return error.message;
  return `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
}

// Which stages started without an ending, the stack status last seen for each, whether the run's result
// was already emitted, and who the caller is.
function trackEnding() {
  // By stage and client region: several client regions' stages run at once.
  const open = new Map<string, { ref: StageRef; status: string }>();
  const keyOf = (ref: StageRef) => `${ref.stage} ${ref.clientRegion ?? ""}`;
  let resulted = false;
  return {
    identity: undefined as string | undefined,
    runningRegions(): (string | undefined)[] {
      return [...open.values()].map(({ ref }) => ref.clientRegion);
    },
    see(event: ProgressEvent): void {
      if (event.kind === "identity") this.identity = event.arn;
      else if (event.kind === "result") resulted = true;
      else if (event.kind === "stage-started") open.set(keyOf(event), { ref: stageRefOf(event), status: "UNKNOWN" });
      else if (event.kind === "stage-finished" || event.kind === "stage-failed" || event.kind === "stage-cancelled") open.delete(keyOf(event));
      else if (event.kind === "resource" && event.logicalId === event.stackName) {
        const entry = open.get(keyOf(event));
        if (entry) entry.status = event.status;
      }
    },
    closingEvents(operation: Operation, summary: string, at: number): ProgressEvent[] {
      const events: ProgressEvent[] = [...open.values()].map(({ ref, status }) => ({ kind: "stage-failed", ...ref, status, rootCause: undefined, message: summary, at }));
      open.clear();
      if (!resulted) events.push({ kind: "result", operation, ok: false, summary, next: [], at });
      resulted = true;
      return events;
    },
  };
}

function stageRefOf(ref: StageRef): StageRef {
  return { stage: ref.stage, key: ref.key, stackName: ref.stackName, region: ref.region, ...(ref.clientRegion === undefined ? {} : { clientRegion: ref.clientRegion }) };
}

