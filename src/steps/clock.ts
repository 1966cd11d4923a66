// Time is injected so the engine's waits (event polling, change-set polling, backoff) run instantly in
// tests while a fake clock records every sleep for assertions.
export interface Clock {
  now(): number;
  // Resolves after ms, or at once when the signal aborts (never rejects): callers check signal.aborted.
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

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
