// Errors from AWS that a person can act on become FailureErrors (exit 1) carrying the fixing command.
import { asCredentialsError } from "../aws/errors.js";
import { FailureError, UsageError } from "../errors.js";

export function asFailure(error: unknown, profile: string | undefined): unknown {
  if (error instanceof FailureError || error instanceof UsageError) return error;
  const credentials = asCredentialsError(error, profile);
  if (credentials) return new FailureError(credentials.message, [`fix: ${credentials.fix}`]);
  if (error instanceof Error && error.name === "PreflightError") {
    const [first = "", ...rest] = error.message.split("\n");
    return new FailureError(first, rest);
  }
  if (error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === "object") {
    return new FailureError(`AWS answered ${error.name}: ${error.message}`);
  }
  return error;
}
