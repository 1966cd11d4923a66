// Answers → Plan (and the Plan's types), with no I/O: everything the tool will create, where, and from which values.
import type { Answers } from "../config/answers.js";
import { findRegion } from "../config/regions.js";
import { splitZones } from "../config/validate.js";
import { carveSubnets, checkVpcCidr, type Cidr, parseCidr } from "../net/index.js";
import { type RegionRole, ssmPrefix, stackName, type StageDef, type StageKey, STAGES, TAG_DEPLOYMENT, TAG_STAGE } from "./stages.js";

const value = (v: string): ParamValue => ({ kind: "value", value: v });
const output = (stage: 1 | 2, name: string): ParamValue => ({ kind: "output", stage, output: name });

/** Zones preflight chose (with their ids); without them the plan takes the flags' zones or leaves them open. */
export interface ChosenZones {
  readonly api: ZonePair;
  readonly client: ZonePair;
}

/** The three stages from the answers: stacks, ranges, subnets, zones and parameters (pure). */
export function buildPlan(answers: Answers, chosen?: ChosenZones): Plan {
  const apiCidr = mustParse(answers.apiCidr);
  const clientCidr = mustParse(answers.clientCidr);
  const api = vpcPlan(answers.apiRegion, apiCidr, chosen?.api ?? givenZones(answers.apiAzs));
  const client = vpcPlan(answers.clientRegion, clientCidr, chosen?.client ?? givenZones(answers.clientAzs));
  const zone = (role: RegionRole, vpc: VpcPlan, index: 0 | 1): ParamValue => {
    const known = vpc.zones?.[index];
    return known ? value(known.name) : { kind: "zone", role, index };
  };
  const prefix = ssmPrefix(answers.name);

  const parameters: Record<1 | 2 | 3, Record<string, ParamValue>> = {
    1: {
      DeploymentName: value(answers.name),
      VpcCidr: value(api.cidr),
      Subnet1Cidr: value(api.subnets[0].cidr),
      Subnet2Cidr: value(api.subnets[1].cidr),
      AvailabilityZone1: zone("api", api, 0),
      AvailabilityZone2: zone("api", api, 1),
      ClientVpcCidr: value(client.cidr),
    },
    2: {
      DeploymentName: value(answers.name),
      VpcCidr: value(client.cidr),
      Subnet1Cidr: value(client.subnets[0].cidr),
      Subnet2Cidr: value(client.subnets[1].cidr),
      AvailabilityZone1: zone("client", client, 0),
      AvailabilityZone2: zone("client", client, 1),
      ApiRegion: value(answers.apiRegion),
      ApiVpcId: output(1, "VpcId"),
      ApiVpcCidr: value(api.cidr),
      ApiId: output(1, "ApiId"),
      ApiStageName: output(1, "StageName"),
      ApiEndpointDnsName: output(1, "EndpointDnsName"),
      ApiEndpointHostedZoneId: output(1, "EndpointHostedZoneId"),
    },
    3: {
      DeploymentName: value(answers.name),
      ClientVpcCidr: value(client.cidr),
      PeeringConnectionId: output(2, "PeeringConnectionId"),
      // Stage 1 keeps its route table ids in SSM; CloudFormation resolves the name at deploy time.
      RouteTableIds: value(`${prefix}/route-table-ids`),
    },
  };

  const stage = (def: StageDef): StagePlan => ({
    number: def.number,
    key: def.key,
    title: def.title,
    region: def.regionRole === "api" ? answers.apiRegion : answers.clientRegion,
    stackName: stackName(answers.name, def.key),
    template: def.template,
    parameters: parameters[def.number],
    tags: { [TAG_DEPLOYMENT]: answers.name, [TAG_STAGE]: String(def.number) },
  });

  return {
    answers,
    api,
    client,
    stages: [stage(STAGES[0]), stage(STAGES[1]), stage(STAGES[2])],
    ssmPrefix: prefix,
    cost: costNote(answers),
    warnings: [
      ...warningsFor(answers.apiCidr, "--api-cidr"),
      ...warningsFor(answers.clientCidr, "--client-cidr"),
      ...partitionWarnings(answers.apiRegion),
    ],
  };
}

function vpcPlan(region: string, cidr: Cidr, zones: ZonePair | undefined): VpcPlan {
  const [first, second] = carveSubnets(cidr);
  return { region, cidr: cidr.text, subnets: [{ cidr: first.text, azIndex: 0 }, { cidr: second.text, azIndex: 1 }], zones };
}

// Validated answers hold exactly two names ("a,b"); their ids are known only once AWS has been asked.
function givenZones(text: string | undefined): ZonePair | undefined {
  if (text === undefined) return undefined;
  const [first = "", second = ""] = splitZones(text);
  return [{ name: first }, { name: second }];
}

// The plan is built from validated answers; a bad range here is a bug upstream, not user input.
function mustParse(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`plan: ${text} is not a validated CIDR`);
  return cidr;
}

// AWS's China page for API Gateway: unauthenticated requests (GET /hello has no authorizer) are served
// only for an account with an ICP recordal; without one, verify sees HTTP 403.
function partitionWarnings(apiRegion: string): string[] {
  if (findRegion(apiRegion)?.partition !== "aws-cn") return [];
  return [
    `In ${apiRegion}, API Gateway answers calls without authentication only for an account with an ICP recordal; ` +
      "without one, verify gets HTTP 403 (https://docs.amazonaws.cn/en_us/aws/latest/userguide/api-gateway.html).",
  ];
}

function warningsFor(text: string, label: string): string[] {
  const check = checkVpcCidr(text, label);
  return check.ok ? check.warnings : [];
}

// List prices of us-east-1 (2026) as an order of magnitude; other regions differ by a few percent.
function costNote(answers: Answers): { lines: string[] } {
  return {
    lines: [
      `Interface endpoint (execute-api) in ${answers.apiRegion}: about $0.01 per AZ-hour × 2 AZs ≈ $0.48/day ($14.60/month) while deployed, plus $0.01 per GB processed.`,
      `Inter-region data ${answers.clientRegion} ↔ ${answers.apiRegion} over peering: about $0.02 per GB each way.`,
      "Route 53 private hosted zone: $0.50/month; Lambda, API Gateway and CloudWatch Logs: fractions of a cent for verification.",
      "Nothing here runs for free: run `teardown` when you are done.",
    ],
  };
}

/**
 * A parameter value is known when planning, read from an earlier stage's outputs at deploy time, or one
 * of the VPC's two zones that preflight chooses (offline, with no --api-azs/--client-azs, nobody knows them).
 */
export type ParamValue =
  | { readonly kind: "value"; readonly value: string }
  | { readonly kind: "output"; readonly stage: 1 | 2 | 3; readonly output: string }
  | { readonly kind: "zone"; readonly role: RegionRole; readonly index: 0 | 1 };

/** An Availability Zone by its account-specific name and, once AWS has been asked, its zone id. */
export interface Zone {
  readonly name: string;
  readonly id?: string | undefined;
}

/** The two Availability Zones of a VPC's subnets. */
export type ZonePair = readonly [Zone, Zone];

/** One subnet: its range and zone. */
export interface SubnetPlan {
  readonly cidr: string;
  readonly azIndex: 0 | 1;
}

/** One VPC: its range and its two subnets. */
export interface VpcPlan {
  readonly region: string;
  readonly cidr: string;
  readonly subnets: readonly [SubnetPlan, SubnetPlan];
  // The subnets' zones, in subnet order; undefined until flags or preflight decide them.
  readonly zones: ZonePair | undefined;
}

/** One stage as it will be deployed: stack, region, template and parameters. */
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

/** What the deployment costs while it stands, in words. */
export interface CostNote {
  readonly lines: readonly string[];
}

/** The deployment as planned: the answers, the three stages, and the costs. */
export interface Plan {
  readonly answers: Answers;
  readonly api: VpcPlan;
  readonly client: VpcPlan;
  readonly stages: readonly [StagePlan, StagePlan, StagePlan];
  readonly ssmPrefix: string;
  readonly cost: CostNote;
  readonly warnings: readonly string[];
}
