// `status` of a connection: its two stacks, the probe function's state and the interfaces it left, the
// user's resources that carry our additions and whether each addition is still there (the owner's own IaC
// may remove a route or rule it manages inline: README, connect), and the last verification.
import { GetHostedZoneCommand } from "@aws-sdk/client-route-53";
import { DescribeVpcPeeringConnectionsCommand } from "@aws-sdk/client-ec2";
import { readRoutesAndRules, type RouteFact, type RuleFact } from "../../aws/connect-reads.js";
import { describeAwsError, isServiceError, throwIfCredentials } from "../../aws/errors.js";
import { readFunctionStatus } from "../../aws/function.js";
import type { LastVerify } from "../../config/answers-file.js";
import type { CarrierState, StageRef } from "../events.js";
import { clientPlace, leftoverInterfaces, leftoverText } from "../teardown/release-interfaces.js";
import { READY, stackStateEvent, type StackState } from "../stacks.js";
import type { StepContext } from "../context.js";
import { judgeFunction } from "../verify/verify.js";
import type { Connection, ConnectionStacks } from "./locate.js";
import { filledSlots, type SlotFamily } from "./slots.js";

/** What status found of a connection. */
export interface ConnectionStatusReport {
  // Both stacks that the connection has are ready, and every addition is there.
  readonly connected: boolean;
  readonly absent: boolean;
}

/** Status's context, with Route 53 for our zone. */
export type ConnectionStatusContext = StepContext<"cloudFormation" | "ec2" | "lambda" | "route53" | "profile">;
type Context = ConnectionStatusContext;

/** Emits the connection's stacks, probe, leftovers, additions and last verification. */
export async function connectionStatus(
  ctx: Context,
  input: { readonly connection: Connection; readonly stacks: ConnectionStacks; readonly lastVerify?: Pick<LastVerify, "ok" | "at"> | undefined },
): Promise<ConnectionStatusReport> {
  const now = () => ctx.clock.now();
  const { client, api } = input.stacks;
  for (const state of [client, api]) ctx.emit(stackStateEvent(state, now()));
  await probeState(ctx, client, now);
  await leftovers(ctx, client, now);
  const carriers = await additions(ctx, input.connection, input.stacks);
  ctx.emit({ kind: "connect-additions", carriers, region: input.connection.clientRegion, at: now() });
  const absent = !client.present && !api.present;
  const last = input.lastVerify;
  ctx.emit({
    kind: "info",
    message: absent ? "nothing connected, so nothing to verify" : !last ? "not verified yet" : last.ok ? `verification last passed at ${last.at}` : `verification last failed at ${last.at}`,
    at: now(),
  });
  // A stack that is not needed is never made (nothing missing on that side): the one that exists must be ready.
  const ready = [client, api].filter((s) => s.present).every((s) => s.present && READY.has(s.status));
  const allThere = carriers.every((c) => c.additions.every((a) => a.present !== false));
  return { connected: !absent && ready && allThere, absent };
}

async function probeState(ctx: Context, client: StackState, now: () => number): Promise<void> {
  const functionName = client.present ? client.outputs["FunctionName"] : undefined;
  if (!functionName) return;
  try {
    const fn = await readFunctionStatus(ctx.clients, client.ref.region, functionName);
    ctx.emit({ kind: "function-state", function: fn, ready: judgeFunction(fn) === "ready", region: client.ref.region, at: now() });
  } catch (error) {
    throwIfCredentials(error, ctx.clients.profile);
    if (!isServiceError(error)) throw error;
    ctx.emit({ kind: "warning", message: `could not read the state of the probe ${functionName}: ${describeAwsError(error)}`, stage: client.ref.stage, at: now() });
  }
}

async function leftovers(ctx: Context, client: StackState, now: () => number): Promise<void> {
  if (!client.present) return;
  try {
    const place = await clientPlace(ctx.clients, client.ref);
    const left = place ? await leftoverInterfaces(ctx.clients, place) : [];
    if (place && left.length > 0) ctx.emit({ kind: "warning", stage: client.ref.stage, message: leftoverText(place, left, "disconnect"), at: now() });
  } catch (error) {
    if (!isServiceError(error)) throw error;
    ctx.emit({ kind: "info", stage: client.ref.stage, message: `Could not look for network interfaces the probe left behind: ${describeAwsError(error)}`, at: now() });
  }
}

interface Wanted {
  readonly on: string;
  readonly kind: CarrierState["kind"];
  readonly region: string;
  readonly text: string;
  readonly present: (found: Seen) => boolean | null;
}

interface Seen {
  readonly routes: ReadonlyMap<string, readonly RouteFact[]> | undefined;
  readonly rules: readonly RuleFact[] | undefined;
}

const https = (rule: RuleFact, groupId: string, egress: boolean, cidr: string) =>
  rule.groupId === groupId && rule.egress === egress && rule.protocol === "tcp" && rule.fromPort === 443 && rule.toPort === 443 && rule.cidr === cidr;

// Each addition our stacks' parameters name, looked for on the user's resource it hangs off.
async function additions(ctx: Context, connection: Connection, stacks: ConnectionStacks): Promise<CarrierState[]> {
  const client = stacks.client.present ? stacks.client : undefined;
  const api = stacks.api.present ? stacks.api : undefined;
  const pcx = client?.outputs["PeeringConnectionId"] ?? api?.parameters["PeeringConnectionId"] ?? "";
  const vpcId = client?.parameters["ClientVpcId"] ?? "";
  const wanted: Wanted[] = [];
  const route = (family: SlotFamily, stack: StackState | undefined, region: string) => {
    for (const s of filledSlots(family, stack?.present ? stack.parameters : undefined)) {
      wanted.push({ on: s.on, kind: "route table", region, text: `route ${s.cidr} → ${pcx}`, present: (found) => (found.routes ? (found.routes.get(s.on) ?? []).some((r) => r.destination === s.cidr && r.target === pcx && r.state === "active") : null) });
    }
  };
  const rule = (family: SlotFamily, stack: StackState | undefined, region: string, egress: boolean) => {
    for (const s of filledSlots(family, stack?.present ? stack.parameters : undefined)) {
      wanted.push({ on: s.on, kind: "security group", region, text: `${egress ? "egress TCP 443 →" : "ingress TCP 443 ←"} ${s.cidr}`, present: (found) => (found.rules ? found.rules.some((r) => https(r, s.on, egress, s.cidr)) : null) });
    }
  };
  route("ClientRoute", client, connection.clientRegion);
  rule("ClientEgress", client, connection.clientRegion, true);
  route("ReturnRoute", api, connection.apiRegion);
  rule("EndpointIngress", api, connection.apiRegion, false);

  const [clientSeen, apiSeen, zone, peering] = await Promise.all([
    seen(ctx, connection.clientRegion, wanted),
    seen(ctx, connection.apiRegion, wanted),
    zoneOnVpc(ctx, connection.clientRegion, client?.outputs["HostedZoneId"], vpcId),
    ourPeering(ctx, connection.clientRegion, client, pcx),
  ]);
  const states: CarrierState[] = [];
  const add = (on: string, kind: CarrierState["kind"], region: string, text: string, present: boolean | null) => {
    const found = states.find((c) => c.id === on);
    if (found) (found.additions as { text: string; present: boolean | null }[]).push({ text, present });
    else states.push({ id: on, kind, region, additions: [{ text, present }] });
  };
  if (peering !== undefined) add(vpcId, "VPC", connection.clientRegion, `peering connection ${pcx} (ours)`, peering);
  if (zone !== undefined) add(vpcId, "VPC", connection.clientRegion, `private zone ${client?.outputs["HostedZoneId"]} associated`, zone);
  for (const w of wanted) add(w.on, w.kind, w.region, w.text, w.present(w.region === connection.clientRegion ? clientSeen : apiSeen));
  return states;
}

// The routes and rules of one region's carriers; undefined where they could not be read.
async function seen(ctx: Context, region: string, wanted: readonly Wanted[]): Promise<Seen> {
  const here = wanted.filter((w) => w.region === region);
  const tables = [...new Set(here.filter((w) => w.kind === "route table").map((w) => w.on))];
  const groups = [...new Set(here.filter((w) => w.kind === "security group").map((w) => w.on))];
  if (tables.length === 0 && groups.length === 0) return { routes: new Map(), rules: [] };
  try {
    return await readRoutesAndRules(ctx.clients.ec2(region), tables, groups);
  } catch (error) {
    throwIfCredentials(error, ctx.clients.profile);
    if (!isServiceError(error)) throw error;
    ctx.emit({ kind: "warning", message: `could not read the route tables and groups in ${region}: ${describeAwsError(error)}`, at: ctx.clock.now() });
    return { routes: undefined, rules: undefined };
  }
}

// Our zone still associated with the client VPC (undefined: the connection has no zone of ours).
async function zoneOnVpc(ctx: Context, region: string, zoneId: string | undefined, vpcId: string): Promise<boolean | null | undefined> {
  if (!zoneId) return undefined;
  try {
    const zone = await (await ctx.clients.route53(region)).send(new GetHostedZoneCommand({ Id: zoneId }));
    return (zone.VPCs ?? []).some((v) => v.VPCId === vpcId);
  } catch (error) {
    throwIfCredentials(error, ctx.clients.profile);
    if (!isServiceError(error)) throw error;
    return error instanceof Error && error.name === "NoSuchHostedZone" ? false : null;
  }
}

// Our peering connection still active (undefined: a reused one, not ours to report on).
async function ourPeering(ctx: Context, region: string, client: (StackState & { present: true }) | undefined, pcx: string): Promise<boolean | null | undefined> {
  if (!client || client.parameters["PeeringConnectionId"] || !pcx) return undefined;
  try {
    const answer = await ctx.clients.ec2(region).send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }));
    return answer.VpcPeeringConnections?.[0]?.Status?.Code === "active";
  } catch (error) {
    throwIfCredentials(error, ctx.clients.profile);
    if (!isServiceError(error)) throw error;
    return null;
  }
}

/** The connection's stages, for the status command's --outputs-file. */
export function connectionRefs(stacks: ConnectionStacks): readonly StageRef[] {
  return [stacks.client.ref, stacks.api.ref];
}
