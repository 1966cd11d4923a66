// Classifies AWS errors in one place, so steps can tell "wait and retry" from "stack is gone" from "the
// user must log in again", and the CLI can map the last one to exit 1 with the exact fix.
import { FailureError, UsageError } from "../errors.js";

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

/** An answer from an AWS service (as opposed to a bug in our code): it becomes a failed stage, not a crash. */
export function isServiceError(error: unknown): boolean {
  const e = shape(error);
  return e.$metadata !== undefined || e.$fault !== undefined;
}

/** An error as one readable line: the SDK's name and message, or the text. */
export function errorMessage(error: unknown): string {
  const e = shape(error);
  if (e.name && e.message) return `${e.name}: ${e.message}`;
  return e.message ?? String(error);
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
  const who = profile ? `profile ${profile}` : "the default credentials";
  const fix = credentialsFix(profile);
  if (EXPIRED.has(name) || /SSO session .*(expired|invalid)|token .*expired/i.test(text)) {
    return new CredentialsError("expired", `The AWS credentials of ${who} have expired.`, fix, error);
  }
  if (INVALID.has(name)) {
    return new CredentialsError("invalid", `AWS rejected the credentials of ${who} (${name}).`, fix, error);
  }
  if (name === "CredentialsProviderError" || name === "TokenProviderError") {
    return new CredentialsError("missing", `No AWS credentials found for ${who}: ${text}`, fix, error);
  }
  return undefined;
}

/** Errors from AWS that a person can act on become FailureErrors (exit 1) carrying the fixing command. */
export function asFailure(error: unknown, profile: string | undefined): unknown {
  if (error instanceof FailureError || error instanceof UsageError) return error;
  // Without --profile the SDK reads AWS_PROFILE, so the fix must name that profile too.
  const credentials = asCredentialsError(error, profile ?? process.env["AWS_PROFILE"]);
  if (credentials) return new FailureError(credentials.message, [`fix: ${credentials.fix}`]);
  if (error instanceof Error && error.name === "PreflightError") {
    const [first = "", ...rest] = error.message.split("\n");
    return new FailureError(first, rest);
  }
  if (error instanceof Error && error.name === "RequestExpired") {
    return new FailureError("AWS refused the request as expired: this machine's clock is probably off; sync it (e.g. with NTP) and run again");
  }
  if (error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === "object") {
    return new FailureError(`AWS answered ${error.name}: ${error.message}`);
  }
  return error;
}
