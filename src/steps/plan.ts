// Answers → Plan (and the Plan's types), with no I/O: everything the tool will create, where, and from which values.
import type { Answers, ClientAnswer } from "../config/answers.js";
import { findRegion } from "../config/regions.js";
import { splitZones } from "../config/validate.js";
import { carveSubnets, checkVpcCidr, type Cidr, parseCidr } from "../net/index.js";
import {
  clientStackName,
  type RegionRole,
  routesStackName,
  ssmPrefix,
  stackName,
  type StageDef,
  type StageKey,
  STAGES,
  TAG_CLIENT_REGION,
  TAG_DEPLOYMENT,
  TAG_STAGE,
} from "./stages.js";

const value = (v: string): ParamValue => ({ kind: "value", value: v });
const output = (stage: 1 | 2, name: string): ParamValue => ({ kind: "output", stage, output: name });

/** Zones preflight chose (with their ids), per VPC; without them the plan takes the flags' zones or leaves them open. */
export interface ChosenZones {
  readonly api: ZonePair;
  // By client region.
  readonly clients: Readonly<Record<string, ZonePair>>;
}

/**
 * What exists already and the plan must keep (preflight reads it): stage 1's ClientVpcCidr as deployed,
 * which its own rule admits and which never changes with the region list, and each client region's
 * routes stack where it was found under the other name form (a region list reordered since).
 */
export interface Deployed {
  readonly admittedCidr?: string | undefined;
  readonly routesStacks?: Readonly<Record<string, string>> | undefined;
}

/** The stages from the answers: stage 1 once, stages 2 and 3 per client region, with ranges, subnets, zones and parameters (pure). */
export function buildPlan(answers: Answers, chosen?: ChosenZones, deployed: Deployed = {}): Plan {
  const [first] = answers.clients;
  if (!first) throw new Error("plan: the answers name no client region");
  const api = vpcPlan(answers.apiRegion, mustParse(answers.apiCidr), chosen?.api ?? givenZones(answers.apiAzs));
  const clients = answers.clients.map((client) => vpcPlan(client.region, mustParse(client.cidr), chosen?.clients[client.region] ?? givenZones(client.azs)));
  const prefix = ssmPrefix(answers.name);
  // Stage 1's own rule admits the range it was first deployed with; a new stage 1 admits the first client's.
  const admitted = deployed.admittedCidr ?? clients[0]!.cidr;
  const tags = (def: StageDef, clientRegion?: string) => ({
    [TAG_DEPLOYMENT]: answers.name,
    [TAG_STAGE]: String(def.number),
    ...(def.key === "routes" && clientRegion ? { [TAG_CLIENT_REGION]: clientRegion } : {}),
  });
  const [apiDef, clientDef, routesDef] = STAGES;

  const apiStage: StagePlan = {
    number: 1,
    key: "api",
    title: apiDef.title,
    region: answers.apiRegion,
    clientRegion: undefined,
    stackName: stackName(answers.name, "api"),
    template: apiDef.template,
    parameters: {
      DeploymentName: value(answers.name),
      ...network("api", api),
      ClientVpcCidr: value(admitted),
    },
    tags: tags(apiDef),
  };

  const clientStages = clients.flatMap((client, i): [StagePlan, StagePlan] => [
    {
      number: 2,
      key: "client",
      title: clientDef.title,
      region: client.region,
      clientRegion: client.region,
      stackName: clientStackName(answers.name),
      template: clientDef.template,
      parameters: {
        DeploymentName: value(answers.name),
        ...network("client", client),
        ApiRegion: value(answers.apiRegion),
        ApiVpcId: output(1, "VpcId"),
        ApiVpcCidr: value(api.cidr),
        ApiId: output(1, "ApiId"),
        ApiStageName: output(1, "StageName"),
        ApiEndpointDnsName: output(1, "EndpointDnsName"),
        ApiEndpointHostedZoneId: output(1, "EndpointHostedZoneId"),
      },
      tags: tags(clientDef),
    },
    {
      number: 3,
      key: "routes",
      title: routesDef.title,
      region: answers.apiRegion,
      clientRegion: client.region,
      stackName: deployed.routesStacks?.[client.region] ?? routesStackName(answers.name, client.region, i === 0),
      template: routesDef.template,
      parameters: {
        DeploymentName: value(answers.name),
        ClientVpcCidr: value(client.cidr),
        PeeringConnectionId: output(2, "PeeringConnectionId"),
        // Stage 1 keeps its route table ids in SSM; CloudFormation resolves the name at deploy time.
        RouteTableIds: value(`${prefix}/route-table-ids`),
        EndpointSecurityGroupId: output(1, "EndpointSecurityGroupId"),
        EndpointAdmittedCidr: value(admitted),
      },
      tags: tags(routesDef, client.region),
    },
  ]);

  const several = answers.clients.length > 1;
  return {
    answers,
    api,
    clients,
    stages: [apiStage, ...clientStages],
    ssmPrefix: prefix,
    cost: costNote(answers),
    warnings: [
      ...warningsFor(answers.apiCidr, "--api-cidr"),
      ...answers.clients.flatMap((client) => warningsFor(client.cidr, several ? `--client-cidr ${client.region}` : "--client-cidr")),
      ...partitionWarnings(answers.apiRegion),
    ],
  };
}

// A VPC's range, its two subnets and their zones: the same five parameters in stages 1 and 2.
function network(role: RegionRole, vpc: VpcPlan): Record<string, ParamValue> {
  return {
    VpcCidr: value(vpc.cidr),
    Subnet1Cidr: value(vpc.subnets[0].cidr),
    Subnet2Cidr: value(vpc.subnets[1].cidr),
    AvailabilityZone1: zone(role, vpc, 0),
    AvailabilityZone2: zone(role, vpc, 1),
  };
}

function zone(role: RegionRole, vpc: VpcPlan, index: 0 | 1): ParamValue {
  const known = vpc.zones?.[index];
  return known ? value(known.name) : { kind: "zone", role, region: vpc.region, index };
}

/** The stages of one client region (its client stack, then its routes stack), in deploy order. */
export function clientStages(plan: Pick<Plan, "stages">, region: string): readonly StagePlan[] {
  return plan.stages.filter((stage) => stage.clientRegion === region);
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

// List prices of us-east-1 (2026) as an order of magnitude; other regions differ by a few percent. The
// endpoint is shared by every client region; each client region adds its zone and its own data path.
function costNote(answers: Answers): { lines: string[] } {
  const several = answers.clients.length > 1;
  const perRegion = (client: ClientAnswer) =>
    several
      ? `Client region ${client.region}: Route 53 private hosted zone $0.50/month; data ${client.region} ↔ ${answers.apiRegion} over peering about $0.02 per GB each way.`
      : `Inter-region data ${client.region} ↔ ${answers.apiRegion} over peering: about $0.02 per GB each way.`;
  return {
    lines: [
      `Interface endpoint (execute-api) in ${answers.apiRegion}: about $0.01 per AZ-hour × 2 AZs ≈ $0.48/day ($14.60/month) while deployed, plus $0.01 per GB processed${several ? `, shared by the ${answers.clients.length} client regions` : ""}.`,
      ...answers.clients.map(perRegion),
      several
        ? `In all about $${(14.6 + 0.5 * answers.clients.length).toFixed(2)}/month before data; Lambda, API Gateway and CloudWatch Logs: fractions of a cent for verification.`
        : "Route 53 private hosted zone: $0.50/month; Lambda, API Gateway and CloudWatch Logs: fractions of a cent for verification.",
      "Nothing here runs for free: run `teardown` when you are done.",
    ],
  };
}

/**
 * A parameter value is known when planning, read from an earlier stage's outputs at deploy time (stage 1's,
 * or stage 2's of the same client region), or one of a VPC's two zones that preflight chooses (offline,
 * with no --api-azs/--client-azs, nobody knows them).
 */
export type ParamValue =
  | { readonly kind: "value"; readonly value: string }
  | { readonly kind: "output"; readonly stage: 1 | 2 | 3; readonly output: string }
  | { readonly kind: "zone"; readonly role: RegionRole; readonly region: string; readonly index: 0 | 1 };

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
  // The stack's own region: stage 3 of every client region lives in the API region.
  readonly region: string;
  // The client region stages 2 and 3 belong to; undefined for stage 1 (and a connection's stages).
  readonly clientRegion?: string | undefined;
  readonly stackName: string;
  readonly template: string;
  readonly parameters: Readonly<Record<string, ParamValue>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** What the deployment costs while it stands, in words. */
export interface CostNote {
  readonly lines: readonly string[];
}

/** The deployment as planned: the answers, the VPCs, every stage in deploy order, and the costs. */
export interface Plan {
  readonly answers: Answers;
  readonly api: VpcPlan;
  // One per client region, in the answers' order.
  readonly clients: readonly VpcPlan[];
  // Stage 1, then each client region's stage 2 and its stage 3.
  readonly stages: readonly StagePlan[];
  readonly ssmPrefix: string;
  readonly cost: CostNote;
  readonly warnings: readonly string[];
}

