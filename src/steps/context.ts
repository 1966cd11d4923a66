// The one context every step gets from its caller (the CLI's session, or a test): the AWS clients it
// may use, where its events go, the clock, and Ctrl-C; and the helpers every stage shares for turning
// CloudFormation events into progress events.
import type { StackEvent } from "@aws-sdk/client-cloudformation";
import type { AwsClients } from "../aws/clients.js";
import type { RootCause } from "../aws/event-poller.js";
import type { Clock } from "../aws/clock.js";
import { type Emit, noteOf, type StageRef } from "./events.js";
import type { StagePlan } from "./plan.js";

/** What every step gets: the clients it may use (C), the event sink, the clock (tests pass a fake) and Ctrl-C. */
export interface StepContext<C extends keyof AwsClients = keyof AwsClients> {
  readonly clients: Pick<AwsClients, C>;
  readonly emit: Emit;
  // Times waits and stamps events; tests pass a fake that records every sleep.
  readonly clock: Clock;
  // First Ctrl-C: cancel the running operation and report what is left. A second press is the CLI's.
  readonly signal?: AbortSignal | undefined;
  // Poll-interval jitter; tests pass a constant.
  readonly random?: (() => number) | undefined;
}

/** The deploy and teardown engine's context: Lambda and EC2 free the client function's interfaces before its stack is deleted, and Ctrl-C is always wired. */
export interface EngineContext extends StepContext<"cloudFormation" | "ec2" | "lambda" | "profile"> {
  readonly signal: AbortSignal;
}

/** The engine's context for a deploy: what to ask, where the templates are, how long to wait. */
export interface DeployContext extends EngineContext {
  // A stack left in ROLLBACK_COMPLETE can only be deleted and created again: ask first (TTY prompt or --yes).
  readonly confirmReplace: (stackName: string, region: string) => Promise<boolean>;
  // Defaults to the templates shipped beside the program.
  readonly templatesDir?: string | undefined;
  // How long to wait for another operation already running on a stack (default 60 minutes).
  readonly waitLimitMs?: number | undefined;
  // What a failure's cause means for this deployment (the flag that fixes it), appended to its message.
  readonly adviseFailure?: ((stage: StagePlan, cause: RootCause) => string | undefined) | undefined;
}

/** Emits an info line for the stage. */
export function info(ctx: EngineContext, ref: StageRef, message: string): void {
  ctx.emit({ kind: "info", message, ...noteOf(ref), at: ctx.clock.now() });
}

/** One `resource` event per CloudFormation event, the stack's own included (it carries the stack's status). */
export function resourceEmitter(
  ctx: EngineContext,
  ref: StageRef,
  descriptions: ReadonlyMap<string, string> = new Map(),
): (events: readonly StackEvent[]) => void {
  return (events) => {
    for (const event of events) {
      const logicalId = event.LogicalResourceId ?? "";
      ctx.emit({
        kind: "resource",
        ...ref,
        logicalId,
        resourceType: event.ResourceType ?? "",
        status: event.ResourceStatus ?? "",
        reason: event.ResourceStatusReason,
        description: descriptions.get(logicalId),
        eventId: event.EventId ?? "",
        at: event.Timestamp?.getTime() ?? ctx.clock.now(),
      });
    }
  };
}
