// What `doctor` reads of a cross-region path, in plain shapes the pure evaluators take (net/, policy/).
// Every read is kept with its outcome, so a refused or failed call makes its hops "could not check"
// with the reason instead of failing the whole run.
import type { NetworkAcl } from "../net/network-acls.js";
import type { DnsRecord, ZoneRef } from "../net/private-zones.js";
import type { RouteTable } from "../net/route-match.js";
import type { SecurityGroup } from "../net/security-groups.js";

/** A read's answer, or why there is none (the action and AWS's error, in words). */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The client function as Lambda reports it: its VPC, subnets and security groups. */
export interface FunctionFacts {
  readonly name: string;
  readonly arn: string;
  readonly state: string | undefined;
  readonly stateReason: string | undefined;
  readonly lastUpdateStatus: string | undefined;
  readonly role: string | undefined;
  readonly vpcId: string | undefined;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/** A VPC's ranges and DNS settings. */
export interface VpcFacts {
  readonly id: string;
  readonly cidrs: readonly string[];
  readonly dnsSupport: Read<boolean>;
  readonly dnsHostnames: Read<boolean>;
}

/** A subnet's range, zone, route table and network ACL. */
export interface SubnetFacts {
  readonly id: string;
  readonly cidr: string;
  readonly zone: string | undefined;
  // The zone's id (use1-az3): the same physical zone in every account, unlike its name.
  readonly zoneId?: string | undefined;
}

/** One VPC's network, as its region answers. */
export interface VpcSide {
  readonly region: string;
  readonly vpcId: string;
  readonly vpc: Read<VpcFacts>;
  readonly subnets: Read<readonly SubnetFacts[]>;
  readonly routeTables: Read<readonly RouteTable[]>;
  readonly securityGroups: Read<readonly SecurityGroup[]>;
  readonly acls: Read<readonly NetworkAcl[]>;
}

/** An execute-api interface endpoint: its VPC, subnets, groups, private DNS and policy. */
export interface EndpointFacts {
  readonly id: string;
  readonly vpcId: string;
  readonly state: string;
  readonly ownerId: string | undefined;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly networkInterfaceIds: readonly string[];
  /** The DnsEntries, the regional name first: what an alias or CNAME may point at. */
  readonly dnsEntries: readonly { readonly name: string; readonly hostedZoneId: string }[];
  readonly policy: string | undefined;
}

/** The private REST API: its endpoint configuration and resource policy. */
export interface ApiFacts {
  readonly id: string;
  readonly name: string | undefined;
  readonly endpointTypes: readonly string[];
  readonly vpcEndpointIds: readonly string[];
  readonly policy: string | undefined;
}

/** The API stage doctor checks. */
export interface StageFacts {
  readonly name: string;
  readonly deploymentId: string | undefined;
}

/** The method doctor calls, and whether it needs authorization. */
export interface MethodFacts {
  readonly path: string;
  readonly method: string;
  /** NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS; undefined when API Gateway did not say. */
  readonly authorization: string | undefined;
}

/** A VPC peering connection: its status and the two VPCs it joins. */
export interface PeeringFacts {
  readonly id: string;
  readonly status: string;
  readonly message: string | undefined;
  readonly requester: PeerVpc;
  readonly accepter: PeerVpc;
}

/** One side of a peering connection. */
export interface PeerVpc {
  readonly vpcId: string;
  readonly region: string | undefined;
  readonly cidrs: readonly string[];
}

/** How the endpoint was found, for a hand-made setup that does not say (or named by connect's --endpoint). */
export type EndpointSource = "api-configuration" | "resource-policy" | "dns-record" | "option";

/** Everything doctor reads about the path, each part read or the reason it could not be. */
export interface PathSnapshot {
  readonly clientRegion: string;
  readonly apiRegion: string;
  readonly partition: string;
  /** The API's default hostname: {apiId}.execute-api.{region}.{amazonaws.com|amazonaws.com.cn}. */
  readonly hostname: string;
  readonly apiId: string;
  /** The stage asked for (--stage, or our stack's), else undefined: every stage of the API. */
  readonly stage: string | undefined;
  readonly fn: Read<FunctionFacts>;
  readonly api: Read<ApiFacts>;
  readonly stages: Read<readonly StageFacts[]>;
  readonly methods: Read<readonly MethodFacts[]>;
  readonly clientSide: VpcSide | undefined;
  readonly zones: Read<readonly ZoneRef[]> | undefined;
  /** The zone that answers for the hostname, and its records. */
  readonly zone: ZoneRef | undefined;
  readonly records: Read<readonly DnsRecord[]> | undefined;
  readonly endpoints: Read<readonly EndpointFacts[]>;
  readonly endpoint: { readonly facts: EndpointFacts; readonly source: EndpointSource } | undefined;
  readonly endpointAddresses: Read<readonly string[]> | undefined;
  readonly apiSide: VpcSide | undefined;
  readonly peerings: Read<readonly PeeringFacts[]> | undefined;
}
