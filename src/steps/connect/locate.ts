// A connection, found by its name and regions as a deployment is: its two stacks (a name whose client stack
// in region B carries xregion-private-api:connection is a connection), and the path they serve — what
// status, verify and doctor need to work on a connection as they work on a deployment.
import type { AwsClients } from "../../aws/clients.js";
import { resolveClientNetwork } from "../../aws/connect-reads.js";
import type { PathQuery } from "../../aws/path-snapshot.js";
import { clientOf } from "../../config/connect-answers.js";
import type { ConnectAnswers } from "../../config/answers.js";
import { parseCidr } from "../../net/cidr.js";
import { lookupStack, type StackState } from "../stacks.js";
import { connectStageRefs, TAG_CONNECTION } from "../stages.js";

/** What finds a connection: its name and regions. */
export type Connection = Pick<ConnectAnswers, "name" | "apiRegion" | "clientRegion">;

/** A connection's two stacks as they are now, in deploy order. */
export interface ConnectionStacks {
  readonly client: StackState;
  readonly api: StackState;
}

/** The connection's stacks, or undefined when neither exists as a connection's (tagged so); `regional`: one of several client regions. */
export async function lookupConnection(clients: Pick<AwsClients, "cloudFormation">, connection: Connection, regional = false): Promise<ConnectionStacks | undefined> {
  const [clientRef, apiRef] = connectStageRefs(connection, regional);
  const [client, api] = await Promise.all([lookupStack(clients, clientRef), lookupStack(clients, apiRef)]);
  const ours = (s: StackState) => s.present && s.tags[TAG_CONNECTION] === "true";
  return ours(client) || ours(api) ? { client, api } : undefined;
}

/**
 * The path doctor judges for a connection, as connect proved it: the function connect was given (the
 * answers file, when it holds this connection), else the probe our client stack runs, else the client
 * network (the file's, or the VPC our stack names with every subnet and its default group); the API, stage
 * and endpoint as connect was given them or our stack names them.
 */
export async function connectionQuery(
  clients: Pick<AwsClients, "ec2">,
  connection: Connection,
  stacks: ConnectionStacks,
  saved: Partial<ConnectAnswers> | undefined,
): Promise<PathQuery | undefined> {
  const client = stacks.client.present ? stacks.client : undefined;
  const apiId = saved?.apiId ?? client?.parameters["ApiId"];
  if (!apiId) return undefined;
  const place = { clientRegion: connection.clientRegion, apiRegion: connection.apiRegion, apiId, stage: saved?.stage ?? (client?.parameters["ApiStageName"] || undefined), endpointId: saved?.endpoint };
  const given = saved && (saved.function !== undefined || saved.clientVpc !== undefined) ? clientOf(saved) : undefined;
  if (given?.kind === "function") return { ...place, functionName: given.name };
  const probe = client?.outputs["FunctionName"];
  if (probe) return { ...place, functionName: probe };
  const vpcId = given?.kind === "network" ? given.vpcId : client?.parameters["ClientVpcId"];
  if (!vpcId) return undefined;
  const ec2 = clients.ec2(connection.clientRegion);
  return { ...place, network: await resolveClientNetwork(ec2, vpcId, given?.kind === "network" ? given.subnetIds : [], given?.kind === "network" ? given.securityGroupIds : []) };
}

/** Of a VPC's ranges, the one that holds a block (the endpoint's subnets): the range the API hostname resolves into. */
export function rangeHolding(ranges: readonly string[], block: string | undefined): string | undefined {
  const inner = block === undefined ? undefined : parseCidr(block);
  return ranges.find((r) => {
    const range = parseCidr(r);
    return range && inner && range.first <= inner.first && inner.last <= range.last;
  }) ?? ranges[0];
}
