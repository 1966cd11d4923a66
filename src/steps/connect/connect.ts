// connect's run, after its answers: read both sides and plan (emitting the plan), then our two stacks in
// order — the client side in region B, then the API side in region A with the client side's peering — each
// through the deploy engine's stage (change set, events, Ctrl-C, a re-run that changes nothing is a no-op).
import { refusedAction, refusedAdvice } from "../../aws/access-denied.js";
import type { DeployContext, StepContext } from "../context.js";
import { runStage, type StageResult } from "../deploy-stage.js";
import type { ConnectPlanView, StageRef } from "../events.js";
import type { StagePlan } from "../plan.js";
import { connectStageRefs } from "../stages.js";
import { describeLeft, describeLeftText, type LeftStack } from "../stacks.js";
import { rangeHolding } from "./locate.js";
import { apiStackParameters, type ConnectFacts, planConnect } from "./plan.js";
import { readConnectFacts } from "./read.js";
import { loadConnectTemplate } from "./templates.js";
import type { ConnectOptions, ConnectPlan, StackPlan } from "./types.js";

/** Reads both sides, plans, and emits the plan (a dry run's whole output); with what was read, and the API VPC's range that holds the endpoint. */
export async function planConnection(
  ctx: StepContext<"ec2" | "lambda" | "apiGateway" | "route53" | "cloudFormation">,
  options: ConnectOptions,
  dryRun: boolean,
): Promise<{ readonly plan: ConnectPlan; readonly facts: ConnectFacts; readonly apiRange: string }> {
  const facts = await readConnectFacts(ctx.clients, options);
  const plan = planConnect(options, facts);
  ctx.emit({ kind: "connect-plan", ...connectPlanView(plan, dryRun), at: ctx.clock.now() });
  const api = facts.snapshot.apiSide;
  const ranges = api?.vpc.ok ? api.vpc.value.cidrs : [];
  const endpointBlock = api?.subnets.ok ? api.subnets.value.find((s) => facts.snapshot.endpoint?.facts.subnetIds.includes(s.id))?.cidr : undefined;
  return { plan, facts, apiRange: rangeHolding(ranges, endpointBlock) ?? "" };
}

/** The plan as its event carries it. */
export function connectPlanView(plan: ConnectPlan, dryRun: boolean): ConnectPlanView {
  const refs = connectStageRefs(plan.options);
  const stack = (ref: StageRef, planned: StackPlan) => ({ ...ref, needed: planned.needed, resources: planned.resources });
  return {
    name: plan.options.name,
    hops: plan.hops.map((h) => ({ hop: h.hop, ok: h.now.ok, detail: h.now.detail, action: h.action, owner: h.owner })),
    stacks: [stack(refs[0], plan.client), stack(refs[1], plan.api)],
    carriers: plan.carriers,
    untouched: plan.untouched,
    notes: plan.notes,
    refusals: plan.refusals.map((r) => ({ reason: r.reason, hop: r.hop, message: r.message })),
    dryRun,
  };
}

/** How building a connection's stacks ended: built (with the client side's outputs), failed at a stage, or cancelled. */
export type ConnectResult =
  | { readonly kind: "built"; readonly outputs: Readonly<Record<string, string>>; readonly outcomes: readonly StageResult["kind"][] }
  | { readonly kind: "failed"; readonly stage: 1 | 2; readonly message: string; readonly outputs: Readonly<Record<string, string>> }
  | { readonly kind: "cancelled"; readonly message: string; readonly left: readonly LeftStack[] };

/** Deploys the client stack, then the API-side stack with the client side's peering connection. */
export async function buildConnection(deployCtx: DeployContext, plan: ConnectPlan): Promise<ConnectResult> {
  const ctx: DeployContext = { ...deployCtx, adviseFailure: deployCtx.adviseFailure ?? ((_stage, cause) => advice(cause.reason)) };
  const refs = connectStageRefs(plan.options);
  ctx.emit({ kind: "stages-queued", stages: refs, at: ctx.clock.now() });
  const stacks = [plan.client, plan.api] as const;
  const outcomes: StageResult["kind"][] = [];
  let clientOutputs: Readonly<Record<string, string>> = {};
  for (const [i, ref] of refs.entries()) {
    const planned = stacks[i]!;
    if (ctx.signal.aborted) return cancelled(ctx, refs, `Cancelled before ${ref.stackName}.`);
    if (!planned.needed) {
      // Nothing of this side is missing: the stack is not made (one of ours left from before holds nothing either).
      ctx.emit({ kind: "info", stage: ref.stage, message: `${ref.region} needs nothing added: ${ref.stackName} is not needed.`, at: ctx.clock.now() });
      ctx.emit({ kind: "stage-finished", ...ref, outcome: "absent", outputs: {}, at: ctx.clock.now() });
      continue;
    }
    const parameters = ref.key === "connect-api" ? apiStackParameters(plan, clientOutputs) : { ...planned.parameters };
    const template = await loadConnectTemplate(planned.key);
    const result = await runStage(ctx, stagePlan(ref, planned), parameters, template.body, template.facts);
    outcomes.push(result.kind);
    if (result.kind === "cancelled") return cancelled(ctx, refs, result.message);
    if (result.kind === "failed") return { kind: "failed", stage: ref.stage as 1 | 2, message: result.message, outputs: clientOutputs };
    if (ref.key === "connect-client") clientOutputs = result.outputs;
  }
  return { kind: "built", outputs: clientOutputs, outcomes };
}

// The deploy engine's view of one of our stacks: its place, template, parameters and tags.
function stagePlan(ref: StageRef, planned: StackPlan): StagePlan {
  return {
    number: ref.stage,
    key: ref.key,
    title: ref.key === "connect-client" ? "Connection, client side" : "Connection, API side",
    region: ref.region,
    stackName: ref.stackName,
    template: planned.template,
    parameters: Object.fromEntries(Object.entries(planned.parameters).map(([key, value]) => [key, { kind: "value", value }])),
    tags: planned.tags,
  };
}

// A refused call names the permission to grant; connect's other failures speak for themselves.
function advice(reason: string): string | undefined {
  const refused = refusedAction(reason);
  return refused ? refusedAdvice(refused) : undefined;
}

async function cancelled(ctx: DeployContext, refs: readonly StageRef[], message: string): Promise<ConnectResult> {
  const left = await describeLeft(ctx, refs);
  ctx.emit({ kind: "info", message: describeLeftText(left), at: ctx.clock.now() });
  return { kind: "cancelled", message, left };
}
