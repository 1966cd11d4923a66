// connect's reads, in the order they depend on each other: a client given as a network made concrete, then
// doctor's snapshot of the path and our stacks as they stand (in parallel), then the quota counts of the
// route tables and groups the snapshot names. Read-only; what the planner (plan.ts) takes.
import type { AwsClients } from "../../aws/clients.js";
import { readOwnedStacks, readQuotaCounts, resolveClientNetwork, type QuotaPlaces } from "../../aws/connect-reads.js";
import type { PathSnapshot } from "../../aws/path-facts.js";
import { readPathSnapshot, type PathQuery } from "../../aws/path-snapshot.js";
import { readEach, type ReadOnce } from "../../aws/read-once.js";
import { tableOfSubnet } from "../../net/route-match.js";
import { connectStackNames } from "../stages.js";
import type { ConnectFacts } from "./plan.js";
import type { ConnectOptions } from "./types.js";

type Clients = Pick<AwsClients, "ec2" | "lambda" | "apiGateway" | "route53" | "cloudFormation">;

/** Everything the planner needs, read from both regions; `once` shares the API side's reads among client regions. */
export async function readConnectFacts(clients: Clients, options: ConnectOptions, once: ReadOnce = readEach): Promise<ConnectFacts> {
  const { client } = options;
  const place = { clientRegion: options.clientRegion, apiRegion: options.apiRegion, apiId: options.apiId, stage: options.stage, endpointId: options.endpointId };
  const query: PathQuery =
    client.kind === "function"
      ? { ...place, functionName: client.name }
      : { ...place, network: await resolveClientNetwork(clients.ec2(options.clientRegion), client.vpcId, client.subnetIds, client.securityGroupIds) };
  const names = connectStackNames(options.name, options.clientRegion);
  const [snapshot, owned] = await Promise.all([
    readPathSnapshot(clients, query, once),
    readOwnedStacks(clients, { client: { name: names.client, region: options.clientRegion }, api: { name: names.api, region: options.apiRegion } }),
  ]);
  return { snapshot, owned, counts: await readQuotaCounts(clients, quotaPlaces(snapshot), once) };
}

// The route tables of the client's and the endpoint's subnets and their groups: where connect may add.
function quotaPlaces(snapshot: PathSnapshot): QuotaPlaces {
  const fn = snapshot.fn.ok ? snapshot.fn.value : undefined;
  const endpoint = snapshot.endpoint?.facts;
  const side = (s: PathSnapshot["clientSide"], subnetIds: readonly string[], groupIds: readonly string[]) => {
    if (!s) return [];
    const tables = s.routeTables.ok ? s.routeTables.value : [];
    const tableIds = [...new Set(subnetIds.flatMap((id) => tableOfSubnet(tables, id)?.table.id ?? []))];
    return [{ region: s.region, vpcId: s.vpcId, tableIds, groupIds }];
  };
  return {
    sides: [...side(snapshot.clientSide, fn?.subnetIds ?? [], fn?.securityGroupIds ?? []), ...side(snapshot.apiSide, endpoint?.subnetIds ?? [], endpoint?.securityGroupIds ?? [])],
    endpoint: { region: snapshot.apiRegion, groupIds: endpoint?.securityGroupIds ?? [], interfaceIds: endpoint?.networkInterfaceIds ?? [] },
  };
}
