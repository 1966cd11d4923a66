// The three stacks as they are now, each in its own region. Preflight reuses the look-up, so "what
// exists" is answered the same way before a deploy and in `status`.
import type { AwsClients } from "../aws/clients.js";
import { asCredentialsError, describeAwsError, isServiceError } from "../aws/errors.js";
import { readFunctionStatus, type FunctionStatus } from "../aws/function-state.js";
import { describeStack as describeStackInfo } from "../aws/stack.js";
import type { Answers } from "../config/answers.js";
import { systemClock, type Clock } from "./clock.js";
import type { Emit, StageNumber, StageRef } from "./events.js";
import { judgeFunction } from "./function-ready.js";
import { leftoverInterfaces, leftoverText } from "./leftover-interfaces.js";
import { STAGES, stackName, type StageKey } from "./stages.js";

export type StackState =
  | { readonly ref: StageRef; readonly present: false }
  | {
      readonly ref: StageRef;
      readonly present: true;
      readonly status: string;
      readonly reason: string | undefined;
      readonly lastChange: string;
      readonly outputs: Readonly<Record<string, string>>;
      readonly parameters: Readonly<Record<string, string>>;
    };

export type StackStates = Readonly<Record<StageKey, StackState>>;

export type Deployment = Pick<Answers, "name" | "apiRegion" | "clientRegion">;

export function stageRefs(deployment: Deployment): readonly StageRef[] {
  return STAGES.map((def) => ({
    stage: def.number as StageNumber,
    key: def.key,
    stackName: stackName(deployment.name, def.key),
    region: def.regionRole === "api" ? deployment.apiRegion : deployment.clientRegion,
  }));
}

export async function lookupStacks(clients: Pick<AwsClients, "cloudFormation">, deployment: Deployment): Promise<StackStates> {
  const states = await Promise.all(stageRefs(deployment).map((ref) => lookupStack(clients, ref)));
  return Object.fromEntries(states.map((s) => [s.ref.key, s])) as Record<StageKey, StackState>;
}

async function lookupStack(clients: Pick<AwsClients, "cloudFormation">, ref: StageRef): Promise<StackState> {
  const info = await describeStackInfo(clients.cloudFormation(ref.region), ref.stackName);
  if (!info) return { ref, present: false };
  return {
    ref,
    present: true,
    status: info.status,
    reason: info.statusReason,
    lastChange: info.operationStartedAt ? new Date(info.operationStartedAt).toISOString() : "",
    outputs: info.outputs,
    parameters: info.parameters,
  };
}

// Stable states in which the stack serves its current or previous template.
const READY = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE"]);

export interface LastVerify {
  readonly ok: boolean;
  readonly at: string;
}

export interface StatusReport {
  readonly name: string;
  readonly stacks: StackStates;
  // All three stacks present and in a ready state.
  readonly deployed: boolean;
  // Not one of the three stacks exists.
  readonly absent: boolean;
  readonly lastVerify: LastVerify | undefined;
  // The client function as Lambda reports it, when the client stack names one and Lambda answered.
  readonly function: FunctionStatus | undefined;
}

export interface StatusContext {
  // Lambda reads the function's state; EC2 and Lambda look for network interfaces the client function left behind.
  readonly clients: Pick<AwsClients, "cloudFormation" | "ec2" | "lambda" | "profile">;
  readonly emit: Emit;
  // The engine's Clock fits, so the CLI can pass one context to every step.
  readonly clock?: Pick<Clock, "now"> | undefined;
}

export async function status(
  ctx: StatusContext,
  input: { readonly deployment: Deployment; readonly lastVerify?: LastVerify | undefined },
): Promise<StatusReport> {
  const clock = ctx.clock ?? systemClock;
  const now = () => clock.now();
  const stacks = await lookupStacks(ctx.clients, input.deployment);
  const all = [stacks.api, stacks.client, stacks.routes];
  for (const state of all) {
    ctx.emit({
      kind: "stack-state",
      ...state.ref,
      status: state.present ? state.status : null,
      lastChange: state.present ? state.lastChange : null,
      outputs: state.present ? state.outputs : {},
      summary: describeStack(state),
      at: now(),
    });
  }
  const fn = await lookupFunction(ctx, stacks.client, now);
  await reportLeftovers(ctx, stacks.client, now);
  const nothing = all.every((s) => !s.present);
  ctx.emit({ kind: "info", message: describeVerify(nothing ? undefined : input.lastVerify, nothing), at: now() });
  return {
    name: input.deployment.name,
    stacks,
    deployed: all.every((s) => s.present && READY.has(s.status)),
    absent: nothing,
    lastVerify: nothing ? undefined : input.lastVerify,
    function: fn,
  };
}

// A stack can be complete while its function is not (Pending, Failed, Inactive): DESIGN §10.5.
async function lookupFunction(ctx: StatusContext, client: StackState, now: () => number): Promise<FunctionStatus | undefined> {
  const functionName = client.present ? client.outputs["FunctionName"] : undefined;
  if (!functionName) return undefined;
  try {
    const fn = await readFunctionStatus(ctx.clients, client.ref.region, functionName);
    ctx.emit({ kind: "function-state", function: fn, ready: judgeFunction(fn) === "ready", at: now() });
    return fn;
  } catch (error) {
    const credentials = asCredentialsError(error, ctx.clients.profile);
    if (credentials) throw credentials;
    // A stack whose delete failed part-way may have lost its function already: a fact, not a fault of status.
    if (isServiceError(error) && error instanceof Error && error.name === "ResourceNotFoundException") {
      ctx.emit({ kind: "info", message: `the function ${functionName} no longer exists`, stage: client.ref.stage, at: now() });
      return undefined;
    }
    ctx.emit({ kind: "warning", message: `could not read the state of the function ${functionName}: ${describeAwsError(error)}`, stage: client.ref.stage, at: now() });
    return undefined;
  }
}

export function describeStack(state: StackState): string {
  const where = `${state.ref.stackName} (${state.ref.region})`;
  if (!state.present) return `${where}: not deployed`;
  const reason = state.reason && !READY.has(state.status) ? ` — ${state.reason}` : "";
  return `${where}: ${state.status}, last change ${state.lastChange}${reason}`;
}

// Only a client stack still standing can hold them: its VPC goes with it.
async function reportLeftovers(ctx: StatusContext, client: StackState, now: () => number): Promise<void> {
  if (!client.present) return;
  const { VpcId: vpcId, FunctionName: functionName } = client.outputs;
  if (!vpcId || !functionName) return;
  const place = { region: client.ref.region, stackName: client.ref.stackName, functionName, vpcId };
  try {
    const leftovers = await leftoverInterfaces(ctx.clients, place);
    if (leftovers.length > 0) ctx.emit({ kind: "warning", stage: client.ref.stage, message: leftoverText(place, leftovers), at: now() });
  } catch (error) {
    if (!isServiceError(error)) throw error;
    ctx.emit({ kind: "info", stage: client.ref.stage, message: `Could not look for network interfaces ${functionName} left behind: ${describeAwsError(error)}`, at: now() });
  }
}

// With no stack left, an old verdict (of a deployment since torn down) would mislead.
function describeVerify(last: LastVerify | undefined, nothingDeployed: boolean): string {
  if (nothingDeployed) return "nothing deployed, so nothing to verify";
  if (!last) return "not verified yet";
  return last.ok ? `verification last passed at ${last.at}` : `verification last failed at ${last.at}`;
}
