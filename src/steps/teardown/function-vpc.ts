// The client function leaving its VPC: a configuration change Lambda refuses while the function is Pending
// or another update runs, accepts at once and applies in the background (LastUpdateStatus tells when).
// Teardown detaches the function before its interfaces are released (release-interfaces.ts); deploy puts
// one back that a stopped teardown left out (reattach-function.ts) and waits the same way.
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { pollDelay } from "../../aws/clock.js";
import { detachFromVpc, functionVpcState, type FunctionVpcState, type InterfaceOwner } from "../../aws/function.js";
import type { EngineContext } from "../context.js";
import type { StageRef } from "../events.js";

// Lambda refuses a configuration change while the function is Pending or another update runs.
const BUSY_LIMIT_MS = 5 * 60_000;
export const DETACH_LIMIT_MS = 5 * 60_000;

/** One client stack's function and where it is, while its VPC configuration is changed. */
export interface FunctionJob {
  readonly ctx: EngineContext;
  readonly ref: StageRef;
  readonly signal: AbortSignal | undefined;
  readonly functionName: string | undefined;
  readonly owner: InterfaceOwner;
  readonly lambda: LambdaClient;
  readonly ec2: EC2Client;
  // Polls so far in the current wait: quick at first, when most detaches finish, then every 5 s.
  polls: number;
}

/** How a detach ended. */
export type Detached =
  | { readonly kind: "detached" }
  | { readonly kind: "gone" }
  | { readonly kind: "not-possible"; readonly reason: string }
  | { readonly kind: "aborted" };

/** Takes the function out of its VPC once Lambda lets it, and waits until Lambda has applied it. */
export async function detach(job: FunctionJob, first: FunctionVpcState): Promise<Detached> {
  const { ctx, ref } = job;
  const functionName = job.functionName!;
  ctx.emit({ kind: "function-detach", ...ref, functionName, phase: "started", at: ctx.clock.now() });
  const outcome = await detachWhenIdle(job, first);
  if (outcome) return notPossible(job, outcome);
  // Lambda accepts the change at once and carries it out in the background: LastUpdateStatus tells when.
  const updated = await updateDone(job, DETACH_LIMIT_MS);
  if (updated.kind !== "done") return updated.kind === "aborted" || updated.kind === "gone" ? updated : notPossible(job, updated);
  ctx.emit({ kind: "function-detach", ...ref, functionName, phase: "done", at: ctx.clock.now() });
  return { kind: "detached" };
}

// Waits for the function's last update to finish: done at Successful, not-possible at Failed or the limit.
export async function updateDone(job: FunctionJob, limitMs: number): Promise<{ kind: "done" } | Exclude<Detached, { kind: "detached" }>> {
  const deadline = job.ctx.clock.now() + limitMs;
  job.polls = 0;
  for (;;) {
    const fn = await functionVpcState(job.lambda, job.functionName!);
    if (!fn) return { kind: "gone" };
    if (fn.lastUpdateStatus === "Successful") return { kind: "done" };
    if (fn.lastUpdateStatus === "Failed") return { kind: "not-possible", reason: `Lambda could not apply it: ${fn.lastUpdateStatusReason ?? "LastUpdateStatus Failed"}` };
    const waited = await pause(job, deadline, `the change was still ${fn.lastUpdateStatus ?? "in progress"} after ${minutes(limitMs)}`);
    if (waited) return waited;
  }
}

// Undefined once the detach request was accepted; otherwise why it was not.
async function detachWhenIdle(job: FunctionJob, first: FunctionVpcState): Promise<Exclude<Detached, { kind: "detached" }> | undefined> {
  const deadline = job.ctx.clock.now() + BUSY_LIMIT_MS;
  job.polls = 0;
  let fn: FunctionVpcState | undefined = first;
  for (;;) {
    if (fn.state !== "Pending" && fn.lastUpdateStatus !== "InProgress") {
      try {
        await detachFromVpc(job.lambda, job.functionName!);
        return undefined;
      } catch (error) {
        const name = error instanceof Error ? error.name : "";
        if (name === "ResourceNotFoundException") return { kind: "gone" };
        if (name !== "ResourceConflictException") throw error;
      }
    }
    const waited = await pause(job, deadline, `the function stayed ${fn.state === "Pending" ? "Pending" : "busy with another update"} for ${minutes(BUSY_LIMIT_MS)}`);
    if (waited) return waited;
    fn = await functionVpcState(job.lambda, job.functionName!);
    if (!fn) return { kind: "gone" };
  }
}

export function notPossible(job: FunctionJob, outcome: Exclude<Detached, { kind: "detached" }>): Detached {
  if (outcome.kind === "not-possible") {
    job.ctx.emit({ kind: "function-detach", ...job.ref, functionName: job.functionName ?? "", phase: "not-possible", reason: outcome.reason, at: job.ctx.clock.now() });
  }
  return outcome;
}

// Sleeps one poll; answers why to stop instead when the user cancelled or the deadline has passed.
export async function pause(job: FunctionJob, deadline: number, late: string): Promise<{ kind: "aborted" } | { kind: "not-possible"; reason: string } | undefined> {
  if (job.signal?.aborted) return { kind: "aborted" };
  if (job.ctx.clock.now() >= deadline) return { kind: "not-possible", reason: late };
  await job.ctx.clock.sleep(pollDelay(job.polls++, job.ctx.random), job.signal);
  return job.signal?.aborted ? { kind: "aborted" } : undefined;
}

export function minutes(ms: number): string {
  return `${ms / 60_000} minutes`;
}
