// What the integration suites share: SDK clients pointed at moto, reads of the real state there, and
// assertions about the deployed path that stay within what moto models (see MOTO.md). Used by
// templates-on-moto.test.ts (the templates deployed by hand) and cli-on-moto.test.ts (by the CLI).

import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CloudFormationClient,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  type DescribeChangeSetCommandOutput,
  type Stack,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type IpPermission,
  type RouteTable,
} from "@aws-sdk/client-ec2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { GetHostedZoneCommand, Route53Client, type GetHostedZoneCommandOutput } from "@aws-sdk/client-route-53";
import { expect } from "vitest";
import { ciEnv, type NodeRun, runNode } from "../helpers/cli.js";
import type { MotoServer } from "./moto-server.js";

/** SDK clients for moto, one per service and region, made on first use. */
export interface MotoAws {
  cfn(region: string): CloudFormationClient;
  ec2(region: string): EC2Client;
  lambda(region: string): LambdaClient;
  /** Route 53 is global, as in AWS. */
  readonly route53: Route53Client;
  destroy(): void;
}

export function motoAws(moto: MotoServer): MotoAws {
  const cache = new Map<string, { destroy(): void }>();
  const get = <T extends { destroy(): void }>(key: string, make: () => T): T => {
    let client = cache.get(key) as T | undefined;
    if (!client) cache.set(key, (client = make()));
    return client;
  };
  return {
    cfn: (region) => get(`cfn:${region}`, () => new CloudFormationClient(moto.clientConfig(region))),
    ec2: (region) => get(`ec2:${region}`, () => new EC2Client(moto.clientConfig(region))),
    lambda: (region) => get(`lambda:${region}`, () => new LambdaClient(moto.clientConfig(region))),
    get route53() {
      return get("route53", () => new Route53Client(moto.clientConfig("us-east-1")));
    },
    destroy() {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}

/** The stack, or undefined when CloudFormation says it does not exist. */
export async function describeStack(cfn: CloudFormationClient, name: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    return Stacks?.[0];
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}

/**
 * What `read` answers once `done` holds: the launcher keeps AWS's time (a change set is CREATE_PENDING, then
 * CREATE_IN_PROGRESS; a stack stays *_IN_PROGRESS; a peering is provisioning before it is active), so a test
 * waits for the state it asserts on, as the tool does. Throws naming `what` past `limitMs`.
 */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, limitMs = 30_000): Promise<T> {
  const end = performance.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (performance.now() > end) throw new Error(`${what}: still not there after ${limitMs} ms (last seen: ${JSON.stringify(value)?.slice(0, 300)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A change set once CloudFormation has computed it (CREATE_COMPLETE, or FAILED with its reason). */
export function settledChangeSet(cfn: CloudFormationClient, id: string): Promise<DescribeChangeSetCommandOutput> {
  return until(`change set ${id}`, () => cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id })), (c) => c.Status !== "CREATE_PENDING" && c.Status !== "CREATE_IN_PROGRESS");
}

/** The stack once its operation is over; undefined once it is deleted. */
export function settledStack(cfn: CloudFormationClient, name: string): Promise<Stack | undefined> {
  return until(`stack ${name}`, () => describeStack(cfn, name), (s) => !s?.StackStatus?.endsWith("_IN_PROGRESS"));
}

export function outputsOf(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
}

/** Names and states of the stacks in a region that are not DELETE_COMPLETE. */
export async function liveStacks(cfn: CloudFormationClient): Promise<string[]> {
  const { StackSummaries } = await cfn.send(new ListStacksCommand({}));
  return (StackSummaries ?? [])
    .filter((s) => s.StackStatus !== "DELETE_COMPLETE")
    .map((s) => `${s.StackName} ${s.StackStatus}`);
}

export async function nonDefaultVpcs(ec2: EC2Client): Promise<string[]> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
  return (Vpcs ?? []).filter((v) => !v.IsDefault).map((v) => v.VpcId!);
}

/** No stack and no VPC but the default one in any of `regions`. */
export async function expectNothingDeployed(aws: MotoAws, regions: readonly string[]): Promise<void> {
  for (const region of regions) {
    expect(await liveStacks(aws.cfn(region)), `stacks in ${region}`).toEqual([]);
    expect(await nonDefaultVpcs(aws.ec2(region)), `VPCs in ${region}`).toEqual([]);
  }
}

export interface PeerSide {
  readonly vpcId: string;
  readonly region: string;
  readonly cidr: string;
}

/** The peering connection is active as seen from both regions, between these two VPCs. */
export async function expectPeeringActive(
  aws: MotoAws,
  peeringConnectionId: string,
  requester: PeerSide,
  accepter: PeerSide,
): Promise<void> {
  for (const region of new Set([requester.region, accepter.region])) {
    const { VpcPeeringConnections } = await aws.ec2(region).send(
      new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [peeringConnectionId] }),
    );
    const pcx = VpcPeeringConnections?.[0];
    expect(pcx?.Status?.Code, `${peeringConnectionId} seen from ${region}`).toBe("active");
    expect(pcx?.RequesterVpcInfo).toMatchObject({ VpcId: requester.vpcId, Region: requester.region, CidrBlock: requester.cidr });
    expect(pcx?.AccepterVpcInfo).toMatchObject({ VpcId: accepter.vpcId, Region: accepter.region, CidrBlock: accepter.cidr });
  }
}

/** The route tables of a VPC that a subnet is associated with: the ones its traffic really uses. */
export async function subnetRouteTables(ec2: EC2Client, vpcId: string): Promise<RouteTable[]> {
  const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  return RouteTables?.filter((t) => t.Associations?.some((a) => a.SubnetId)) ?? [];
}

/** Every table sends `cidr` through the peering connection. */
export function expectRoutesThroughPeering(tables: readonly RouteTable[], cidr: string, peeringConnectionId: string): void {
  expect(tables.length, "route tables to check").toBeGreaterThan(0);
  for (const table of tables) {
    expect(table.Routes, table.RouteTableId).toContainEqual(
      expect.objectContaining({ DestinationCidrBlock: cidr, VpcPeeringConnectionId: peeringConnectionId }),
    );
  }
}

/** A security group's rules, one `protocol from-to cidr (description)` line per range, inbound and outbound. */
export async function securityGroupRules(ec2: EC2Client, groupId: string): Promise<{ inbound: string[]; outbound: string[] }> {
  const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  const lines = (permissions: readonly IpPermission[] | undefined): string[] =>
    (permissions ?? []).flatMap((p) =>
      (p.IpRanges ?? []).map((r) => `${p.IpProtocol} ${p.FromPort}-${p.ToPort} ${r.CidrIp} (${r.Description ?? ""})`),
    );
  return { inbound: lines(SecurityGroups?.[0]?.IpPermissions), outbound: lines(SecurityGroups?.[0]?.IpPermissionsEgress) };
}

/** The zone is private (no delegation set: a private zone has no name servers), named `hostname`, and associated with exactly this VPC. */
export async function expectPrivateZone(
  route53: Route53Client,
  zoneId: string,
  hostname: string,
  vpc: { readonly vpcId: string; readonly region: string },
): Promise<GetHostedZoneCommandOutput> {
  const zone = await route53.send(new GetHostedZoneCommand({ Id: zoneId }));
  expect(zone.HostedZone?.Config?.PrivateZone).toBe(true);
  expect(zone.DelegationSet).toBeUndefined();
  expect(zone.HostedZone?.Name?.replace(/\.$/, "")).toBe(hostname);
  expect(zone.VPCs).toEqual([{ VPCId: vpc.vpcId, VPCRegion: vpc.region }]);
  return zone;
}

/**
 * A CloudWatch Logs call on moto (JSON protocol, unsigned: moto reads the region from the credential
 * scope). The SDK's Logs client is not a dependency of this project; two calls do not justify one.
 */
export async function cloudWatchLogs(moto: MotoServer, region: string, action: string, body: object): Promise<unknown> {
  const response = await fetch(`${moto.endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `Logs_20140328.${action}`,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${region}/logs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto logs ${action} in ${region} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

/** One request moto's recorder (/moto-api/recorder) kept, its body decoded. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Start moto's recorder, or forget what it has recorded so far. */
export async function motoRecorder(moto: MotoServer, action: "reset-recording" | "start-recording"): Promise<void> {
  await (await fetch(`${moto.endpoint}/moto-api/recorder/${action}`, { method: "POST" })).text();
}

/** The requests moto recorded since the recorder was started or reset, in order. */
export async function recordedRequests(moto: MotoServer): Promise<RecordedRequest[]> {
  const text = await (await fetch(`${moto.endpoint}/moto-api/recorder/download-recording`)).text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const entry = JSON.parse(line) as { method: string; url: string; headers: Record<string, string>; body: string | null; body_encoded: boolean };
      const body = entry.body === null ? "" : entry.body_encoded ? Buffer.from(entry.body, "base64").toString("utf8") : entry.body;
      return { method: entry.method, url: entry.url, headers: entry.headers, body };
    });
}

/**
 * A private copy of the built CLI (package.json, dist/ and templates/: the published package's layout),
 * so a rebuild in the same checkout while a suite runs cannot pull chunks from under a running process.
 */
export function copyOfBuiltCli(): { readonly path: string; remove(): void } {
  const root = resolve(import.meta.dirname, "../..");
  if (!existsSync(join(root, "dist/cli.js"))) throw new Error(`${root}/dist/cli.js does not exist: run \`npm run build\` first`);
  const copy = mkdtempSync(join(tmpdir(), "xregion-cli-"));
  cpSync(join(root, "package.json"), join(copy, "package.json"));
  for (const dir of ["dist", "templates"]) cpSync(join(root, dir), join(copy, dir), { recursive: true });
  return { path: join(copy, "dist/cli.js"), remove: () => rmSync(copy, { recursive: true, force: true }) };
}

/**
 * The built CLI as a CI job runs it against moto (CI=true, no stdin, no colour, only moto's endpoint and test
 * keys), and a run shown with moto's last output for a failed assertion's message.
 */
export function cliOnMoto(moto: () => MotoServer, cliPath: () => string): { run(args: readonly string[], cwd: string): Promise<NodeRun>; shown(r: NodeRun): string } {
  return {
    run: (args, cwd) => runNode([cliPath(), ...args], { cwd, env: ciEnv(moto().env()), timeoutMs: 90_000 }),
    shown: (r) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- moto\n${moto().output().slice(-1500)}`,
  };
}
