// Classifies AWS errors in one place, so steps can tell "wait and retry" from "stack is gone" from "the
// user must log in again", and the CLI can map the last one to exit 1 with the exact fix.
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

// The SDK already retried these (adaptive mode); one that still escapes means "slow down", not "fail".
export function isThrottling(error: unknown): boolean {
  const e = shape(error);
  return THROTTLING.has(e.name ?? "") || e.$metadata?.httpStatusCode === 429;
}

// DescribeStacks/DescribeStackEvents answer a ValidationError for a stack that is not there:
// "Stack with id X does not exist" (by name) or "Stack [X] does not exist".
export function isStackMissing(error: unknown): boolean {
  const e = shape(error);
  return e.name === "ValidationError" && /does not exist/.test(e.message ?? "");
}

// AWS reports an empty change set through the change set's status; UpdateStack (and moto's
// CreateChangeSet) answer this error instead.
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

// An answer from an AWS service (as opposed to a bug in our code): it becomes a failed stage, not a crash.
export function isServiceError(error: unknown): boolean {
  const e = shape(error);
  return e.$metadata !== undefined || e.$fault !== undefined;
}

export function errorMessage(error: unknown): string {
  const e = shape(error);
  if (e.name && e.message) return `${e.name}: ${e.message}`;
  return e.message ?? String(error);
}

/** A service error as a person reads it: a refusal names the action, the caller and the fix. */
export function explainError(error: unknown, profile: string | undefined, identity?: string): string {
  const denial = accessDenial(error);
  return denial ? deniedSentence(denial, identity ?? `the identity of ${credentialsName(profile)}`) : errorMessage(error);
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

export type CredentialsProblem = "expired" | "missing" | "invalid";

// Thrown by steps when credentials are the problem; the CLI prints message and fix, and exits 1.
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

export function credentialsFix(profile: string | undefined): string {
  return profile
    ? `aws sso login --profile ${profile}   (or, if that profile does not use SSO: aws configure --profile ${profile})`
    : "aws configure   (or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)";
}

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
