// Everything we can learn before changing anything: who we are, whether both regions can hold the
// deployment, which ranges are already in use, and what exists from an earlier run.
import type { AwsClients } from "../aws/clients.js";
import { availableZones, listVpcs, RegionUnavailableError, type ExistingVpc } from "../aws/ec2-lookups.js";
import { callerIdentity } from "../aws/identity.js";
import type { Answers } from "../config/answers.js";
import { overlapOf, parseCidr } from "../net/index.js";
import { systemClock, type Clock } from "./clock.js";
import type { Emit } from "./events.js";
import { checkPermissions, type PermissionReport } from "./permission-check.js";
import { STAGES, TAG_DEPLOYMENT, stackName } from "./stages.js";
import { describeStack, lookupStacks, type StackStates } from "./status.js";

export class PreflightError extends Error {
  override readonly name = "PreflightError";
}

export interface PreflightResult {
  readonly account: string;
  readonly arn: string;
  readonly azs: { readonly api: readonly string[]; readonly client: readonly string[] };
  readonly existingStacks: StackStates;
  readonly warnings: readonly string[];
  readonly permissions: PermissionReport;
}

export interface PreflightContext {
  readonly clients: Pick<AwsClients, "sts" | "ec2" | "cloudFormation" | "iam" | "profile">;
  readonly emit: Emit;
  // false: --no-permission-check (the simulation misleads for some accounts).
  readonly checkPermissions?: boolean | undefined;
  // The engine's Clock fits, so the CLI can pass one context to every step.
  readonly clock?: Pick<Clock, "now"> | undefined;
}

// Each VPC spreads its two subnets over two zones, so the endpoint and the function survive a zone outage.
const MIN_ZONES = 2;

export async function preflight(ctx: PreflightContext, answers: Answers): Promise<PreflightResult> {
  const clock = ctx.clock ?? systemClock;
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

  const [api, client] = await Promise.allSettled([
    availableZones(ctx.clients, answers.apiRegion),
    availableZones(ctx.clients, answers.clientRegion),
  ]);
  const problems = [zoneProblem(api, answers.apiRegion), zoneProblem(client, answers.clientRegion)].filter(
    (p): p is string => p !== undefined,
  );
  if (problems.length > 0) throw new PreflightError(problems.join("\n"));
  const azs = { api: settledValue(api), client: settledValue(client) };

  const [apiVpcs, clientVpcs, existingStacks] = await Promise.all([
    listVpcs(ctx.clients, answers.apiRegion),
    listVpcs(ctx.clients, answers.clientRegion),
    lookupStacks(ctx.clients, answers),
  ]);
  const warnings = [
    ...overlapWarnings(answers, answers.apiRegion, apiVpcs),
    ...(answers.clientRegion === answers.apiRegion ? [] : overlapWarnings(answers, answers.clientRegion, clientVpcs)),
  ];
  for (const message of warnings) ctx.emit({ kind: "warning", message, at: now() });
  for (const state of [existingStacks.api, existingStacks.client, existingStacks.routes]) {
    if (state.present) ctx.emit({ kind: "info", stage: state.ref.stage, message: describeStack(state), at: now() });
  }
  const permissions = await permissionCheck;
  ctx.emit({ kind: "permission-check", report: permissions, at: now() });
  return { account: identity.account, arn: identity.arn, azs, existingStacks, warnings, permissions };
}

function zoneProblem(result: PromiseSettledResult<string[]>, region: string): string | undefined {
  if (result.status === "rejected") {
    if (result.reason instanceof RegionUnavailableError) return result.reason.message;
    throw result.reason;
  }
  const zones = result.value;
  if (zones.length >= MIN_ZONES) return undefined;
  const found = zones.length === 0 ? "no available availability zone" : `only one available availability zone (${zones.join(", ")})`;
  return `region ${region} has ${found}; a VPC here needs ${MIN_ZONES}: choose another region`;
}

function settledValue(result: PromiseSettledResult<string[]>): string[] {
  return result.status === "fulfilled" ? result.value : [];
}

// Overlap with an unrelated VPC does not break this deployment, but those two networks can then never be
// peered or routed to each other, which is worth knowing before the range is fixed in a stack.
function overlapWarnings(answers: Answers, region: string, vpcs: readonly ExistingVpc[]): string[] {
  const ours = new Set(STAGES.map((s) => stackName(answers.name, s.key)));
  const chosen = [
    { label: "API", cidr: parseCidr(answers.apiCidr) },
    { label: "client", cidr: parseCidr(answers.clientCidr) },
  ];
  const warnings: string[] = [];
  for (const vpc of vpcs) {
    if (vpc.tags[TAG_DEPLOYMENT] === answers.name || ours.has(vpc.tags["aws:cloudformation:stack-name"] ?? "")) continue;
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
