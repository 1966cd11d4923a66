// What connect's plan hangs on, read from doctor's snapshot: both VPCs, the endpoint and its DNS target, the
// client's subnets and groups, the blocks each side routes and admits, the peerings, zones and the stage.
// A part that is missing or unreadable is a refusal that says what, before any planning.
import type { EndpointFacts, PathSnapshot, PeeringFacts, VpcSide } from "../../aws/path-facts.js";
import type { AddressSet } from "../../net/address-set.js";
import type { ZoneRef } from "../../net/private-zones.js";
import type { SecurityGroup } from "../../net/security-groups.js";
import type { HopName, HopVerdict } from "../doctor/doctor.js";
import { pathContext } from "../doctor/path-context.js";
import { subnetBlocks } from "./needs.js";
import type { ConnectOptions, Refusal, RefusalReason } from "./types.js";

/** The parts of the path the plan needs, once they are known to have been read. */
export interface Sides {
  readonly client: VpcSide;
  readonly api: VpcSide;
  readonly endpoint: EndpointFacts;
  readonly dnsTarget: { readonly name: string; readonly hostedZoneId: string };
  readonly clientSubnets: readonly string[];
  readonly clientGroups: readonly SecurityGroup[];
  readonly endpointGroups: readonly SecurityGroup[];
  readonly clientBlocks: { readonly blocks: string[]; readonly set: AddressSet };
  readonly endpointBlocks: { readonly blocks: string[]; readonly set: AddressSet };
  /** Where requests go: the endpoint's addresses (else its subnets). */
  readonly toEndpoint: AddressSet;
  readonly peerings: readonly PeeringFacts[];
  readonly zones: readonly ZoneRef[];
  readonly stage: string;
}

/** Everything the plan hangs on, read; else the refusals that say what is missing. */
export function readSides(options: ConnectOptions, snapshot: PathSnapshot, now: readonly HopVerdict[]): Sides | { refusals: Refusal[] } {
  const refusals: Refusal[] = [];
  const refuse = (reason: RefusalReason, hop: HopName | undefined, message: string) => refusals.push({ reason, hop, message });
  const fn = now.find((h) => h.hop === "function")!;
  if (fn.ok === false) refuse("client", "function", `the client cannot be connected: ${fn.detail}${fn.fix ? `. Fix: ${fn.fix}` : ""}`);
  const { clientSide: client, apiSide: api } = snapshot;
  const chosen = snapshot.endpoint?.facts;
  const unreadable = (hop: HopName, read: { ok: boolean; error?: string } | undefined, what: string) => {
    if (read && !read.ok) refuse("unreadable", hop, `connect cannot plan without ${what}: ${read.error}`);
  };
  if (!snapshot.endpoints.ok) unreadable("endpoint", snapshot.endpoints, "the region's execute-api endpoints");
  else if (!chosen) {
    const known = snapshot.endpoints.value.map((e) => `${e.id} (${e.state}, ${e.vpcId})`).join(", ") || "none";
    refuse(
      "no-endpoint",
      "endpoint",
      options.endpointId
        ? `${options.endpointId} is not an execute-api endpoint in ${options.apiRegion} (endpoints there: ${known}): name one of them with --endpoint.`
        : `the private API ${options.apiId} has no usable execute-api endpoint in ${options.apiRegion}: none is named by its endpoint configuration or by its resource policy's aws:SourceVpce (endpoints there: ${known}); name the one it admits with --endpoint vpce-…, or create one and admit it in the API's policy, then run connect again.`,
    );
  }
  if (fn.ok === false || !client || !chosen || !api) return { refusals };
  for (const [read, what] of [[client.vpc, "the client VPC"], [client.subnets, "its subnets"], [client.routeTables, "its route tables"], [client.securityGroups, "its security groups"]] as const) unreadable("client-route", read, `${what} (${client.vpcId})`);
  for (const [read, what] of [[api.vpc, "the endpoint's VPC"], [api.subnets, "its subnets"], [api.routeTables, "its route tables"], [api.securityGroups, "the endpoint's security groups"]] as const) unreadable("return-route", read, `${what} (${api.vpcId})`);
  unreadable("peering", snapshot.peerings, "the peering connections between the two VPCs");
  unreadable("dns", snapshot.zones, "the private zones of the client VPC");
  if (refusals.length > 0) return { refusals };

  const ctx = pathContext(snapshot);
  const clientSubnets = ctx.fn.ok ? ctx.fn.value.subnetIds : [];
  const groupIds = ctx.fn.ok ? ctx.fn.value.securityGroupIds : [];
  const groups = client.securityGroups.ok ? client.securityGroups.value : [];
  const vpcSubnets = client.subnets.ok ? client.subnets.value.map((s) => s.id) : [];
  const strays = clientSubnets.filter((s) => !vpcSubnets.includes(s));
  if (strays.length > 0) refuse("client", "function", `${strays.join(", ")} ${strays.length === 1 ? "is" : "are"} not a subnet of ${client.vpcId}: name the client's subnets in that VPC (--client-subnets).`);
  const missingGroups = groupIds.filter((g) => !groups.some((x) => x.id === g));
  if (missingGroups.length > 0) refuse("client", "client-egress", `${missingGroups.join(", ")} ${missingGroups.length === 1 ? "is" : "are"} not a security group of ${client.vpcId}: name the client's groups (--client-security-groups).`);
  if (client.region === api.region && client.vpcId === api.vpcId) refuse("client", "peering", `the client runs in ${api.vpcId}, the endpoint's own VPC: it reaches the API there without connect.`);
  const stages = snapshot.stages.ok ? snapshot.stages.value.map((s) => s.name) : [];
  const stage = options.stage ?? (stages.length === 1 ? stages[0] : undefined);
  if (!stage) refuse("stage", "api-stage", stages.length === 0 ? `the private API ${options.apiId} has no stage: deploy it to one (aws apigateway create-deployment --rest-api-id ${options.apiId} --stage-name <stage> --region ${options.apiRegion}), then run connect again.` : `the private API ${options.apiId} has the stages ${stages.join(", ")}: name the one to call with --stage.`);
  const dnsTarget = chosen.dnsEntries[0];
  if (!dnsTarget) refuse("unreadable", "dns", `${chosen.id} has no DNS name to point the API hostname at (DescribeVpcEndpoints gave no DnsEntries).`);
  const clientBlocks = subnetBlocks(client, clientSubnets);
  const endpointBlocks = subnetBlocks(api, chosen.subnetIds);
  const toEndpoint = ctx.endpointRange.ok ? ctx.endpointRange.value.set : endpointBlocks?.set;
  if (refusals.length > 0 || !stage || !dnsTarget || !clientBlocks || !endpointBlocks || !toEndpoint) return { refusals };
  const endpointGroups = api.securityGroups.ok ? api.securityGroups.value.filter((g) => chosen.securityGroupIds.includes(g.id)) : [];
  return {
    client,
    api,
    endpoint: chosen,
    dnsTarget,
    clientSubnets,
    clientGroups: groupIds.map((g) => groups.find((x) => x.id === g)!),
    endpointGroups,
    clientBlocks,
    endpointBlocks,
    toEndpoint,
    peerings: snapshot.peerings?.ok ? snapshot.peerings.value : [],
    zones: snapshot.zones?.ok ? snapshot.zones.value : [],
    stage,
  };
}
