// The client function as Lambda and EC2 see it: its state (is it ready to invoke?), one invocation, and
// its VPC attachment and the network interfaces Lambda made for it there (Hyperplane
// ENIs), as small typed calls. The sequence that frees them before a stack delete is
// steps/teardown/release-interfaces.ts (DESIGN §11).
import { DeleteNetworkInterfaceCommand, DescribeNetworkInterfacesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand, InvokeCommand, type LambdaClient, UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import type { AwsClients } from "./clients.js";

/** The parts of GetFunctionConfiguration that decide whether and when the function can leave its VPC. */
export interface FunctionVpcState {
  // Pending | Active | Inactive | Failed
  readonly state: string | undefined;
  // InProgress | Successful | Failed: an update (ours included) is done only at Successful.
  readonly lastUpdateStatus: string | undefined;
  readonly lastUpdateStatusReason: string | undefined;
  // Empty once the function has no VPC configuration.
  readonly vpcId: string;
}

/** What owns the interfaces Lambda makes for a function: the stack's VPC and its security groups. */
export interface InterfaceOwner {
  readonly vpcId: string;
  readonly groupIds: readonly string[];
}

/** A network interface Lambda made in the owner's VPC for one of its security groups. */
export interface LambdaInterface {
  readonly id: string;
  // in-use while Lambda holds it; available once released, when it may be deleted.
  readonly status: string;
}

function errorName(error: unknown): string {
  return typeof error === "object" && error !== null && "name" in error ? String(error.name) : "";
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The function's VPC state; undefined when there is no such function (ResourceNotFoundException). */
export async function functionVpcState(lambda: LambdaClient, functionName: string): Promise<FunctionVpcState | undefined> {
  try {
    const answer = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return {
      state: answer.State,
      lastUpdateStatus: answer.LastUpdateStatus,
      lastUpdateStatusReason: answer.LastUpdateStatusReason,
      vpcId: answer.VpcConfig?.VpcId ?? "",
    };
  } catch (error) {
    if (errorName(error) === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

/** Takes the function out of its VPC (empty subnet and security-group lists); Lambda finishes it asynchronously. */
export async function detachFromVpc(lambda: LambdaClient, functionName: string): Promise<void> {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }));
}

/** Puts the function (back) in these subnets with these groups; Lambda finishes it asynchronously. */
export async function attachToVpc(lambda: LambdaClient, functionName: string, subnetIds: readonly string[], groupIds: readonly string[]): Promise<void> {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, VpcConfig: { SubnetIds: [...subnetIds], SecurityGroupIds: [...groupIds] } }));
}

// How Lambda's interfaces look on real accounts (go-to-k/cdkd PRs #41 and #45, fixed against real AWS;
// alchemy-run/alchemy#937): made with the function's own role, so *not* requester-managed; described
// "AWS Lambda VPC ENI-<name>", with no uuid and sometimes a shortened name, a wording Lambda has changed
// before; InterfaceType "lambda", "interface" once Lambda has let go of them. What is certain is what our
// stack owns: its VPC and the function's own security group, which nothing outside the stack uses.
const LAMBDA_DESCRIPTION = "AWS Lambda VPC ENI";
const LAMBDA_TYPES = ["lambda", "interface"];

/** The interfaces Lambda made in the owner's VPC for its security groups, every page of them. */
export async function lambdaInterfaces(ec2: EC2Client, owner: InterfaceOwner): Promise<LambdaInterface[]> {
  const groups = new Set(owner.groupIds);
  const found: LambdaInterface[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "vpc-id", Values: [owner.vpcId] },
          { Name: "group-id", Values: [...owner.groupIds] },
          { Name: "description", Values: [`${LAMBDA_DESCRIPTION}*`] },
          { Name: "interface-type", Values: LAMBDA_TYPES },
        ],
        NextToken: nextToken,
      }),
    );
    for (const eni of page.NetworkInterfaces ?? []) {
      // The filters ran on AWS's side; they are checked again here because a deleted interface that was
      // someone else's cannot be brought back.
      if (!eni.NetworkInterfaceId || eni.VpcId !== owner.vpcId) continue;
      if (!(eni.Groups ?? []).some((group) => group.GroupId !== undefined && groups.has(group.GroupId))) continue;
      if (!(eni.Description ?? "").startsWith(LAMBDA_DESCRIPTION) || !LAMBDA_TYPES.includes(eni.InterfaceType ?? "")) continue;
      found.push({ id: eni.NetworkInterfaceId, status: eni.Status ?? "" });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

/** Deletes one interface: "gone" when Lambda removed it first, "in-use" when it is not released yet. */
export async function deleteInterface(ec2: EC2Client, id: string): Promise<"deleted" | "gone" | "in-use"> {
  try {
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
    return "deleted";
  } catch (error) {
    const name = errorName(error);
    if (name === "InvalidNetworkInterfaceID.NotFound") return "gone";
    if (name === "InvalidParameterValue" && /in use/i.test(errorText(error))) return "in-use";
    throw error;
  }
}

// The client function as Lambda sees it (GetFunctionConfiguration), and the invoke errors that mean "not
// ready yet" rather than "broken". AWS's rules: https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
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

/** What Invoke returned: the payload, the function error Lambda reported (if any), and the log tail. */
export interface Invocation {
  readonly payload: string;
  // Set by Lambda when the handler threw or timed out; the payload then holds errorType/errorMessage.
  readonly functionError: string | undefined;
  readonly logTail: string | undefined;
}

const utf8 = new TextDecoder();

/** Invokes the client function once and reads its payload as text. */
export async function invokeFunction(
  clients: Pick<AwsClients, "lambda">,
  region: string,
  functionName: string,
): Promise<Invocation> {
  const answer = await clients.lambda(region).send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", LogType: "Tail" }),
  );
  return {
    payload: answer.Payload ? utf8.decode(answer.Payload) : "",
    functionError: answer.FunctionError,
    logTail: answer.LogResult ? Buffer.from(answer.LogResult, "base64").toString("utf8") : undefined,
  };
}
