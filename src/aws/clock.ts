/**
 * Time is injected so the engine's waits (event polling, change-set polling, backoff) run instantly in
 * tests while a fake clock records every sleep for assertions.
 */
export interface Clock {
  now(): number;
  // Resolves after ms, or at once when the signal aborts (never rejects): callers check signal.aborted.
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: Date.now and an abortable setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    });
  },
};

// How long to wait between CloudFormation polls: quick at first, when most short operations finish, then
// every 5 s; longer, doubling up to a cap, while AWS is throttling us. Jittered so that several runs (or
// stages) do not poll in lockstep. And how long the SDK waits before retrying a call (clients.ts).
// Poll intervals in seconds.
const SCHEDULE = [1, 1, 2, 3, 5];
// A poll is throttled here only after the SDK's own retries (clients.ts) were all throttled too.
const THROTTLED_BASE_MS = 2_000;
const THROTTLED_MAX_MS = 10_000;
// The SDK's retries: full jitter over a window that doubles from 50 ms and stops at 1 s.
const RETRY_BASE_MS = 50;
const RETRY_MAX_MS = 1_000;

// ±20 %.
function jitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}

/** The wait before the next CloudFormation poll: quick at first, then every 5 s, jittered. */
export function pollDelay(attempt: number, random: () => number = Math.random): number {
  const seconds = SCHEDULE[Math.min(attempt, SCHEDULE.length - 1)] ?? 5;
  return jitter(seconds * 1000, random);
}

/** The wait after a throttled call: doubling with each throttle in a row, jittered. */
export function throttledDelay(streak: number, random: () => number = Math.random): number {
  return jitter(Math.min(THROTTLED_BASE_MS * 2 ** Math.max(0, streak - 1), THROTTLED_MAX_MS), random);
}

/** The SDK's wait before retry `attempt` (1 for the first retry): full jitter, capped. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1), RETRY_MAX_MS));
}
