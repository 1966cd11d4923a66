// Who we are, and what we may do (IAM's policy simulation). Credentials failures leave here as the one CredentialsError of ./errors.ts, so the CLI maps
// them to exit 1 with the fixing command whichever step met them first.
import { type ContextKeyTypeEnum, type EvaluationResult, type IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsClients } from "./clients.js";
import { asCredentialsError } from "./errors.js";

/** Who the credentials are: account and ARN, from STS. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

/** Asks STS who we are; credentials problems leave as a CredentialsError. */
export async function callerIdentity(
  clients: Pick<AwsClients, "sts" | "profile">,
  region: string,
): Promise<CallerIdentity> {
  try {
    const answer = await clients.sts(homeRegionOf(region)).send(new GetCallerIdentityCommand({}));
    return { account: answer.Account ?? "", arn: answer.Arn ?? "" };
  } catch (error) {
    throw asCredentialsError(error, clients.profile) ?? error;
  }
}

/**
 * The partition's home region, where STS is asked. STS in an opt-in region that is not enabled rejects
 * valid credentials as invalid, which would send the user to fix the wrong thing; the home region is always enabled.
 */
export function homeRegionOf(region: string): string {
  if (region.startsWith("cn-")) return "cn-north-1";
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  return "us-east-1";
}

// IAM's policy simulator, asked about the caller: which principal to simulate for the ARN STS reports,
// and one batched, paginated SimulatePrincipalPolicy call answered action by action and resource by resource.
/** The IAM principal whose policies stand for the caller, or why none can. */
export type SimulationPrincipal =
  | { readonly kind: "principal"; readonly arn: string; readonly fromSession: boolean }
  | { readonly kind: "unsupported"; readonly reason: string };

/**
 * Maps GetCallerIdentity's ARN to a user or role ARN. An assumed-role session
 * (arn:aws:sts::123:assumed-role/Role/session) maps to arn:aws:iam::123:role/Role: the session ARN does not
 * carry the role's path, so a role with a path is not found as such; for IAM Identity Center's roles
 * ssoRoleArns gives the paths to try. Finding any path directly would take iam:GetRole, one more
 * permission to ask of every user.
 */
export function simulationPrincipal(callerArn: string): SimulationPrincipal {
  const match = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(callerArn);
  if (!match) return { kind: "unsupported", reason: `the caller ARN ${callerArn} is not one IAM can simulate` };
  const [, partition, service, account, resource = ""] = match;
  if (service === "iam" && resource === "root") {
    return { kind: "unsupported", reason: "the caller is the account's root user, which IAM cannot simulate (it may do everything an organisation's policies allow)" };
  }
  if (service === "iam" && resource.startsWith("user/")) return { kind: "principal", arn: callerArn, fromSession: false };
  if (service === "sts" && resource.startsWith("assumed-role/")) {
    const role = resource.split("/")[1];
    if (role) return { kind: "principal", arn: `arn:${partition}:iam::${account}:role/${role}`, fromSession: true };
  }
  if (service === "sts" && resource.startsWith("federated-user/")) {
    return { kind: "unsupported", reason: "the caller is a federated user (GetFederationToken), whose session policy IAM cannot simulate" };
  }
  return { kind: "unsupported", reason: `the caller ${callerArn} is neither an IAM user nor a role session, which IAM cannot simulate` };
}

/** Where IAM Identity Center puts the roles of its permission sets. */
export const SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/";
const IDENTITY_CENTER_ROLE = /^(arn:[^:]+:iam::\d{12}:role)\/(AWSReservedSSO_[^/]+)$/;

/** Whether a path-less role ARN (from a session) names a role IAM Identity Center made for a permission set. */
export function isIdentityCenterRole(roleArn: string): boolean {
  return IDENTITY_CENTER_ROLE.test(roleArn);
}

/**
 * The ARNs an IAM Identity Center role (AWSReservedSSO_<permission set>_<suffix>) may have, most likely first;
 * empty for any other role. Its path is /aws-reserved/sso.amazonaws.com/<region>/ with the region of the
 * Identity Center instance ("Referencing permission sets in resource policies", IAM Identity Center user
 * guide, arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_…), and
 * without the region for an instance in us-east-1 (AWS Containers blog, "A quick path to Amazon EKS single
 * sign-on using AWS SSO": "If you configure SSO in a Region other than us-east-1, add the Region after
 * sso.amazonaws.com"). The session ARN names neither, so each region is a guess: `regions` in the order to try.
 */
export function ssoRoleArns(roleArn: string, regions: readonly string[]): string[] {
  const match = IDENTITY_CENTER_ROLE.exec(roleArn);
  if (!match) return [];
  const [, base, name] = match;
  const paths = [...regions.map((r) => (r === "us-east-1" ? SSO_ROLE_PATH : `${SSO_ROLE_PATH}${r}/`)), SSO_ROLE_PATH];
  return [...new Set(paths)].map((path) => `${base}${path}${name}`);
}

/** The region of the profile's IAM Identity Center instance (sso_region, itself or in its sso-session), if it names one. */
export async function ssoRegionOf(profile: string | undefined): Promise<string | undefined> {
  try {
    // Loaded here, not with the module: the credentials check imports this module on the first question's path.
    const { getProfileName, loadSharedConfigFiles, loadSsoSessionData } = await import("@smithy/core/config");
    const name = getProfileName(profile === undefined ? {} : { profile });
    const [{ configFile }, sessions] = await Promise.all([loadSharedConfigFiles(), loadSsoSessionData()]);
    const entry = configFile[name];
    const session = entry?.["sso_session"];
    return entry?.["sso_region"] ?? (session ? sessions[session]?.["sso_region"] : undefined);
  } catch {
    // No readable config file: no hint, and every region is tried.
    return undefined;
  }
}

/**
 * The first of the ARNs IAM knows (it answers a simulation for it rather than NoSuchEntity), asking a few at a
 * time in order; undefined when it knows none. Other errors end the search.
 */
export async function firstKnownPrincipal(iam: IAMClient, arns: readonly string[], parallel: number, signal?: AbortSignal): Promise<string | undefined> {
  for (let start = 0; start < arns.length; start += parallel) {
    const batch = arns.slice(start, start + parallel);
    const known = await Promise.all(
      batch.map((arn) =>
        iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ["sts:GetCallerIdentity"], MaxItems: 1 }), { abortSignal: signal }).then(
          () => true,
          (error: unknown) => {
            if (isNoSuchEntity(error)) return false;
            throw error;
          },
        ),
      ),
    );
    const found = batch.find((_arn, i) => known[i]);
    if (found) return found;
  }
  return undefined;
}

/** Whether IAM answered that the principal does not exist. */
export function isNoSuchEntity(error: unknown): boolean {
  const name = error instanceof Error ? error.name : "";
  return name === "NoSuchEntity" || name === "NoSuchEntityException";
}

/** IAM's answer for one action: allowed, or denied explicitly or by default. */
export type Decision = "allowed" | "explicitDeny" | "implicitDeny";

/** One action on one resource, as the simulator decided it. */
export interface SimulatedDecision {
  readonly action: string;
  readonly resource: string;
  readonly decision: Decision;
  // Condition keys a policy asked for that the simulation had no value for: the decision may be wrong.
  readonly missingContext: readonly string[];
}

/** One value of the request context the simulation evaluates conditions against. */
export interface ContextEntry {
  readonly key: string;
  readonly values: readonly string[];
  readonly type: ContextKeyTypeEnum;
}

/** The actions and resources to simulate for one principal. */
export interface SimulationRequest {
  readonly principalArn: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly context: readonly ContextEntry[];
  readonly signal?: AbortSignal | undefined;
}

// IAM answers at most 1000 results a page.
const PAGE = 1000;

/** Every action against every resource of the request; pages through IsTruncated/Marker. */
export async function simulate(iam: IAMClient, request: SimulationRequest): Promise<SimulatedDecision[]> {
  const decisions: SimulatedDecision[] = [];
  let marker: string | undefined;
  do {
    const answer = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: request.principalArn,
        ActionNames: [...request.actions],
        ResourceArns: [...request.resources],
        ContextEntries: request.context.map((e) => ({ ContextKeyName: e.key, ContextKeyValues: [...e.values], ContextKeyType: e.type })),
        MaxItems: PAGE,
        Marker: marker,
      }),
      { abortSignal: request.signal },
    );
    for (const result of answer.EvaluationResults ?? []) decisions.push(...decisionsOf(result, request.resources));
    marker = answer.IsTruncated ? answer.Marker : undefined;
  } while (marker);
  return decisions;
}

// With several resources IAM answers per resource in ResourceSpecificResults; with one it may answer only
// at the top, naming the resource (or "*") in EvalResourceName.
function decisionsOf(result: EvaluationResult, resources: readonly string[]): SimulatedDecision[] {
  const action = result.EvalActionName ?? "";
  const topMissing = result.MissingContextValues ?? [];
  const specific = result.ResourceSpecificResults ?? [];
  if (specific.length > 0) {
    return specific.map((r) => ({
      action,
      resource: r.EvalResourceName ?? "",
      decision: asDecision(r.EvalResourceDecision),
      missingContext: r.MissingContextValues ?? topMissing,
    }));
  }
  const named = result.EvalResourceName;
  const covered = named === undefined || (named === "*" && !resources.includes("*")) ? resources : [named];
  return covered.map((resource) => ({ action, resource, decision: asDecision(result.EvalDecision), missingContext: topMissing }));
}

function asDecision(value: string | undefined): Decision {
  return value === "allowed" || value === "explicitDeny" ? value : "implicitDeny";
}
