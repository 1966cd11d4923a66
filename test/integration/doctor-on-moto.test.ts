// `doctor` as a CI job runs it, against the real templates deployed by the CLI on moto: the intact path
// passes; then one hop at a time is broken with the SDK, as a person would break it by hand, and doctor
// must name that hop, exit 1 and print exactly the fix expected. Where that fix is one command, it is run
// as printed, through the AWS CLI against moto, and doctor must then pass: the fix fixes. (What the break
// and the fix leave is cleaned up before the next.) Last, a path built call by call from other names
// (hand-made-path.ts) is checked by --function/--api-id, intact and then broken.

import { spawn } from "node:child_process";
import { APIGatewayClient, GetRestApiCommand, UpdateRestApiCommand } from "@aws-sdk/client-api-gateway";
import {
  CreateNetworkAclEntryCommand,
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
import { ciEnv, runNode, tempDir } from "../helpers/cli.js";
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
  return runNode([cli.path, ...args], { cwd, env: ciEnv(moto.env()), timeoutMs: 90_000 });
}

/** doctor --json: the hop lines and the result, with the exit code. */
async function doctor(args: readonly string[] = FLAGS): Promise<{ code: number | null; hops: Hop[]; result: Record<string, unknown>; shown: string }> {
  const r = await run(["doctor", ...args, "--json"]);
  const events = r.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  const hops = events.filter((e) => e["type"] === "doctor-hop") as unknown as Hop[];
  const result = events.find((e) => e["type"] === "result") ?? {};
  return { code: r.code, hops, result, shown: `exit ${r.code}\n${r.stdout}\n${r.stderr}\n--- moto\n${moto.output().slice(-1500)}` };
}

/** The printed fix, run as a person would paste it: bash, the AWS CLI, pointed at moto. */
async function runFix(fix: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn("bash", ["-c", fix], { cwd, env: { ...moto.env(), AWS_PAGER: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.once("error", fail);
    child.once("close", (code) => done({ code, stdout, stderr }));
  });
}

interface Break {
  readonly hop: string;
  readonly breakIt: () => Promise<unknown>;
  readonly detail: RegExp;
  /** The fix doctor must print: the exact command, or a pattern where it holds a time stamp. */
  readonly fix: string | RegExp;
  /** Run the printed fix and expect doctor to pass every hop after it. */
  readonly runFix?: boolean;
  /** Put back what the break (and the fix) changed. */
  readonly undo?: () => Promise<unknown>;
}

/**
 * Breaks hops, one break per hop (each round's breaks touch different hops, to spare doctor runs):
 * doctor must name exactly those hops, each with its evidence and exactly its fix. Then the fixes that
 * are one command are run as printed, side by side, and doctor must pass every hop; else the breaks are
 * undone. Either way what the breaks and fixes left is cleaned up before the next round.
 */
async function expectBroken(...breaks: readonly Break[]): Promise<void> {
  try {
    for (const b of breaks) await b.breakIt();
    const d = await doctor();
    expect(d.code, d.shown).toBe(1);
    expect(d.hops.map((h) => h.hop), d.shown).toEqual([...HOPS]);
    expect(d.hops.filter((h) => h.ok === false).map((h) => h.hop), d.shown).toEqual(HOPS.filter((hop) => breaks.some((b) => b.hop === hop)));
    for (const b of breaks) {
      const broken = d.hops.find((h) => h.hop === b.hop)!;
      expect(broken.detail, d.shown).toMatch(b.detail);
      if (typeof b.fix === "string") expect(broken.fix, d.shown).toBe(b.fix);
      else expect(broken.fix, d.shown).toMatch(b.fix);
    }
    expect(d.result, d.shown).toMatchObject({ type: "result", operation: "doctor", ok: false });
    const runnable = breaks.filter((b) => b.runFix);
    if (runnable.length === 0) return;
    const fixes = await Promise.all(runnable.map((b) => runFix(d.hops.find((h) => h.hop === b.hop)!.fix!)));
    for (const [i, fixed] of fixes.entries()) expect(fixed.code, `${runnable[i]!.hop}\n${fixed.stdout}\n${fixed.stderr}`).toBe(0);
    const after = await doctor();
    expect(after.hops.filter((h) => h.ok !== true).map((h) => h.hop), after.shown).toEqual([]);
    expect(after.code, after.shown).toBe(0);
  } finally {
    for (const b of breaks) await b.undo?.();
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

  it("names each broken hop with its exact fix, and the fix run as printed mends it", async () => {
    const ec2A = aws.ec2(A);
    const ec2B = aws.ec2(B);
    const pcx = deployed.client["PeeringConnectionId"]!;
    const clientTable = (await ec2B.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.vpc-peering-connection-id", Values: [pcx] }] }))).RouteTables![0]!.RouteTableId!;
    const apiTable = deployed.api["RouteTableIds"]!;
    const fn = await aws.lambda(B).send(new GetFunctionConfigurationCommand({ FunctionName: deployed.client["FunctionName"] }));
    const fnSg = fn.VpcConfig!.SecurityGroupIds![0]!;
    const clientVpc = deployed.client["VpcId"]!;
    const aclOf = async (ec2: typeof ec2A, vpcId: string) => (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).NetworkAcls![0]!.NetworkAclId!;
    const clientAcl = await aclOf(ec2B, clientVpc);
    const endpointAcl = await aclOf(ec2A, deployed.api["VpcId"]!);
    const endpoint = (await ec2A.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [deployed.api["EndpointId"]!] }))).VpcEndpoints![0]!;
    const endpointSg = endpoint.Groups![0]!.GroupId!;
    const zone = deployed.client["HostedZoneId"]!;
    const apiId = deployed.api["ApiId"]!;
    const https = (cidr: string) => [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] }];

    // Routes, security groups: the fix puts back what the break took.
    const clientRoute: Break = {
      hop: "client-route",
      breakIt: () => ec2B.send(new DeleteRouteCommand({ RouteTableId: clientTable, DestinationCidrBlock: "10.10.0.0/16" })),
      detail: /has no route/,
      fix: `aws ec2 create-route --route-table-id ${clientTable} --destination-cidr-block 10.10.0.0/16 --vpc-peering-connection-id ${pcx} --region ${B}`,
      runFix: true,
    };
    const returnRoute: Break = {
      hop: "return-route",
      breakIt: () => ec2A.send(new DeleteRouteCommand({ RouteTableId: apiTable, DestinationCidrBlock: "10.20.0.0/16" })),
      detail: new RegExp(`${apiTable} .*has no route`),
      fix: `aws ec2 create-route --route-table-id ${apiTable} --destination-cidr-block 10.20.0.0/16 --vpc-peering-connection-id ${pcx} --region ${A}`,
      runFix: true,
    };
    const endpointGroup: Break = {
      hop: "endpoint-ingress",
      breakIt: () => ec2A.send(new RevokeSecurityGroupIngressCommand({ GroupId: endpointSg, IpPermissions: https("10.20.0.0/16") })),
      detail: /no ingress rule admits TCP 443/,
      fix: `aws ec2 authorize-security-group-ingress --group-id ${endpointSg} --protocol tcp --port 443 --cidr 10.20.0.0/16 --region ${A}`,
      runFix: true,
    };
    const clientGroup: Break = {
      hop: "client-egress",
      breakIt: () => ec2B.send(new RevokeSecurityGroupEgressCommand({ GroupId: fnSg, IpPermissions: https("10.10.0.0/16") })),
      detail: /no egress rule admits TCP 443/,
      fix: `aws ec2 authorize-security-group-egress --group-id ${fnSg} --protocol tcp --port 443 --cidr 10.10.0.0/16 --region ${B}`,
      runFix: true,
    };

    // The network ACLs at both ends, each direction: a deny entry; the fix, an allow entry just before it.
    const aclBreak = (hop: string, ec2: typeof ec2A, region: string, acl: string, rule: number, egress: boolean, ports: readonly [number, number], cidr: string, detail: RegExp): Break => ({
      hop,
      breakIt: () => ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: rule, Protocol: "6", PortRange: { From: ports[0], To: ports[1] }, CidrBlock: cidr, RuleAction: "deny", Egress: egress })),
      detail,
      fix: `aws ec2 create-network-acl-entry --network-acl-id ${acl} --rule-number ${rule - 1} --protocol tcp --port-range From=${ports[0]},To=${ports[1]} --cidr-block ${cidr} --rule-action allow --${egress ? "egress" : "ingress"} --region ${region}`,
      runFix: true,
      undo: async () => {
        for (const number of [rule, rule - 1]) await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: number, Egress: egress }));
      },
    });
    const clientAclOut = aclBreak("client-egress", ec2B, B, clientAcl, 50, true, [443, 443], "10.10.0.0/16", /outbound tcp 443 .* denied by rule 50/);
    const clientAclIn = aclBreak("client-egress", ec2B, B, clientAcl, 60, false, [1024, 65535], "10.10.0.0/16", /inbound tcp 1024-65535 .* denied by rule 60 .*the answers/);
    const endpointAclIn = aclBreak("endpoint-ingress", ec2A, A, endpointAcl, 40, false, [443, 443], "10.20.0.0/16",
      new RegExp(`${endpointAcl} \\(.*\\): inbound tcp 443 from 10\\.20\\.0\\.0-10\\.20\\.1\\.255 is denied by rule 40`));
    const endpointAclOut = aclBreak("endpoint-ingress", ec2A, A, endpointAcl, 70, true, [1024, 65535], "10.20.0.0/16",
      new RegExp(`${endpointAcl} \\(.*\\): outbound tcp 1024-65535 to 10\\.20\\.0\\.0-10\\.20\\.1\\.255 is denied by rule 70 .*the answers`));

    const records = (await aws.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }))).ResourceRecordSets!;
    const alias = records.find((r) => r.Type === "A")!;
    const upsert = (set: ResourceRecordSet) => aws.route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: set }] } }));
    const host = `${apiId}.execute-api.${A}.amazonaws.com`;
    const target = endpoint.DnsEntries![0]!;
    const pointAtEndpoint = (zoneId: string) =>
      `aws route53 change-resource-record-sets --hosted-zone-id ${zoneId} --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"${host}","Type":"A","AliasTarget":{"HostedZoneId":"${target.HostedZoneId}","DNSName":"${target.DnsName}","EvaluateTargetHealth":false}}}]}' --region ${B}`;
    const dnsElsewhere: Break = {
      hop: "dns",
      breakIt: () => upsert({ ...alias, AliasTarget: { ...alias.AliasTarget!, DNSName: "vpce-0123456789abcdef0-abcdefgh.execute-api.us-east-1.vpce.amazonaws.com" } }),
      detail: /not a DNS name of vpce-/,
      fix: pointAtEndpoint(zone),
      runFix: true,
      undo: () => upsert(alias),
    };

    const original = (await gateway.send(new GetRestApiCommand({ restApiId: apiId }))).policy!;
    const statement = (effect: string, condition?: object) => ({ Effect: effect, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", ...(condition && { Condition: condition }) });
    const denyOurs = JSON.stringify({ Version: "2012-10-17", Statement: [
      { Sid: "NotThroughThatEndpoint", ...statement("Deny", { StringEquals: { "aws:SourceVpce": deployed.api["EndpointId"] } }) },
      statement("Allow"),
    ] });
    const allowThroughOurs = JSON.stringify({ Version: "2012-10-17", Statement: [statement("Deny", { StringNotEquals: { "aws:SourceVpce": deployed.api["EndpointId"] } }), statement("Allow")] });
    const setPolicy = (value: string) => gateway.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: "replace", path: "/policy", value }] }));
    const policyDenies: Break = {
      hop: "api-policy",
      breakIt: () => setPolicy(denyOurs),
      detail: /explicitly denied by Deny statement "NotThroughThatEndpoint"/,
      fix: `aws apigateway update-rest-api --rest-api-id ${apiId} --patch-operations '${JSON.stringify([{ op: "replace", path: "/policy", value: allowThroughOurs }])}' --region ${A} && ` +
        `aws apigateway create-deployment --rest-api-id ${apiId} --stage-name v1 --region ${A}`,
      runFix: true,
      undo: () => setPolicy(original),
    };

    // The client's call is unsigned: a policy allowing only the account's principals refuses it.
    const account = deployed.client["FunctionArn"]!.split(":")[4];
    const policyNamesAccount: Break = {
      ...policyDenies,
      breakIt: () => setPolicy(JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "OurAccountOnly", ...statement("Allow"), Principal: { AWS: `arn:aws:iam::${account}:root` } }] })),
      detail: new RegExp(`unsigned \\(the anonymous caller\\), is no statement allows it \\(implicit deny\\): Allow statement "OurAccountOnly" names the principal`),
    };

    await expectBroken(clientRoute, returnRoute, endpointAclIn, clientAclOut, policyDenies);
    await expectBroken(endpointAclOut, clientAclIn, dnsElsewhere);
    await expectBroken(endpointGroup, clientGroup, policyNamesAccount);

    // Route 53 refuses to take a private zone's last VPC: another VPC holds the zone meanwhile. The fix
    // (a new zone, then its record) is two commands, the second needing the first's answer: not run.
    const spare = (await ec2B.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }))).Vpc!.VpcId!;
    const vpc = (id: string) => ({ VPCId: id, VPCRegion: B as VPCRegion });
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    await expectBroken({
      hop: "dns",
      breakIt: async () => {
        await aws.route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(spare) }));
        await aws.route53.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(clientVpc) }));
      },
      detail: /no private hosted zone associated with/,
      fix: new RegExp(`^${escape(`aws route53 create-hosted-zone --name ${host} --vpc VPCRegion=${B},VPCId=${clientVpc} --caller-reference doctor-$(date +%s) --region ${B}, then add the record: ${pointAtEndpoint("<new zone id>")}`)}$`),
      undo: async () => {
        await aws.route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(clientVpc) }));
        await aws.route53.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: zone, VPC: vpc(spare) }));
      },
    });

    // Last: a deleted peering connection cannot be undone (a new one has a new id); its fix names the
    // connection only the first command makes, so it is not run.
    await expectBroken({
      hop: "peering",
      breakIt: () => ec2B.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx })),
      detail: new RegExp(`${pcx}: deleted`),
      fix:
        `aws ec2 create-vpc-peering-connection --vpc-id ${clientVpc} --peer-vpc-id ${deployed.api["VpcId"]} --peer-region ${A} --region ${B}, ` +
        `then aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id <pcx> --region ${A}; then point both sides' routes at the new connection`,
    });
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
