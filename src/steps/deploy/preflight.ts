// Everything we can learn before changing anything: who we are, whether every region can hold the
// deployment (zones, and room for its VPCs), which ranges are already in use, whether the API VPC's quotas
// leave room for the client regions, and what exists from an earlier run.
import { describeZones, endpointServiceZones, executeApiServiceName, type ExistingVpc, listVpcs, RegionUnavailableError } from "../../aws/ec2-lookups.js";
import { callerIdentity } from "../../aws/identity.js";
import { readHubCounts } from "../../aws/hub-counts.js";
import { type Answers, clientRegions } from "../../config/answers.js";
import { splitZones } from "../../config/validate.js";
import { UsageError } from "../../errors.js";
import { overlapOf, parseCidr } from "../../net/index.js";
import type { StepContext } from "../context.js";
import { checkPermissions, type PermissionReport } from "../permissions/permission-check.js";
import { noteOf } from "../events.js";
import { type HubAdditions, hubLimitProblems, NEW_HUB } from "./hub-limits.js";
import type { ChosenZones, Deployed } from "../plan.js";
import { stageRefs, TAG_DEPLOYMENT } from "../stages.js";
import { allStacks, deployedFacts, lookupStacks, type StackState, type StackStates, stackSummary } from "../stacks.js";
import { capacityProblem, chooseZones, type RegionZones, type ZoneChoice, type ZoneOutcome } from "./zones.js";

/** Preflight found something that stops the deploy; the message names the fix. */
export class PreflightError extends Error {
  override readonly name = "PreflightError";
}

/** What preflight learned: identity, the stacks that exist, the zones, the permission report. */
export interface PreflightResult {
  readonly account: string;
  readonly arn: string;
  // Two zones per VPC, with their ids: the plan is rebuilt with them before anything is deployed.
  readonly zones: ChosenZones;
  readonly existingStacks: StackStates;
  // What the plan keeps of the deployment as it stands (stage 1's admitted range, routes stacks' names).
  readonly deployed: Deployed;
  readonly warnings: readonly string[];
  readonly permissions: PermissionReport;
}

/** Preflight's context; --no-permission-check sets checkPermissions false (the simulation misleads for some accounts). */
export interface PreflightContext extends StepContext<"sts" | "ec2" | "cloudFormation" | "iam" | "profile"> {
  readonly checkPermissions?: boolean | undefined;
}

/** Checks the account before anything is created: identity, regions, ranges, zones, the API VPC's quotas, permissions, stacks. */
export async function preflight(ctx: PreflightContext, answers: Answers): Promise<PreflightResult> {
  const { clock } = ctx;
  const now = () => clock.now();
  const identity = await callerIdentity(ctx.clients, answers.apiRegion);
  ctx.emit({ kind: "identity", account: identity.account, arn: identity.arn, at: now() });
  // Runs beside the look-ups below; its verdict is the caller's to act on (deploy stops on a denial).
  const permissionCheck: Promise<PermissionReport> =
    ctx.checkPermissions === false
      ? Promise.resolve({ outcome: "skipped", reason: "--no-permission-check was given" })
      : checkPermissions({ clients: ctx.clients }, identity, answers);
  // A zone problem below may end preflight first; the check's own failure must not then go unhandled.
  permissionCheck.catch(() => undefined);

  const serviceName = executeApiServiceName(answers.apiRegion);
  const regions = clientRegions(answers);
  const [apiZones, offered, ...clientZones] = await Promise.allSettled([
    describeZones(ctx.clients, answers.apiRegion),
    endpointServiceZones(ctx.clients, answers.apiRegion, serviceName),
    ...regions.map((region) => describeZones(ctx.clients, region)),
  ]);
  const api: RegionZones = { role: "api", region: answers.apiRegion, zones: settled(apiZones!), offered: offered!.status === "fulfilled" ? offered.value : undefined, serviceName };
  const clients = regions.map((region, i): RegionZones => ({ role: "client", region, zones: settled(clientZones[i]!) }));
  // Every region's problems at once: one that is not enabled, one without two usable zones.
  const problems = [
    regionProblem(apiZones!) ?? regionProblem(offered!) ?? capacityProblem(api),
    ...clients.map((client, i) => regionProblem(clientZones[i]!) ?? capacityProblem(client)),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new PreflightError(problems.join("\n"));

  const [apiVpcs, existingStacks, ...clientVpcs] = await Promise.all([
    listVpcs(ctx.clients, answers.apiRegion),
    lookupStacks(ctx.clients, answers),
    ...regions.map((region) => listVpcs(ctx.clients, region)),
  ]);
  const ours = ownNames(answers, existingStacks);
  const warnings = [
    ...overlapWarnings(answers, ours, answers.apiRegion, apiVpcs),
    ...regions.flatMap((region, i) => overlapWarnings(answers, ours, region, clientVpcs[i]!)),
    ...quotaWarning(answers, ours, answers.apiRegion, apiVpcs),
    ...regions.flatMap((region, i) => quotaWarning(answers, ours, region, clientVpcs[i]!)),
  ];
  for (const message of warnings) ctx.emit({ kind: "warning", message, at: now() });
  for (const state of allStacks(existingStacks)) {
    if (state.present) ctx.emit({ kind: "info", ...noteOf(state.ref), message: stackSummary(state), at: now() });
  }
  const deployed = deployedFacts(existingStacks);
  await checkHubLimits(ctx, answers, existingStacks, deployed);

  const given = (text: string | undefined) => (text === undefined ? undefined : splitZones(text));
  const choices = [
    chooseZones(api, given(answers.apiAzs), zonesInUse(existingStacks.api)),
    ...answers.clients.map((client, i) => chooseZones(clients[i]!, given(client.azs), zonesInUse(existingStacks.clients[i]!.client))),
  ];
  const chosen = choices.flatMap((outcome) => (outcome.ok ? [outcome.choice] : []));
  if (chosen.length < choices.length) throw zoneError(choices);
  for (const choice of chosen) announce(ctx, choice, existingStacks, now());
  const [apiChoice, ...clientChoices] = chosen;
  const zones: ChosenZones = { api: apiChoice!.zones, clients: Object.fromEntries(clientChoices.map((c) => [c.region, c.zones])) };
  const permissions = await permissionCheck;
  ctx.emit({ kind: "permission-check", report: permissions, at: now() });
  return { account: identity.account, arn: identity.arn, zones, existingStacks, deployed, warnings, permissions };
}

// The client regions this deploy adds a peering, a return route and an endpoint rule for, against what the
// API VPC holds now (a new one holds its local route and two inline rules).
async function checkHubLimits(ctx: PreflightContext, answers: Answers, stacks: StackStates, deployed: Deployed): Promise<void> {
  const fresh = (state: StackState) => !state.present || state.status === "ROLLBACK_COMPLETE";
  const admitted = deployed.admittedCidr ?? answers.clients[0]?.cidr;
  const adds: HubAdditions = {
    peerings: stacks.clients.filter((c) => fresh(c.client)).map((c) => c.region),
    routes: stacks.clients.filter((c) => fresh(c.routes)).map((c) => c.region),
    rules: stacks.clients
      .filter((c, i) => fresh(c.routes) && answers.clients[i]?.cidr !== admitted)
      .map((c) => c.region),
  };
  const api = stacks.api;
  const outputs = api.present && !fresh(api) ? api.outputs : {};
  const vpcId = outputs["VpcId"];
  const place = vpcId
    ? {
        region: answers.apiRegion,
        vpcId,
        routeTableIds: (outputs["RouteTableIds"] ?? "").split(",").filter(Boolean),
        endpointGroupId: outputs["EndpointSecurityGroupId"],
      }
    : undefined;
  const counts = place ? await readHubCounts(ctx.clients, place) : NEW_HUB;
  const problems = hubLimitProblems(counts, adds, { vpc: vpcId ?? "(new)", group: place?.endpointGroupId ?? "(new)" });
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
}

// A flag naming a zone that cannot be used is bad input (exit 2); a region without two usable zones is not.
function zoneError(outcomes: readonly ZoneOutcome[]): Error {
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome]));
  const usage = failed.find((outcome) => outcome.kind === "usage");
  return usage ? new UsageError(usage.message) : new PreflightError(failed.map((outcome) => outcome.message).join("\n"));
}

// A stack that will be deleted and created again (ROLLBACK_COMPLETE) has nothing to keep: its zones may be why it failed.
function zonesInUse(stack: StackState): string[] | undefined {
  if (!stack.present || stack.status === "ROLLBACK_COMPLETE") return undefined;
  const zones = [stack.parameters["AvailabilityZone1"], stack.parameters["AvailabilityZone2"]].filter((z): z is string => Boolean(z));
  return zones.length === 2 ? zones : undefined;
}

function announce(ctx: PreflightContext, choice: ZoneChoice, stacks: StackStates, at: number): void {
  const { role, region, zones, source, moves } = choice;
  ctx.emit({ kind: "zones", role, region, zones, source, at });
  if (!moves) return;
  const stack = role === "api" ? stacks.api : stacks.clients.find((c) => c.region === region)!.client;
  ctx.emit({
    kind: "warning",
    ...noteOf(stack.ref),
    message:
      `${stack.ref.stackName} has its subnets in ${moves.map((z) => z.name).join(", ")}; moving them to ${zones.map((z) => z.name).join(", ")} ` +
      `replaces both subnets and what sits in them (${role === "api" ? "the execute-api endpoint" : "the function's network interfaces"})`,
    at,
  });
}

// A region that is not enabled or refuses the call is reported with the other regions' problems, not alone.
function regionProblem(result: PromiseSettledResult<unknown>): string | undefined {
  if (result.status === "fulfilled") return undefined;
  if (result.reason instanceof RegionUnavailableError) return result.reason.message;
  throw result.reason;
}

function settled<T>(result: PromiseSettledResult<readonly T[]>): readonly T[] {
  return result.status === "fulfilled" ? result.value : [];
}

// Amazon VPC's default quota: 5 VPCs per Region, the default VPC included (Service Quotas L-F678F1CE).
// Past it CreateVpc fails and so does the stage ("The maximum number of VPCs has been reached",
// VpcLimitExceeded; the VPC's CREATE_FAILED reason in awslabs/landing-zone-accelerator-on-aws#241). The
// account's own value needs servicequotas:GetServiceQuota, so this is a warning, never a stop.
const DEFAULT_VPC_QUOTA = 5;

// Each region gets one VPC of ours: the API VPC in region A, a client VPC in each client region.
function quotaWarning(answers: Answers, ours: ReadonlySet<string>, region: string, vpcs: readonly ExistingVpc[]): string[] {
  const adds = 1 - vpcs.filter((vpc) => isOurs(answers, ours, vpc)).length;
  if (adds <= 0 || vpcs.length + adds <= DEFAULT_VPC_QUOTA) return [];
  return [
    `${region} already has ${vpcs.length} VPCs and this deployment adds ${adds}: the default quota is ${DEFAULT_VPC_QUOTA} per Region, ` +
      "so the stack may fail with VpcLimitExceeded. Check this account's quota " +
      `(aws service-quotas get-service-quota --service-code vpc --quota-code L-F678F1CE --region ${region}), or delete a VPC no longer used`,
  ];
}

// The names of this deployment's stacks, wherever found, and the ones it would create.
function ownNames(answers: Answers, stacks: StackStates): ReadonlySet<string> {
  return new Set([...stageRefs(answers).map((ref) => ref.stackName), ...allStacks(stacks).map((state) => state.ref.stackName)]);
}

// This deployment's own VPCs, by our tag or by our stacks' names.
function isOurs(answers: Answers, ours: ReadonlySet<string>, vpc: ExistingVpc): boolean {
  return vpc.tags[TAG_DEPLOYMENT] === answers.name || ours.has(vpc.tags["aws:cloudformation:stack-name"] ?? "");
}

// Overlap with an unrelated VPC does not break this deployment, but those two networks can then never be
// peered or routed to each other, which is worth knowing before the range is fixed in a stack.
function overlapWarnings(answers: Answers, ours: ReadonlySet<string>, region: string, vpcs: readonly ExistingVpc[]): string[] {
  const several = answers.clients.length > 1;
  const chosen = [
    { label: "API", cidr: parseCidr(answers.apiCidr) },
    ...answers.clients.map((client) => ({ label: several ? `${client.region} client` : "client", cidr: parseCidr(client.cidr) })),
  ];
  const warnings: string[] = [];
  for (const vpc of vpcs) {
    if (isOurs(answers, ours, vpc)) continue;
    for (const text of vpc.cidrs) {
      const existing = parseCidr(text);
      for (const { label, cidr } of chosen) {
        if (!existing || !cidr || !overlapOf(existing, cidr)) continue;
        const name = vpc.name ? ` "${vpc.name}"` : " (no Name tag)";
        warnings.push(
          `the ${label} VPC range ${cidr.text} overlaps existing VPC ${vpc.id}${name} ${text} in ${region}: ` +
            "the two can never be peered or routed to each other",
        );
      }
    }
  }
  return warnings;
}
