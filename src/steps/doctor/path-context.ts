// What several hops need from the snapshot, worked out once: the two ends' addresses, the peering the
// path should use, the account. A missing piece carries the reason it is missing.
import type { FunctionFacts, PathSnapshot, PeeringFacts, SubnetFacts, VpcSide } from "../../aws/path-facts.js";
import { parseBlock, union, type AddressSet } from "../../net/address-set.js";
import { formatAddress } from "../../net/cidr.js";

/** A fact doctor knows, or why it does not. */
export type Known<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

/** The snapshot with the facts every judge needs worked out once. */
export interface PathContext {
  readonly snapshot: PathSnapshot;
  readonly fn: Known<FunctionFacts>;
  readonly clientSide: Known<VpcSide>;
  readonly apiSide: Known<VpcSide>;
  /** The function's subnets' ranges: where its requests come from. */
  readonly functionRange: Known<AddressSet>;
  /** The endpoint's addresses (its interfaces), else its subnets' ranges: where requests go. */
  readonly endpointRange: Known<{ readonly set: AddressSet; readonly text: string }>;
  /** The peering connection the path should use, if any joins the two VPCs. */
  readonly peering: Known<PeeringFacts>;
  readonly account: string | undefined;
}

/** A known fact. */
function known<T>(value: T): Known<T> {
  return { ok: true, value };
}

/** A fact that could not be known, and why. */
function missing<T>(why: string): Known<T> {
  return { ok: false, why };
}

/** Addresses as text: "10.10.0.0-10.10.0.255" spans or single addresses, joined. */
export function describeSet(set: AddressSet): string {
  return set.map((s) => (s.first === s.last ? formatAddress(s.first) : `${formatAddress(s.first)}-${formatAddress(s.last)}`)).join(", ");
}

const STATUS_ORDER = ["active", "pending-acceptance", "provisioning", "initiating-request"];

/** Works out from the snapshot what every judge needs. */
export function pathContext(snapshot: PathSnapshot): PathContext {
  const fn: Known<FunctionFacts> = snapshot.fn.ok ? known(snapshot.fn.value) : missing(`the function could not be read (${snapshot.fn.error})`);
  const clientSide: Known<VpcSide> = snapshot.clientSide ? known(snapshot.clientSide) : missing(fn.ok ? `${fn.value.name} is not in a VPC` : fn.why);
  const apiSide: Known<VpcSide> = snapshot.apiSide ? known(snapshot.apiSide) : missing(snapshot.endpoint ? "the endpoint's VPC could not be read" : "the API's endpoint is not known (see the endpoint hop)");

  let functionSubnets: Known<readonly SubnetFacts[]> = missing(clientSide.ok ? "the function could not be read" : clientSide.why);
  if (clientSide.ok && fn.ok) {
    const subnets = clientSide.value.subnets;
    const found = subnets.ok ? subnets.value.filter((s) => fn.value.subnetIds.includes(s.id)) : [];
    functionSubnets = !subnets.ok
      ? missing(subnets.error)
      : found.length === 0
        ? missing(`none of the function's subnets (${fn.value.subnetIds.join(", ")}) is in ${clientSide.value.vpcId}`)
        : known(found);
  }
  const functionRange: Known<AddressSet> = functionSubnets.ok
    ? known(union(...functionSubnets.value.map((s) => parseBlock(s.cidr) ?? [])))
    : missing(functionSubnets.why);

  let endpointRange: Known<{ set: AddressSet; text: string }> = missing("the API's endpoint is not known (see the endpoint hop)");
  const addresses = snapshot.endpointAddresses;
  if (addresses?.ok && addresses.value.length > 0) {
    endpointRange = known({ set: union(...addresses.value.map((a) => parseBlock(a) ?? [])), text: addresses.value.join(", ") });
  } else if (snapshot.endpoint && apiSide.ok && apiSide.value.subnets.ok) {
    const ids = snapshot.endpoint.facts.subnetIds;
    const cidrs = apiSide.value.subnets.value.filter((s) => ids.includes(s.id)).map((s) => s.cidr);
    if (cidrs.length > 0) endpointRange = known({ set: union(...cidrs.map((c) => parseBlock(c) ?? [])), text: cidrs.join(", ") });
  }

  let peering: Known<PeeringFacts> = missing(clientSide.ok ? (apiSide.ok ? "the peering connections could not be read" : apiSide.why) : clientSide.why);
  if (snapshot.peerings?.ok) {
    const ranked = snapshot.peerings.value.toSorted((a, b) => rank(a.status) - rank(b.status));
    peering = ranked[0] ? known(ranked[0]) : missing(`no peering connection joins ${snapshot.clientSide?.vpcId} and ${snapshot.apiSide?.vpcId}`);
  } else if (snapshot.peerings && !snapshot.peerings.ok) {
    peering = missing(snapshot.peerings.error);
  }

  // A function's ARN names its account; a client given as a network (connect --client-vpc) has no ARN, and
  // the endpoint's owner is the account the call is made in.
  const account = (fn.ok && fn.value.arn ? fn.value.arn.split(":")[4] : undefined) ?? snapshot.endpoint?.facts.ownerId;
  return { snapshot, fn, clientSide, apiSide, functionRange, endpointRange, peering, account };
}

/** A peering connection that is, or is on its way to being, active (not deleted, failed, rejected or expired). */
export function isLive(status: string): boolean {
  return STATUS_ORDER.includes(status);
}

function rank(status: string): number {
  const at = STATUS_ORDER.indexOf(status);
  return at === -1 ? STATUS_ORDER.length : at;
}
