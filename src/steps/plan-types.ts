import type { Answers } from "../config/answers.js";
import type { RegionRole, StageKey } from "./stages.js";

// A parameter value is known when planning, read from an earlier stage's outputs at deploy time, or one
// of the VPC's two zones that preflight chooses (offline, with no --api-azs/--client-azs, nobody knows them).
export type ParamValue =
  | { readonly kind: "value"; readonly value: string }
  | { readonly kind: "output"; readonly stage: 1 | 2 | 3; readonly output: string }
  | { readonly kind: "zone"; readonly role: RegionRole; readonly index: 0 | 1 };

/** An Availability Zone by its account-specific name and, once AWS has been asked, its zone id. */
export interface Zone {
  readonly name: string;
  readonly id?: string | undefined;
}

export type ZonePair = readonly [Zone, Zone];

export interface SubnetPlan {
  readonly cidr: string;
  readonly azIndex: 0 | 1;
}

export interface VpcPlan {
  readonly region: string;
  readonly cidr: string;
  readonly subnets: readonly [SubnetPlan, SubnetPlan];
  // The subnets' zones, in subnet order; undefined until flags or preflight decide them.
  readonly zones: ZonePair | undefined;
}

export interface StagePlan {
  readonly number: 1 | 2 | 3;
  readonly key: StageKey;
  readonly title: string;
  readonly region: string;
  readonly stackName: string;
  readonly template: string;
  readonly parameters: Readonly<Record<string, ParamValue>>;
  readonly tags: Readonly<Record<string, string>>;
}

export interface CostNote {
  readonly lines: readonly string[];
}

export interface Plan {
  readonly answers: Answers;
  readonly api: VpcPlan;
  readonly client: VpcPlan;
  readonly stages: readonly [StagePlan, StagePlan, StagePlan];
  readonly ssmPrefix: string;
  readonly cost: CostNote;
  readonly warnings: readonly string[];
}
