// Before anything is created: does the caller hold every permission of ./permissions.ts? Asked of IAM's
// policy simulator. A check that cannot run (the caller may not simulate, IAM does not answer, a root or
// federated caller) is skipped with one reason, never a failure: it only ever saves a half-built deploy.
import type { AwsClients } from "../aws/clients.js";
import { describeAwsError, isAwsAnswer, isServiceError, throwIfCredentials } from "../aws/errors.js";
import { simulate, simulationPrincipal, type SimulatedDecision } from "../aws/identity.js";
import type { Answers } from "../config/answers.js";
import { deployPermissions, GLOBAL, type Permission, type PermissionScope } from "./permissions.js";

/** One action a scope needs on one resource, that the simulation denied or could not decide. */
export interface PermissionFinding {
  readonly scope: PermissionScope;
  readonly region: string;
  readonly resource: string;
  readonly action: string;
  readonly decision: "explicitDeny" | "implicitDeny";
  // Condition keys the simulation had no value for: set on undecided findings only.
  readonly missingContext: readonly string[];
}

/** What the check found, carried by the `permission-check` event. */
export type PermissionReport =
  | { readonly outcome: "passed"; readonly principal: string; readonly checked: number; readonly undecided: readonly PermissionFinding[] }
  | {
      readonly outcome: "denied";
      readonly principal: string;
      readonly checked: number;
      readonly denied: readonly PermissionFinding[];
      readonly undecided: readonly PermissionFinding[];
    }
  | { readonly outcome: "skipped"; readonly reason: string };

/** What the simulation needs: IAM, and how long it may take. */
export interface PermissionCheckContext {
  readonly clients: Pick<AwsClients, "iam" | "profile">;
  // How long IAM may take over the whole check before it counts as not answering.
  readonly timeoutMs?: number | undefined;
}

const TIMEOUT_MS = 20_000;
// A handful of calls at once: IAM's request rate is an account-wide quota.
const PARALLEL = 3;

// The region IAM and Route 53 calls are signed for (aws:RequestedRegion of a global service).
const HOME_REGION: Readonly<Record<string, string>> = { aws: "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" };

/** Simulates what `deploy` needs for the caller identified by STS. */
export async function checkPermissions(
  ctx: PermissionCheckContext,
  caller: { readonly arn: string; readonly account: string },
  answers: Answers,
): Promise<PermissionReport> {
  const principal = simulationPrincipal(caller.arn);
  if (principal.kind === "unsupported") return { outcome: "skipped", reason: principal.reason };
  const partition = caller.arn.split(":")[1] ?? "aws";
  const home = HOME_REGION[partition] ?? "us-east-1";
  const permissions = deployPermissions({ partition, account: caller.account, name: answers.name, apiRegion: answers.apiRegion, clientRegion: answers.clientRegion });
  const timeoutMs = ctx.timeoutMs ?? TIMEOUT_MS;
  // The first call that fails, or the deadline, ends the others: one reason is enough to skip.
  const stop = new AbortController();
  const work = runGroups(groups(permissions), PARALLEL, async (group) => {
    const region = group.region === GLOBAL ? home : group.region;
    const answered = await simulate(ctx.clients.iam(home), {
      principalArn: principal.arn,
      actions: group.actions,
      resources: group.resources,
      context: { "aws:RequestedRegion": region },
      signal: stop.signal,
    });
    return answered.map((d) => [pairKey(group.region, d.action, d.resource), d] as const);
  });
  let decisions: Map<string, SimulatedDecision>;
  try {
    decisions = new Map((await withDeadline(work, timeoutMs)).flat());
  } catch (error) {
    return { outcome: "skipped", reason: skipReason(error, ctx, principal.arn, principal.fromSession, timeoutMs) };
  } finally {
    stop.abort();
  }

  const denied: PermissionFinding[] = [];
  const undecided: PermissionFinding[] = [];
  const seen = new Set<string>();
  const answered = new Set<string>();
  for (const p of permissions) {
    for (const action of p.actions) {
      const key = pairKey(p.region, action, p.resource);
      const d = decisions.get(key);
      if (d) answered.add(key);
      if (!d || d.decision === "allowed" || seen.has(`${p.scope} ${key}`)) continue;
      seen.add(`${p.scope} ${key}`);
      const finding: PermissionFinding = { scope: p.scope, region: p.region, resource: p.resource, action, decision: d.decision, missingContext: [] };
      // An implicit deny that hinged on a condition key the simulation could not know is not a verdict.
      if (d.decision === "implicitDeny" && d.missingContext.length > 0) undecided.push({ ...finding, missingContext: d.missingContext });
      else denied.push(finding);
    }
  }
  const checked = answered.size;
  if (checked === 0) return { outcome: "skipped", reason: "IAM's policy simulator answered none of the actions asked about" };
  return denied.length > 0
    ? { outcome: "denied", principal: principal.arn, checked, denied, undecided }
    : { outcome: "passed", principal: principal.arn, checked, undecided };
}

interface Group {
  readonly region: string;
  readonly actions: string[];
  readonly resources: string[];
}

// One call per region and service: every action of the group is simulated on every resource of the group,
// and only the pairs the list names are read back.
function groups(permissions: readonly Permission[]): Group[] {
  const byKey = new Map<string, { region: string; actions: Set<string>; resources: Set<string> }>();
  for (const p of permissions) {
    for (const action of p.actions) {
      const key = `${p.region} ${action.split(":")[0]}`;
      const group = byKey.get(key) ?? { region: p.region, actions: new Set<string>(), resources: new Set<string>() };
      group.actions.add(action);
      group.resources.add(p.resource);
      byKey.set(key, group);
    }
  }
  return [...byKey.values()].map((g) => ({ region: g.region, actions: [...g.actions], resources: [...g.resources] }));
}

function pairKey(region: string, action: string, resource: string): string {
  return `${region} ${action} ${resource}`;
}

class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

// A timer of our own rather than the SDK's abort alone, so a call that hangs before its socket opens ends too.
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError()), ms);
    timer.unref?.();
  });
  // Whatever the loser does later (the aborted calls reject) is no longer anyone's concern.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function runGroups<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

function skipReason(error: unknown, ctx: PermissionCheckContext, principal: string, fromSession: boolean, timeoutMs: number): string {
  throwIfCredentials(error, ctx.clients.profile);
  const name = error instanceof Error ? error.name : "";
  if (name === "AccessDenied" || name === "AccessDeniedException") {
    return "you may not call iam:SimulatePrincipalPolicy (AccessDenied)";
  }
  if (name === "NoSuchEntity" || name === "NoSuchEntityException") {
    return fromSession
      ? `IAM has no role ${principal}: the session ARN leaves out the role's path (IAM Identity Center roles live under /aws-reserved/sso.amazonaws.com/)`
      : `IAM has no principal ${principal}`;
  }
  if (name === "DeadlineError" || name === "TimeoutError") return `IAM did not answer within ${timeoutMs / 1000} s`;
  if (isAwsAnswer(error)) return `IAM answered ${describeAwsError(error)}`;
  if (isServiceError(error) || typeof (error as { code?: unknown } | null)?.code === "string") return describeAwsError(error);
  throw error;
}
