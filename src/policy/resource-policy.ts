// An API Gateway resource policy evaluated for one call, as AWS evaluates it: an explicit Deny that
// applies wins; otherwise an Allow that applies is needed; otherwise the call is implicitly denied.
// API Gateway reads `execute-api:/…` resources as this API's ARN prefix. Pure: the request is given.
import { and, arnMatch, evaluateConditions, globMatch, type RequestContext, type Tri } from "./conditions.js";

/** The call to judge: its ARN, action and context keys. */
export interface ApiCall {
  /** arn:${partition}:execute-api:${region}:${account}:${apiId}/${stage}/${METHOD}/${path} */
  readonly arn: string;
  readonly action: string;
  /**
   * Who signed the call (the role's ARN). None for an unsigned call: API Gateway judges that as the
   * anonymous caller, which only `Principal: "*"` (or `{"AWS": "*"}`) admits.
   */
  readonly principals: readonly string[];
  readonly request: RequestContext;
}

/** The statement that decided, for the message. */
export interface StatementRef {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: "Allow" | "Deny";
}

/** What the resource policy does with the call: allowed, denied (by which statement), or unknown. */
export interface PolicyDecision {
  readonly allowed: Tri;
  /** explicit-deny / allow: the statement that decided; unknown: the one whose answer is unknown. */
  readonly outcome: "explicit-deny" | "allow" | "implicit-deny" | "unknown";
  readonly statement: StatementRef | undefined;
  readonly reason: string;
}

interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/** `execute-api:/stage/GET/path` → the full ARN of this API; other values unchanged. */
function expandResource(resource: string, apiArnPrefix: string): string {
  return resource.startsWith("execute-api:/") ? `${apiArnPrefix}/${resource.slice("execute-api:/".length)}` : resource;
}

function principalMatches(statement: Statement, principals: readonly string[]): Tri {
  if (statement.NotPrincipal !== undefined) return null;
  const p = statement.Principal;
  if (p === "*") return true;
  if (typeof p !== "object" || p === null) return false;
  const aws = list((p as Record<string, unknown>)["AWS"]);
  if (aws.includes("*")) return true;
  const accountOf = (arn: string) => arn.split(":")[4] ?? "";
  return aws.some((name) => {
    const account = /^\d{12}$/.test(name) ? name : /^arn:[^:]+:iam::(\d{12}):root$/.exec(name)?.[1];
    return principals.some((caller) => caller === name || (account !== undefined && accountOf(caller) === account));
  });
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((a) => globMatch(a, action, true));
  return list(statement.Action).some((a) => globMatch(a, action, true));
}

function resourceMatches(statement: Statement, arn: string, prefix: string): boolean {
  const matches = (values: unknown) => list(values).some((r) => arnMatch(expandResource(r, prefix), arn));
  if (statement.NotResource !== undefined) return !matches(statement.NotResource);
  return matches(statement.Resource);
}

// "arn:aws:execute-api:region:account:apiId" from the call's ARN (everything before the stage).
function apiPrefix(arn: string): string {
  const slash = arn.indexOf("/");
  return slash === -1 ? arn : arn.slice(0, slash);
}

/** Whether the policy (a JSON text or parsed document) lets the call through. */
export function evaluatePolicy(policy: unknown, call: ApiCall): PolicyDecision {
  let document = policy;
  if (typeof policy === "string") {
    try {
      document = JSON.parse(policy) as unknown;
    } catch {
      return { allowed: null, outcome: "unknown", statement: undefined, reason: "the policy is not valid JSON" };
    }
  }
  const raw = (document as { Statement?: unknown } | null)?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Statement[];
  const prefix = apiPrefix(call.arn);
  const verdicts = statements.map((statement, index) => {
    const applies = and([
      principalMatches(statement, call.principals),
      actionMatches(statement, call.action),
      resourceMatches(statement, call.arn, prefix),
      evaluateConditions(statement.Condition, call.request),
    ]);
    const ref: StatementRef = { index, sid: statement.Sid, effect: statement.Effect === "Deny" ? "Deny" : "Allow" };
    return { ref, applies };
  });
  const first = (effect: string, applies: Tri) => verdicts.find((v) => v.ref.effect === effect && v.applies === applies)?.ref;
  const deny = first("Deny", true);
  if (deny) return { allowed: false, outcome: "explicit-deny", statement: deny, reason: `explicitly denied by ${describe(deny)}` };
  const maybeDeny = first("Deny", null);
  if (maybeDeny) return { allowed: null, outcome: "unknown", statement: maybeDeny, reason: `${describe(maybeDeny)} may deny it: it depends on a principal or key that cannot be read` };
  const allow = first("Allow", true);
  if (allow) return { allowed: true, outcome: "allow", statement: allow, reason: `allowed by ${describe(allow)}` };
  const maybeAllow = first("Allow", null);
  if (maybeAllow) return { allowed: null, outcome: "unknown", statement: maybeAllow, reason: `only ${describe(maybeAllow)} may allow it: it depends on a principal or key that cannot be read` };
  // The Allow that would apply to anyone: the caller is not among its principals. Say so, since it is
  // the usual surprise (a statement naming the account admits signed calls only).
  const other = statements.findIndex((statement, index) =>
    verdicts[index]!.ref.effect === "Allow" && principalMatches(statement, call.principals) === false &&
    and([actionMatches(statement, call.action), resourceMatches(statement, call.arn, prefix), evaluateConditions(statement.Condition, call.request)]) === true);
  if (other !== -1) {
    const ref = verdicts[other]!.ref;
    const who = call.principals.length === 0 ? `an unsigned call is the anonymous caller, which only Principal "*" admits` : `the call is signed by ${call.principals.join(", ")}`;
    return { allowed: false, outcome: "implicit-deny", statement: ref, reason: `no statement allows it (implicit deny): ${describe(ref)} names the principal ${JSON.stringify(statements[other]!.Principal)}, and ${who}` };
  }
  return { allowed: false, outcome: "implicit-deny", statement: undefined, reason: "no statement allows it (implicit deny)" };
}

/** "statement DenyOthers" or "statement #2" for messages. */
function describe(ref: StatementRef): string {
  return ref.sid ? `${ref.effect} statement "${ref.sid}"` : `${ref.effect} statement #${ref.index + 1}`;
}
