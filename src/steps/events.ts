// The one stream every step emits and every renderer reads. Kinds are short and kebab-case; every
// stage-scoped event carries its stage number so renderers can key rows without guessing.
import type { RootCause } from "../aws/event-poller.js";
import type { FunctionStatus } from "../aws/function.js";
import type { PlannedChange } from "../aws/stack.js";
import type { HopName } from "./doctor/doctor.js";
import type { PermissionReport } from "./permissions/permission-check.js";
import type { ZonePair } from "./plan.js";
import type { RegionRole, StageKey } from "./stages.js";
import type { ZoneSource } from "./deploy/zones.js";
import type { VerifyReport, VerifySample } from "./verify/client-answer.js";
import type { Carrier, PlannedResource, RefusalReason } from "./connect/types.js";
import type { VerifyMatrix } from "./verify/verify-matrix.js";

export type { RootCause };
/** A stage's number: 1 API, 2 client, 3 routes; a connection's 1 client side, 2 API side. */
export type StageNumber = 1 | 2 | 3;
/** The command a run belongs to. */
export type Operation = "deploy" | "teardown" | "verify" | "status" | "doctor" | "connect" | "disconnect";

/** A stage's location: its number, key, stack name and region, and the client region stages 2 and 3 belong to. */
export interface StageRef {
  readonly stage: StageNumber;
  readonly key: StageKey;
  readonly stackName: string;
  // The stack's own region (stage 3 of every client region lives in the API region).
  readonly region: string;
  // Stages 2 and 3: the client region they serve. Absent on stage 1.
  readonly clientRegion?: string | undefined;
}

/** How a finished stage ended. */
export type StageOutcome = "created" | "updated" | "no-op" | "deleted" | "absent";

/** Everything a step reports: the one union every renderer reads. */
export type ProgressEvent =
  // clientRegions: the run's client regions, when it has several (renderers then name the region on every row).
  | { readonly kind: "run-started"; readonly operation: Operation; readonly name: string; readonly clientRegions?: readonly string[]; readonly at: number }
  | { readonly kind: "identity"; readonly account: string; readonly arn: string; readonly at: number }
  // A note about a stage carries its number and, for stages 2 and 3, its client region (noteOf).
  | { readonly kind: "warning"; readonly message: string; readonly stage?: StageNumber; readonly clientRegion?: string; readonly at: number }
  // Preflight's simulation of what the deployment needs: passed, denied (with the list) or skipped (why).
  | { readonly kind: "permission-check"; readonly report: PermissionReport; readonly at: number }
  | { readonly kind: "info"; readonly message: string; readonly stage?: StageNumber; readonly clientRegion?: string; readonly at: number }
  // The two Availability Zones a VPC's subnets go to, with their ids, and why these (preflight, per region).
  | {
      readonly kind: "zones";
      readonly role: RegionRole;
      readonly region: string;
      readonly zones: ZonePair;
      readonly source: ZoneSource;
      readonly at: number;
    }
  // The stages this run will go through, in order, before the first starts (deploy 1-2-3, teardown 3-2-1).
  | { readonly kind: "stages-queued"; readonly stages: readonly StageRef[]; readonly at: number }
  | ({ readonly kind: "stage-started"; readonly action: "create" | "update" | "delete" | "check"; readonly at: number } & StageRef)
  // What an update will change, before it runs (creates are shown by their progress alone).
  | ({ readonly kind: "change-set"; readonly changes: readonly ChangeView[]; readonly at: number } & StageRef)
  | ({
      readonly kind: "resource";
      readonly logicalId: string;
      readonly resourceType: string;
      readonly status: string;
      readonly reason?: string | undefined;
      readonly description?: string | undefined;
      readonly eventId: string;
      readonly at: number;
    } & StageRef)
  | ({
      readonly kind: "stage-finished";
      readonly outcome: StageOutcome;
      readonly outputs: Readonly<Record<string, string>>;
      readonly at: number;
    } & StageRef)
  | ({
      readonly kind: "stage-failed";
      readonly status: string;
      readonly rootCause: RootCause | undefined;
      readonly message: string;
      readonly at: number;
    } & StageRef)
  | ({
      // Ctrl-C stopped the stage: what CloudFormation did about it (status) and what that means (message).
      readonly kind: "stage-cancelled";
      readonly status: string;
      readonly message: string;
      readonly at: number;
    } & StageRef)
  | ({
      // A stack as it is now (status): null status means it does not exist.
      readonly kind: "stack-state";
      readonly status: string | null;
      readonly lastChange: string | null;
      readonly outputs: Readonly<Record<string, string>>;
      readonly summary: string;
      readonly at: number;
    } & StageRef)
  // Before invoking, verify waits for the client function (DESIGN §10.5): it is Pending or an update is in
  // progress ("not-ready"), or the first invoke found it idle and woke it ("inactive"). Emitted when the
  // wait starts and whenever the function's state changes during it.
  // `region`: the client region whose function this is (on every event about one client region).
  | { readonly kind: "function-waiting"; readonly cause: "not-ready" | "inactive"; readonly function: FunctionStatus; readonly region: string; readonly at: number }
  // The wait is over: State Active, LastUpdateStatus Successful.
  | { readonly kind: "function-ready"; readonly function: FunctionStatus; readonly waitedMs: number; readonly region: string; readonly at: number }
  // `status`: the client function as Lambda reports it; ready means it can be invoked now.
  | { readonly kind: "function-state"; readonly function: FunctionStatus; readonly ready: boolean; readonly region: string; readonly at: number }
  // Before the client stack is deleted: the function leaves its VPC and its network interfaces are
  // deleted, so CloudFormation has nothing to wait 20-40 minutes for (DESIGN §11).
  | ({
      readonly kind: "function-detach";
      readonly functionName: string;
      readonly phase: "started" | "done" | "not-possible";
      // Why detaching was not possible (not-possible only).
      readonly reason?: string | undefined;
      readonly at: number;
    } & StageRef)
  | ({
      readonly kind: "interfaces-release";
      // stuck: some stayed in use past our wait; not-possible: they could not be read or deleted.
      readonly phase: "started" | "progress" | "done" | "stuck" | "not-possible";
      readonly total: number;
      readonly deleted: number;
      readonly reason?: string | undefined;
      readonly at: number;
    } & StageRef)
  | { readonly kind: "verify-sample"; readonly sample: VerifySample; readonly region: string; readonly at: number }
  | { readonly kind: "verify-result"; readonly report: VerifyReport; readonly region: string; readonly at: number }
  // After several client regions' verifications: one row each, and the slowest named (verify-matrix.ts).
  | { readonly kind: "verify-matrix"; readonly matrix: VerifyMatrix; readonly at: number }
  // One hop of the path judged by `doctor`: ok, broken (with the fix), or not checkable (ok null).
  | {
      readonly kind: "doctor-hop";
      readonly hop: HopName;
      readonly ok: boolean | null;
      readonly detail: string;
      readonly fix: string | null;
      // The client region whose path this hop is on.
      readonly region: string;
      readonly at: number;
    }
  // connect's plan: doctor's table with what each hop gets and who owns it, our two stacks, the user's
  // resources that will carry our additions, what is not touched, notes, and the refusals that stop it.
  | ({ readonly kind: "connect-plan"; readonly at: number } & ConnectPlanView)
  // status of a connection: each user resource that carries an addition of ours, and whether it is still there;
  // `region` is the client region they serve (region A's carriers serve each client region apart).
  | { readonly kind: "connect-additions"; readonly carriers: readonly CarrierState[]; readonly region: string; readonly at: number }
  | {
      readonly kind: "result";
      readonly operation: Operation;
      readonly ok: boolean;
      // Ok, but no success to mark: status of a deployment that does not exist (no ✔, no green).
      readonly neutral?: boolean;
      readonly summary: string;
      readonly next: readonly string[];
      readonly at: number;
    };

/** One hop of connect's plan: doctor's verdict now, what connect adds, and who owns it. */
export interface ConnectHopView {
  readonly hop: HopName;
  readonly ok: boolean | null;
  readonly detail: string;
  readonly action: string;
  readonly owner: string;
}

/** connect's plan as its event carries it. */
export interface ConnectPlanView {
  readonly name: string;
  /** The client region this plan is for, when the connection has several (one plan each). */
  readonly region?: string | undefined;
  readonly hops: readonly ConnectHopView[];
  /** Our two stacks, in deploy order: whether each is needed and what it will hold. */
  readonly stacks: readonly (StageRef & { readonly needed: boolean; readonly resources: readonly PlannedResource[] })[];
  readonly carriers: readonly Carrier[];
  readonly untouched: readonly string[];
  readonly notes: readonly string[];
  readonly refusals: readonly { readonly reason: RefusalReason; readonly hop: HopName | undefined; readonly message: string }[];
  /** A dry run: the plan is all there is. */
  readonly dryRun: boolean;
}

/** A user resource with our additions on it, each found there (true), gone (false) or not readable (null). */
export interface CarrierState {
  readonly id: string;
  readonly region: string;
  readonly kind: Carrier["kind"];
  readonly additions: readonly { readonly text: string; readonly present: boolean | null }[];
}

/** What a note about a stage carries: its number, and its client region for stages 2 and 3. */
export function noteOf(ref: Pick<StageRef, "stage" | "clientRegion">): { readonly stage: StageNumber; readonly clientRegion?: string } {
  return ref.clientRegion === undefined ? { stage: ref.stage } : { stage: ref.stage, clientRegion: ref.clientRegion };
}

/** A change set's entry with the template's plain-English name for the resource. */
export interface ChangeView extends PlannedChange {
  readonly description: string | undefined;
}

/** The kind of one event. */
export type ProgressKind = ProgressEvent["kind"];

/** Where steps send their events. */
export type Emit = (event: ProgressEvent) => void;
