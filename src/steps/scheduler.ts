// Lanes run side by side, at most `width` at once, started in order: one lane is one client region's
// stages (deploy: 2 then 3; teardown: 3 then 2). A lane that ends badly stops no lane already running and
// starts no new one, nor does Ctrl-C (each running lane cancels its own operation, as a single stage does):
// CloudFormation's own StackSets behave so with a failure tolerance of 0 (research/connect.md §4.2).

/** One unit of work, named for the messages (a client region). */
export interface Lane<T> {
  readonly key: string;
  run(): Promise<T>;
}

/** How one lane went: it ran (with its value), or it never started, and why. */
export type LaneResult<T> =
  | { readonly key: string; readonly kind: "ran"; readonly value: T }
  | { readonly key: string; readonly kind: "not-started"; readonly why: "stopped" | "cancelled" };

/** How many lanes at once, what Ctrl-C is, and which values stop further starts. */
export interface LaneOptions<T> {
  readonly width: number;
  readonly signal?: AbortSignal | undefined;
  // A lane that ended so (a failure) starts no further lane.
  readonly stops: (value: T) => boolean;
  // Called as each lane starts, in order (for tests and progress).
  readonly onStart?: ((key: string) => void) | undefined;
}

/**
 * Runs the lanes, at most `width` at once, in order; answers every lane's result in the lanes' order
 * once all that started have ended. A lane that throws (a bug, expired credentials) stops further starts
 * too; the first such error is thrown once the others have ended, so none is left running unseen.
 */
export async function runLanes<T>(lanes: readonly Lane<T>[], options: LaneOptions<T>): Promise<LaneResult<T>[]> {
  if (!Number.isInteger(options.width) || options.width < 1) throw new RangeError(`width must be a whole number of at least 1, got ${options.width}`);
  const results: (LaneResult<T> | undefined)[] = lanes.map(() => undefined);
  let next = 0;
  let stopped = false;
  let thrown: { readonly error: unknown } | undefined;

  const runOne = async (index: number): Promise<void> => {
    const lane = lanes[index]!;
    options.onStart?.(lane.key);
    try {
      const value = await lane.run();
      results[index] = { key: lane.key, kind: "ran", value };
      if (options.stops(value)) stopped = true;
    } catch (error) {
      thrown ??= { error };
      stopped = true;
    }
  };

  // Each worker takes the next lane when its own ends, until a stop or Ctrl-C.
  const worker = async (): Promise<void> => {
    while (next < lanes.length && !stopped && !options.signal?.aborted) await runOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(options.width, lanes.length) }, worker));
  if (thrown) throw thrown.error;
  const why = options.signal?.aborted ? "cancelled" : "stopped";
  return lanes.map((lane, i) => results[i] ?? { key: lane.key, kind: "not-started", why });
}
