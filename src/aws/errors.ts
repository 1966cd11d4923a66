// Classifies AWS errors in one place, so steps can tell "wait and retry" from "stack is gone" from "the
// user must log in again", and the CLI can map the last one to exit 1 with the exact fix.
import { FailureError, UsageError } from "../errors.js";
import { accessDenial, deniedSentence } from "./access-denied.js";

interface AwsErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $fault?: string;
}

function shape(error: unknown): AwsErrorShape {
  return typeof error === "object" && error !== null ? (error as AwsErrorShape) : {};
}

const THROTTLING = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"]);

/** The SDK already retried these (adaptive mode); one that still escapes means "slow down", not "fail". */
export function isThrottling(error: unknown): boolean {
  const e = shape(error);
  return THROTTLING.has(e.name ?? "") || e.$metadata?.httpStatusCode === 429;
}

/**
 * DescribeStacks/DescribeStackEvents answer a ValidationError for a stack that is not there:
 * "Stack with id X does not exist" (by name) or "Stack [X] does not exist".
 */
export function isStackMissing(error: unknown): boolean {
  const e = shape(error);
  return e.name === "ValidationError" && /does not exist/.test(e.message ?? "");
}

/**
 * AWS reports an empty change set through the change set's status; UpdateStack (and moto's
 * CreateChangeSet) answer this error instead.
 */
export function isNoUpdates(error: unknown): boolean {
  const e = shape(error);
  return e.name === "ValidationError" && /No updates are to be performed/.test(e.message ?? "");
}

const RACED = new Set([
  "ChangeSetNotFoundException",
  "ChangeSetNotFound",
  "InvalidChangeSetStatusException",
  "InvalidChangeSetStatus",
  "AlreadyExistsException",
]);
const RACED_VALIDATION = /already exists and cannot be created again|is in [A-Z_]+_IN_PROGRESS state and can not be updated|^Stack \[[^\]]+\] does not exist/;

// Another run changed the stack between our look at it and our call on it: the CREATE or UPDATE we chose is
// no longer right ("Stack [x] already exists and cannot be created again", "Stack:arn… is in
// UPDATE_IN_PROGRESS state and can not be updated", "Stack [x] does not exist" for a stack still in
// REVIEW_IN_PROGRESS), or our change set went because another was executed (ExecuteChangeSet "deletes all
// other change sets associated with the stack": ChangeSetNotFound; or OBSOLETE: InvalidChangeSetStatus).
/** Whether a change-set call failed because another operation on the stack got there first. */
export function isConcurrentChange(error: unknown): boolean {
  const e = shape(error);
  if (RACED.has(e.name ?? "")) return true;
  return e.name === "ValidationError" && RACED_VALIDATION.test(e.message ?? "");
}

/** An answer from an AWS service (as opposed to a bug in our code): it becomes a failed stage, not a crash. */
export function isServiceError(error: unknown): boolean {
  const e = shape(error);
  return e.$metadata !== undefined || e.$fault !== undefined;
}

// The endpoint a failed request went to, set on the error by the client factory (clients.ts): a network
// error names at most a host, and an answer that is not AWS's names nothing.
const ENDPOINT = Symbol("xregion.endpoint");

/** Records on an error the endpoint its request was sent to (kept off the error's enumerable fields). */
export function noteEndpoint(error: unknown, endpoint: string): void {
  if (typeof error === "object" && error !== null && !(ENDPOINT in error)) Object.defineProperty(error, ENDPOINT, { value: endpoint });
}

const DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);
const TLS = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/;
// Why the SDK could not read an answer; the sentence it appends points at a field our users never see.
const NOT_AWS = /Deserialization error|XML parse error|Unexpected token|is not valid JSON/i;

/**
 * One line for a person about a failed AWS call: what AWS answered, or which endpoint could not be
 * reached and why, or that what answered was not AWS. Never the SDK's internals.
 */
export function describeAwsError(error: unknown): string {
  const e = shape(error) as AwsErrorShape & { code?: string; hostname?: string; address?: string; port?: number };
  const code = e.code ?? "";
  const noted = (error as { [ENDPOINT]?: string } | null)?.[ENDPOINT];
  const endpoint = noted ?? e.hostname ?? (e.address ? `${e.address}${e.port ? `:${e.port}` : ""}` : "the AWS endpoint");
  const why = (text: string) => `could not reach ${endpoint}: ${text}`;
  if (DNS.has(code)) {
    const temporary = code === "EAI_AGAIN" ? "a temporary failure: check the network connection and the DNS server" : "no such host";
    return why(`its name did not resolve (DNS ${code}, ${temporary})`);
  }
  if (code === "ECONNREFUSED") return why("the connection was refused (nothing listens there)");
  if (code === "ETIMEDOUT" || e.name === "TimeoutError") return why("the connection timed out (no network, or a firewall dropping it)");
  if (code === "ECONNRESET") return why("the connection was reset (a proxy or firewall closed it)");
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return why(`there is no route to it (${code})`);
  if (TLS.test(code)) return why(`the TLS handshake failed (${code}): a proxy that intercepts TLS? AWS_CA_BUNDLE names extra CAs to trust`);
  const message = (e.message ?? String(error)).split("\n")[0]!.trim();
  if (!isAwsAnswer(error) && e.$metadata?.httpStatusCode !== undefined) {
    const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
    return `${endpoint} answered something that is not AWS${status}: ${endpointHint()}`;
  }
  if (code && !e.$metadata?.httpStatusCode) return why(`${code}: ${message}`);
  return e.name && e.name !== "Error" ? `${e.name}: ${message}` : message;
}

// Where an answer that is not AWS's usually comes from: an endpoint override, or a proxy.
function endpointHint(): string {
  const overrides = Object.entries(process.env).filter(([key, value]) => key.startsWith("AWS_ENDPOINT_URL") && value);
  if (overrides.length > 0) return `is ${overrides.map(([key, value]) => `${key}=${value}`).join(", ")} meant?`;
  return "a proxy in the way (HTTPS_PROXY)?";
}

// The SDK names an error by the code in AWS's answer; an answer without one ("Unknown", or a parse error
// as a plain Error or no Error at all) did not come from AWS.
const UNNAMED = new Set(["", "Error", "Unknown", "UnknownError"]);

/** True when AWS itself answered (an error with AWS's name for it), not a network failure or a stranger. */
export function isAwsAnswer(error: unknown): boolean {
  const e = shape(error);
  return e.$metadata?.httpStatusCode !== undefined && !UNNAMED.has(e.name ?? "") && !NOT_AWS.test(e.message ?? "");
}

/** A service error as a person reads it: a refusal names the action, the caller and the fix. */
export function explainError(error: unknown, profile: string | undefined, identity?: string): string {
  const denial = accessDenial(error);
  return denial ? deniedSentence(denial, identity ?? `the identity of ${credentialsName(profile)}`) : describeAwsError(error);
}

/** Which credentials a message is about: "profile dev" or the default chain. */
export function credentialsName(profile: string | undefined): string {
  return profile ? `profile ${profile}` : "the default AWS credentials";
}

// RequestExpired is not here on purpose: it means this machine's clock is off, and logging in again would
// not help.
const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"]);
const INVALID = new Set([
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "AuthFailure",
]);

/** What is wrong with the credentials, which decides the fix printed. */
export type CredentialsProblem = "expired" | "missing" | "invalid";

/** Thrown by steps when credentials are the problem; the CLI prints message and fix, and exits 1. */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
  constructor(
    readonly problem: CredentialsProblem,
    message: string,
    readonly fix: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** The one line that tells a person how to get working credentials for this profile. */
export function credentialsFix(profile: string | undefined): string {
  return profile
    ? `aws sso login --profile ${profile}   (or, if that profile does not use SSO: aws configure --profile ${profile})`
    : "aws configure   (or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)";
}

/** The error as a CredentialsError when credentials are its cause, else undefined. */
export function asCredentialsError(error: unknown, profile: string | undefined): CredentialsError | undefined {
  if (error instanceof CredentialsError) return error;
  const e = shape(error);
  const name = e.name ?? "";
  const text = e.message ?? "";
  const fix = credentialsFix(profile);
  if (EXPIRED.has(name) || /SSO session .*(expired|invalid)|token .*expired/i.test(text)) {
    const what = profile ? `The credentials of profile ${profile}` : "The default AWS credentials";
    return new CredentialsError("expired", `${what} have expired.`, fix, error);
  }
  if (INVALID.has(name)) {
    const what = profile ? `the credentials of profile ${profile}` : "the default AWS credentials";
    return new CredentialsError("invalid", `AWS rejected ${what} (${name}).`, fix, error);
  }
  if (name === "CredentialsProviderError" || name === "TokenProviderError") {
    return new CredentialsError("missing", `No AWS credentials found${profile ? ` for profile ${profile}` : ""}: ${text}`, fix, error);
  }
  return undefined;
}

/** Stops a step on a credentials problem (as the one CredentialsError, with its fix); anything else returns. */
export function throwIfCredentials(error: unknown, profile: string | undefined): void {
  const credentials = asCredentialsError(error, profile);
  if (credentials) throw credentials;
}

/** The catch every step shares: credentials problems and errors that are not AWS's go up; an AWS error returns for the step to report. */
export function onlyServiceError(error: unknown, profile: string | undefined): void {
  throwIfCredentials(error, profile);
  if (!isServiceError(error)) throw error;
}

/** Errors from AWS that a person can act on become FailureErrors (exit 1) carrying the fixing command. */
// `identity` is the caller's ARN when the run learnt it (a refusal that does not name the caller gets it).
export function asFailure(error: unknown, profile: string | undefined, identity?: string): unknown {
  if (error instanceof FailureError || error instanceof UsageError) return error;
  // Without --profile the SDK reads AWS_PROFILE, so the fix must name that profile too.
  const credentials = asCredentialsError(error, profile ?? process.env["AWS_PROFILE"]);
  if (credentials) return new FailureError(credentials.message, [`fix: ${credentials.fix}`]);
  if (accessDenial(error)) return new FailureError(explainError(error, profile ?? process.env["AWS_PROFILE"], identity));
  if (error instanceof Error && error.name === "PreflightError") {
    const [first = "", ...rest] = error.message.split("\n");
    return new FailureError(first, rest);
  }
  if (error instanceof Error && error.name === "RequestExpired") {
    return new FailureError("AWS refused the request as expired: this machine's clock is probably off; sync it (e.g. with NTP) and run again");
  }
  if (error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === "object") {
    return new FailureError(isAwsAnswer(error) ? `AWS answered ${describeAwsError(error)}` : describeAwsError(error));
  }
  return error;
}

/**
 * Runs an AWS call whose refusal (permissions, limits) has a fallback: the refusal's text becomes the
 * fallback's answer; expired credentials and our own bugs still throw.
 */
export async function guarded<T>(run: () => Promise<T>, refused: (reason: string) => T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (asCredentialsError(error, undefined) || !isServiceError(error)) throw error;
    return refused(describeAwsError(error));
  }
}
