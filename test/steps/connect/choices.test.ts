// The plan's choices among what exists: the peering (reuse an active one, refuse what --peering names when it
// cannot be), the private zone (a same-name zone that answers, a broader one, one that does not answer), the
// probe's subnets and path, and the quotas the additions would exceed.
import { describe, expect, it } from "vitest";
import { halfPathPlanner, NO_COUNTS } from "../../helpers/connect-plan.js";
import { A, B, HOST, peering, VPCE_NAME } from "../../helpers/connect-snapshots.js";

const plan = halfPathPlanner();

describe("the peering", () => {
  it("an active peering between the two VPCs is reused and named to both stacks; disconnect leaves it", async () => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0aaaa1111")]));
    expect(p.refusals).toEqual([]);
    expect(p.peering).toEqual({ kind: "reuse", id: "pcx-0aaaa1111" });
    expect(p.client.parameters["PeeringConnectionId"]).toBe("pcx-0aaaa1111");
    expect(p.api.parameters["PeeringConnectionId"]).toBe("pcx-0aaaa1111");
    expect(p.hops.find((h) => h.hop === "peering")).toMatchObject({ action: "reuse pcx-0aaaa1111 (left in place by disconnect)", owner: "—: nothing" });
    expect(p.untouched).toContain("the peering connection pcx-0aaaa1111");
    expect(p.client.resources.map((r) => r.logicalId)).not.toContain("PeeringConnection");
  });

  it("--peering new when an active peering already joins the two VPCs", async () => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0aaaa1111")]), { peering: "new" });
    expect(p.refusals).toEqual([{ reason: "peering-exists", hop: "peering", message: `pcx-0aaaa1111 (active) already joins vpc-0b (${B}) and vpc-0a (${A}), and AWS allows one peering connection per pair of VPCs: use --peering auto or --peering pcx-0aaaa1111 to reuse it.` }]);
  });

  it("--peering pcx-… that does not join the two VPCs", async () => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0aaaa1111", "deleted")]), { peering: "pcx-0bbbb2222" });
    expect(p.refusals).toEqual([{ reason: "peering-mismatch", hop: "peering", message: `pcx-0bbbb2222 does not join vpc-0b (${B}) and vpc-0a (${A}) (peering connections between them: pcx-0aaaa1111 (deleted)): name one that does, or use --peering auto.` }]);
  });

  it("--peering pcx-… that joins them but is not active", async () => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0aaaa1111", "rejected")]), { peering: "pcx-0aaaa1111" });
    expect(p.refusals.map((r) => r.message)).toEqual([`pcx-0aaaa1111 between vpc-0b (${B}) and vpc-0a (${A}) is rejected, not active: use --peering auto to create a new one.`]);
  });

  it.each(["auto", "pcx-0aaaa1111"] as const)("a peering pending acceptance (--peering %s): accept it or delete it first", async (option) => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0aaaa1111", "pending-acceptance")]), { peering: option });
    expect(p.refusals).toEqual([{ reason: "peering-pending", hop: "peering", message: `pcx-0aaaa1111 between vpc-0b (${B}) and vpc-0a (${A}) is pending-acceptance: accept it (aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id pcx-0aaaa1111 --region ${A}) or delete it, then run connect again.` }]);
  });

  it("an old peering that failed does not stop a new one", async () => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0aaaa1111", "failed")]));
    expect(p.refusals).toEqual([]);
    expect(p.peering).toEqual({ kind: "create", kept: false });
  });
});

describe("the private zone", () => {
  it("a same-name private zone that already answers with the endpoint is the DNS hop done", async () => {
    const p = await plan((h) => {
      h.zones = [{ HostedZoneId: "Z0USERS", Name: `${HOST}.`, Owner: { OwningAccount: "123456789012" } }];
      h.records = [{ Name: `${HOST}.`, Type: "A", AliasTarget: { DNSName: `${VPCE_NAME}.`, HostedZoneId: "Z7HUB22UULQXV", EvaluateTargetHealth: false } }];
    });
    expect(p.refusals).toEqual([]);
    expect(p.client.parameters["CreateZone"]).toBe("false");
    expect(p.hops.find((h) => h.hop === "dns")!.owner).toBe("—: nothing");
  });

  it("a broader zone on the VPC (execute-api.<region>) that does not answer: ours, more specific, is added, with a note", async () => {
    const p = await plan((h) => {
      h.zones = [{ HostedZoneId: "Z0BROAD", Name: `execute-api.${A}.amazonaws.com.`, Owner: { OwningAccount: "123456789012" } }];
      h.records = [{ Name: `other123ab.execute-api.${A}.amazonaws.com.`, Type: "CNAME", TTL: 300, ResourceRecords: [{ Value: "x.example" }] }];
    });
    expect(p.refusals).toEqual([]);
    expect(p.client.parameters["CreateZone"]).toBe("true");
    expect(p.notes).toContain(`zone Z0BROAD (execute-api.${A}.amazonaws.com) on vpc-0b also covers ${HOST}; the new zone, named after the hostname itself, is more specific and answers for it.`);
  });

  it("a private zone of the API hostname's name already on the client VPC, not answering with the endpoint", async () => {
    const p = await plan((h) => (h.zones = [{ HostedZoneId: "Z0USERS", Name: `${HOST}.`, Owner: { OwningAccount: "123456789012" } }]));
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["zone-exists", "dns"]]);
    expect(p.refusals[0]!.message).toMatch(new RegExp(`^the private zone Z0USERS \\(${HOST.replace(/\./g, "\\.")}\\) is already associated with vpc-0b .*Route 53 allows one zone of a name per VPC.*aws route53 change-resource-record-sets --hosted-zone-id Z0USERS`));
  });
});

describe("the probe", () => {
  it("the probe leaves out a client subnet in a zone Lambda refuses (use1-az3), and says so", async () => {
    const p = await plan((h) => (h.clientSubnets[0]!.zoneId = "use1-az3"));
    expect(p.refusals).toEqual([]);
    expect(p.client.parameters["ProbeSubnetIds"]).toBe("subnet-0b2");
    expect(p.notes).toContain("the probe leaves out subnet-0b1 (use1-az3): Lambda refuses functions in that zone.");
  });

  it("a client only in zones Lambda refuses: the probe is refused, with --no-probe and --client-subnets as the ways out", async () => {
    const p = await plan((h) => h.clientSubnets.forEach((s) => (s.zoneId = "use1-az3")));
    expect(p.refusals.map((r) => r.reason)).toEqual(["probe-zone"]);
    expect(p.refusals[0]!.message).toMatch(/run connect with --no-probe, or name subnets of other zones with --client-subnets\.$/);
    expect((await plan((h) => h.clientSubnets.forEach((s) => (s.zoneId = "use1-az3")), { probe: false })).refusals).toEqual([]);
  });

  it("the probe calls the shortest GET (or ANY) path without path parameters", async () => {
    const p = await plan((h) => (h.methods = [{ path: "/orders/{id}", methods: ["GET"] }, { path: "/orders/recent", methods: ["ANY"] }, { path: "/zz", methods: ["GET"] }, { path: "/", methods: ["POST"] }]));
    expect(p.client.parameters["ProbePath"]).toBe("/zz");
    expect(p.notes.join()).not.toMatch(/no GET method/);
  });

  it("an API without such a method: the probe calls /, and the plan says what verify will show", async () => {
    const p = await plan((h) => (h.methods = [{ path: "/", methods: ["POST"] }, { path: "/items/{id}", methods: ["GET"] }]));
    expect(p.client.parameters["ProbePath"]).toBe("/");
    expect(p.notes).toContain("the API has no GET method without path parameters: the probe calls / and verify shows what API Gateway answers there.");
  });
});

describe("the quotas", () => {
  it.each([
    ["routes per table", { ...NO_COUNTS, routes: { "rtb-0client": 50 } }, "client-route", `route table rtb-0client (${B}) has 50 and connect would add 1, beyond AWS's 50 (routes per route table): remove unused ones, or raise the quota (Service Quotas, code L-93826ACB), then run connect again.`],
    ["rules per group", { ...NO_COUNTS, rules: { "sg-0vpce": { ingress: 60, egress: 1 } } }, "endpoint-ingress", `security group sg-0vpce (${A}), in inbound rules, has 60 and connect would add 1, beyond AWS's 60 (inbound or outbound rules per security group): remove unused ones, or raise the quota (Service Quotas, code L-0EA8095F), then run connect again.`],
    ["peerings per VPC", { ...NO_COUNTS, peerings: { "vpc-0a": 50 } }, "peering", `vpc-0a (${A}), in active peering connections, has 50 and connect would add 1, beyond AWS's 50 (active VPC peering connections per VPC): remove unused ones, or raise the quota (Service Quotas, code L-7E9ECCDB), then run connect again.`],
  ])("a quota the plan would exceed: %s", async (_what, counts, hop, message) => {
    const p = await plan(undefined, {}, { counts });
    expect(p.refusals).toEqual([{ reason: "quota", hop, message }]);
  });

  it("at the quota but adding nothing there: no refusal", async () => {
    const p = await plan(undefined, {}, { counts: { ...NO_COUNTS, routes: { "rtb-0main": 50 }, rules: { "sg-0vpce": { ingress: 59, egress: 60 } } } });
    expect(p.refusals).toEqual([]);
  });
});
