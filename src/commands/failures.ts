// Errors from AWS that a person can act on become FailureErrors (exit 1) carrying the fixing command.
import { accessDenial } from "../aws/access-denied.js";
import { asCredentialsError, explainError } from "../aws/errors.js";
import { FailureError, UsageError } from "../errors.js";

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
    return new FailureError(`AWS answered ${error.name}: ${error.message}`);
  }
  return error;
}
