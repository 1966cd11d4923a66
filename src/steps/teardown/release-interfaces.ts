// Before the client stack is deleted, the client function leaves its VPC (function-vpc.ts) and the network
// interfaces Lambda made for it there are deleted here (DESIGN §11; the method is go-to-k/delstack's Lambda VPC
// detacher and cdkd's).
//
// CloudFormation waits for a function's interfaces only when it deletes a function that is still in its
// VPC ("CloudFormation ... waits for Lambda to delete them before proceeding", AWS::Lambda::Function
// VpcConfig), and Lambda takes 20-40 minutes to (serverless#5008, cloudformation-coverage-roadmap#392/#414).
// Once the function has left its VPC nothing waits for them: an interface still there when the subnets
// and the security group are deleted fails them (DependencyViolation), the stack ends DELETE_FAILED and
// the interface stays `available` (aws/aws-cdk#34400, #12827; go-to-k/delstack#637). So here they are
// waited for and deleted before the stack delete, swept while it runs, and cleaned again before a retry.
//
// The function's role must outlive the interfaces (without it Lambda cannot clean one up and it is
// orphaned). It does by itself: the role is in the same stack, which is deleted only after this, and
// CloudFormation deletes the function, which depends on the role, before the role.
import type { AwsClients } from "../../aws/clients.js";
import { guarded } from "../../aws/errors.js";
import { deleteInterface, functionVpcState, type FunctionVpcState, type InterfaceOwner, type LambdaInterface, lambdaInterfaces } from "../../aws/function.js";
import { describeStack, stackResourceIds } from "../../aws/stack.js";
import { type EngineContext, info } from "../context.js";
import type { StageRef } from "../events.js";
import { type Detached, detach, type FunctionJob, minutes, notPossible, pause } from "./function-vpc.js";

/** What the stack delete can expect once the release is over. */
export type ReleaseOutcome =
  // Every interface is gone: nothing holds the subnets or the security group.
  | { readonly kind: "released"; readonly count: number }
  | { readonly kind: "nothing" }
  // The function is still in its VPC: CloudFormation deletes it and waits for Lambda (20-40 minutes).
  | { readonly kind: "left-to-lambda"; readonly why: string; readonly owner: InterfaceOwner | undefined }
  // The function has left its VPC (or is gone) and interfaces are still there: nothing waits for them.
  | { readonly kind: "held"; readonly why: string; readonly owner: InterfaceOwner }
  | { readonly kind: "aborted" };

// Lambda lets go of a detached (or deleted) function's interfaces about 4 minutes after it left the VPC
// (alchemy-run/alchemy#937, measured on AWS); cdkd waits up to 10 minutes. One held longer is shared with
// another function or stuck.
const RELEASE_LIMIT_MS = 10 * 60_000;
// Right after a detach DescribeNetworkInterfaces can answer an empty list while the interfaces are there
// (go-to-k/cdkd#43, which waits 10 s before its first look): an empty answer that early proves nothing.
const SETTLE_MS = 10_000;
// A quiet wait still shows it is going: the row is refreshed this often.
const PROGRESS_EVERY_MS = 60_000;
// While the stack delete runs, interfaces Lambda has let go of are looked for this often.
const SWEEP_EVERY_MS = 15_000;

/** Detaches the client function of this stack from its VPC, waits for its network interfaces and deletes them. */
export async function releaseClientInterfaces(ctx: EngineContext, ref: StageRef, signal: AbortSignal | undefined): Promise<ReleaseOutcome> {
  const read = await guarded<ClientPlace | undefined | { refused: string }>(() => clientPlace(ctx.clients, ref), (refused) => ({ refused }));
  if (read && "refused" in read) return { kind: "left-to-lambda", why: `its stack's resources could not be read (${read.refused})`, owner: undefined };
  if (!read) return { kind: "nothing" };
  const { functionName, owner } = read;
  const job: FunctionJob = { ctx, ref, signal, functionName, owner, lambda: ctx.clients.lambda(ref.region), ec2: ctx.clients.ec2(ref.region), polls: 0 };
  const fn = functionName ? await guarded<FunctionVpcState | undefined | { refused: string }>(() => functionVpcState(job.lambda, functionName), (refused) => ({ refused })) : undefined;
  if (fn && "refused" in fn) return { kind: "left-to-lambda", why: `the client function could not be read (${fn.refused})`, owner };
  const attached = fn !== undefined && fn.vpcId === owner.vpcId;
  // Read before the detach: these are the interfaces to see gone afterwards (a read just after it can
  // miss them), and the proof that EC2 lets us list them at all before the function leaves.
  const before = await guarded<LambdaInterface[] | { refused: string }>(() => lambdaInterfaces(job.ec2, owner), (refused) => ({ refused }));
  if ("refused" in before) {
    const reason = `its network interfaces could not be listed (${before.refused})`;
    emitRelease(job, "not-possible", 0, 0, reason);
    return attached ? { kind: "left-to-lambda", why: `${reason}, so it stays in its VPC`, owner } : { kind: "held", why: reason, owner };
  }
  if (!attached) {
    if (before.length === 0) return { kind: "nothing" };
    return release(job, before.map((e) => e.id), ctx.clock.now());
  }
  const detached = await guarded<Detached>(() => detach(job, fn), (reason) => notPossible(job, { kind: "not-possible", reason }));
  switch (detached.kind) {
    case "aborted":
      return detached;
    case "not-possible":
      return { kind: "left-to-lambda", why: `the client function could not be detached from its VPC (${detached.reason})`, owner };
    case "gone":
    case "detached":
      // What happens to the ones seen before is learnt by asking about each; only finding none at all
      // rests on the list, which is not believed until it has settled.
      return release(job, before.map((e) => e.id), ctx.clock.now() + (before.length > 0 ? 0 : SETTLE_MS));
  }
}

/** What to tell the user before the stack delete, when the release could not leave it nothing to meet. */
export function releaseNote(stackName: string, released: ReleaseOutcome): string | undefined {
  switch (released.kind) {
    case "left-to-lambda":
      return (
        `Deleting ${stackName} can take many minutes (often 20-40) while Lambda releases the function's network ` +
        `interfaces (hyperplane ENIs) in the VPC: ${released.why}. This is expected, not a hang.`
      );
    case "held":
      return (
        `${capitalized(released.why)}. CloudFormation does not wait for the interfaces of a function that has left its VPC: ` +
        `${stackName} is deleted now and each interface as soon as Lambda lets it go; if one is still there when ` +
        "its subnet or security group is deleted, that delete fails and is retried once the interfaces are gone."
      );
    default:
      return undefined;
  }
}

function emitRelease(job: FunctionJob, phase: "started" | "progress" | "done" | "stuck" | "not-possible", total: number, deleted: number, reason?: string): void {
  job.ctx.emit({ kind: "interfaces-release", ...job.ref, phase, total, deleted, reason, at: job.ctx.clock.now() });
}

// Waits for the interfaces to turn available and deletes each as it does, until none is left. `known`
// are the ones seen before the function left; an empty answer before `settleAt` is not believed.
async function release(job: FunctionJob, known: readonly string[], settleAt: number): Promise<ReleaseOutcome> {
  const { ctx, owner } = job;
  const pending = new Set(known);
  let deleted = 0;
  let started = false;
  const total = () => pending.size + deleted;
  return guarded<ReleaseOutcome>(
    async () => {
      const deadline = ctx.clock.now() + RELEASE_LIMIT_MS;
      let shownAt = ctx.clock.now();
      job.polls = 0;
      for (;;) {
        const listed = new Map((await lambdaInterfaces(job.ec2, owner)).map((eni) => [eni.id, eni]));
        for (const id of listed.keys()) pending.add(id);
        const before = deleted;
        for (const id of [...pending]) {
          // One we know of that the list left out is asked about directly: the delete says whether it is
          // gone, still in use, or was there and is deleted now.
          if (listed.get(id)?.status === "in-use") continue;
          const result = await deleteInterface(job.ec2, id);
          if (result === "in-use") continue;
          pending.delete(id);
          if (result === "deleted") deleted++;
        }
        if (!started && total() > 0) {
          started = true;
          emitRelease(job, "started", total(), deleted);
          if (pending.size > 0) {
            info(ctx, job.ref,
              `Lambda lets go of a function's network interfaces about 4 minutes after it leaves the VPC (alchemy-run/alchemy#937); ` +
                `waiting for ${plural(pending.size, "interface")} (at most ${minutes(RELEASE_LIMIT_MS)}) and deleting each as it turns available.`);
          }
        }
        if (pending.size === 0 && ctx.clock.now() >= settleAt) {
          if (started) emitRelease(job, "done", total(), deleted);
          return { kind: "released", count: deleted };
        }
        if (deleted !== before || (started && ctx.clock.now() - shownAt >= PROGRESS_EVERY_MS)) {
          shownAt = ctx.clock.now();
          emitRelease(job, "progress", total(), deleted);
        }
        const waited = await pause(job, deadline, "");
        if (waited?.kind === "aborted") return waited;
        if (waited) {
          emitRelease(job, "stuck", total(), deleted);
          return { kind: "held", why: `${pending.size} of the function's ${plural(total(), "network interface")} stayed in use ${minutes(RELEASE_LIMIT_MS)} after it left the VPC`, owner };
        }
      }
    },
    (reason) => {
      emitRelease(job, "not-possible", total(), deleted, reason);
      return { kind: "held", why: `its network interfaces could not be deleted (${reason})`, owner };
    },
  );
}

/**
 * While the stack delete runs: deletes the interfaces Lambda has let go of since the release gave up
 * (or, for a function CloudFormation deletes in its VPC, since Lambda let go of them), at most every
 * SWEEP_EVERY_MS. `poll` is called on every poll of the delete; `done` waits for a sweep still running.
 */
export function interfaceSweeper(ctx: EngineContext, ref: StageRef, owner: InterfaceOwner): { poll: () => void; done: () => Promise<void> } {
  const ec2 = ctx.clients.ec2(ref.region);
  let next = ctx.clock.now();
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  // What stops the run (expired credentials, a bug) is held until the delete is over, then thrown.
  let stopped: { error: unknown } | undefined;
  const sweep = async (): Promise<void> => {
    const deleted = await guarded(async () => {
      let count = 0;
      for (const eni of await lambdaInterfaces(ec2, owner)) {
        if (eni.status === "available" && (await deleteInterface(ec2, eni.id)) === "deleted") count++;
      }
      return count;
    }, () => 0);
    if (deleted > 0) info(ctx, ref, `Deleted ${plural(deleted, "network interface")} Lambda let go of while ${ref.stackName} was being deleted.`);
  };
  return {
    poll: () => {
      if (busy || stopped || ctx.clock.now() < next) return;
      busy = true;
      next = ctx.clock.now() + SWEEP_EVERY_MS;
      running = sweep()
        .catch((error: unknown) => void (stopped ??= { error }))
        .finally(() => (busy = false));
    },
    done: async () => {
      await running;
      if (stopped) throw stopped.error;
    },
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// `status` and a failed teardown: network interfaces Lambda left in the client VPC (a teardown stopped
// half-way, a delete that failed on them), each with the command that removes it.
/** Where to look: the client stack, its function (when it still has one) and what owns the interfaces. */
export interface ClientPlace {
  readonly region: string;
  readonly stackName: string;
  readonly functionName: string | undefined;
  readonly owner: InterfaceOwner;
  readonly subnetIds: readonly string[];
}

/**
 * The client stack's place, from its own resources, which name the function, the VPC, the function's
 * security group and the subnets in every state (outputs exist only after a create). Undefined when the
 * stack has no VPC or security group: nothing there can hold an interface.
 */
export async function clientPlace(clients: Pick<AwsClients, "cloudFormation">, ref: Pick<StageRef, "region" | "stackName">): Promise<ClientPlace | undefined> {
  const cfn = clients.cloudFormation(ref.region);
  const ids = await stackResourceIds(cfn, ref.stackName);
  const groupIds = ids?.get("AWS::EC2::SecurityGroup") ?? [];
  if (groupIds.length === 0) return undefined;
  let vpcId = ids?.get("AWS::EC2::VPC")?.[0];
  let subnetIds = ids?.get("AWS::EC2::Subnet") ?? [];
  if (!vpcId) {
    // connect's client stack holds no VPC: its probe runs in the user's, which its parameters name.
    const parameters = (await describeStack(cfn, ref.stackName))?.parameters ?? {};
    vpcId = parameters["ClientVpcId"] || undefined;
    subnetIds = (parameters["ProbeSubnetIds"] ?? "").split(",").filter((id) => id !== "");
  }
  if (!vpcId) return undefined;
  return { region: ref.region, stackName: ref.stackName, functionName: ids?.get("AWS::Lambda::Function")?.[0], owner: { vpcId, groupIds }, subnetIds };
}

/** Lambda's interfaces in the client VPC that no longer serve the function. */
export async function leftoverInterfaces(clients: Pick<AwsClients, "ec2" | "lambda">, place: ClientPlace): Promise<LambdaInterface[]> {
  const found = await lambdaInterfaces(clients.ec2(place.region), place.owner);
  if (found.length === 0) return [];
  const fn = place.functionName ? await functionVpcState(clients.lambda(place.region), place.functionName) : undefined;
  // While the function is in the VPC, its in-use interfaces are the ones it works through.
  const attached = fn !== undefined && fn.vpcId === place.owner.vpcId;
  return attached ? found.filter((eni) => eni.status === "available") : found;
}

/** One line per leftover: an available one can be deleted now, one Lambda still holds goes later. */
export function leftoverText(place: ClientPlace, leftovers: readonly LambdaInterface[], command: "teardown" | "disconnect" = "teardown"): string {
  const count = plural(leftovers.length, "network interface");
  const lines = leftovers.map((eni) =>
    eni.status === "available"
      ? `  ${eni.id} available: aws ec2 delete-network-interface --region ${place.region} --network-interface-id ${eni.id}`
      : `  ${eni.id} ${eni.status}: Lambda still holds it; once it is available, ${command} deletes it and ${place.stackName}`,
  );
  const who = place.functionName ?? `${place.stackName}'s function`;
  return [`${who} left ${count} in ${place.owner.vpcId} (${place.stackName}, ${place.region}):`, ...lines].join("\n");
}
