// The one stream every step emits and every renderer reads. Kinds are short and kebab-case; every
// stage-scoped event carries its stage number so renderers can key rows without guessing.
import type { PlannedChange } from "../aws/stack.js";
import type { HopName } from "./doctor/hops.js";
import type { StageKey } from "./stages.js";
import type { VerifyReport, VerifySample } from "./verify-types.js";

export type StageNumber = 1 | 2 | 3;
export type Operation = "deploy" | "teardown" | "verify" | "status" | "doctor";

export interface StageRef {
  readonly stage: StageNumber;
  readonly key: StageKey;
  readonly stackName: string;
  readonly region: string;
}

export type StageOutcome = "created" | "updated" | "no-op" | "deleted" | "absent";

export type ProgressEvent =
  | { readonly kind: "run-started"; readonly operation: Operation; readonly name: string; readonly at: number }
  | { readonly kind: "identity"; readonly account: string; readonly arn: string; readonly at: number }
  | { readonly kind: "warning"; readonly message: string; readonly stage?: StageNumber; readonly at: number }
  | { readonly kind: "info"; readonly message: string; readonly stage?: StageNumber; readonly at: number }
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
      readonly rootCause: { readonly logicalId: string; readonly resourceType: string; readonly reason: string } | undefined;
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
  | { readonly kind: "verify-sample"; readonly sample: VerifySample; readonly at: number }
  | { readonly kind: "verify-result"; readonly report: VerifyReport; readonly at: number }
  // One hop of the path judged by `doctor`: ok, broken (with the fix), or not checkable (ok null).
  | {
      readonly kind: "doctor-hop";
      readonly hop: HopName;
      readonly ok: boolean | null;
      readonly detail: string;
      readonly fix: string | null;
      readonly at: number;
    }
  | {
      readonly kind: "result";
      readonly operation: Operation;
      readonly ok: boolean;
      readonly summary: string;
      readonly next: readonly string[];
      readonly at: number;
    };

// A change set's entry with the template's plain-English name for the resource.
export interface ChangeView extends PlannedChange {
  readonly description: string | undefined;
}

export type ProgressKind = ProgressEvent["kind"];

export type Emit = (event: ProgressEvent) => void;
