// The client function as Lambda sees it (GetFunctionConfiguration), and the invoke errors that mean "not
// ready yet" rather than "broken". AWS's rules: https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import type { AwsClients } from "./clients.js";

/** A function's state and last update, in Lambda's own words (State Pending|Active|Inactive|Failed). */
export interface FunctionStatus {
  readonly functionName: string;
  readonly region: string;
  readonly state: string;
  readonly stateReason: string | undefined;
  readonly stateReasonCode: string | undefined;
  // InProgress | Successful | Failed; absent while a new function is still being created.
  readonly lastUpdateStatus: string | undefined;
  readonly lastUpdateStatusReason: string | undefined;
  readonly lastUpdateStatusReasonCode: string | undefined;
}

/** Reads the function's state and last update status. */
export async function readFunctionStatus(
  clients: Pick<AwsClients, "lambda">,
  region: string,
  functionName: string,
): Promise<FunctionStatus> {
  const config = await clients.lambda(region).send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return {
    functionName,
    region,
    // Every function has a State since 2021; an answer without one predates states and was Active.
    state: config.State ?? "Active",
    stateReason: config.StateReason,
    stateReasonCode: config.StateReasonCode,
    lastUpdateStatus: config.LastUpdateStatus,
    lastUpdateStatusReason: config.LastUpdateStatusReason,
    lastUpdateStatusReasonCode: config.LastUpdateStatusReasonCode,
  };
}

/**
 * Why an invoke was refused for a function that is not ready, or undefined for any other error.
 * "inactive": an idle VPC function whose interfaces Lambda reclaimed; this invoke starts restoring them.
 */
export function notReadyCause(error: unknown): "inactive" | "pending" | undefined {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : "";
  // AWS's API reference: "The function is inactive and its VPC connection is no longer available."
  if (name === "ResourceNotReadyException") return "inactive";
  // Seen for an inactive function's first invoke as well (boto/boto3#3788): "Lambda is initializing your
  // function. It will be ready to invoke shortly."
  if (name === "CodeArtifactUserPendingException") return "inactive";
  // An invoke while Pending: "The operation cannot be performed at this time. The function is currently
  // in the following state: Pending".
  if (name === "ResourceConflictException" && /currently in the following state: Pending/.test(message)) return "pending";
  return undefined;
}
