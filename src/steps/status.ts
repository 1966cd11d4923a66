// `status`: the stacks as they are now (stage 1, and each client region's two) (stacks.ts reads them, as preflight does), the client
// function's state, interfaces it left behind, and the last verification.
import { describeAwsError, isServiceError, throwIfCredentials } from "../aws/errors.js";
import { readFunctionStatus, type FunctionStatus } from "../aws/function.js";
import type { LastVerify } from "../config/answers-file.js";
import type { StepContext } from "./context.js";
import { judgeFunction } from "./verify/verify.js";
import { clientPlace, leftoverInterfaces, leftoverText } from "./teardown/release-interfaces.js";
import { type Emit, noteOf, type ProgressEvent } from "./events.js";
import { allStacks, type Deployment, lookupStacks, READY, type StackState, stackStateEvent, type StackStates } from "./stacks.js";

/** What `status` found: the stacks, whether all are deployed and ready, the functions, the last verification. */
export interface StatusReport {
  readonly name: string;
  readonly stacks: StackStates;
  // Every stack present and in a ready state.
  readonly deployed: boolean;
  // Not one stack exists.
  readonly absent: boolean;
  readonly lastVerify: Pick<LastVerify, "ok" | "at"> | undefined;
  // Each client region's function as Lambda reports it, when its client stack names one and Lambda answered.
  readonly functions: Readonly<Record<string, FunctionStatus | undefined>>;
}

/** Status's context: Lambda reads the function's state; EC2 and Lambda look for interfaces it left behind. */
export type StatusContext = StepContext<"cloudFormation" | "ec2" | "lambda" | "profile">;

/** Reads the stacks, each client region's function and the interfaces it left, and emits what it found. */
export async function status(
  ctx: StatusContext,
  input: {
    readonly deployment: Deployment;
    readonly lastVerify?: Pick<LastVerify, "ok" | "at"> | undefined;
    // The stacks when the caller has read them already (to tell a deployment from a connection).
    readonly stacks?: StackStates | undefined;
  },
): Promise<StatusReport> {
  const { clock } = ctx;
  const now = () => clock.now();
  const stacks = input.stacks ?? (await lookupStacks(ctx.clients, input.deployment));
  const all = allStacks(stacks);
  for (const state of all) ctx.emit(stackStateEvent(state, now()));
  // Read side by side, told in the regions' order.
  const found = await Promise.all(stacks.clients.map(async ({ client }) => {
    const { emit, flush } = buffered(ctx.emit);
    const fn = await lookupFunction({ ...ctx, emit }, client, now);
    await reportLeftovers({ ...ctx, emit }, client, now);
    return { region: client.ref.region, fn, flush };
  }));
  for (const { flush } of found) flush();
  const nothing = all.every((s) => !s.present);
  ctx.emit({ kind: "info", message: describeVerify(input.lastVerify, nothing), at: now() });
  return {
    name: input.deployment.name,
    stacks,
    deployed: all.every((s) => s.present && READY.has(s.status)),
    absent: nothing,
    lastVerify: nothing ? undefined : input.lastVerify,
    functions: Object.fromEntries(found.map(({ region, fn }) => [region, fn])),
  };
}

// Events held back and emitted in one go: regions read in parallel are still told one after another.
function buffered(emit: Emit): { emit: Emit; flush: () => void } {
  const held: ProgressEvent[] = [];
  return { emit: (event) => held.push(event), flush: () => held.splice(0).forEach(emit) };
}

// A stack can be complete while its function is not (Pending, Failed, Inactive): DESIGN §10.5.
async function lookupFunction(ctx: StatusContext, client: StackState, now: () => number): Promise<FunctionStatus | undefined> {
  const functionName = client.present ? client.outputs["FunctionName"] : undefined;
  if (!functionName) return undefined;
  try {
    const fn = await readFunctionStatus(ctx.clients, client.ref.region, functionName);
    ctx.emit({ kind: "function-state", function: fn, ready: judgeFunction(fn) === "ready", region: client.ref.region, at: now() });
    return fn;
  } catch (error) {
    throwIfCredentials(error, ctx.clients.profile);
    // A stack whose delete failed part-way may have lost its function already: a fact, not a fault of status.
    if (isServiceError(error) && error instanceof Error && error.name === "ResourceNotFoundException") {
      ctx.emit({ kind: "info", message: `the function ${functionName} no longer exists`, ...noteOf(client.ref), at: now() });
      return undefined;
    }
    ctx.emit({ kind: "warning", message: `could not read the state of the function ${functionName}: ${describeAwsError(error)}`, ...noteOf(client.ref), at: now() });
    return undefined;
  }
}

// Only a client stack still standing can hold them: its VPC goes with it. Its resources name the VPC and
// the function's security group, which find Lambda's interfaces (release-interfaces.ts).
async function reportLeftovers(ctx: StatusContext, client: StackState, now: () => number): Promise<void> {
  if (!client.present) return;
  try {
    const place = await clientPlace(ctx.clients, client.ref);
    if (!place) return;
    const leftovers = await leftoverInterfaces(ctx.clients, place);
    if (leftovers.length > 0) ctx.emit({ kind: "warning", ...noteOf(client.ref), message: leftoverText(place, leftovers), at: now() });
  } catch (error) {
    if (!isServiceError(error)) throw error;
    ctx.emit({ kind: "info", ...noteOf(client.ref), message: `Could not look for network interfaces the client function left behind: ${describeAwsError(error)}`, at: now() });
  }
}

// With no stack left, an old verdict (of a deployment since torn down) would mislead.
function describeVerify(last: Pick<LastVerify, "ok" | "at"> | undefined, nothingDeployed: boolean): string {
  if (nothingDeployed) return "nothing deployed, so nothing to verify";
  if (!last) return "not verified yet";
  return last.ok ? `verification last passed at ${last.at}` : `verification last failed at ${last.at}`;
}
