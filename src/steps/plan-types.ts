import type { Answers } from "../config/answers.js";
import type { StageKey } from "./stages.js";

// A parameter value is either known when planning, or read from an earlier stage's outputs at deploy time.
export type ParamValue =
  | { readonly kind: "value"; readonly value: string }
  | { readonly kind: "output"; readonly stage: 1 | 2 | 3; readonly output: string };

export interface SubnetPlan {
  readonly cidr: string;
  readonly azIndex: 0 | 1;
}

export interface VpcPlan {
  readonly region: string;
  readonly cidr: string;
  readonly subnets: readonly [SubnetPlan, SubnetPlan];
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
