// DescribeStackEvents poller in the shape of aws-cdk-cli's StackEventPoller: each poll() returns only the
// events not seen before, oldest first, cut off at the start of our own operation; completion comes from
// the stack's own event, so no DescribeStacks loop is needed.
import { type CloudFormationClient, DescribeStackEventsCommand, type StackEvent } from "@aws-sdk/client-cloudformation";
import { type Clock, pollDelay, throttledDelay } from "./clock.js";
import { isStackMissing, isThrottling } from "./errors.js";

/** The first resource that failed, and why: what a failed stage reports. */
export interface RootCause {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly reason: string;
}

/** Counts of DescribeStackEvents calls, for the benchmark and the tests. */
export interface PollStats {
  describeStackEventsCalls: number;
}

/** Which stack to follow and which of its events belong to this operation. */
export interface PollerProps {
  // The stack id (ARN) where known: unlike the name, it still answers after the stack is deleted.
  readonly stack: string;
  readonly stackName: string;
  // ClientRequestTokens we passed; the stack's events carry the token of the operation that caused them.
  readonly tokens: readonly string[];
  // Events without one of our tokens count only from here (moto and LocalStack send no tokens).
  readonly since: number;
  readonly stats?: PollStats | undefined;
}

const STACK_TYPE = "AWS::CloudFormation::Stack";
const CANCELLED = /Resource (creation|update) cancelled/i;

function isStackEvent(event: StackEvent, stackName: string): boolean {
  return event.ResourceType === STACK_TYPE && event.LogicalResourceId === stackName;
}

// ROLLBACK_IN_PROGRESS, UPDATE_ROLLBACK_*, DELETE_FAILED, …: the operation has failed.
function isFailing(status: string): boolean {
  return status.endsWith("_FAILED") || status.includes("ROLLBACK");
}

function isTerminal(status: string | undefined): boolean {
  return status !== undefined && !status.endsWith("_IN_PROGRESS");
}

/** Reads a stack's new events page by page, keeping only this operation's, and remembers the first failure. */
export class StackEventPoller {
  complete = false;
  // The stack's latest status as its own events report it.
  status: string | undefined;
  // Why the operation failed, in the stack's own events: the first failing event's reason, kept. A cause
  // that is no resource's (a parameter AWS validates only when the operation runs: "Parameter validation
  // failed: … Rollback requested by user.") is on ROLLBACK_IN_PROGRESS alone, and ROLLBACK_COMPLETE, which
  // follows it, has no reason at all (PacktPublishing/Implementing-DevOps-on-AWS#2, aws/amazon-ecs-cli#236).
  statusReason: string | undefined;
  calls = 0;
  private readonly seen = new Set<string>();
  private readonly tokens: Set<string>;
  private readonly failures: RootCause[] = [];

  constructor(
    private readonly cfn: CloudFormationClient,
    private readonly props: PollerProps,
  ) {
    this.tokens = new Set(props.tokens);
  }

  // A cancel (DeleteStack / CancelUpdateStack) starts a second operation whose events we also follow.
  addToken(token: string): void {
    this.tokens.add(token);
  }

  // The first failed resource; "Resource creation cancelled" rows are the cascade, not the cause.
  get rootCause(): RootCause | undefined {
    return this.failures.find((f) => !CANCELLED.test(f.reason)) ?? this.failures[0];
  }

  async poll(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    try {
      let nextToken: string | undefined;
      pages: do {
        this.calls++;
        if (this.props.stats) this.props.stats.describeStackEventsCalls++;
        const page = await this.cfn.send(
          new DescribeStackEventsCommand({ StackName: this.props.stack, NextToken: nextToken }),
        );
        for (const event of page.StackEvents ?? []) {
          if (this.seen.has(event.EventId ?? "") || !this.isOurs(event)) break pages;
          fresh.push(event);
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      if (!isStackMissing(error)) throw error;
      // Only a lookup by name can miss, and only once the stack is gone.
      this.complete = true;
      this.status = "DELETE_COMPLETE";
    }
    fresh.reverse();
    for (const event of fresh) this.record(event);
    return fresh;
  }

  private isOurs(event: StackEvent): boolean {
    if (event.ClientRequestToken && this.tokens.has(event.ClientRequestToken)) return true;
    return (event.Timestamp?.getTime() ?? 0) >= this.props.since;
  }

  private record(event: StackEvent): void {
    this.seen.add(event.EventId ?? "");
    const status = event.ResourceStatus ?? "";
    if (isStackEvent(event, this.props.stackName)) {
      this.status = status;
      if (isFailing(status)) this.statusReason ||= event.ResourceStatusReason;
      this.complete = isTerminal(status);
    } else if (status.endsWith("_FAILED")) {
      this.failures.push({
        logicalId: event.LogicalResourceId ?? "",
        resourceType: event.ResourceType ?? "",
        reason: event.ResourceStatusReason ?? "",
      });
    }
  }
}

/** How to watch: the clock, Ctrl-C, jitter, where events go, what an abort does, the deadline. */
export interface WatchOptions {
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
  readonly random?: (() => number) | undefined;
  readonly onEvents: (events: readonly StackEvent[]) => void;
  // Called once, at the first poll after the signal aborts; returns when the watch may end instead.
  readonly onAbort?: (() => Promise<(status: string) => boolean>) | undefined;
  // Give up waiting at this time (used only for operations that are not ours).
  readonly deadline?: number | undefined;
}

/** How a watch ended: the stack's last status, and whether Ctrl-C or the deadline stopped it. */
export interface WatchResult {
  readonly status: string | undefined;
  readonly settled: boolean;
  readonly aborted: boolean;
  // When the stack's terminal event was first seen: the benchmark measures hand-offs from here.
  readonly settledAt: number | undefined;
}

/**
 * Polls until the stack settles. Throttling never ends the watch; an abort runs onAbort once, then keeps
 * following the stack (sleeps no longer listen to the signal, which stays aborted) until it settles.
 */
export async function watchStack(poller: StackEventPoller, options: WatchOptions): Promise<WatchResult> {
  const { clock, signal, onEvents } = options;
  const random = options.random ?? Math.random;
  let attempt = 0;
  let throttled = 0;
  let abortHandled = false;
  let settledWhen: (status: string) => boolean = () => true;
  for (;;) {
    try {
      onEvents(await poller.poll());
      throttled = 0;
    } catch (error) {
      if (!isThrottling(error)) throw error;
      await clock.sleep(throttledDelay(++throttled, random));
      continue;
    }
    if (poller.complete && settledWhen(poller.status ?? "")) {
      const settledAt = clock.now();
      if (!isSuccess(poller.status)) await finalPoll(poller, onEvents);
      return { status: poller.status, settled: true, aborted: abortHandled, settledAt };
    }
    if (signal?.aborted && !abortHandled) {
      abortHandled = true;
      if (!options.onAbort) return { status: poller.status, settled: false, aborted: true, settledAt: undefined };
      settledWhen = await options.onAbort();
      continue;
    }
    if (options.deadline !== undefined && clock.now() >= options.deadline) {
      return { status: poller.status, settled: false, aborted: abortHandled, settledAt: undefined };
    }
    await clock.sleep(pollDelay(attempt++, random), abortHandled ? undefined : signal);
  }
}

function isSuccess(status: string | undefined): boolean {
  return status === "CREATE_COMPLETE" || status === "UPDATE_COMPLETE" || status === "DELETE_COMPLETE";
}

// DescribeStackEvents is eventually consistent: a failure's reason can land after the stack's own event.
async function finalPoll(poller: StackEventPoller, onEvents: WatchOptions["onEvents"]): Promise<void> {
  try {
    onEvents(await poller.poll());
  } catch (error) {
    if (!isThrottling(error)) throw error;
  }
}
