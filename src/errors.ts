/** Errors that carry their exit code, so the CLI maps them in one place and nothing else exits. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** Bad input or a missing value: exit 2 with one line that names the problem and the fix. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  override readonly name = "UsageError";
}

/** AWS refused, a stack failed, or the path does not work: exit 1. */
export class FailureError extends Error {
  readonly exitCode = EXIT.failure;
  override readonly name = "FailureError";
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * Ctrl-C ended the run: exit 130 after what is left has been said. `told`: the run's own output already
 * said it (the result line and the next commands), so the CLI adds nothing.
 */
export class InterruptedError extends Error {
  readonly exitCode = EXIT.interrupted;
  override readonly name = "InterruptedError";
  constructor(
    message: string,
    readonly told = false,
  ) {
    super(message);
  }
}
