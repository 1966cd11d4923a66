// What connect's stacks meet on AWS, modelled by the launcher (moto/patches/connect.py), each proved on a small
// template under moto/strict/ deployed through a change set as the tool deploys: rules as resources of their
// own (their id, exactly them revoked on delete), a list item that resolves to AWS::NoValue dropped
// (patches/intrinsics.py), one peering per pair of VPCs, one private zone of a name per VPC and no zone on a VPC
// that does not exist. Each test fails without its patch, except the duplicate rule's,
// which keeps moto's own refusal in force under the patch's new create.
import { readFileSync } from "node:fs";
import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  ExecuteChangeSetCommand,
  type Stack,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeSecurityGroupRulesCommand,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { AssociateVPCWithHostedZoneCommand, CreateHostedZoneCommand, type VPCRegion } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { motoAws, outputsOf, settledChangeSet, settledStack, type MotoAws } from "./moto-assertions.js";
import { startMotoServer, type MotoServer } from "./moto-server.js";

const REGION = "eu-west-1";
const OTHER = "us-east-1";
let moto: MotoServer;
let aws: MotoAws;

beforeAll(async () => {
  moto = await startMotoServer();
  aws = motoAws(moto);
});
afterAll(async () => {
  aws?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const template = (file: string): string => readFileSync(new URL(`./moto/strict/${file}`, import.meta.url), "utf8");

async function deploy(name: string, body: string, parameters: Record<string, string>): Promise<{ stack: Stack | undefined; failed: StackEvent[] }> {
  const cfn = aws.cfn(REGION);
  const { Id } = await cfn.send(new CreateChangeSetCommand({
    StackName: name, ChangeSetName: `emulator-${Date.now()}`, ChangeSetType: "CREATE", TemplateBody: body,
    Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
  }));
  expect((await settledChangeSet(cfn, Id!)).Status).toBe("CREATE_COMPLETE");
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
  const stack = await settledStack(cfn, name);
  const events = [...((await cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents ?? [])].reverse();
  return { stack, failed: events.filter((e) => e.ResourceStatus?.endsWith("_FAILED")) };
}

async function vpc(region: string, cidr: string): Promise<string> {
  return (await aws.ec2(region).send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
}

const shown = (r: SecurityGroupRule) => `${r.IsEgress ? "out" : "in"} ${r.IpProtocol} ${r.FromPort ?? ""}-${r.ToPort ?? ""} ${r.CidrIpv4 ?? ""} ${r.SecurityGroupRuleId}`;

describe("security-group rules as resources of their own", () => {
  it("each has the rule's id as its physical id, Ref and GetAtt Id; deleting the stack revokes exactly those two", async () => {
    const ec2 = aws.ec2(REGION);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "theirs", Description: "a group of the user", VpcId: await vpc(REGION, "10.70.0.0/16") }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.70.0.0/16" }] }] }));
    const rules = async () => (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }] }))).SecurityGroupRules!.map(shown).sort();
    const before = await rules();

    const { stack, failed } = await deploy("rules", template("connect-rules.yaml"), { GroupId: groupId, Cidr: "10.80.0.0/24" });
    expect(failed).toEqual([]);
    const resources = (await aws.cfn(REGION).send(new DescribeStackResourcesCommand({ StackName: "rules" }))).StackResources!;
    const ids = Object.fromEntries(resources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
    expect(ids["Ingress"]).toMatch(/^sgr-[0-9a-f]{17}$/);
    expect(ids["Egress"]).toMatch(/^sgr-[0-9a-f]{17}$/);
    expect(outputsOf(stack)).toEqual({ IngressId: ids["Ingress"], EgressId: ids["Egress"] });
    const during = await rules();
    expect(during.filter((r) => !before.includes(r))).toEqual([`in tcp 443-443 10.80.0.0/24 ${ids["Ingress"]}`, `out tcp 443-443 10.80.0.0/24 ${ids["Egress"]}`].sort());

    await aws.cfn(REGION).send(new DeleteStackCommand({ StackName: "rules" }));
    expect(await settledStack(aws.cfn(REGION), "rules")).toBeUndefined();
    expect(await rules()).toEqual(before);
  });

  it("a rule the group already has fails the resource (InvalidPermission.Duplicate) and the stack rolls back", async () => {
    const ec2 = aws.ec2(REGION);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "theirs", Description: "a group of the user", VpcId: await vpc(REGION, "10.71.0.0/16") }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.81.0.0/24" }] }] }));
    const { stack, failed } = await deploy("dup", template("connect-rules.yaml"), { GroupId: groupId, Cidr: "10.81.0.0/24" });
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(failed.map((e) => [e.LogicalResourceId, e.ResourceStatus])).toEqual([["Ingress", "CREATE_FAILED"]]);
    expect(failed[0]!.ResourceStatusReason).toMatch(/InvalidPermission\.Duplicate/);
  });
});

describe("a list item that resolves to AWS::NoValue (as connect-client.yaml's probe group has)", () => {
  it("is dropped from the list, not kept as null", async () => {
    const vpcId = await vpc(REGION, "10.85.0.0/16");
    const rulesOf = async (groupId: string) => (await aws.ec2(REGION).send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }] }))).SecurityGroupRules!.filter((r) => r.IsEgress).map((r) => r.CidrIpv4).sort();
    const one = await deploy("one", template("novalue-list-item.yaml"), { VpcId: vpcId });
    expect(one.failed).toEqual([]);
    expect(await rulesOf(outputsOf(one.stack).GroupId!)).toEqual(["10.85.0.0/24"]);
    const two = await deploy("two", template("novalue-list-item.yaml"), { VpcId: vpcId, Second: "10.85.1.0/24" });
    expect(await rulesOf(outputsOf(two.stack).GroupId!)).toEqual(["10.85.0.0/24", "10.85.1.0/24"]);
  });
});

describe("one peering connection per pair of VPCs", () => {
  it("a second request between the same two VPCs, either way, is refused while the first is live; after it is deleted, allowed", async () => {
    const [a, b] = [await vpc(REGION, "10.72.0.0/16"), await vpc(OTHER, "10.73.0.0/16")];
    const first = (await aws.ec2(REGION).send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, PeerRegion: OTHER }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    const again = aws.ec2(REGION).send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, PeerRegion: OTHER }));
    await expect(again).rejects.toMatchObject({ name: "VpcPeeringConnectionAlreadyExists" });
    await aws.ec2(OTHER).send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: first }));
    await expect(aws.ec2(OTHER).send(new CreateVpcPeeringConnectionCommand({ VpcId: b, PeerVpcId: a, PeerRegion: REGION }))).rejects.toMatchObject({ name: "VpcPeeringConnectionAlreadyExists" });
    await aws.ec2(REGION).send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: first }));
    const next = await aws.ec2(REGION).send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b, PeerRegion: OTHER }));
    expect(next.VpcPeeringConnection!.VpcPeeringConnectionId).not.toBe(first);
  });

  it("through CloudFormation: the peering resource fails and the stack rolls back", async () => {
    const [a, b] = [await vpc(REGION, "10.74.0.0/16"), await vpc(REGION, "10.75.0.0/16")];
    await aws.ec2(REGION).send(new CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }));
    const { stack, failed } = await deploy("pcx", template("connect-peering.yaml"), { VpcId: a, PeerVpcId: b });
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(failed.map((e) => [e.LogicalResourceId, e.ResourceStatus])).toEqual([["Peering", "CREATE_FAILED"]]);
    expect(failed[0]!.ResourceStatusReason).toMatch(/VpcPeeringConnectionAlreadyExists/);
  });
});

describe("one private zone of a name per VPC, on VPCs that exist", () => {
  const vpcRef = (id: string) => ({ VPCId: id, VPCRegion: REGION as VPCRegion });
  const zone = (name: string, id: string, ref: string) => aws.route53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: ref, VPC: vpcRef(id), HostedZoneConfig: { PrivateZone: true } }));

  it("a second zone of the same name on the same VPC is refused, created or associated (ConflictingDomainExists)", async () => {
    const [a, b] = [await vpc(REGION, "10.76.0.0/16"), await vpc(REGION, "10.77.0.0/16")];
    await zone("api.example.internal", a, "one");
    await expect(zone("api.example.internal.", a, "two")).rejects.toMatchObject({ name: "ConflictingDomainExists" });
    const other = (await zone("api.example.internal", b, "three")).HostedZone!.Id!;
    await expect(aws.route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: other, VPC: vpcRef(a) }))).rejects.toMatchObject({ name: "ConflictingDomainExists" });
    // Another name on the same VPC is no conflict.
    await expect(zone("other.example.internal", a, "four")).resolves.toBeDefined();
  });

  it("a VPC that does not exist is refused (InvalidVPCId), created or associated", async () => {
    await expect(zone("api.example.internal", "vpc-0123456789abcdef0", "five")).rejects.toMatchObject({ name: "InvalidVPCId" });
    const real = (await zone("api.example.internal", await vpc(REGION, "10.78.0.0/16"), "six")).HostedZone!.Id!;
    await expect(aws.route53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: real, VPC: vpcRef("vpc-0123456789abcdef0") }))).rejects.toMatchObject({ name: "InvalidVPCId" });
  });

  it("through CloudFormation: the zone resource fails and the stack rolls back", async () => {
    const a = await vpc(REGION, "10.79.0.0/16");
    await zone("api.example.internal", a, "seven");
    const { stack, failed } = await deploy("zone", template("connect-zone.yaml"), { Name: "api.example.internal", VpcId: a });
    expect(stack?.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(failed.map((e) => [e.LogicalResourceId, e.ResourceStatus])).toEqual([["Zone", "CREATE_FAILED"]]);
    expect(failed[0]!.ResourceStatusReason).toMatch(/ConflictingDomainExists/);
  });
});
