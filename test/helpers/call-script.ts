// What a fake AWS client's tests script beyond its timeline, shared by the fakes (cfn-timeline.ts,
// function-network-timeline.ts): the next call of a command failing with an error, and a hook run right
// after a command's nth call (to press Ctrl-C mid-stage, or change the world between two polls).
export class CallScript<Command extends string> {
  private readonly failures: { command: Command; error: Error }[] = [];
  private readonly hooks: { command: Command; nth: number; run: () => void }[] = [];

  /** The next call of `command` throws `error` (queue several for several calls). */
  failNext(command: Command, error: Error): void {
    this.failures.push({ command, error });
  }

  /** Runs `run` right after the nth call of `command` (1-based). */
  after(command: Command, nth: number, run: () => void): void {
    this.hooks.push({ command, nth, run });
  }

  /** The nth call of `command`: a queued failure is thrown, or the fake's answer given; then its hooks run. */
  answer<T>(command: Command, nth: number, answer: () => T): T {
    const failure = this.failures.findIndex((f) => f.command === command);
    try {
      if (failure >= 0) throw this.failures.splice(failure, 1)[0]!.error;
      return answer();
    } finally {
      for (const hook of this.hooks) if (hook.command === command && hook.nth === nth) hook.run();
    }
  }
}
