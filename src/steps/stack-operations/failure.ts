// What a stack that ended badly says: its state, the first failure that caused it, and the command that
// unblocks a state no deploy can move on from by itself.
import type { RootCause } from "../../aws/event-poller.js";

/** What a failed stage says: what state the stack is in, the first failure that caused it, and what the next run will do about it. */
export function failureMessage(
  stackName: string,
  status: string,
  rootCause: RootCause | undefined,
  statusReason: string | undefined,
): string {
  const cause = rootCause
    ? ` Cause: ${rootCause.logicalId} (${rootCause.resourceType}): ${rootCause.reason}`
    : statusReason
      ? ` CloudFormation says: ${statusReason}`
      : "";
  switch (status) {
    case "ROLLBACK_COMPLETE":
      return (
        `${stackName} could not be created and was rolled back (ROLLBACK_COMPLETE).${cause} ` +
        "The next run will delete it and create it again (it asks first; pass --yes in CI)."
      );
    case "UPDATE_ROLLBACK_COMPLETE":
      return `The update of ${stackName} failed and was rolled back; the stack is as it was before.${cause}`;
    case "DELETE_FAILED":
      return `${stackName} could not be deleted (DELETE_FAILED).${cause}`;
    default:
      return `${stackName} ended in ${status}.${cause}`;
  }
}

/** States no deploy can move on from by itself: the command that unblocks each one. */
export function manualFix(status: string, stackName: string, region: string): string | undefined {
  const where = `--stack-name ${stackName} --region ${region}`;
  switch (status) {
    case "UPDATE_ROLLBACK_FAILED":
      return `${stackName} is in UPDATE_ROLLBACK_FAILED. Finish its rollback, then run again: aws cloudformation continue-update-rollback ${where}`;
    case "ROLLBACK_FAILED":
    case "CREATE_FAILED":
    case "DELETE_FAILED":
    case "IMPORT_ROLLBACK_FAILED":
      return `${stackName} is in ${status} and must be deleted before it can be deployed: aws cloudformation delete-stack ${where}`;
    default:
      return undefined;
  }
}
