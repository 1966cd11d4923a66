// A scripted CloudFormation for engine tests, behind aws-sdk-client-mock. A stack operation is a list of
// event batches; each DescribeStackEvents "round" (a call without NextToken) reveals the next batch, so
// events arrive over several polls as they do in AWS. Answers have AWS's shapes: newest first, paginated
// with NextToken, EventIds, stack ARNs, empty PhysicalResourceId on a resource's first event, and the
// ClientRequestToken of the operation that caused them. Every call advances the clock by a little latency.
import { randomUUID } from "node:crypto";
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListChangeSetsCommand,
  ListStacksCommand,
  type ResourceChange,
  type ResourceStatus,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import type { Clock } from "../../src/aws/clock.js";
import { CallScript } from "./call-script.js";

export const ACCOUNT = "123456789012";
export const T0 = Date.parse("2026-11-25T10:00:00.000Z");
export const STACK = "$stack";

export class FakeClock implements Clock {
  t = T0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  // A sleep lets every other piece of work that is ready run first (a real sleep would): operations side by
  // side (several client regions) then interleave as they do in time, poll by poll.
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.sleeps.push(ms);
    this.t += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface EventSpec {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly reason?: string | undefined;
}

export const stackEvent = (status: string, reason?: string): EventSpec => ({
  id: STACK,
  type: "AWS::CloudFormation::Stack",
  status,
  reason,
});
export const resourceEvent = (id: string, type: string, status: string, reason?: string): EventSpec => ({
  id,
  type,
  status,
  reason,
});

// The three rows AWS writes for a resource that is created without trouble, spread over polls by callers.
export function createdResource(id: string, type: string): [EventSpec, EventSpec, EventSpec] {
  return [
    resourceEvent(id, type, "CREATE_IN_PROGRESS"),
    resourceEvent(id, type, "CREATE_IN_PROGRESS", "Resource creation Initiated"),
    resourceEvent(id, type, "CREATE_COMPLETE"),
  ];
}

export function serviceError(name: string, message: string, httpStatusCode = 400): CloudFormationServiceException {
  return new CloudFormationServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode, requestId: randomUUID() } });
}

const CHANGES_PAGE = 2;

// "moto-no-updates-error" is moto's answer, never AWS's: moto's CreateChangeSet for an unchanged stack throws
// UpdateStack's "No updates are to be performed." where AWS creates the change set and it ends FAILED ("empty").
export type ChangeSetOutcome = "ready" | "empty" | { readonly failed: string } | "moto-no-updates-error";

interface Script {
  readonly batches: readonly (readonly EventSpec[])[];
  readonly outputs?: Record<string, string> | undefined;
  // Wall-clock mode: each batch appears once this long has passed since the operation started, however
  // often it is polled — for measuring how many polls a real-length operation costs.
  readonly afterMs?: readonly number[] | undefined;
  // The last batch (the operation's end) is held back until this holds, however often it is polled: to keep
  // an operation going until others have begun, whatever the scheduler and the disk do meanwhile.
  readonly endsWhen?: (() => boolean) | undefined;
}

interface StackState {
  readonly name: string;
  tags: Record<string, string>;
  parameters: Record<string, string>;
  // The key it is filed under: its name, or "<region>:<name>" for a stack set up in one region (stackIn).
  readonly key: string;
  readonly id: string;
  status: string;
  outputs: Record<string, string>;
  readonly events: StackEvent[];
  pending: (readonly EventSpec[])[];
  pendingAfterMs: number[] | undefined;
  endsWhen: (() => boolean) | undefined;
  startedAt: number;
  token: string | undefined;
  outputsOnComplete: Record<string, string> | undefined;
  readonly created: Date;
  lastUpdated: Date | undefined;
  readonly physical: Map<string, string>;
}

export interface StackSetup {
  readonly status?: string;
  readonly outputs?: Record<string, string>;
  // The stack's own tags and parameter values as DescribeStacks answers them (a change set replaces both;
  // connect's client stack names the user's VPC by one).
  readonly tags?: Record<string, string>;
  readonly parameters?: Record<string, string>;
  // Events from operations before this test's run, oldest first (they must never be reported).
  readonly history?: readonly EventSpec[];
  readonly changeSet?: ChangeSetOutcome;
  // What a ready change set lists (DescribeChangeSet's Changes), two to a page as AWS pages them.
  readonly changes?: readonly ResourceChange[];
  readonly execute?: Script;
  // One script, or one per DeleteStack call (a delete retried after DELETE_FAILED).
  readonly delete?: Script | readonly Script[];
  // What DescribeStackResources lists (physical ids), e.g. the client stack's function and VPC.
  readonly resources?: readonly { readonly logicalId: string; readonly type: string; readonly physicalId: string }[];
  readonly cancel?: Script;
  // An operation someone else started before the run (e.g. from the console), still going.
  readonly running?: Script;
}

type CommandName =
  | "DescribeStacks" | "DescribeStackEvents" | "CreateChangeSet" | "DescribeChangeSet" | "ExecuteChangeSet"
  | "DeleteChangeSet" | "DeleteStack" | "CancelUpdateStack" | "DescribeStackResources" | "ListChangeSets" | "ListStacks";

// A change set as another run left it (ListChangeSets' Status and ExecutionStatus), made now or at `createdAt`
// (AWS's clock, which can be ahead of ours).
interface ForeignChangeSet {
  readonly status: string;
  readonly executionStatus: string;
  readonly createdAt?: number;
}

export class FakeCloudFormation {
  readonly mock = mockClient(CloudFormationClient);
  readonly calls: { command: CommandName; region: string; input: Record<string, unknown> }[] = [];
  pageSize = 3;
  latencyMs = 20;
  // Like moto and LocalStack: events carry no ClientRequestToken.
  tokens = true;
  private readonly byName = new Map<string, StackState>();
  private readonly byId = new Map<string, StackState>();
  private readonly setups = new Map<string, StackSetup>();
  private readonly changeSets = new Map<
    string,
    { stack: StackState; outcome: ChangeSetOutcome; describes: number; created: Date; executed?: boolean; foreign?: ForeignChangeSet }
  >();
  private readonly script = new CallScript<CommandName>();
  private readonly deletes = new Map<string, number>();
  // "<region>:<name>" of stacks set up in one region: every client region has a stack of the same name.
  private readonly regional = new Set<string>();
  // The region of the call being answered.
  private region = "eu-west-1";

  constructor(readonly clock: FakeClock) {
    this.handle(DescribeStacksCommand, "DescribeStacks", (input) => this.describeStacks(input));
    this.handle(DescribeStackEventsCommand, "DescribeStackEvents", (input) => this.describeEvents(input));
    this.handle(CreateChangeSetCommand, "CreateChangeSet", (input) => this.createChangeSet(input));
    this.handle(DescribeChangeSetCommand, "DescribeChangeSet", (input) => this.describeChangeSet(input));
    this.handle(ExecuteChangeSetCommand, "ExecuteChangeSet", (input) => this.execute(input));
    this.handle(DeleteChangeSetCommand, "DeleteChangeSet", () => ({}));
    this.handle(DeleteStackCommand, "DeleteStack", (input) => this.deleteStack(input));
    this.handle(CancelUpdateStackCommand, "CancelUpdateStack", (input) => this.cancelUpdate(input));
    this.handle(DescribeStackResourcesCommand, "DescribeStackResources", (input) => this.describeResources(input));
    this.handle(ListChangeSetsCommand, "ListChangeSets", (input) => this.listChangeSets(input));
    this.handle(ListStacksCommand, "ListStacks", () => this.listStacks());
  }

  // The key a name is filed under in the region of the call: its own region's stack, else the name's.
  private keyOf(name: string, region = this.region): string {
    return this.regional.has(`${region}:${name}`) ? `${region}:${name}` : name;
  }

  // A stack of this name in one region only (a client stack of several client regions), set up as stack() does.
  stackIn(region: string, name: string, setup: StackSetup): this {
    this.regional.add(`${region}:${name}`);
    const before = this.region;
    this.region = region;
    try {
      return this.stack(name, setup);
    } finally {
      this.region = before;
    }
  }

  // Another run's change set on `name` (the stack made in REVIEW_IN_PROGRESS if absent), named as ours are.
  otherChangeSet(name: string, foreign: ForeignChangeSet): this {
    let state = this.byName.get(this.keyOf(name));
    if (!state) {
      state = this.newStack(name, "REVIEW_IN_PROGRESS");
      this.append(state, stackEvent("REVIEW_IN_PROGRESS", "User Initiated"), undefined, 0);
    }
    const id = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:changeSet/xregion-${this.clock.now()}/${randomUUID()}`;
    this.changeSets.set(id, { stack: state, outcome: "ready", describes: 1, created: new Date(foreign.createdAt ?? this.clock.now()), foreign });
    return this;
  }

  // Another run executes its change set on `name` now: the stack (made if absent) is `status` at once, its
  // other change sets are deleted as AWS deletes them, and `script` plays out with the other run's token.
  otherExecutes(name: string, status: "CREATE_IN_PROGRESS" | "UPDATE_IN_PROGRESS", script: Script): this {
    const state = this.byName.get(this.keyOf(name)) ?? this.newStack(name, "REVIEW_IN_PROGRESS");
    this.dropChangeSets(state, undefined);
    this.start(state, script, `Other-${randomUUID()}`, "other run's");
    state.status = status;
    return this;
  }

  // Describes a stack name: its state before the run (absent unless status is given) and its scripts.
  stack(name: string, setup: StackSetup): this {
    this.setups.set(this.keyOf(name), setup);
    if (setup.status) {
      const state = this.newStack(name, setup.status);
      state.outputs = { ...setup.outputs };
      state.tags = { ...setup.tags };
      state.parameters = { ...setup.parameters };
      this.clock.t -= 60_000 * 30;
      for (const spec of setup.history ?? []) this.append(state, spec, undefined, 0);
      this.clock.t += 60_000 * 30;
      if (setup.running) this.start(state, setup.running, `Console-${setup.status}-${randomUUID()}`, "running");
    }
    return this;
  }

  // Changes a stack's scripts between runs (e.g. the second run's change set is empty) and keeps its state.
  rescript(name: string, setup: Omit<StackSetup, "status" | "outputs" | "history" | "running">, region?: string): this {
    const key = this.keyOf(name, region);
    this.setups.set(key, { ...this.setups.get(key), ...setup });
    return this;
  }

  // The next call of `command` throws `error` (queue several for several calls).
  failNext(command: CommandName, error: Error): this {
    this.script.failNext(command, error);
    return this;
  }

  // Runs `run` right after the nth call of `command` (1-based), e.g. to press Ctrl-C mid-stage.
  after(command: CommandName, nth: number, run: () => void): this {
    this.script.after(command, nth, run);
    return this;
  }

  count(command: CommandName): number {
    return this.calls.filter((c) => c.command === command).length;
  }

  status(name: string, region?: string): string | undefined {
    return this.byName.get(this.keyOf(name, region))?.status;
  }

  private handle(command: new (input: never) => unknown, name: CommandName, answer: (input: Record<string, unknown>) => unknown) {
    this.mock.on(command as Parameters<typeof this.mock.on>[0]).callsFake(async (input: Record<string, unknown>, getClient) => {
      const region = await getClient().config.region();
      this.region = region;
      this.calls.push({ command: name, region, input });
      this.clock.t += this.latencyMs;
      return this.script.answer(name, this.count(name), () => answer(input));
    });
  }

  private find(nameOrId: unknown): StackState | undefined {
    return this.byId.get(String(nameOrId)) ?? this.byName.get(this.keyOf(String(nameOrId)));
  }

  private newStack(name: string, status: string): StackState {
    const key = this.keyOf(name);
    const id = `arn:aws:cloudformation:${key === name ? "eu-west-1" : this.region}:${ACCOUNT}:stack/${name}/${randomUUID()}`;
    const state: StackState = {
      name, key, id, status, tags: {}, parameters: {}, outputs: {}, events: [], pending: [], pendingAfterMs: undefined, endsWhen: undefined, startedAt: 0, token: undefined, outputsOnComplete: undefined,
      created: new Date(this.clock.now()), lastUpdated: undefined, physical: new Map(),
    };
    this.byName.set(key, state);
    this.byId.set(id, state);
    return state;
  }

  // The stacks that exist in the region of the call (and those set up for any region), as one page.
  private listStacks() {
    const here = [...this.byName.values()].filter((s) => s.key === s.name || s.key.startsWith(`${this.region}:`));
    return { StackSummaries: here.map((s) => ({ StackId: s.id, StackName: s.name, StackStatus: s.status as never, CreationTime: s.created })) };
  }

  private describeStacks(input: Record<string, unknown>) {
    const state = this.find(input["StackName"]);
    if (!state) throw serviceError("ValidationError", `Stack with id ${String(input["StackName"])} does not exist`);
    const outputs = Object.entries(state.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
    const tags = Object.entries(state.tags).map(([Key, Value]) => ({ Key, Value }));
    const parameters = Object.entries(state.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
    return {
      Stacks: [{ StackId: state.id, StackName: state.name, StackStatus: state.status, CreationTime: state.created,
        LastUpdatedTime: state.lastUpdated, Outputs: outputs.length ? outputs : undefined, Tags: tags.length ? tags : undefined,
        Parameters: parameters.length ? parameters : undefined }],
    };
  }

  private describeEvents(input: Record<string, unknown>) {
    const state = this.find(input["StackName"]);
    if (!state) throw serviceError("ValidationError", `Stack [${String(input["StackName"])}] does not exist`);
    const offset = input["NextToken"] ? Number(input["NextToken"]) : 0;
    if (offset === 0) {
      const due = state.pendingAfterMs
        ? state.pendingAfterMs.filter((after) => this.clock.now() - state.startedAt >= after).length
        : state.pending.length === 1 && state.endsWhen && !state.endsWhen()
          ? 0
          : Math.min(1, state.pending.length);
      for (const batch of state.pending.splice(0, due)) batch.forEach((spec, i) => this.append(state, spec, state.token, i));
      state.pendingAfterMs?.splice(0, due);
    }
    const newestFirst = [...state.events].reverse();
    const page = newestFirst.slice(offset, offset + this.pageSize);
    const next = offset + this.pageSize < newestFirst.length ? String(offset + this.pageSize) : undefined;
    return { StackEvents: page, NextToken: next };
  }

  private append(state: StackState, spec: EventSpec, token: string | undefined, i: number): void {
    const timestamp = new Date(this.clock.now() + i);
    const isStack = spec.id === STACK;
    const logicalId = isStack ? state.name : spec.id;
    const physical = isStack ? state.id : (state.physical.get(spec.id) ?? "");
    if (!isStack && !state.physical.has(spec.id)) state.physical.set(spec.id, `${spec.id.toLowerCase()}-${randomUUID().slice(0, 8)}`);
    state.events.push({
      StackId: state.id,
      EventId: isStack ? randomUUID() : `${logicalId}-${spec.status}-${timestamp.toISOString()}`,
      StackName: state.name,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physical,
      ResourceType: spec.type,
      Timestamp: timestamp,
      ResourceStatus: spec.status as ResourceStatus,
      ResourceStatusReason: spec.reason,
      ClientRequestToken: this.tokens ? token : undefined,
    });
    if (!isStack) return;
    state.status = spec.status;
    if (spec.status === "DELETE_COMPLETE") this.byName.delete(state.key);
    if ((spec.status === "CREATE_COMPLETE" || spec.status === "UPDATE_COMPLETE") && state.outputsOnComplete) {
      state.outputs = state.outputsOnComplete;
    }
  }

  private start(state: StackState, script: Script | undefined, token: unknown, what: string): void {
    if (!script) throw new Error(`test setup: no ${what} script for ${state.name}`);
    state.pending = [...script.batches];
    state.pendingAfterMs = script.afterMs ? [...script.afterMs] : undefined;
    state.endsWhen = script.endsWhen;
    state.startedAt = this.clock.now();
    state.token = typeof token === "string" ? token : undefined;
    state.outputsOnComplete = script.outputs;
    state.lastUpdated = new Date(this.clock.now());
  }

  private createChangeSet(input: Record<string, unknown>) {
    const name = String(input["StackName"]);
    const setup = this.setups.get(this.keyOf(name)) ?? {};
    const outcome = setup.changeSet ?? "ready";
    if (outcome === "moto-no-updates-error") throw serviceError("ValidationError", "No updates are to be performed.");
    let state = this.byName.get(this.keyOf(name));
    if (input["ChangeSetType"] === "CREATE") {
      if (state && state.status !== "REVIEW_IN_PROGRESS") {
        throw serviceError("ValidationError", `Stack [${name}] already exists and cannot be created again with the changeSet [${String(input["ChangeSetName"])}].`);
      }
      state ??= this.newStack(name, "REVIEW_IN_PROGRESS");
      this.append(state, stackEvent("REVIEW_IN_PROGRESS", "User Initiated"), undefined, 0);
    } else if (!state || state.status === "REVIEW_IN_PROGRESS") {
      throw serviceError("ValidationError", `Stack [${name}] does not exist`);
    } else if (state.status.endsWith("_IN_PROGRESS")) {
      throw serviceError("ValidationError", `Stack:${state.id} is in ${state.status} state and can not be updated.`);
    }
    // The stack takes the change set's tags and parameter values (kept here as the stack's own, as AWS answers them after).
    const pairs = (list: unknown, key: string, value: string) =>
      Object.fromEntries(((list ?? []) as Record<string, string>[]).map((item) => [item[key], item[value]]));
    state.tags = pairs(input["Tags"], "Key", "Value");
    state.parameters = pairs(input["Parameters"], "ParameterKey", "ParameterValue");
    const id = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:changeSet/${String(input["ChangeSetName"])}/${randomUUID()}`;
    this.changeSets.set(id, { stack: state, outcome, describes: 0, created: new Date(this.clock.now()) });
    return { Id: id, StackId: state.id };
  }

  private describeChangeSet(input: Record<string, unknown>) {
    const cs = this.changeSets.get(String(input["ChangeSetName"]));
    if (!cs) throw serviceError("ChangeSetNotFoundException", `ChangeSet [${String(input["ChangeSetName"])}] does not exist`, 404);
    cs.describes++;
    const base = { ChangeSetId: String(input["ChangeSetName"]), StackId: cs.stack.id, CreationTime: cs.created };
    // AWS needs a moment to compute a change set: the first answer is always still pending, the enum's first
    // state (seen by guardian/riff-raff#519). AWS's CREATE_IN_PROGRESS after it is left out: the next answer
    // is the outcome (the tool waits alike through both, for CREATE_COMPLETE or FAILED).
    if (cs.describes === 1) return { ...base, Status: "CREATE_PENDING", ExecutionStatus: "UNAVAILABLE" };
    if (cs.outcome === "ready") {
      const changes = (this.setups.get(cs.stack.key)?.changes ?? []).map((ResourceChange) => ({ Type: "Resource" as const, ResourceChange }));
      const from = Number(input["NextToken"] ?? 0);
      const next = from + CHANGES_PAGE < changes.length ? String(from + CHANGES_PAGE) : undefined;
      return { ...base, Status: "CREATE_COMPLETE", ExecutionStatus: "AVAILABLE", Changes: changes.slice(from, from + CHANGES_PAGE), NextToken: next };
    }
    const reason = cs.outcome === "empty"
      ? "The submitted information didn't contain changes. Submit different information to create a change set."
      : typeof cs.outcome === "object" ? cs.outcome.failed : "";
    return { ...base, Status: "FAILED", ExecutionStatus: "UNAVAILABLE", StatusReason: reason };
  }

  private execute(input: Record<string, unknown>) {
    const cs = this.changeSets.get(String(input["ChangeSetName"]));
    if (!cs) throw serviceError("ChangeSetNotFoundException", `ChangeSet [${String(input["ChangeSetName"])}] does not exist`, 404);
    // ExecuteChangeSet "deletes all other change sets associated with the stack" (API reference).
    this.dropChangeSets(cs.stack, cs);
    cs.executed = true;
    this.start(cs.stack, this.setups.get(cs.stack.key)?.execute, input["ClientRequestToken"], "execute");
    return {};
  }

  private dropChangeSets(state: StackState, keep: unknown): void {
    for (const [id, cs] of this.changeSets) if (cs.stack === state && cs !== keep) this.changeSets.delete(id);
  }

  private listChangeSets(input: Record<string, unknown>) {
    const state = this.find(input["StackName"]);
    if (!state) throw serviceError("ValidationError", `Stack [${String(input["StackName"])}] does not exist`);
    const summaries = [...this.changeSets].filter(([, cs]) => cs.stack === state).map(([id, cs]) => {
      const ready = cs.outcome === "ready";
      const status = cs.foreign?.status ?? (cs.describes === 0 ? "CREATE_PENDING" : ready ? "CREATE_COMPLETE" : "FAILED");
      const executionStatus = cs.foreign?.executionStatus ?? (cs.executed ? "EXECUTE_COMPLETE" : status === "CREATE_COMPLETE" ? "AVAILABLE" : "UNAVAILABLE");
      return { ChangeSetId: id, ChangeSetName: id.split("/")[1], StackId: state.id, StackName: state.name, Status: status, ExecutionStatus: executionStatus, CreationTime: cs.created };
    });
    return { Summaries: summaries };
  }

  private describeResources(input: Record<string, unknown>) {
    const state = this.find(input["StackName"]);
    if (!state || state.status === "DELETE_COMPLETE") {
      throw serviceError("ValidationError", `Stack with id ${String(input["StackName"])} does not exist`);
    }
    const resources = this.setups.get(state.key)?.resources ?? [];
    return {
      StackResources: resources.map((r) => ({
        StackName: state.name, StackId: state.id, LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId,
        ResourceType: r.type, ResourceStatus: "CREATE_COMPLETE" as const, Timestamp: state.created,
      })),
    };
  }

  private deleteStack(input: Record<string, unknown>) {
    const state = this.find(input["StackName"]);
    if (!state || state.status === "DELETE_COMPLETE") return {};
    const scripted = this.setups.get(state.key)?.delete;
    const nth = (this.deletes.get(state.key) ?? 0) + 1;
    this.deletes.set(state.key, nth);
    const script = (Array.isArray(scripted) ? scripted[nth - 1] : scripted) as Script | undefined
      ?? { batches: [[stackEvent("DELETE_IN_PROGRESS", "User Initiated")], [stackEvent("DELETE_COMPLETE")]] };
    this.start(state, script, input["ClientRequestToken"], "delete");
    return {};
  }

  private cancelUpdate(input: Record<string, unknown>) {
    const state = this.find(input["StackName"]);
    if (!state) throw serviceError("ValidationError", `Stack [${String(input["StackName"])}] does not exist`);
    // "You can cancel only stacks that are in the UPDATE_IN_PROGRESS state" (CancelUpdateStack API reference).
    // No source found for the refusal's text; this one is the fake's own.
    if (state.status !== "UPDATE_IN_PROGRESS") throw serviceError("ValidationError", "CancelUpdateStack cannot be called from current stack status");
    this.start(state, this.setups.get(state.key)?.cancel, input["ClientRequestToken"], "cancel");
    return {};
  }
}
