// Following one operation on a stack, as every stage does it: a poller that counts only this operation's
// events (its tokens, or events since it began), each event turned into a progress event, until the stack
// settles. `start` runs once the poller exists, so that nothing the operation records is missed.
import { type PollStats, StackEventPoller, type WatchResult, watchStack } from "../../aws/event-poller.js";
import { type EngineContext, resourceEmitter } from "../context.js";
import type { StageRef } from "../events.js";

/** One operation to follow on a stack: its id, tokens, start time, and what to do on Ctrl-C. */
export interface Follow {
  // The stack id (ARN) where known: unlike the name, it still answers after the stack is deleted.
  readonly stack: string;
  readonly tokens: readonly string[];
  readonly since: number;
  readonly stats?: PollStats | undefined;
  // The template's plain-English names for the progress rows.
  readonly descriptions?: ReadonlyMap<string, string> | undefined;
  readonly start?: (() => Promise<void>) | undefined;
  readonly onAbort?: ((poller: StackEventPoller) => Promise<(status: string) => boolean>) | undefined;
  readonly deadline?: number | undefined;
  // Called after every poll (the client stack's delete sweeps Lambda's interfaces from here).
  readonly onPoll?: (() => void) | undefined;
}

/** Starts the operation and follows it, emitting a progress event per stack event, until it settles. */
export async function followStack(ctx: EngineContext, ref: StageRef, follow: Follow): Promise<{ poller: StackEventPoller; watched: WatchResult }> {
  const { onAbort } = follow;
  const poller = new StackEventPoller(ctx.clients.cloudFormation(ref.region), {
    stack: follow.stack,
    stackName: ref.stackName,
    tokens: follow.tokens,
    since: follow.since,
    stats: follow.stats,
  });
  await follow.start?.();
  const emitter = resourceEmitter(ctx, ref, follow.descriptions);
  const watched = await watchStack(poller, {
    clock: ctx.clock,
    signal: ctx.signal,
    random: ctx.random,
    onEvents: (events) => {
      emitter(events);
      follow.onPoll?.();
    },
    onAbort: onAbort && (() => onAbort(poller)),
    deadline: follow.deadline,
  });
  return { poller, watched };
}
