// Reads the whole path for `doctor` in two rounds (three when only DNS names the endpoint), both regions
// in parallel within each round:
// 1. the function (B); the API with its stages and methods, every execute-api endpoint (A);
// 2. the function's VPC and its private zones (B); the endpoint's VPC and addresses (A), the peering
//    connections between the two VPCs (B).
// Which endpoint is the API's is decided here (later reads depend on it): the API's own endpoint
// configuration, else the resource policy's aws:SourceVpce, else the endpoint the DNS record names.
import { partitionsInfo } from "aws-sdk-partitions";
import { GetResourcesCommand, GetRestApiCommand, GetStagesCommand, type APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { ListHostedZonesByVPCCommand, ListResourceRecordSetsCommand, type VPCRegion } from "@aws-sdk/client-route-53";
import { answerFor, normalName, zoneFor, type DnsRecord, type ZoneRef } from "../net/private-zones.js";
import type { AwsClients } from "./clients.js";
import { readEach, type ReadOnce } from "./read-once.js";
import type { ApiFacts, EndpointFacts, EndpointSource, FunctionFacts, MethodFacts, PathSnapshot, Read, StageFacts } from "./path-facts.js";
import { attempt, readAddresses, readEndpoints, readPeerings, readVpcSide } from "./path-reads.js";

/** Where the path is: the client (a function, or a network), the API, the stage and the two regions. */
export type PathQuery = {
  readonly clientRegion: string;
  readonly apiRegion: string;
  readonly apiId: string;
  readonly stage?: string | undefined;
  /** The endpoint to judge the path through (connect's --endpoint), else the one the API names. */
  readonly endpointId?: string | undefined;
} & (
  | { /** A function name or ARN. */ readonly functionName: string; readonly network?: undefined }
  | { readonly functionName?: undefined; readonly network: ClientNetwork }
);

/** A client given as a network (connect --client-vpc): its VPC, the subnets it calls from and its security groups. */
export interface ClientNetwork {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

type Clients = Pick<AwsClients, "ec2" | "lambda" | "apiGateway" | "route53">;

/** The partition and DNS suffix of a region, from the SDK's own partition data (peering never crosses partitions). */
function partitionOf(region: string): { readonly partition: string; readonly suffix: string } {
  const { partitions } = partitionsInfo;
  const found = partitions.find((p) => region in p.regions) ?? partitions.find((p) => new RegExp(p.regionRegex).test(region)) ?? partitions[0]!;
  return { partition: found.id, suffix: found.outputs.dnsSuffix };
}

/**
 * Reads the whole path from AWS in parallel; a failed read is kept as its reason, not thrown. `once`: the
 * API side's reads shared with other readers of the same API (connect's client regions).
 */
export async function readPathSnapshot(clients: Clients, query: PathQuery, once: ReadOnce = readEach): Promise<PathSnapshot> {
  const { clientRegion, apiRegion, apiId } = query;
  const { partition, suffix } = partitionOf(apiRegion);
  const hostname = `${apiId}.execute-api.${apiRegion}.${suffix}`;
  const gateway = await clients.apiGateway(apiRegion);

  const [fn, api, stages, methods, endpoints] = await Promise.all([
    query.network ? { ok: true as const, value: networkClient(query.network) } : attempt("lambda:GetFunctionConfiguration", () => readFunction(clients, clientRegion, query.functionName)),
    once(`api ${apiRegion} ${apiId}`, () => attempt("apigateway:GET /restapis/{id}", () => readApi(gateway, apiId))),
    once(`stages ${apiRegion} ${apiId}`, () => attempt("apigateway:GET /restapis/{id}/stages", () => readStages(gateway, apiId))),
    once(`methods ${apiRegion} ${apiId}`, () => attempt("apigateway:GET /restapis/{id}/resources", () => readMethods(gateway, apiId))),
    once(`endpoints ${apiRegion}`, () => attempt("ec2:DescribeVpcEndpoints", () => readEndpoints(clients.ec2(apiRegion), apiRegion))),
  ]);

  const clientVpcId = fn.ok ? fn.value.vpcId : undefined;
  // The endpoint's side: its VPC and addresses (A), the peerings between the two VPCs (B).
  const endpointSide = (endpoint: ChosenEndpoint) =>
    Promise.all([
      once(`side ${apiRegion} ${endpoint.facts.id}`, () => readVpcSide(clients.ec2(apiRegion), apiRegion, endpoint.facts.vpcId, endpoint.facts.securityGroupIds)),
      once(`addresses ${apiRegion} ${endpoint.facts.id}`, () => attempt("ec2:DescribeNetworkInterfaces", () => readAddresses(clients.ec2(apiRegion), endpoint.facts.networkInterfaceIds))),
      clientVpcId ? attempt("ec2:DescribeVpcPeeringConnections", () => readPeerings(clients.ec2(clientRegion), [clientVpcId, endpoint.facts.vpcId])) : undefined,
    ] as const);
  // Usually the API names its endpoint (configuration or policy): that side is read at once, beside the
  // client's. The DNS record, read meanwhile, says which endpoint the client really reaches: when it names
  // another one, that one is read after.
  const list = (endpoints.ok ? endpoints.value : []).filter((e) => query.endpointId === undefined || e.id === query.endpointId);
  const configured = fromConfiguration(list, api);
  const guess = configured ?? fromPolicy(list, api) ?? given(list, query.endpointId);
  const [clientSide, dns, early] = await Promise.all([
    clientVpcId ? readVpcSide(clients.ec2(clientRegion), clientRegion, clientVpcId, fn.ok ? fn.value.securityGroupIds : []) : undefined,
    clientVpcId ? readDns(clients, clientRegion, clientVpcId, hostname) : undefined,
    guess ? endpointSide(guess) : undefined,
  ]);
  const endpoint = configured ?? fromDns(list, dns, hostname) ?? guess;
  const [apiSide, endpointAddresses, peerings] = early && endpoint?.facts.id === guess?.facts.id ? early : endpoint ? await endpointSide(endpoint) : [];
  const apiVpcId = endpoint?.facts.vpcId;

  return {
    clientRegion,
    apiRegion,
    partition,
    hostname,
    apiId,
    stage: query.stage,
    fn,
    api,
    stages,
    methods,
    clientSide,
    zones: dns?.zones,
    zone: dns?.zone,
    records: dns?.records,
    endpoints,
    endpoint,
    endpointAddresses,
    apiSide,
    peerings: peerings && {
      ...peerings,
      ...(peerings.ok && { value: peerings.value.filter((p) => [p.requester.vpcId, p.accepter.vpcId].sort().join() === [clientVpcId, apiVpcId].sort().join()) }),
    },
  };
}

async function readFunction(clients: Clients, region: string, name: string): Promise<FunctionFacts> {
  const f = await clients.lambda(region).send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  return {
    name: f.FunctionName ?? name,
    arn: f.FunctionArn ?? name,
    state: f.State,
    stateReason: f.StateReason,
    lastUpdateStatus: f.LastUpdateStatus,
    role: f.Role,
    vpcId: f.VpcConfig?.VpcId || undefined,
    subnetIds: f.VpcConfig?.SubnetIds ?? [],
    securityGroupIds: f.VpcConfig?.SecurityGroupIds ?? [],
  };
}

// A network client judged as doctor judges a function: the hops read only its VPC, subnets and groups.
function networkClient(network: ClientNetwork): FunctionFacts {
  return {
    name: `client network in ${network.vpcId}`,
    arn: "",
    state: undefined,
    stateReason: undefined,
    lastUpdateStatus: undefined,
    role: undefined,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
    securityGroupIds: network.securityGroupIds,
  };
}

async function readApi(gateway: APIGatewayClient, apiId: string): Promise<ApiFacts> {
  const a = await gateway.send(new GetRestApiCommand({ restApiId: apiId }));
  return {
    id: a.id ?? apiId,
    name: a.name,
    endpointTypes: a.endpointConfiguration?.types ?? [],
    vpcEndpointIds: a.endpointConfiguration?.vpcEndpointIds ?? [],
    // API Gateway answers the policy as JSON text with its quotes escaped once more.
    policy: a.policy?.replace(/\\"/g, '"').replace(/\\\\/g, "\\"),
  };
}

async function readStages(gateway: APIGatewayClient, apiId: string): Promise<StageFacts[]> {
  const answer = await gateway.send(new GetStagesCommand({ restApiId: apiId }));
  return (answer.item ?? []).map((s) => ({ name: s.stageName ?? "", deploymentId: s.deploymentId }));
}

async function readMethods(gateway: APIGatewayClient, apiId: string): Promise<MethodFacts[]> {
  const methods: MethodFacts[] = [];
  let position: string | undefined;
  do {
    // embed=methods: each method as its Method resource, with its authorizationType (API Gateway API
    // reference, GetResources, "embed").
    const page = await gateway.send(new GetResourcesCommand({ restApiId: apiId, limit: 500, position, embed: ["methods"] }));
    for (const r of page.items ?? []) {
      for (const [method, facts] of Object.entries(r.resourceMethods ?? {})) methods.push({ path: r.path ?? "/", method, authorization: facts.authorizationType });
    }
    position = page.position;
  } while (position);
  return methods;
}

interface DnsReads {
  readonly zones: Read<readonly ZoneRef[]>;
  readonly zone: ZoneRef | undefined;
  readonly records: Read<readonly DnsRecord[]> | undefined;
}

async function readDns(clients: Clients, region: string, vpcId: string, hostname: string): Promise<DnsReads> {
  const route53 = await clients.route53(region);
  const zones = await attempt("route53:ListHostedZonesByVPC", async () => {
    const out: ZoneRef[] = [];
    let token: string | undefined;
    do {
      const page = await route53.send(new ListHostedZonesByVPCCommand({ VPCId: vpcId, VPCRegion: region as VPCRegion, NextToken: token }));
      out.push(...(page.HostedZoneSummaries ?? []).map((z) => ({ id: (z.HostedZoneId ?? "").replace("/hostedzone/", ""), name: z.Name ?? "" })));
      token = page.NextToken;
    } while (token);
    return out;
  });
  const zone = zones.ok ? zoneFor(zones.value, hostname) : undefined;
  if (!zone) return { zones, zone, records: undefined };
  const records = await attempt("route53:ListResourceRecordSets", async () => {
    const out: DnsRecord[] = [];
    let next: { name?: string | undefined; type?: string | undefined } = {};
    do {
      // The whole zone: a wildcard or a name below the hostname elsewhere in it changes the answer.
      const page = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.id, StartRecordName: next.name, StartRecordType: next.type as never }));
      for (const r of page.ResourceRecordSets ?? []) {
        out.push({
          name: r.Name ?? "",
          type: r.Type ?? "",
          values: (r.ResourceRecords ?? []).flatMap((v) => (v.Value ? [v.Value] : [])),
          alias: r.AliasTarget ? { dnsName: r.AliasTarget.DNSName ?? "", hostedZoneId: r.AliasTarget.HostedZoneId ?? "" } : undefined,
        });
      }
      next = page.IsTruncated ? { name: page.NextRecordName, type: page.NextRecordType } : {};
    } while (next.name);
    return out;
  });
  return { zones, zone, records };
}

type ChosenEndpoint = { readonly facts: EndpointFacts; readonly source: EndpointSource };

function fromConfiguration(endpoints: readonly EndpointFacts[], api: Read<ApiFacts>): ChosenEndpoint | undefined {
  const facts = api.ok ? endpoints.find((e) => api.value.vpcEndpointIds.includes(e.id)) : undefined;
  return facts && { facts, source: "api-configuration" };
}

function fromPolicy(endpoints: readonly EndpointFacts[], api: Read<ApiFacts>): ChosenEndpoint | undefined {
  const ids: readonly string[] = api.ok ? (api.value.policy?.match(/vpce-[0-9a-f]+/g) ?? []) : [];
  const facts = endpoints.find((e) => ids.includes(e.id));
  return facts && { facts, source: "resource-policy" };
}

function given(endpoints: readonly EndpointFacts[], id: string | undefined): ChosenEndpoint | undefined {
  const facts = id === undefined ? undefined : endpoints.find((e) => e.id === id);
  return facts && { facts, source: "option" };
}

function fromDns(endpoints: readonly EndpointFacts[], dns: DnsReads | undefined, hostname: string): ChosenEndpoint | undefined {
  if (!dns?.zone || !dns.records?.ok) return undefined;
  const answer = answerFor(dns.records.value, hostname, dns.zone.name);
  const target = answer.kind === "alias" ? answer.record.alias?.dnsName : answer.kind === "cname" ? answer.record.values[0] : undefined;
  if (!target) return undefined;
  const name = normalName(target).replace(/^dualstack\./, "");
  const facts = endpoints.find((e) => e.dnsEntries.some((d) => normalName(d.name) === name));
  return facts && { facts, source: "dns-record" };
}
