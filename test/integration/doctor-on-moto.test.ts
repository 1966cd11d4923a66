// `doctor` as a CI job runs it, against the real templates deployed by the CLI on moto: the intact path
// passes; then one hop at a time is broken with the SDK, as a person would break it by hand, and doctor
// must name that hop and exit 1 (each break is undone before the next). Last, a path built call by call
// from other names (hand-made-path.ts) is checked by --function/--api-id, intact and then broken.

import { spawn } from "node:child_process";
import { APIGatewayClient, GetRestApiCommand, UpdateRestApiCommand } from "@aws-sdk/client-api-gateway";
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateVpcCommand,
  DeleteNetworkAclEntryCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  DisassociateVPCFromHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type VPCRegion,
} from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOPS } from "../../src/steps/doctor/doctor.js";
import { buildHandMadePath } from "./hand-made-path.js";
import { tempDir } from "../helpers/cli.js";
import { describeStack, outputsOf, type MotoAws } from "./moto-assertions.js";
import type { MotoServer } from "./moto-server.js";
import { motoSuite, type MotoSuite } from "./moto-suite.js";

const A = "us-east-1";
const B = "eu-west-1";
const FLAGS = ["--name", "dr", "--api-region", A, "--client-region", B] as const;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}
type Hop = { type: string; kind: string; hop: string; ok: boolean | null; detail: string; fix: string | null };

const suite = motoSuite([A, B]);
let moto: MotoServer;
let aws: MotoAws;
let gateway: APIGatewayClient;
let cli: MotoSuite["cli"];
let cwd: string;
let deployed: { api: Record<string, string>; client: Record<string, string> };

function run(args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const env = { ...moto.env(), CI: "true", NO_COLOR: "1" };
    const child = spawn(process.execPath, [cli.path, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.once("error", fail);
    child.once("close", (code) => done({ code, stdout, stderr }));
  });
}

/** doctor --json: the hop lines and the result, with the exit code. */
async function doctor(args: readonly string[] = FLAGS): Promise<{ code: number | null; hops: Hop[]; result: Record<string, unknown>; shown: string }> {
  const r = await run(["doctor", ...args, "--json"]);
  const events = r.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  const hops = events.filter((e) => e["type"] === "doctor-hop") as unknown as Hop[];
  const result = events.find((e) => e["type"] === "result") ?? {};
  return { code: r.code, hops, result, shown: `exit ${r.code}\n${r.stdout}\n${r.stderr}\n--- moto\n${moto.output().slice(-1500)}` };
}

/** Breaks one hop, runs doctor, checks it names exactly that hop as broken, then undoes the break. */
async function expectBroken(hop: string, breakIt: () => Promise<unknown>, undo: () => Promise<unknown>, detail: RegExp): Promise<void> {
  await breakIt();
  try {
    const d = await doctor();
    expect(d.code, d.shown).toBe(1);
    expect(d.hops.map((h) => h.hop), d.shown).toEqual([...HOPS]);
    expect(d.hops.filter((h) => h.ok === false).map((h) => h.hop), d.shown).toEqual([hop]);
    const broken = d.hops.find((h) => h.hop === hop)!;
    expect(broken.detail, d.shown).toMatch(detail);
    expect(broken.fix, d.shown).toBeTruthy();
    expect(d.result, d.shown).toMatchObject({ type: "result", operation: "doctor", ok: false });
  } finally {
    await undo();
  }
}

beforeAll(async () => {
  ({ cli, moto, aws } = suite);
  cwd = tempDir("xregion-doctor-");
  gateway = new APIGatewayClient(moto.clientConfig(A));
  const deploy = await run(["deploy", ...FLAGS, "--yes", "--samples", "1"]);
  // The function never runs in moto, so verification fails; the stacks are what doctor reads.
  expect(deploy.stdout, `${deploy.stdout}\n${deploy.stderr}`).toMatch(/created dr-routes/);
  deployed = { api: outputsOf(await describeStack(aws.cfn(A), "dr-api")), client: outputsOf(await describeStack(aws.cfn(B), "dr-client")) };
});

afterAll(() => gateway?.destroy());

describe("doctor on our deployment", () => {
  it("passes every hop, in path order, with the evidence, and exits 0", async () => {
    const d = await doctor();
    expect(d.code, d.shown).toBe(0);
    expect(d.hops.map((h) => [h.type, h.kind, h.hop, h.ok]), d.shown).toEqual(HOPS.map((hop) => ["doctor-hop", "doctor-hop", hop, true]));
    const byHop = Object.fromEntries(d.hops.map((h) => [h.hop, h.detail]));
    expect(byHop["client-route"]).toContain(`10.10.0.0/16 → ${deployed.client["PeeringConnectionId"]} (active)`);
    expect(byHop["dns"]).toContain(deployed.api["EndpointDnsName"]);
    expect(byHop["api-policy"]).toContain(`GET /hello on v1 through ${deployed.api["EndpointId"]}`);
    expect(d.result).toMatchObject({ type: "result", ok: true });
  });

  it("names each broken hop, one at a time, and exits 1", async () => {
    const ec2A = aws.ec2(A);
    const ec2B = aws.ec2(B);
    const pcx = deployed.client["PeeringConnectionId"]!;
    const clientTable = (await ec2B.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.vpc-peering-connection-id", Values: [pcx] }] }))).RouteTables![0]!.RouteTableId!;
    const apiTable = deployed.api["RouteTableIds"]!;
    const fn = await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: deployed.client["FunctionName"] }));
    const fnSg = fn.VpcConfig!.SecurityGroupIds![0]!;
    const clientVpc = deployed.client["VpcId"]!;
    const acl = (await ec2B.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [clientVpc] }] }))).NetworkAcls![0]!.NetworkAclId!;
    const endpointSg = (await ec2A.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [deployed.api["EndpointId"]!] }))).VpcEndpoints![0]!.Groups![0]!.GroupId!;
    const zone = deployed.client["HostedZoneId"]!;
    const https = (cidr: string) => [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] }];

    await expectBroken("client-route",
      () => ec2B.send(new DeleteRouteCommand({ RouteTableId: clientTable, DestinationCidrBlock: "10.10.0.0/16" })),
      () => ec2B.send(new CreateRouteCommand({ RouteTableId: clientTable, DestinationCidrBlock: "10.10.0.0/16", VpcPeeringConnectionId: pcx })),
      /has no route/);
    await expectBroken("return-route",
      () => ec2A.send(new DeleteRouteCommand({ RouteTableId: apiTable, DestinationCidrBlock: "10.20.0.0/16" })),
      () => ec2A.send(new CreateRouteCommand({ RouteTableId: apiTable, DestinationCidrBlock: "10.20.0.0/16", VpcPeeringConnectionId: pcx })),
      new RegExp(`${apiTable} .*has no route`));
    await expectBroken("endpoint-ingress",
      () => ec2A.send(new RevokeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: https("10.20.0.0/16") })),
      () => ec2A.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: https("10.20.0.0/16") })),
      /no ingress rule admits TCP 443/);
    await expectBroken("client-egress",
      () => ec2B.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 50, Protocol: "6", PortRange: { From: 443, To: 443 }, CidrBlock: "10.10.0.0/16", RuleAction: "deny", Egress: true })),
      () => ec2B.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 50, Egress: true })),
      /outbound tcp 443 .* denied by rule 50/);
    await expectBroken("client-egress",
      () => ec2B.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 60, Protocol: "6", PortRange: { From: 1024, To: 65535 }, CidrBlock: "10.10.0.0/16", RuleAction: "deny", Egress: false })),
      () => ec2B.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 60, Egress: false })),
      /inbound tcp 1024-65535 .* denied by rule 60 .*the answers/);
    await expectBroken("client-egress",
      () => ec2B.send(new RevokeSecurityGroupEgressCommand({ GroupId: fnSg, IpPermissions: https("10.10.0.0/16") })),
      () => ec2B.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: fnSg, IpPermissions: https("10.10.0.0/16") })),
      /no egress rule admits TCP 443/);

    const records = (await aws.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }))).ResourceRecordSets!;
    const alias = records.find((r) => r.Type === "A")!;
    const upsert = (set: ResourceRecordSet) => aws.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: set }] } }));
    await expectBroken("dns",
      () => upsert({ ...alias, AliasTarget: { ...alias.AliasTarget!, DNSName: "vpce-0123456789abcdef0-abcdefgh.execute-api.us-east-1.vpce.amazonaws.com" } }),
      () => upsert(alias),
      /not a DNS name of vpce-/);
    // Route 53 refuses to take a private zone's last VPC: another VPC holds the zone meanwhile.
    const spare = (await ec2B.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }))).Vpc!.VpcId!;
    const vpc = (id: string) => ({ VPCId: id, VPCRegion: B as VPCRegion });
    await expectBroken("dns",
      async () => {
        await aws.route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(spare) }));
        await aws.route53.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(clientVpc) }));
      },
      async () => {
        await aws.route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(clientVpc) }));
        await aws.route53.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(spare) }));
      },
      /no private hosted zone associated with/);

    const apiId = deployed.api["ApiId"]!;
    const original = (await gateway.send(new GetRestApiCommand({ restApiId: apiId }))).policy!;
    const denyOurs = JSON.stringify({ Version: "2012-10-17", Statement: [
      { Sid: "NotThroughThatEndpoint", Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": deployed.api["EndpointId"] } } },
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
    ] });
    const setPolicy = (value: string) => gateway.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: "replace", path: "/policy", value }] }));
    await expectBroken("api-policy", () => setPolicy(denyOurs), () => setPolicy(original), /explicitly denied by Deny statement "NotThroughThatEndpoint"/);

    // Last: a deleted peering connection cannot be undone (a new one has a new id).
    await expectBroken("peering", () => ec2B.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx })), async () => {}, new RegExp(`${pcx}: deleted`));
  });
});

describe("doctor on a path built by hand", () => {
  it("finds the function's VPC, the endpoint and the peering itself, passes, then names a broken hop", async () => {
    await moto.reset();
    const path = await buildHandMadePath(moto, aws, A, B);
    const args = ["--function", path.functionName, "--client-region", B, "--api-id", path.apiId, "--api-region", A];
    const intact = await doctor(args);
    expect(intact.code, intact.shown).toBe(0);
    expect(intact.hops.map((h) => h.ok), intact.shown).toEqual(HOPS.map(() => true));
    const byHop = Object.fromEntries(intact.hops.map((h) => [h.hop, h.detail]));
    expect(byHop["client-route"]).toMatch(/main table of/);
    expect(byHop["dns"]).toMatch(new RegExp(`zone .*\\(execute-api\\.${A}\\.amazonaws\\.com\\): .* CNAME → vpce-`));
    expect(byHop["endpoint"]).toMatch(/named by the DNS record/);
    expect(byHop["api-stage"]).toMatch(/prod: deployment .*; methods GET \/orders/);

    await aws.ec2(A).send(new DeleteRouteCommand({ RouteTableId: path.apiMainRouteTableId, DestinationCidrBlock: "10.60.0.0/16" }));
    const broken = await doctor(args);
    expect(broken.code, broken.shown).toBe(1);
    expect(broken.hops.filter((h) => h.ok === false).map((h) => h.hop), broken.shown).toEqual(["return-route"]);
    expect(broken.hops.find((h) => h.hop === "return-route")!.fix).toMatch(/^aws ec2 create-route --route-table-id .* --destination-cidr-block 10\.60\.0\.0\/16 --vpc-peering-connection-id pcx-/);
  });
});
