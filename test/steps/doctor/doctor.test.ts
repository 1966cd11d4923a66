import { GetResourcesCommand } from "@aws-sdk/client-api-gateway";
import { DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import { doctor, doctorEach, type DoctorContext, HOPS } from "../../../src/steps/doctor/doctor.js";
import type { PathQuery } from "../../../src/aws/path-snapshot.js";
import { recorder, testClients } from "../../helpers/aws-fixtures.js";
import { A, acl, API_ID, apiPolicy, B, intact, mocks, PCX, script, templatePolicy, VPCE } from "../../helpers/path-fixtures.js";
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
    expect(byHop["api-policy"]!.detail).toBe(
      `${API_ID} (PRIVATE), its resource policy as set: GET /hello on v1 through ${VPCE}, unsigned (the anonymous caller): allowed by Allow statement "AllowInvoke"; ` +
        `callers get it once a deployment carries it: if calls still get 403, redeploy: aws apigateway create-deployment --rest-api-id ${API_ID} --stage-name v1 --region ${A}`,
    );
  });

  it("reads each resource kind once per region, with filters, never once per item", async () => {
    await run();
    const calls = (command: object) => mocks.ec2.commandCalls(command as never).length;
    expect(calls(DescribeRouteTablesCommand)).toBe(2);
    expect(calls(DescribeNetworkAclsCommand)).toBe(2);
    expect(calls(DescribeSecurityGroupsCommand)).toBe(2);
    const filters = mocks.ec2.commandCalls(DescribeRouteTablesCommand).map((c) => c.args[0].input.Filters);
    expect(filters).toEqual(expect.arrayContaining([[{ Name: "vpc-id", Values: ["vpc-0a"] }], [{ Name: "vpc-id", Values: ["vpc-0b"] }]]));
    // The methods with their authorizationType: it decides who the caller is.
    expect(mocks.apigw.commandCalls(GetResourcesCommand).map((c) => c.args[0].input.embed)).toEqual([["methods"]]);
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

  it.each(["provisioning", "initiating-request"])("a peering AWS is still setting up (%s) is waited for, not replaced", async (status) => {
    const answers = intact();
    answers.peeringStatus = status;
    const { byHop } = await run(answers);
    expect(byHop["peering"]).toMatchObject({ ok: false, fix: `wait a minute for ${PCX} to become active, then run doctor again` });
  });

  it("a failed peering is replaced by a new one", async () => {
    const answers = intact();
    answers.peeringStatus = "failed";
    const { byHop } = await run(answers);
    expect(byHop["peering"]!.fix).toMatch(/^aws ec2 create-vpc-peering-connection .*; then point both sides' routes at the new connection$/);
  });

  it("a deleted peering (disconnect's, teardown's) is named as the peering hop's evidence, but the routes' fixes wait for a new one", async () => {
    const answers = intact();
    answers.peeringStatus = "deleted";
    answers.clientTables[1]!.Routes = answers.clientTables[1]!.Routes!.filter((r) => r.VpcPeeringConnectionId !== PCX);
    const { byHop } = await run(answers);
    expect(byHop["peering"]!.detail).toMatch(new RegExp(`^${PCX}: deleted, `));
    expect(byHop["client-route"]!.fix).toBe(`aws ec2 create-route --route-table-id rtb-0client --destination-cidr-block 10.10.0.0/16 --vpc-peering-connection-id <pcx> --region ${B}`);
  });

  it("a client given as a network (connect --client-vpc) is judged by its place, with no Lambda state to claim", async () => {
    script(intact());
    const { emit } = recorder();
    const network = { vpcId: "vpc-0b", subnetIds: ["subnet-0b1"], securityGroupIds: ["sg-0client"] };
    const report = await doctor({ clients, emit, clock: systemClock }, { clientRegion: B, apiRegion: A, apiId: API_ID, stage: "v1", network });
    expect(report.hops[0]).toMatchObject({ hop: "function", ok: true, detail: "client network in vpc-0b: subnets subnet-0b1, security groups sg-0client" });
  });

  it("the answers' way back: an inbound NACL rule that leaves ephemeral ports out fails client-egress", async () => {
    const answers = intact();
    answers.clientAcls = [acl("acl-0b", "vpc-0b", ["subnet-0b1", "subnet-0b2"], [{ CidrBlock: "10.10.0.0/16", Egress: false, Protocol: "6", PortRange: { From: 1024, To: 32767 }, RuleAction: "deny", RuleNumber: 90 }])];
    const { byHop } = await run(answers);
    expect(byHop["client-egress"]).toMatchObject({ ok: false, detail: expect.stringMatching(/inbound tcp 1024-32767 from 10\.10\.0\.37, 10\.10\.1\.142 is denied by rule 90/) });
    expect(byHop["client-egress"]!.fix).toBe(`aws ec2 create-network-acl-entry --network-acl-id acl-0b --rule-number 89 --protocol tcp --port-range From=1024,To=32767 --cidr-block 10.10.0.0/16 --rule-action allow --ingress --region ${B}`);
  });

  it("the request out: an outbound NACL rule denying 443 to the API range fails client-egress, fixed by an egress entry", async () => {
    const answers = intact();
    answers.clientAcls = [acl("acl-0b", "vpc-0b", ["subnet-0b1", "subnet-0b2"], [{ CidrBlock: "10.10.0.0/16", Egress: true, Protocol: "6", PortRange: { From: 443, To: 443 }, RuleAction: "deny", RuleNumber: 50 }])];
    const { report, byHop } = await run(answers);
    expect(report.hops.filter((h) => h.ok !== true).map((h) => h.hop)).toEqual(["client-egress"]);
    expect(byHop["client-egress"]).toMatchObject({
      detail: "acl-0b (subnet-0b1, subnet-0b2): outbound tcp 443 to 10.10.0.37, 10.10.1.142 is denied by rule 50 (deny 10.10.0.0/16)",
      fix: `aws ec2 create-network-acl-entry --network-acl-id acl-0b --rule-number 49 --protocol tcp --port-range From=443,To=443 --cidr-block 10.10.0.0/16 --rule-action allow --egress --region ${B}`,
    });
  });

  // The endpoint's subnets mirror the client's: requests come in on 443, answers go out to ephemeral ports.
  it("the endpoint's subnets: an inbound NACL rule denying 443 from the client range fails endpoint-ingress, fixed by an ingress entry", async () => {
    const answers = intact();
    answers.apiAcls = [acl("acl-0a", "vpc-0a", ["subnet-0a1", "subnet-0a2"], [{ CidrBlock: "10.20.0.0/16", Egress: false, Protocol: "6", PortRange: { From: 443, To: 443 }, RuleAction: "deny", RuleNumber: 80 }])];
    const { report, byHop } = await run(answers);
    expect(report.hops.filter((h) => h.ok !== true).map((h) => h.hop)).toEqual(["endpoint-ingress"]);
    expect(byHop["endpoint-ingress"]).toMatchObject({
      detail: "acl-0a (subnet-0a1, subnet-0a2): inbound tcp 443 from 10.20.0.0-10.20.1.255 is denied by rule 80 (deny 10.20.0.0/16)",
      fix: `aws ec2 create-network-acl-entry --network-acl-id acl-0a --rule-number 79 --protocol tcp --port-range From=443,To=443 --cidr-block 10.20.0.0/16 --rule-action allow --ingress --region ${A}`,
    });
  });

  it("the endpoint's answers: an outbound NACL rule denying the client's ephemeral ports fails endpoint-ingress, fixed by an egress entry", async () => {
    const answers = intact();
    answers.apiAcls = [acl("acl-0a", "vpc-0a", ["subnet-0a1", "subnet-0a2"], [{ CidrBlock: "10.20.0.0/16", Egress: true, Protocol: "6", PortRange: { From: 1024, To: 65535 }, RuleAction: "deny", RuleNumber: 70 }])];
    const { report, byHop } = await run(answers);
    expect(report.hops.filter((h) => h.ok !== true).map((h) => h.hop)).toEqual(["endpoint-ingress"]);
    expect(byHop["endpoint-ingress"]).toMatchObject({
      detail: "acl-0a (subnet-0a1, subnet-0a2): outbound tcp 1024-65535 to 10.20.0.0-10.20.1.255 is denied by rule 70 (deny 10.20.0.0/16) (the answers, stateless)",
      fix: `aws ec2 create-network-acl-entry --network-acl-id acl-0a --rule-number 69 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.20.0.0/16 --rule-action allow --egress --region ${A}`,
    });
  });

  it("reads the API's policy whether its resources come back as the API's ARN (AWS) or as written (execute-api:/*)", async () => {
    for (const form of ["expanded", "short"] as const) {
      const answers = intact();
      answers.policy = templatePolicy(form);
      const { byHop } = await run(answers);
      expect(byHop["api-policy"], form).toMatchObject({ ok: true, detail: expect.stringContaining(`through ${VPCE}, unsigned (the anonymous caller): allowed by Allow statement "AllowInvoke"`) });
    }
  });

  it("a private API without a resource policy fails api-policy", async () => {
    const answers = intact();
    answers.policy = undefined;
    const { byHop } = await run(answers);
    expect(byHop["api-policy"]).toMatchObject({ ok: false, detail: expect.stringContaining("has no resource policy") });
  });

  describe("the call is unsigned: the policies are judged for the anonymous caller", () => {
    const ACCOUNT = "123456789012";
    const allowAccount = { Sid: "AllowOurAccount", Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "execute-api:Invoke", Resource: "execute-api:/*" };
    const denyElsewhere = { Sid: "DenyUnlessThroughOurEndpoint", Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": VPCE } } };

    it("a resource policy that allows only the account's principals refuses the unsigned call, though the function's role is of that account", async () => {
      const answers = intact();
      answers.policy = apiPolicy(denyElsewhere, allowAccount);
      const { report, byHop } = await run(answers);
      expect(report.hops.filter((h) => h.ok !== true).map((h) => h.hop)).toEqual(["api-policy"]);
      expect(byHop["api-policy"]!.detail).toBe(
        `${API_ID} (PRIVATE), its resource policy as set: GET /hello on v1 through ${VPCE}, unsigned (the anonymous caller), is no statement allows it (implicit deny): ` +
          `Allow statement "AllowOurAccount" names the principal {"AWS":"${ACCOUNT}"}, and an unsigned call is the anonymous caller, which only Principal "*" admits; ` +
          "a new policy reaches callers with the next deployment",
      );
      const allowThroughOurs = JSON.stringify({ Version: "2012-10-17", Statement: [{ ...denyElsewhere, Sid: undefined }, { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" }] });
      expect(byHop["api-policy"]!.fix).toBe(
        `aws apigateway update-rest-api --rest-api-id ${API_ID} --patch-operations '${JSON.stringify([{ op: "replace", path: "/policy", value: allowThroughOurs }])}' --region ${A} && ` +
          `aws apigateway create-deployment --rest-api-id ${API_ID} --stage-name v1 --region ${A}`,
      );
    });

    it("{\"AWS\": \"*\"} admits the anonymous caller as \"*\" does", async () => {
      const answers = intact();
      answers.policy = apiPolicy(denyElsewhere, { ...allowAccount, Sid: "AllowEveryone", Principal: { AWS: "*" } });
      const { byHop } = await run(answers);
      expect(byHop["api-policy"]).toMatchObject({ ok: true, detail: expect.stringContaining('unsigned (the anonymous caller): allowed by Allow statement "AllowEveryone"') });
    });

    it("a method with AWS_IAM authorization takes only signed calls: judged as the function's role", async () => {
      const answers = intact();
      answers.policy = apiPolicy(denyElsewhere, allowAccount);
      answers.authorization = "AWS_IAM";
      const { byHop } = await run(answers);
      expect(byHop["api-policy"]).toMatchObject({
        ok: true,
        detail: expect.stringContaining(`GET /hello on v1 through ${VPCE}, signed by arn:aws:iam::${ACCOUNT}:role/demo-client (the method's authorization is AWS_IAM): allowed by Allow statement "AllowOurAccount"`),
      });
    });

    it("a custom endpoint policy naming the account's principals refuses the unsigned call at the endpoint", async () => {
      const answers = intact();
      answers.endpointPolicy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "execute-api:Invoke", Resource: "*" }] });
      const { report, byHop } = await run(answers);
      expect(report.hops.filter((h) => h.ok !== true).map((h) => h.hop)).toEqual(["endpoint"]);
      expect(byHop["endpoint"]).toMatchObject({
        detail: expect.stringContaining(`its custom endpoint policy: GET /hello on v1 through ${VPCE}, unsigned (the anonymous caller), is no statement allows it (implicit deny): Allow statement #1 names the principal`),
        fix: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${VPCE} --reset-policy --region ${A}`,
      });
    });
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

describe("doctorEach", () => {
  // A judge whose regions end in the reverse of their order, each emitting a hop as doctor does.
  const judge = async (ctx: DoctorContext, q: PathQuery) => {
    await new Promise((done) => setTimeout(done, q.clientRegion === B ? 20 : 1));
    ctx.emit({ kind: "doctor-hop", hop: "function", ok: true, detail: `in ${q.clientRegion}`, fix: null, region: q.clientRegion, at: 0 });
    return { hops: [], ok: q.clientRegion === B, broken: undefined };
  };
  const told = (events: readonly { kind: string; message?: string; detail?: string }[]) => events.map((e) => (e.kind === "info" ? e.message : e.detail));

  it("judges the regions side by side and tells one region's table after another, each under its region's line", async () => {
    const { events, emit } = recorder();
    const later = new Promise<PathQuery>((done) => setTimeout(() => done({ ...query, clientRegion: "ap-southeast-2" }), 5));
    const reports = await doctorEach({ clients, emit, clock: systemClock }, [query, later], judge);
    expect(told(events)).toEqual([`Client region ${B} → ${A}:`, `in ${B}`, `Client region ap-southeast-2 → ${A}:`, "in ap-southeast-2"]);
    expect(reports.map((r) => [r.query.clientRegion, r.report.ok])).toEqual([[B, true], ["ap-southeast-2", false]]);
  });

  it("tells one region's table without a region line", async () => {
    const { events, emit } = recorder();
    await doctorEach({ clients, emit, clock: systemClock }, [query], judge);
    expect(told(events)).toEqual([`in ${B}`]);
  });
});
