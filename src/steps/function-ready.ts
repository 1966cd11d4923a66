// DESIGN §10.5: invoke the client function only when Lambda says it can run — State Active and
// LastUpdateStatus Successful. A new VPC function is Pending while Lambda sets up its network interfaces
// (about a minute, AWS says); an update runs with LastUpdateStatus InProgress; a function idle for weeks is
// Inactive until an invoke wakes it. AWS: https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
import type { AwsClients } from "../aws/clients.js";
import { pollDelay } from "../aws/clock.js";
import { asCredentialsError } from "../aws/errors.js";
import { readFunctionStatus, type FunctionStatus } from "../aws/function.js";
import type { Clock } from "../aws/clock.js";
import { diagnoseFunctionReadError, functionCancelled, functionFailed, functionNotRestored, functionTimedOut, type Diagnosis } from "./diagnose.js";
import type { Emit } from "./events.js";

/** How long to wait for a ready function: like the SDK's waitUntilFunctionActiveV2, enough for a VPC function's interfaces. */
export const READY_LIMIT_MS = 5 * 60_000;

/** What the wait needs from its caller (verify's context fits). */
export interface ReadyContext {
  readonly clients: Pick<AwsClients, "lambda" | "profile">;
  readonly emit: Emit;
  readonly clock: Clock;
  // Ctrl-C ends the wait.
  readonly signal?: AbortSignal | undefined;
  // Poll-interval jitter; tests pass a constant.
  readonly random?: (() => number) | undefined;
}

/** The function to wait for, and for how long at most. */
export interface ReadyInput {
  readonly region: string;
  readonly functionName: string;
  readonly limitMs?: number | undefined;
}

/** What to do about a function in this state: invoke it, wait, or give up with a reason. */
export type Judgement = "ready" | "wait" | "inactive" | "failed";

/** Lambda's answer read as what a caller may do with the function now. */
export function judgeFunction(status: FunctionStatus): Judgement {
  if (status.state === "Failed" || status.lastUpdateStatus === "Failed") return "failed";
  if (status.state === "Inactive") return "inactive";
  // A function still being created has no LastUpdateStatus yet; once Active it has run no update.
  if (status.state === "Active" && (status.lastUpdateStatus === undefined || status.lastUpdateStatus === "Successful")) return "ready";
  return "wait";
}

/**
 * Waits (bounded, emitting progress) until the function is ready to invoke. "not-ready": before the first
 * invoke, where an Inactive function counts as ready (the invoke wakes it); "inactive": after an invoke was
 * refused because the function was inactive, so Lambda is restoring it and Inactive means it gave up.
 * Returns undefined when the function is ready, else why it is not.
 */
export async function waitUntilReady(ctx: ReadyContext, input: ReadyInput, cause: "not-ready" | "inactive"): Promise<Diagnosis | undefined> {
  const limit = input.limitMs ?? READY_LIMIT_MS;
  const started = ctx.clock.now();
  let shown: string | undefined;
  let restoring = false;
  for (let attempt = 0; ; attempt++) {
    let status: FunctionStatus;
    try {
      status = await readFunctionStatus(ctx.clients, input.region, input.functionName);
    } catch (error) {
      const credentials = asCredentialsError(error, ctx.clients.profile);
      if (credentials) throw credentials;
      return diagnoseFunctionReadError(error, input.functionName, input.region);
    }
    const judgement = judgeFunction(status);
    const waitedMs = ctx.clock.now() - started;
    if (judgement === "failed") return functionFailed(status);
    if (cause === "inactive" && judgement === "inactive" && restoring) return functionNotRestored(status);
    const ready = judgement === "ready" || (judgement === "inactive" && cause === "not-ready");
    const key = `${status.state}/${status.lastUpdateStatus ?? ""}/${status.stateReasonCode ?? ""}`;
    // Waking an inactive function is worth saying even when Lambda has restored it by the first look.
    if ((!ready || (cause === "inactive" && shown === undefined)) && key !== shown) {
      ctx.emit({ kind: "function-waiting", cause, function: status, at: ctx.clock.now() });
      shown = key;
    }
    if (ready) {
      if (shown !== undefined) ctx.emit({ kind: "function-ready", function: status, waitedMs, at: ctx.clock.now() });
      return undefined;
    }
    // Right after the refused invoke Lambda may still say Inactive; once it says Pending it is restoring.
    restoring ||= status.state === "Pending";
    if (waitedMs >= limit) return functionTimedOut(status, limit);
    await ctx.clock.sleep(Math.min(pollDelay(attempt, ctx.random), limit - waitedMs), ctx.signal);
    if (ctx.signal?.aborted) return functionCancelled(status);
  }
}
