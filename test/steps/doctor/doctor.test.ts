import { DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { doctor, HOPS } from "../../../src/steps/doctor/doctor.js";
import { recorder, testClients } from "../../helpers/aws-fixtures.js";
import { A, acl, API_ID, B, intact, mocks, PCX, script, VPCE } from "../../helpers/path-fixtures.js";
import { systemClock } from "../../../src/aws/clock.js";

const query = { clientRegion: B, apiRegion: A, functionName: "demo-client", apiId: API_ID, stage: "v1" };
let clients: AwsClients;

beforeEach(() => {
  clients?.destroy();
  clients = testClients();
});
afterAll(() => clients?.destroy());

async function run(answers = intact()) {
  script(answers);
  const { events, emit } = recorder();
  const report = await doctor({ clients, emit, clock: systemClock }, query);
  const byHop = Object.fromEntries(report.hops.map((h) => [h.hop, h]));
  return { report, events, byHop };
}

describe("doctor", () => {
  it("passes an intact path, one doctor-hop event per hop in path order", async () => {
    const { report, events, byHop } = await run();
    expect(report.ok).toBe(true);
    expect(events.map((e) => (e.kind === "doctor-hop" ? e.hop : e.kind))).toEqual([...HOPS]);
    expect(byHop["client-route"]!.detail).toBe(`rtb-0client (subnet-0b1, subnet-0b2): 10.10.0.0/16 → ${PCX} (active)`);
    expect(byHop["return-route"]!.detail).toBe(`rtb-0api (main table of subnet-0a1, subnet-0a2): 10.20.0.0/16 → ${PCX} (active)`);
    expect(byHop["api-policy"]!.detail).toContain(`GET /hello on v1 through ${VPCE}: allowed by Allow statement "AllowInvoke"`);
  });

  it("reads each resource kind once per region, with filters, never once per item", async () => {
    await run();
    const calls = (command: object) => mocks.ec2.commandCalls(command as never).length;
    expect(calls(DescribeRouteTablesCommand)).toBe(2);
    expect(calls(DescribeNetworkAclsCommand)).toBe(2);
    expect(calls(DescribeSecurityGroupsCommand)).toBe(2);
    const filters = mocks.ec2.commandCalls(DescribeRouteTablesCommand).map((c) => c.args[0].input.Filters);
    expect(filters).toEqual(expect.arrayContaining([[{ Name: "vpc-id", Values: ["vpc-0a"] }], [{ Name: "vpc-id", Values: ["vpc-0b"] }]]));
  });

  it("a blackhole route wins by its longer prefix: client-route fails, every other hop is still judged", async () => {
    const answers = intact();
    answers.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "10.10.0.0/24", VpcPeeringConnectionId: "pcx-0old", State: "blackhole" });
    const { report, byHop } = await run(answers);
    expect(report.hops.filter((h) => h.ok !== true).map((h) => h.hop)).toEqual(["client-route"]);
    expect(byHop["client-route"]).toMatchObject({ ok: false, detail: expect.stringContaining("10.10.0.0/24 → pcx-0old (blackhole") });
    expect(byHop["client-route"]!.fix).toBe(`aws ec2 replace-route --route-table-id rtb-0client --destination-cidr-block 10.10.0.0/24 --vpc-peering-connection-id ${PCX} --region ${B}`);
  });

  it("a subnet without its own table uses the main one, which has no route", async () => {
    const answers = intact();
    answers.clientTables[1]!.Associations = [{ Main: false, SubnetId: "subnet-0b1" }];
    const { byHop } = await run(answers);
    expect(byHop["client-route"]).toMatchObject({ ok: false, detail: expect.stringContaining("rtb-0main (main table of subnet-0b2)") });
  });

  it("a peering still waiting for its accepter names the accept command", async () => {
    const answers = intact();
    answers.peeringStatus = "pending-acceptance";
    const { byHop } = await run(answers);
    expect(byHop["peering"]).toMatchObject({ ok: false, fix: `aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id ${PCX} --region ${A}` });
  });

  it("the answers' way back: an inbound NACL rule that leaves ephemeral ports out fails client-egress", async () => {
    const answers = intact();
    answers.clientAcls = [acl("acl-0b", "vpc-0b", ["subnet-0b1", "subnet-0b2"], [{ CidrBlock: "10.10.0.0/16", Egress: false, Protocol: "6", PortRange: { From: 1024, To: 32767 }, RuleAction: "deny", RuleNumber: 90 }])];
    const { byHop } = await run(answers);
    expect(byHop["client-egress"]).toMatchObject({ ok: false, detail: expect.stringMatching(/inbound tcp 1024-32767 from 10\.10\.0\.37, 10\.10\.1\.142 is denied by rule 90/) });
  });

  it("a private API without a resource policy fails api-policy", async () => {
    const answers = intact();
    answers.policy = undefined;
    const { byHop } = await run(answers);
    expect(byHop["api-policy"]).toMatchObject({ ok: false, detail: expect.stringContaining("has no resource policy") });
  });

  it("a function that does not exist fails its hop; what hangs on it cannot be checked; the API side still is", async () => {
    const answers = intact();
    answers.functionMissing = true;
    const { report, byHop } = await run(answers);
    expect(byHop["function"]).toMatchObject({ ok: false, detail: expect.stringContaining("ResourceNotFoundException") });
    expect(["dns", "client-egress", "client-route", "peering", "return-route", "endpoint-ingress"].map((h) => byHop[h]!.ok)).toEqual([null, null, null, null, null, null]);
    expect(["endpoint", "api-policy", "api-stage"].map((h) => byHop[h]!.ok)).toEqual([true, true, true]);
    expect(report.ok).toBe(false);
  });
});
