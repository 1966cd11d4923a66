// The CloudFormation calls a stage makes, each small and typed; sequencing and events live in steps/.
import { randomUUID } from "node:crypto";
import { CancelUpdateStackCommand, type CloudFormationClient, CreateChangeSetCommand, DeleteChangeSetCommand, DeleteStackCommand, DescribeChangeSetCommand, type DescribeChangeSetCommandOutput, DescribeStackResourcesCommand, DescribeStacksCommand, ExecuteChangeSetCommand, ListChangeSetsCommand, paginateListStacks, StackStatus } from "@aws-sdk/client-cloudformation";
import { type Clock, throttledDelay } from "./clock.js";
import { isStackMissing, isThrottling } from "./errors.js";

/** The parts of DescribeStacks the tool reads. */
export interface StackInfo {
  readonly stackId: string;
  readonly status: string;
  readonly statusReason: string | undefined;
  readonly outputs: Record<string, string>;
  // The parameter values the stack runs with (for a re-run that keeps what it chose, such as zones).
  readonly parameters: Record<string, string>;
  // When the stack's current (or last) operation started, by AWS's clock.
  readonly operationStartedAt: number;
  // The stack's own tags (a connection's carry xregion-private-api:connection; a routes stack names its client region in one).
  readonly tags: Record<string, string>;
}

/** Whether an operation is running on the stack, one a new operation must wait for (REVIEW_IN_PROGRESS is a stack waiting for its first change set, not an operation). */
export function isBusy(status: string): boolean {
  return status.endsWith("_IN_PROGRESS") && status !== "REVIEW_IN_PROGRESS";
}

/** ClientRequestToken: [a-zA-Z0-9][-a-zA-Z0-9]*, at most 128 characters. */
export function newToken(operation: string): string {
  return `xregion-${operation}-${randomUUID()}`;
}

/** The stack as CloudFormation describes it now, or undefined when it does not exist. */
export async function describeStack(cfn: CloudFormationClient, stack: string): Promise<StackInfo | undefined> {
  try {
    const answer = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    const found = answer.Stacks?.[0];
    if (!found || found.StackStatus === "DELETE_COMPLETE") return undefined;
    const outputs: Record<string, string> = {};
    for (const output of found.Outputs ?? []) {
      if (output.OutputKey) outputs[output.OutputKey] = output.OutputValue ?? "";
    }
    const parameters: Record<string, string> = {};
    for (const parameter of found.Parameters ?? []) {
      if (parameter.ParameterKey) parameters[parameter.ParameterKey] = parameter.ParameterValue ?? "";
    }
    const tags: Record<string, string> = {};
    for (const tag of found.Tags ?? []) {
      if (tag.Key) tags[tag.Key] = tag.Value ?? "";
    }
    const startedAt = found.DeletionTime ?? found.LastUpdatedTime ?? found.CreationTime;
    return {
      stackId: found.StackId ?? stack,
      status: found.StackStatus ?? "UNKNOWN",
      statusReason: found.StackStatusReason,
      outputs,
      parameters,
      operationStartedAt: startedAt?.getTime() ?? 0,
      tags,
    };
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    throw error;
  }
}

// Every status but DELETE_COMPLETE: the stacks that exist, whatever they are doing.
const EXISTING: readonly StackStatus[] = Object.values(StackStatus).filter((status) => status !== StackStatus.DELETE_COMPLETE);

/** The names of the region's stacks that start with `prefix`, however many pages ListStacks takes. */
export async function listStackNames(cfn: CloudFormationClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListStacks({ client: cfn }, { StackStatusFilter: [...EXISTING] })) {
    for (const summary of page.StackSummaries ?? []) {
      if (summary.StackName?.startsWith(prefix)) names.push(summary.StackName);
    }
  }
  return names;
}

/** What a change set is made from: the stack, template, parameters, tags and token. */
export interface ChangeSetRequest {
  readonly stackName: string;
  readonly type: "CREATE" | "UPDATE";
  readonly templateBody: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly capabilities: readonly ("CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM")[];
  readonly now: number;
}

/** The change set and stack ids CreateChangeSet returned. */
export interface ChangeSetRef {
  readonly id: string;
  readonly stackId: string;
}

/** Creates a CREATE or UPDATE change set for the stack. */
export async function createChangeSet(cfn: CloudFormationClient, request: ChangeSetRequest): Promise<ChangeSetRef> {
  const answer = await cfn.send(
    new CreateChangeSetCommand({
      StackName: request.stackName,
      ChangeSetName: `xregion-${request.now}`,
      ChangeSetType: request.type,
      TemplateBody: request.templateBody,
      Parameters: Object.entries(request.parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
      Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })),
      Capabilities: [...request.capabilities],
      ClientToken: newToken("changeset"),
    }),
  );
  return { id: answer.Id ?? "", stackId: answer.StackId ?? request.stackName };
}

/** One resource a change set will touch, as DescribeChangeSet lists it. */
export interface PlannedChange {
  readonly action: string; // Add | Modify | Remove | Import | Dynamic
  readonly logicalId: string;
  readonly resourceType: string;
  // True | False | Conditional: whether CloudFormation replaces the resource (a new physical id).
  readonly replacement: string | undefined;
}

/** How a change set ended: ready (with its changes), empty, or failed with a reason. */
export type ChangeSetState =
  | { readonly kind: "ready"; readonly createdAt: number; readonly changes: readonly PlannedChange[] }
  | { readonly kind: "empty" }
  | { readonly kind: "failed"; readonly reason: string }
  | { readonly kind: "aborted" };

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
const CHANGE_SET_POLL_MS = 1_000;

/** Polls a change set until it is ready, empty or failed. */
export async function waitForChangeSet(
  cfn: CloudFormationClient,
  changeSetId: string,
  clock: Clock,
  signal?: AbortSignal,
  random: () => number = Math.random,
): Promise<ChangeSetState> {
  let throttled = 0;
  for (;;) {
    let answer;
    try {
      answer = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
      throttled = 0;
    } catch (error) {
      if (!isThrottling(error)) throw error;
      throttled += 1;
    }
    if (answer?.Status === "CREATE_COMPLETE") {
      return { kind: "ready", createdAt: answer.CreationTime?.getTime() ?? 0, changes: await allChanges(cfn, changeSetId, answer) };
    }
    if (answer?.Status === "FAILED") {
      const reason = answer.StatusReason ?? "the change set failed";
      return NO_CHANGES.test(reason) ? { kind: "empty" } : { kind: "failed", reason };
    }
    if (signal?.aborted) return { kind: "aborted" };
    // Throttled, wait longer each time, as the event poller does, instead of adding to the account's load.
    await clock.sleep(throttled > 0 ? throttledDelay(throttled, random) : CHANGE_SET_POLL_MS, signal);
    if (signal?.aborted) return { kind: "aborted" };
  }
}

// DescribeChangeSet pages its Changes; the first page came with the status.
async function allChanges(cfn: CloudFormationClient, changeSetId: string, first: DescribeChangeSetCommandOutput): Promise<PlannedChange[]> {
  const changes: PlannedChange[] = [];
  for (let page: DescribeChangeSetCommandOutput | undefined = first; page; ) {
    for (const change of page.Changes ?? []) {
      const resource = change.ResourceChange;
      if (!resource) continue;
      changes.push({
        action: resource.Action ?? "Dynamic",
        logicalId: resource.LogicalResourceId ?? "",
        resourceType: resource.ResourceType ?? "",
        replacement: resource.Replacement,
      });
    }
    page = page.NextToken ? await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, NextToken: page.NextToken })) : undefined;
  }
  return changes;
}

/** A change set as ListChangeSets sums it up. */
export interface ChangeSetSummary {
  readonly name: string;
  readonly status: string;
  readonly executionStatus: string;
  readonly createdAt: number;
}

/** The change sets a stack has now (executing one deletes the others), every page. */
export async function listChangeSets(cfn: CloudFormationClient, stack: string): Promise<ChangeSetSummary[]> {
  const summaries: ChangeSetSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cfn.send(new ListChangeSetsCommand({ StackName: stack, NextToken: nextToken }));
    for (const cs of page.Summaries ?? []) {
      summaries.push({ name: cs.ChangeSetName ?? "", status: cs.Status ?? "", executionStatus: cs.ExecutionStatus ?? "", createdAt: cs.CreationTime?.getTime() ?? 0 });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return summaries;
}

/** Deletes a change set nobody will run (an empty one). */
export async function deleteChangeSet(cfn: CloudFormationClient, changeSetId: string): Promise<void> {
  await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
}

/** Runs a ready change set under this operation's token. */
export async function executeChangeSet(cfn: CloudFormationClient, changeSetId: string, token: string): Promise<void> {
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, ClientRequestToken: token }));
}

/** Deletes the stack under this operation's token. */
export async function deleteStack(cfn: CloudFormationClient, stack: string, token: string): Promise<void> {
  await cfn.send(new DeleteStackCommand({ StackName: stack, ClientRequestToken: token }));
}

/** Asks CloudFormation to stop an update in progress (Ctrl-C). */
export async function cancelUpdate(cfn: CloudFormationClient, stack: string, token: string): Promise<void> {
  await cfn.send(new CancelUpdateStackCommand({ StackName: stack, ClientRequestToken: token }));
}

/** Physical ids of a stack's resources by type (in the order listed), whatever state it is in; undefined when there is no stack. */
export async function stackResourceIds(cfn: CloudFormationClient, stack: string): Promise<ReadonlyMap<string, readonly string[]> | undefined> {
  try {
    const answer = await cfn.send(new DescribeStackResourcesCommand({ StackName: stack }));
    const ids = new Map<string, string[]>();
    for (const resource of answer.StackResources ?? []) {
      // Ones already deleted stay listed on AWS (DELETE_COMPLETE): callers want the ids, whatever the state.
      if (!resource.ResourceType || !resource.PhysicalResourceId) continue;
      ids.set(resource.ResourceType, [...(ids.get(resource.ResourceType) ?? []), resource.PhysicalResourceId]);
    }
    return ids;
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    throw error;
  }
}
