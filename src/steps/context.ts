// What the deploy and teardown engine needs from its caller (the CLI, or a test), and the small helpers
// every stage shares for turning CloudFormation events into progress events.
import type { StackEvent } from "@aws-sdk/client-cloudformation";
import type { AwsClients } from "../aws/clients.js";
import type { RootCause } from "../aws/event-poller.js";
import type { Clock } from "../aws/clock.js";
import type { Emit, StageRef } from "./events.js";
import type { StagePlan } from "./plan.js";

export interface EngineContext {
  // Lambda and EC2 free the client function's network interfaces before its stack is deleted.
  readonly clients: Pick<AwsClients, "cloudFormation" | "ec2" | "lambda" | "profile">;
  readonly emit: Emit;
  readonly clock: Clock;
  // First Ctrl-C: cancel the running operation and report what is left. A second press is the CLI's.
  readonly signal: AbortSignal;
  // Poll-interval jitter; tests pass a constant.
  readonly random?: (() => number) | undefined;
}

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

export function info(ctx: EngineContext, ref: StageRef, message: string): void {
  ctx.emit({ kind: "info", message, stage: ref.stage, at: ctx.clock.now() });
}

// One `resource` event per CloudFormation event, the stack's own included (it carries the stack's status).
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
