// What `connect` plans: the options it is given, and the plan — doctor's table with what will be added on
// each hop and who owns it, the two stacks' parameters, the user's resources that will carry our additions,
// what will not be touched, and the refusals that stop it before any stack exists.
import type { OwnedStack, OwnedStacks, QuotaCounts } from "../../aws/connect-reads.js";
import type { HopName, HopVerdict } from "../doctor/doctor.js";
import type { ConnectStackKey } from "./templates.js";

/** Which peering connection the path uses: an active one if there is one, a new one, or this one. */
export type PeeringOption = "auto" | "new" | `pcx-${string}`;

/** The client: a VPC-attached function, or a VPC with its subnets and security groups (ECS, EC2, …). */
export type ClientOption =
  | { readonly kind: "function"; readonly name: string }
  | {
      readonly kind: "network";
      readonly vpcId: string;
      /** Empty: every subnet of the VPC. */
      readonly subnetIds: readonly string[];
      /** Empty: the VPC's default security group, which instances get when none is named. */
      readonly securityGroupIds: readonly string[];
    };

/** Everything `connect` is asked: the connection's name, the API side, the client side, peering and probe. */
export interface ConnectOptions {
  /** The connection's name (the rules of a deployment name); names its stacks. */
  readonly name: string;
  readonly apiRegion: string;
  readonly apiId: string;
  /** Undefined: the API's only stage (refused when it has several). */
  readonly stage: string | undefined;
  /** Undefined: the endpoint the API names (doctor's choice order). */
  readonly endpointId: string | undefined;
  readonly clientRegion: string;
  readonly client: ClientOption;
  readonly peering: PeeringOption;
  readonly probe: boolean;
}

export type { OwnedStack, OwnedStacks, QuotaCounts };

/** What one hop of doctor's table becomes: its verdict now, what we add, and who owns that. */
export interface HopPlan {
  readonly hop: HopName;
  readonly now: HopVerdict;
  /** What connect adds for this hop, in words ("add 2 routes → pcx-…"), or "nothing". */
  readonly action: string;
  /** "us: 2 routes", "us (kept): one rule", "—: nothing". */
  readonly owner: string;
}

/** One resource a stack of ours will hold, on which user resource, in words. */
export interface PlannedResource {
  /** The template's logical id (ClientRoute3, EndpointIngress1, PeeringConnection, …). */
  readonly logicalId: string;
  /** The user's resource it hangs off or names (rtb-…, sg-…, vpc-…). */
  readonly on: string;
  readonly text: string;
  /** Already in our stack before this run (kept as it is). */
  readonly kept: boolean;
}

/** One of our two stacks: where, from which template, with which parameters, holding what. */
export interface StackPlan {
  readonly key: ConnectStackKey;
  readonly stackName: string;
  readonly region: string;
  readonly template: string;
  /** False when it would hold nothing: then it is not created (and one of ours that exists is kept as is). */
  readonly needed: boolean;
  /** Every parameter of the template (empty slots ""); the API side's PeeringConnectionId may wait for the client stack. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly resources: readonly PlannedResource[];
  readonly tags: Readonly<Record<string, string>>;
}

/** A user resource that will carry something of ours, and what. */
export interface Carrier {
  readonly id: string;
  readonly region: string;
  readonly kind: "route table" | "security group" | "VPC";
  readonly additions: readonly string[];
}

/** Why connect stops before creating anything. */
export type RefusalReason =
  | "overlap"
  | "route-elsewhere"
  | "dns-off"
  | "zone-exists"
  | "endpoint-policy"
  | "nacl"
  | "api-policy"
  | "quota"
  | "no-endpoint"
  | "peering-exists"
  | "peering-mismatch"
  | "peering-pending"
  | "client"
  | "stage"
  | "slots"
  | "probe-zone"
  | "unreadable";

/** A refusal: one line that names the problem and the fix (exit 2, before any stack). */
export interface Refusal {
  readonly reason: RefusalReason;
  /** The hop it concerns, when it is one of doctor's. */
  readonly hop: HopName | undefined;
  readonly message: string;
}

/** The peering the path will use: reused (left in place on disconnect) or created by our client stack. */
export type PeeringPlan =
  | { readonly kind: "reuse"; readonly id: string }
  | { readonly kind: "create"; readonly kept: boolean }
  | { readonly kind: "none" };

/** The plan: doctor's table with actions, both stacks, the user's resources concerned, and refusals. */
export interface ConnectPlan {
  readonly options: ConnectOptions;
  readonly hostname: string;
  readonly hops: readonly HopPlan[];
  readonly peering: PeeringPlan;
  readonly client: StackPlan;
  readonly api: StackPlan;
  readonly carriers: readonly Carrier[];
  /** The client subnets' blocks, which the API side routes back and admits (none when refused before they were known). */
  readonly clientBlocks: readonly string[];
  /** What connect will not touch, in words. */
  readonly untouched: readonly string[];
  /** What the user should know (shared groups, a broader zone, the probe's network interfaces). */
  readonly notes: readonly string[];
  /** Empty when connect may go ahead. */
  readonly refusals: readonly Refusal[];
}
