// connect's run, after its answers: read both sides and plan (emitting the plan), then our two stacks in
// order — the client side in region B, then the API side in region A with the client side's peering — each
// through the deploy engine's stage (change set, events, Ctrl-C, a re-run that changes nothing is a no-op).
// With several client regions: the API side read once and each client side for itself, one plan per region
// (the regions' sums on the API side checked together, hub.ts), then each region's two stacks side by side
// through the scheduler, as deploy's regions run (a region that fails stops none running and starts no new one).
import { refusedAction, refusedAdvice } from "../../aws/access-denied.js";
import type { DeployContext, StepContext } from "../context.js";
import { runStage, type StageResult } from "../deploy/deploy-stage.js";
import { readOnce } from "../../aws/read-once.js";
import { noteOf, type ConnectPlanView, type StageRef } from "../events.js";
import type { StagePlan } from "../plan.js";
import { runLanes } from "../scheduler.js";
import { connectStageRefs } from "../stages.js";
import { withHubLimits } from "./hub.js";
import { describeLeft, describeLeftText, type LeftStack } from "../stacks.js";
import { rangeHolding } from "./locate.js";
import { apiStackParameters, type ConnectFacts, planConnect } from "./plan.js";
import { readConnectFacts } from "./read.js";
import { loadConnectTemplate } from "./templates.js";
import type { ConnectOptions, ConnectPlan, StackPlan } from "./types.js";

/** One client region's plan, what it was made from, and the API VPC's range that holds the endpoint. */
export interface PlannedConnection {
  readonly plan: ConnectPlan;
  readonly facts: ConnectFacts;
  readonly apiRange: string;
}

/**
 * Each client region's plan, in the regions' order: the API side read once for all, each client side for
 * itself, every plan made, then the refusals only the regions together call for (hub.ts); each plan emitted,
 * naming its region when there are several.
 */
export async function planConnections(
  ctx: StepContext<"ec2" | "lambda" | "apiGateway" | "route53" | "cloudFormation">,
  regions: readonly ConnectOptions[],
  dryRun: boolean,
): Promise<PlannedConnection[]> {
  const once = readOnce();
  const read = await Promise.all(regions.map(async (options) => ({ options, facts: await readConnectFacts(ctx.clients, options, once) })));
  const made = read.map(({ options, facts }) => ({ plan: planConnect(options, facts), facts }));
  const plans = regions.length > 1 ? withHubLimits(made) : made.map((m) => m.plan);
  return made.map(({ facts }, i) => {
    const plan = plans[i]!;
    ctx.emit({ kind: "connect-plan", ...connectPlanView(plan, dryRun, regions.length > 1), at: ctx.clock.now() });
    const api = facts.snapshot.apiSide;
    const ranges = api?.vpc.ok ? api.vpc.value.cidrs : [];
    const endpointBlock = api?.subnets.ok ? api.subnets.value.find((s) => facts.snapshot.endpoint?.facts.subnetIds.includes(s.id))?.cidr : undefined;
    return { plan, facts, apiRange: rangeHolding(ranges, endpointBlock) ?? "" };
  });
}

/** The plan as its event carries it; `regional`: one of several client regions' (the event names its region). */
export function connectPlanView(plan: ConnectPlan, dryRun: boolean, regional = false): ConnectPlanView {
  const refs = connectStageRefs(plan.options, regional);
  const stack = (ref: StageRef, planned: StackPlan) => ({ ...ref, needed: planned.needed, resources: planned.resources });
  return {
    name: plan.options.name,
    ...(regional ? { region: plan.options.clientRegion } : {}),
    hops: plan.hops.map((h) => ({ hop: h.hop, ok: h.now.ok, detail: h.now.detail, action: h.action, owner: h.owner })),
    stacks: [stack(refs[0], plan.client), stack(refs[1], plan.api)],
    carriers: plan.carriers,
    untouched: plan.untouched,
    notes: plan.notes,
    refusals: plan.refusals.map((r) => ({ reason: r.reason, hop: r.hop, message: r.message })),
    dryRun,
  };
}

/** How one client region's stacks ended: as one region's run ends, or never started (a region before failed, or Ctrl-C). */
export type RegionBuild = { readonly region: string } & (SidesRun | { readonly kind: "not-started" });

/** How building several client regions ended: each region's outcome, or cancelled (with what is left). */
export type ConnectionsResult =
  | { readonly kind: "done"; readonly regions: readonly RegionBuild[] }
  | { readonly kind: "cancelled"; readonly message: string; readonly left: readonly LeftStack[]; readonly regions: readonly RegionBuild[] };

/**
 * Each client region's two stacks, the regions side by side (at most maxParallel at once, scheduler.ts): a
 * region that fails stops no region running and starts no new one; Ctrl-C cancels each running region's stage.
 */
export async function buildConnections(deployCtx: DeployContext, plans: readonly ConnectPlan[], options: { readonly maxParallel: number }): Promise<ConnectionsResult> {
  const ctx = advised(deployCtx);
  const refs = plans.map((plan) => connectStageRefs(plan.options, plans.length > 1));
  ctx.emit({ kind: "stages-queued", stages: refs.flat(), at: ctx.clock.now() });
  const lanes = plans.map((plan, i) => ({ key: plan.options.clientRegion, run: () => buildSides(ctx, plan, refs[i]!) }));
  const ran = await runLanes(lanes, { width: options.maxParallel, signal: ctx.signal, stops: (run) => run.kind === "failed" });
  const regions = ran.map((lane): RegionBuild => (lane.kind === "ran" ? { region: lane.key, ...lane.value } : { region: lane.key, kind: "not-started" }));
  const cancel = regions.find((r) => r.kind === "cancelled");
  if (!ctx.signal.aborted && !cancel) {
    // A failed region among several: what stands in every region, said once (one region's failure is told by its stage).
    if (plans.length > 1 && regions.some((r) => r.kind === "failed")) ctx.emit({ kind: "info", message: describeLeftText(await describeLeft(ctx, refs.flat())), at: ctx.clock.now() });
    return { kind: "done", regions };
  }
  const left = await describeLeft(ctx, refs.flat());
  ctx.emit({ kind: "info", message: describeLeftText(left), at: ctx.clock.now() });
  return { kind: "cancelled", message: cancel?.kind === "cancelled" ? cancel.message : "Cancelled.", left, regions };
}

/** How one client region's two stacks ended: built (with the client side's outputs), failed at a stage, or cancelled. */
type SidesRun =
  | { readonly kind: "built"; readonly outputs: Readonly<Record<string, string>>; readonly outcomes: readonly StageResult["kind"][] }
  | { readonly kind: "failed"; readonly stage: 1 | 2; readonly message: string; readonly outputs: Readonly<Record<string, string>> }
  | { readonly kind: "cancelled"; readonly message: string };

// One client region's two stacks in order: the client side, then the API side with its peering.
async function buildSides(ctx: DeployContext, plan: ConnectPlan, refs: readonly StageRef[]): Promise<SidesRun> {
  const stacks = [plan.client, plan.api] as const;
  const outcomes: StageResult["kind"][] = [];
  let clientOutputs: Readonly<Record<string, string>> = {};
  for (const [i, ref] of refs.entries()) {
    const planned = stacks[i]!;
    if (ctx.signal.aborted) return { kind: "cancelled", message: `Cancelled before ${ref.stackName}.` };
    if (!planned.needed) {
      // Nothing of this side is missing: the stack is not made (one of ours left from before holds nothing either).
      ctx.emit({ kind: "info", ...noteOf(ref), message: `${ref.region} needs nothing added: ${ref.stackName} is not needed.`, at: ctx.clock.now() });
      ctx.emit({ kind: "stage-finished", ...ref, outcome: "absent", outputs: {}, at: ctx.clock.now() });
      continue;
    }
    const parameters = ref.key === "connect-api" ? apiStackParameters(plan, clientOutputs) : { ...planned.parameters };
    const template = await loadConnectTemplate(planned.key);
    const result = await runStage(ctx, stagePlan(ref, planned), parameters, template.body, template.facts);
    outcomes.push(result.kind);
    if (result.kind === "cancelled") return { kind: "cancelled", message: result.message };
    if (result.kind === "failed") return { kind: "failed", stage: ref.stage as 1 | 2, message: result.message, outputs: clientOutputs };
    if (ref.key === "connect-client") clientOutputs = result.outputs;
  }
  return { kind: "built", outputs: clientOutputs, outcomes };
}

function advised(ctx: DeployContext): DeployContext {
  return { ...ctx, adviseFailure: ctx.adviseFailure ?? ((_stage, cause) => advice(cause.reason)) };
}

// The deploy engine's view of one of our stacks: its place, template, parameters and tags.
function stagePlan(ref: StageRef, planned: StackPlan): StagePlan {
  return {
    number: ref.stage,
    key: ref.key,
    title: ref.key === "connect-client" ? "Connection, client side" : "Connection, API side",
    region: ref.region,
    ...(ref.clientRegion === undefined ? {} : { clientRegion: ref.clientRegion }),
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
