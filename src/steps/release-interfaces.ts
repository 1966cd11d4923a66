// Before the client stack is deleted, the client function leaves its VPC and the network interfaces
// Lambda made for it there are deleted here, so CloudFormation has nothing to wait on: the 20-40 minutes
// Lambda takes to release them on its own (serverless#5008, cloudformation-coverage-roadmap#392/#414)
// become about one. The method is go-to-k/delstack's Lambda VPC detacher and cdkd's (DESIGN §11).
//
// The function's role must outlive the interfaces (without it Lambda cannot clean one up and it is
// orphaned). It does by itself: the role is in the same stack, which is deleted only after this, and
// CloudFormation deletes the function, which depends on the role, before the role.
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { AwsClients } from "../aws/clients.js";
import { pollDelay } from "../aws/clock.js";
import { asCredentialsError, describeAwsError, isServiceError } from "../aws/errors.js";
import { deleteInterface, detachFromVpc, functionInterfaces, functionVpcState, type FunctionVpcState, type LambdaInterface } from "../aws/function.js";
import { stackResourceIds } from "../aws/stack.js";
import type { EngineContext } from "./context.js";
import type { StageRef } from "./events.js";

/** What the stack delete can expect: nothing left to wait for, or Lambda's own release (and why). */
export type ReleaseOutcome =
  | { readonly kind: "released"; readonly count: number }
  | { readonly kind: "nothing" }
  | { readonly kind: "left-to-lambda"; readonly why: string }
  | { readonly kind: "aborted" };

// Lambda refuses a configuration change while the function is Pending or another update runs.
const BUSY_LIMIT_MS = 5 * 60_000;
const DETACH_LIMIT_MS = 5 * 60_000;
// After a detach Lambda releases the interfaces within about a minute; one it keeps longer is shared
// with another function or stuck, and CloudFormation is left to wait for it.
const RELEASE_LIMIT_MS = 3 * 60_000;

interface Job {
  readonly ctx: EngineContext;
  readonly ref: StageRef;
  readonly signal: AbortSignal | undefined;
  readonly functionName: string;
  readonly vpcId: string;
  readonly lambda: LambdaClient;
  readonly ec2: EC2Client;
  // Polls so far in the current wait: quick at first, when most detaches finish, then every 5 s.
  polls: number;
}

type Detached =
  | { readonly kind: "detached" }
  | { readonly kind: "gone" }
  | { readonly kind: "not-possible"; readonly reason: string }
  | { readonly kind: "aborted" };

/** Detaches the client function of this stack from its VPC and deletes its network interfaces there. */
export async function releaseClientInterfaces(ctx: EngineContext, ref: StageRef, signal: AbortSignal | undefined): Promise<ReleaseOutcome> {
  // The stack's own resources name the function and the VPC in every state; outputs exist only after a create.
  const ids = await stackResourceIds(ctx.clients.cloudFormation(ref.region), ref.stackName);
  const functionName = ids?.get("AWS::Lambda::Function");
  const vpcId = ids?.get("AWS::EC2::VPC");
  if (!functionName || !vpcId) return { kind: "nothing" };
  const job: Job = { ctx, ref, signal, functionName, vpcId, lambda: ctx.clients.lambda(ref.region), ec2: ctx.clients.ec2(ref.region), polls: 0 };
  const detached = await guarded<Detached>(() => detach(job), (reason) => notPossible(job, { kind: "not-possible", reason }));
  switch (detached.kind) {
    case "aborted":
      return detached;
    case "not-possible":
      return { kind: "left-to-lambda", why: `the client function could not be detached from its VPC (${detached.reason})` };
    case "gone":
      return leftovers(job);
    case "detached":
      return release(job);
  }
}

/** The note for a delete that must wait for Lambda, saying why it could not be made quick. */
export function waitNote(stackName: string, why: string): string {
  return (
    `Deleting ${stackName} can take many minutes (often 20-40) while Lambda releases the function's network ` +
    `interfaces (hyperplane ENIs) in the VPC: ${why}. This is expected, not a hang.`
  );
}

async function detach(job: Job): Promise<Detached> {
  const { ctx, ref, functionName } = job;
  let fn = await functionVpcState(job.lambda, functionName);
  if (!fn) return { kind: "gone" };
  // Already out of our VPC (an earlier run detached it): only its interfaces are left to delete.
  if (fn.vpcId !== job.vpcId) return { kind: "detached" };
  ctx.emit({ kind: "function-detach", ...ref, functionName, phase: "started", at: ctx.clock.now() });
  const outcome = await detachWhenIdle(job, fn);
  if (outcome) return notPossible(job, outcome);
  // Lambda accepts the change at once and carries it out in the background: LastUpdateStatus tells when.
  const deadline = ctx.clock.now() + DETACH_LIMIT_MS;
  job.polls = 0;
  for (;;) {
    fn = await functionVpcState(job.lambda, functionName);
    if (!fn) return { kind: "gone" };
    if (fn.lastUpdateStatus === "Successful") break;
    if (fn.lastUpdateStatus === "Failed") return notPossible(job, { kind: "not-possible", reason: `Lambda could not apply it: ${fn.lastUpdateStatusReason ?? "LastUpdateStatus Failed"}` });
    const waited = await pause(job, deadline, `the change was still ${fn.lastUpdateStatus ?? "in progress"} after ${minutes(DETACH_LIMIT_MS)}`);
    if (waited) return waited.kind === "aborted" ? waited : notPossible(job, waited);
  }
  ctx.emit({ kind: "function-detach", ...ref, functionName, phase: "done", at: ctx.clock.now() });
  return { kind: "detached" };
}

// Undefined once the detach request was accepted; otherwise why it was not.
async function detachWhenIdle(job: Job, first: FunctionVpcState): Promise<Exclude<Detached, { kind: "detached" }> | undefined> {
  const deadline = job.ctx.clock.now() + BUSY_LIMIT_MS;
  job.polls = 0;
  let fn: FunctionVpcState | undefined = first;
  for (;;) {
    if (fn.state !== "Pending" && fn.lastUpdateStatus !== "InProgress") {
      try {
        await detachFromVpc(job.lambda, job.functionName);
        return undefined;
      } catch (error) {
        const name = error instanceof Error ? error.name : "";
        if (name === "ResourceNotFoundException") return { kind: "gone" };
        if (name !== "ResourceConflictException") throw error;
      }
    }
    const waited = await pause(job, deadline, `the function stayed ${fn.state === "Pending" ? "Pending" : "busy with another update"} for ${minutes(BUSY_LIMIT_MS)}`);
    if (waited) return waited;
    fn = await functionVpcState(job.lambda, job.functionName);
    if (!fn) return { kind: "gone" };
  }
}

function notPossible(job: Job, outcome: Exclude<Detached, { kind: "detached" }>): Detached {
  if (outcome.kind === "not-possible") {
    job.ctx.emit({ kind: "function-detach", ...job.ref, functionName: job.functionName, phase: "not-possible", reason: outcome.reason, at: job.ctx.clock.now() });
  }
  return outcome;
}

// Sleeps one poll; answers why to stop instead when the user cancelled or the deadline has passed.
async function pause(job: Job, deadline: number, late: string): Promise<{ kind: "aborted" } | { kind: "not-possible"; reason: string } | undefined> {
  if (job.signal?.aborted) return { kind: "aborted" };
  if (job.ctx.clock.now() >= deadline) return { kind: "not-possible", reason: late };
  await job.ctx.clock.sleep(pollDelay(job.polls++, job.ctx.random), job.signal);
  return job.signal?.aborted ? { kind: "aborted" } : undefined;
}

// Waits for the function's interfaces to turn available, deleting each as it does.
async function release(job: Job): Promise<ReleaseOutcome> {
  const { ctx, ref } = job;
  let total = 0;
  let deleted = 0;
  const emit = (phase: "started" | "progress" | "done" | "stuck" | "not-possible", reason?: string) =>
    ctx.emit({ kind: "interfaces-release", ...ref, phase, total, deleted, reason, at: ctx.clock.now() });
  return guarded(
    async () => {
      let left = await functionInterfaces(job.ec2, job.functionName, job.vpcId);
      total = left.length;
      if (total === 0) return { kind: "released", count: 0 };
      emit("started");
      const deadline = ctx.clock.now() + RELEASE_LIMIT_MS;
      job.polls = 0;
      for (;;) {
        const before = deleted;
        for (const eni of left.filter((e) => e.status === "available")) {
          if ((await deleteInterface(job.ec2, eni.id)) !== "in-use") deleted++;
        }
        left = await functionInterfaces(job.ec2, job.functionName, job.vpcId);
        deleted = Math.max(deleted, total - left.length);
        if (left.length === 0) {
          emit("done");
          return { kind: "released", count: total };
        }
        if (deleted !== before) emit("progress");
        const waited = await pause(job, deadline, "");
        if (waited?.kind === "aborted") return waited;
        if (waited) {
          emit("stuck");
          return { kind: "left-to-lambda", why: `${left.length} of its ${plural(total, "network interface")} stayed in use ${minutes(RELEASE_LIMIT_MS)} after the function left the VPC; the stack is deleted anyway and CloudFormation waits for them` };
        }
      }
    },
    (reason) => {
      emit("not-possible", reason);
      return { kind: "left-to-lambda", why: `its network interfaces could not be deleted (${reason})` };
    },
  );
}

// The function is gone (deleted, or never created): interfaces it left available are deleted; ones Lambda
// still holds can only be waited for.
async function leftovers(job: Job): Promise<ReleaseOutcome> {
  const left = await guarded(() => functionInterfaces(job.ec2, job.functionName, job.vpcId), () => []);
  if (left.length === 0) return { kind: "nothing" };
  const inUse = left.filter((e) => e.status !== "available").length;
  if (inUse === 0) return release(job);
  const reason = `${job.functionName} is already gone (ResourceNotFoundException), so ${plural(inUse, "network interface")} it left in use cannot be released sooner`;
  job.ctx.emit({ kind: "function-detach", ...job.ref, functionName: job.functionName, phase: "not-possible", reason, at: job.ctx.clock.now() });
  // Available ones would block the subnets as much as the rest: those go now, without waiting on the others.
  await guarded(async () => {
    for (const eni of left.filter((e) => e.status === "available")) await deleteInterface(job.ec2, eni.id);
  }, () => undefined);
  return { kind: "left-to-lambda", why: reason };
}

// AWS refusing (permissions, limits) becomes the fallback, not a failed teardown; expired credentials
// and our own bugs still stop the run.
async function guarded<T>(run: () => Promise<T>, refused: (reason: string) => T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (asCredentialsError(error, undefined) || !isServiceError(error)) throw error;
    return refused(describeAwsError(error));
  }
}

function minutes(ms: number): string {
  return `${ms / 60_000} minutes`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// `status`: network interfaces the client function left in the client VPC (a teardown stopped half-way,
// a plain delete-stack that failed on them), each with the command that removes it.
/** Where to look: the client stack's function and VPC, from its outputs. */
export interface ClientPlace {
  readonly region: string;
  readonly stackName: string;
  readonly functionName: string;
  readonly vpcId: string;
}

/** Interfaces of our function in our VPC that no longer serve it. */
export async function leftoverInterfaces(clients: Pick<AwsClients, "ec2" | "lambda">, place: ClientPlace): Promise<LambdaInterface[]> {
  const found = await functionInterfaces(clients.ec2(place.region), place.functionName, place.vpcId);
  if (found.length === 0) return [];
  const fn = await functionVpcState(clients.lambda(place.region), place.functionName);
  // While the function is in the VPC, its in-use interfaces are the ones it works through.
  const attached = fn !== undefined && fn.vpcId === place.vpcId;
  return attached ? found.filter((eni) => eni.status === "available") : found;
}

/** One line per leftover: an available one can be deleted now, one Lambda still holds goes with the stack. */
export function leftoverText(place: ClientPlace, leftovers: readonly LambdaInterface[]): string {
  const count = plural(leftovers.length, "network interface");
  const lines = leftovers.map((eni) =>
    eni.status === "available"
      ? `  ${eni.id} available: aws ec2 delete-network-interface --region ${place.region} --network-interface-id ${eni.id}`
      : `  ${eni.id} ${eni.status}: Lambda still holds it; teardown deletes ${place.stackName} once Lambda lets it go`,
  );
  return [`${place.functionName} left ${count} in ${place.vpcId} (${place.stackName}, ${place.region}):`, ...lines].join("\n");
}
