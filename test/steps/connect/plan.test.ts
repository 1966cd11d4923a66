// connect's planner on doctor's snapshots of a half path (helpers/connect-snapshots.ts): what each hop gets,
// the stacks' parameters, the user resources that carry our additions, and every refusal on its own case.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../../src/aws/clients.js";
import type { PathQuery } from "../../../src/aws/path-snapshot.js";
import { HOPS } from "../../../src/steps/doctor/doctor.js";
import { apiStackParameters, planConnect, type ConnectFacts } from "../../../src/steps/connect/plan.js";
import type { ConnectOptions, OwnedStacks, QuotaCounts } from "../../../src/steps/connect/types.js";
import { testClients } from "../../helpers/aws-fixtures.js";
import { loadConnect } from "../../helpers/template-fixtures.js";
import { A, acl, API_ID, B, FUNCTION_QUERY, halfSnapshot, HOST, https, local, peering, VPCE, VPCE_NAME, type HalfPath } from "../../helpers/connect-snapshots.js";

let clients: AwsClients;
beforeEach(() => {
  clients?.destroy();
  clients = testClients();
});
afterAll(() => clients?.destroy());

const OPTIONS: ConnectOptions = { name: "orders", apiRegion: A, apiId: API_ID, stage: undefined, endpointId: undefined, clientRegion: B, client: { kind: "function", name: "demo-client" }, peering: "auto", probe: true };
const NO_COUNTS: QuotaCounts = { peerings: {}, routes: {}, rules: {}, otherInterfaces: {} };
const NOTHING_OURS: OwnedStacks = { client: undefined, api: undefined };

async function plan(change: (h: HalfPath) => void = () => {}, options: Partial<ConnectOptions> = {}, more: Partial<Omit<ConnectFacts, "snapshot">> = {}, query: PathQuery = FUNCTION_QUERY) {
  const snapshot = await halfSnapshot(clients, change, query);
  return planConnect({ ...OPTIONS, ...options }, { snapshot, counts: more.counts ?? NO_COUNTS, owned: more.owned ?? NOTHING_OURS });
}

const filled = (parameters: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== ""));

describe("connect's plan on the half path", () => {
  it("adds every missing piece, each hop in doctor's order with its owner, and refuses nothing", async () => {
    const p = await plan();
    expect(p.refusals).toEqual([]);
    expect(p.hops.map((h) => [h.hop, h.now.ok, h.owner])).toEqual([
      ["function", true, "—: nothing"],
      ["dns", false, "us: zone and record"],
      ["client-egress", false, "us: one rule"],
      ["client-route", false, "us: one route"],
      ["peering", false, "us: peering"],
      ["return-route", false, "us: one route"],
      ["endpoint-ingress", false, "us: one rule"],
      ["endpoint", true, "—: nothing"],
      ["api-policy", true, "—: nothing"],
      ["api-stage", true, "—: nothing"],
    ]);
    expect(p.hops.map((h) => h.hop)).toEqual([...HOPS]);
    expect(p.hops.find((h) => h.hop === "client-route")!.action).toBe("add one route: rtb-0client 10.10.0.0/23 → the new peering connection");
    expect(p.peering).toEqual({ kind: "create", kept: false });
  });

  it("routes and admits the two sides' subnets as whole blocks (10.10.0.0/24 + 10.10.1.0/24 = one /23), not the whole VPCs", async () => {
    const p = await plan();
    expect(filled(p.client.parameters)).toEqual({
      DeploymentName: "orders",
      ClientVpcId: "vpc-0b",
      CreateZone: "true",
      ApiRegion: A,
      ApiVpcId: "vpc-0a",
      ApiId: API_ID,
      ApiStageName: "v1",
      ApiEndpointDnsName: VPCE_NAME,
      ApiEndpointHostedZoneId: "Z7HUB22UULQXV",
      Probe: "true",
      ProbeSubnetIds: "subnet-0b1,subnet-0b2",
      ProbePath: "/hello",
      EndpointCidr1: "10.10.0.0/23",
      ClientRoute1Table: "rtb-0client",
      ClientRoute1Destination: "10.10.0.0/23",
      ClientEgress1Group: "sg-0fn",
      ClientEgress1Cidr: "10.10.0.0/23",
    });
    expect(filled(p.api.parameters)).toEqual({
      DeploymentName: "orders",
      ClientRegion: B,
      ReturnRoute1Table: "rtb-0api",
      ReturnRoute1Destination: "10.20.0.0/23",
      EndpointIngress1Group: "sg-0vpce",
      EndpointIngress1Cidr: "10.20.0.0/23",
    });
    expect([p.client.stackName, p.client.region, p.api.stackName, p.api.region]).toEqual(["orders-connect-client", B, "orders-connect-api-eu-west-1", A]);
    expect(p.client.tags).toEqual({ "xregion-private-api:deployment": "orders", "xregion-private-api:connection": "true" });
  });

  it("passes every slot parameter, filled or empty, so an update never falls back to a default", async () => {
    const p = await plan();
    expect(Object.keys(p.client.parameters).filter((k) => /^Client(Route|Egress)\d/.test(k))).toHaveLength(16 * 2 + 8 * 2);
    expect(Object.keys(p.api.parameters).filter((k) => /^(ReturnRoute|EndpointIngress)\d/.test(k))).toHaveLength(16 * 2 + 8 * 2);
  });

  // (Their patterns are checked with real ids where the emulator's CreateChangeSet checks them, on moto.)
  it("passes exactly the parameters each template declares, choices among their allowed values", async () => {
    const p = await plan();
    const [client, api] = loadConnect();
    expect(Object.keys(p.client.parameters).sort()).toEqual(Object.keys(client!.template.Parameters).sort());
    expect(Object.keys(p.api.parameters).sort()).toEqual(Object.keys(api!.template.Parameters).sort());
    for (const [stack, template] of [[p.client, client!.template], [p.api, api!.template]] as const) {
      for (const [key, value] of Object.entries(stack.parameters)) {
        const declared = template.Parameters[key]!;
        if (Array.isArray(declared["AllowedValues"])) expect(declared["AllowedValues"], key).toContain(value);
      }
    }
  });

  it("names the user's resources that will carry our additions, and what it will not touch", async () => {
    const p = await plan();
    expect(p.carriers).toEqual([
      { id: "vpc-0b", region: B, kind: "VPC", additions: ["a peering connection to vpc-0a", `the private zone ${API_ID}.execute-api.${A}…`, "the probe function's network interfaces and security group"] },
      { id: "rtb-0client", region: B, kind: "route table", additions: ["route 10.10.0.0/23"] },
      { id: "sg-0fn", region: B, kind: "security group", additions: ["egress TCP 443 → 10.10.0.0/23"] },
      { id: "rtb-0api", region: A, kind: "route table", additions: ["route 10.20.0.0/23"] },
      { id: "sg-0vpce", region: A, kind: "security group", additions: ["ingress TCP 443 ← 10.20.0.0/23"] },
    ]);
    expect(p.untouched).toEqual(expect.arrayContaining([`the API ${API_ID} (${A}), its stages and its resource policy`, `the endpoint ${VPCE} and its policy`, "the network ACLs of both VPCs", "the function demo-client"]));
  });

  it("gives the API side the new peering's id from the client stack's outputs", async () => {
    const p = await plan();
    expect(p.api.parameters["PeeringConnectionId"]).toBe("");
    expect(apiStackParameters(p, { PeeringConnectionId: "pcx-0abc12345" })["PeeringConnectionId"]).toBe("pcx-0abc12345");
    expect(() => apiStackParameters(p, {})).toThrow(/gave no PeeringConnectionId/);
  });

  it("--no-probe: no probe, and the rest unchanged", async () => {
    const p = await plan(undefined, { probe: false });
    expect(p.client.parameters["Probe"]).toBe("false");
    expect(p.client.resources.map((r) => r.logicalId)).not.toContain("ProbeFunction");
    expect(p.client.needed).toBe(true);
  });

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

describe("reuse: what already does its job is left alone", () => {
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

  it("routes that already send the endpoint's subnets over that peering, and rules that admit 443, add nothing", async () => {
    const p = await plan((h) => {
      h.peerings = [peering("pcx-0aaaa1111")];
      h.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "10.10.0.0/16", VpcPeeringConnectionId: "pcx-0aaaa1111", State: "active" });
      h.apiTables[0]!.Routes!.push({ DestinationCidrBlock: "10.20.0.0/16", VpcPeeringConnectionId: "pcx-0aaaa1111", State: "active" });
      h.clientEgress = [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }];
      h.endpointIngress = [https("10.0.0.0/8")];
    });
    expect(p.refusals).toEqual([]);
    expect(p.hops.filter((h) => h.owner !== "—: nothing").map((h) => h.hop)).toEqual(["dns"]);
    expect(p.api.needed).toBe(false);
  });

  it("a default route elsewhere (0.0.0.0/0 → a NAT gateway) is no obstacle: the more specific route wins", async () => {
    const p = await plan((h) => h.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-0123456789abcdef0", State: "active" }));
    expect(p.refusals).toEqual([]);
    expect(filled(p.client.parameters)["ClientRoute1Destination"]).toBe("10.10.0.0/23");
  });

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

  it("the endpoint's group already on other interfaces: the plan says they get the rule too", async () => {
    const p = await plan(undefined, {}, { counts: { ...NO_COUNTS, otherInterfaces: { "sg-0vpce": 3 } } });
    expect(p.notes).toContain("sg-0vpce is also on 3 other network interfaces: they get the same HTTPS rule from the client subnets.");
  });
});

describe("a second connect keeps what our stacks hold (they are why doctor passes now)", () => {
  const ours = (client: Record<string, string>, api: Record<string, string>, outputs: Record<string, string>): OwnedStacks => ({
    client: { status: "CREATE_COMPLETE", parameters: client, outputs },
    api: { status: "CREATE_COMPLETE", parameters: api, outputs: {} },
  });

  it("on the path our first run made, the same parameters again: an empty change set", async () => {
    const first = await plan();
    const pcx = "pcx-0f1e2d3c4b";
    const owned = ours({ ...first.client.parameters }, apiStackParameters(first, { PeeringConnectionId: pcx }), { PeeringConnectionId: pcx, HostedZoneId: "Z0OURS" });
    const second = await plan((h) => {
      h.peerings = [peering(pcx)];
      h.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "10.10.0.0/23", VpcPeeringConnectionId: pcx, State: "active" });
      h.apiTables[0]!.Routes!.push({ DestinationCidrBlock: "10.20.0.0/23", VpcPeeringConnectionId: pcx, State: "active" });
      h.clientEgress.push(https("10.10.0.0/23"));
      h.endpointIngress.push(https("10.20.0.0/23"));
      h.zones = [{ HostedZoneId: "Z0OURS", Name: `${HOST}.`, Owner: { OwningAccount: "123456789012" } }];
      h.records = [{ Name: `${HOST}.`, Type: "A", AliasTarget: { DNSName: VPCE_NAME, HostedZoneId: "Z7HUB22UULQXV", EvaluateTargetHealth: false } }];
    }, {}, { owned });
    expect(second.refusals).toEqual([]);
    expect(second.client.parameters).toEqual(first.client.parameters);
    expect(second.api.parameters).toEqual(owned.api!.parameters);
    expect(second.peering).toEqual({ kind: "create", kept: true });
    expect(second.hops.map((h) => h.owner)).toEqual(["—: nothing", "us (already): zone and record", "us (already): one rule", "us (already): one route", "us (already): peering", "us (already): one route", "us (already): one rule", "—: nothing", "—: nothing", "—: nothing"]);
  });

  it("a kept slot keeps its number; new routes take the free slots", async () => {
    const kept = { ClientRoute2Table: "rtb-0client", ClientRoute2Destination: "10.10.0.0/23", PeeringConnectionId: "" };
    const p = await plan((h) => {
      h.functionSubnets = ["subnet-0b1", "subnet-0b2", "subnet-0b3"];
      h.clientSubnets.push({ id: "subnet-0b3", cidr: "10.20.8.0/24" });
      h.clientTables.push({ RouteTableId: "rtb-0third", Associations: [{ Main: false, SubnetId: "subnet-0b3" }], Routes: [local("10.20.0.0/16")] });
      h.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "10.10.0.0/23", VpcPeeringConnectionId: "pcx-0f1e2d3c4b", State: "active" });
      h.peerings = [peering("pcx-0f1e2d3c4b")];
    }, {}, { owned: { client: { status: "UPDATE_COMPLETE", parameters: kept, outputs: { PeeringConnectionId: "pcx-0f1e2d3c4b" } }, api: undefined } });
    expect(filled(p.client.parameters)).toMatchObject({ ClientRoute1Table: "rtb-0third", ClientRoute1Destination: "10.10.0.0/23", ClientRoute2Table: "rtb-0client", ClientRoute2Destination: "10.10.0.0/23" });
    expect(p.client.resources.filter((r) => r.logicalId.startsWith("ClientRoute")).map((r) => [r.logicalId, r.kept])).toEqual([["ClientRoute1", false], ["ClientRoute2", true]]);
  });

  it.each(["ROLLBACK_COMPLETE", "CREATE_FAILED", "REVIEW_IN_PROGRESS"])("a stack of ours left %s holds nothing: its parameters are not kept", async (status) => {
    const p = await plan(undefined, {}, { owned: { client: { status, parameters: { CreateZone: "true", ClientRoute5Table: "rtb-0client", ClientRoute5Destination: "10.10.0.0/23", PeeringConnectionId: "" }, outputs: {} }, api: undefined } });
    expect(p.refusals).toEqual([]);
    expect(filled(p.client.parameters)).toMatchObject({ ClientRoute1Table: "rtb-0client", CreateZone: "true" });
    expect(p.client.parameters["ClientRoute5Table"]).toBe("");
    expect(p.hops.find((h) => h.hop === "dns")!.owner).toBe("us: zone and record");
  });

  it("a kept route that someone removed from the table is named (CloudFormation will not put it back)", async () => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0f1e2d3c4b")]), {}, {
      owned: { client: { status: "CREATE_COMPLETE", parameters: { ClientRoute1Table: "rtb-0client", ClientRoute1Destination: "10.10.0.0/23", PeeringConnectionId: "" }, outputs: { PeeringConnectionId: "pcx-0f1e2d3c4b" } }, api: undefined },
    });
    expect(p.notes).toContain("ClientRoute1 (rtb-0client 10.10.0.0/23) is in our stack but no longer on rtb-0client: something removed it (the owner's IaC?); run disconnect, then connect, to put it back.");
  });
});

describe("the client given as a network (--client-vpc)", () => {
  const network = (subnetIds: string[], securityGroupIds: string[]): PathQuery => ({ clientRegion: B, apiRegion: A, apiId: API_ID, network: { vpcId: "vpc-0b", subnetIds, securityGroupIds } });

  it("each named group lacking HTTPS to the endpoint gets its own rule; a group that has it gets none", async () => {
    const p = await plan((h) => (h.otherEgress = [https("10.10.0.0/16")]), { client: { kind: "network", vpcId: "vpc-0b", subnetIds: [], securityGroupIds: [] } }, {}, network(["subnet-0b1", "subnet-0b2"], ["sg-0fn", "sg-0other"]));
    expect(p.refusals).toEqual([]);
    expect(filled(p.client.parameters)).toMatchObject({ ClientEgress1Group: "sg-0fn", ClientEgress1Cidr: "10.10.0.0/23" });
    expect(p.client.parameters["ClientEgress2Group"]).toBe("");
    expect(p.untouched.join()).not.toMatch(/function/);
  });

  it("a subnet of another VPC is refused, naming it", async () => {
    const p = await plan(undefined, { client: { kind: "network", vpcId: "vpc-0b", subnetIds: [], securityGroupIds: [] } }, {}, network(["subnet-0b1", "subnet-0zz"], ["sg-0fn"]));
    expect(p.refusals).toEqual([{ reason: "client", hop: "function", message: "subnet-0zz is not a subnet of vpc-0b: name the client's subnets in that VPC (--client-subnets)." }]);
  });

  it("more route tables than the template's 16 slots: refused, naming the fix", async () => {
    const ids = Array.from({ length: 17 }, (_, i) => `subnet-0c${i}`);
    const p = await plan((h) => {
      h.clientSubnets = ids.map((id, i) => ({ id, cidr: `10.20.${i}.0/24` }));
      h.clientTables = [h.clientTables[0]!, ...ids.map((id, i) => ({ RouteTableId: `rtb-0c${i}`, Associations: [{ Main: false, SubnetId: id }], Routes: [local("10.20.0.0/16")] }))];
    }, { client: { kind: "network", vpcId: "vpc-0b", subnetIds: [], securityGroupIds: [] }, probe: false }, {}, network(ids, ["sg-0fn"]));
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["slots", "client-route"]]);
    expect(p.refusals[0]!.message).toBe("this connection needs 17 routes of the kind ClientRoute, and its template holds 16: connect fewer client subnets (--client-subnets), then run connect again.");
  });
});

describe("refusals, each on its own case, before any stack", () => {
  it("overlapping ranges, named", async () => {
    const p = await plan((h) => (h.clientCidr = "10.10.128.0/17"));
    expect(p.refusals.find((r) => r.reason === "overlap")!.message).toBe(
      `vpc-0b's range 10.10.128.0/17 (${B}) overlaps vpc-0a's 10.10.0.0/16 (${A}): peering cannot join VPCs whose IPv4 ranges overlap, even in part; connect a client VPC whose ranges are disjoint from vpc-0a's (for overlapping networks AWS offers cross-Region PrivateLink instead).`,
    );
  });

  it("a broader client route for the endpoint's addresses to a transit gateway: named, not diverted", async () => {
    const p = await plan((h) => h.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "10.0.0.0/8", TransitGatewayId: "tgw-0123456789abcdef0", State: "active" }));
    expect(p.refusals).toEqual([{
      reason: "route-elsewhere",
      hop: "client-route",
      message: `rtb-0client already sends 10.10.0.37, 10.10.1.142 to 10.0.0.0/8 → tgw-0123456789abcdef0 (active), not to the peering between the two VPCs: connect will not divert or duplicate it; change or remove that route yourself (e.g. aws ec2 delete-route --route-table-id rtb-0client --destination-cidr-block 10.0.0.0/8 --region ${B}), then run connect again.`,
    }]);
  });

  it("a more specific route carrying an endpoint address elsewhere would keep it there: refused", async () => {
    const p = await plan((h) => h.clientTables[1]!.Routes!.push({ DestinationCidrBlock: "10.10.0.32/27", NetworkInterfaceId: "eni-0firewall", State: "active" }));
    expect(p.refusals.map((r) => r.message)).toEqual([expect.stringContaining("rtb-0client already sends 10.10.0.37 to 10.10.0.32/27 → eni-0firewall (active)")]);
  });

  it("a route for the very block already there (a blackhole of an old peering): refused, since a second cannot be added", async () => {
    const p = await plan((h) => h.apiTables[0]!.Routes!.push({ DestinationCidrBlock: "10.20.0.0/23", VpcPeeringConnectionId: "pcx-0old", State: "blackhole" }));
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["route-elsewhere", "return-route"]]);
    expect(p.refusals[0]!.message).toMatch(/^rtb-0api already routes 10\.20\.0\.0\/23 → pcx-0old \(blackhole\), not to the peering between the two VPCs:/);
  });

  it.each([
    ["support", (h: HalfPath) => (h.dnsSupport = false), `vpc-0b has DNS support off, and a private zone answers only with both on (connect does not change a VPC's settings): run aws ec2 modify-vpc-attribute --vpc-id vpc-0b --enable-dns-support "{\\"Value\\":true}" --region ${B}, then run connect again.`],
    ["hostnames", (h: HalfPath) => (h.dnsHostnames = false), `vpc-0b has DNS hostnames off, and a private zone answers only with both on (connect does not change a VPC's settings): run aws ec2 modify-vpc-attribute --vpc-id vpc-0b --enable-dns-hostnames "{\\"Value\\":true}" --region ${B}, then run connect again.`],
  ])("DNS %s off in the client VPC, with the command that turns it on", async (_what, change, message) => {
    const p = await plan(change);
    expect(p.refusals).toEqual([{ reason: "dns-off", hop: "dns", message }]);
  });

  it("both DNS attributes off: both commands, one line", async () => {
    const p = await plan((h) => ((h.dnsSupport = false), (h.dnsHostnames = false)));
    expect(p.refusals).toHaveLength(1);
    expect(p.refusals[0]!.message).toMatch(/^vpc-0b has DNS support and DNS hostnames off.*--enable-dns-support .* && aws ec2 modify-vpc-attribute --vpc-id vpc-0b --enable-dns-hostnames /);
    expect(p.refusals[0]!.message).not.toContain("\n");
  });

  it("a private zone of the API hostname's name already on the client VPC, not answering with the endpoint", async () => {
    const p = await plan((h) => (h.zones = [{ HostedZoneId: "Z0USERS", Name: `${HOST}.`, Owner: { OwningAccount: "123456789012" } }]));
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["zone-exists", "dns"]]);
    expect(p.refusals[0]!.message).toMatch(new RegExp(`^the private zone Z0USERS \\(${HOST.replace(/\./g, "\\.")}\\) is already associated with vpc-0b .*Route 53 allows one zone of a name per VPC.*aws route53 change-resource-record-sets --hosted-zone-id Z0USERS`));
  });

  it("an endpoint policy that admits another VPC's callers only: refused with doctor's change that admits the call", async () => {
    const p = await plan((h) => (h.endpointPolicy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*", Condition: { StringEquals: { "aws:SourceVpc": "vpc-0elsewhere" } } }] })));
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["endpoint-policy", "endpoint"]]);
    expect(p.refusals[0]!.message).toMatch(/^endpoint would still fail after connect, which does not change it: .*The change that would admit the call: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0a1b2c3d4e5f60718 --reset-policy --region us-east-1$/);
  });

  it.each([
    ["client", (h: HalfPath) => (h.clientAcls = [acl("acl-0b", "vpc-0b", ["subnet-0b1", "subnet-0b2"], [{ CidrBlock: "10.10.0.0/16", Egress: true, Protocol: "6", PortRange: { From: 443, To: 443 }, RuleAction: "deny", RuleNumber: 50 }])]), "client-egress", "acl-0b"],
    ["endpoint", (h: HalfPath) => (h.apiAcls = [acl("acl-0a", "vpc-0a", ["subnet-0a1", "subnet-0a2"], [{ CidrBlock: "10.20.0.0/16", Egress: false, Protocol: "-1", RuleAction: "deny", RuleNumber: 10 }])]), "endpoint-ingress", "acl-0a"],
  ])("a network ACL on the %s side that denies: refused with the entry that would admit it", async (_side, change, hop, aclId) => {
    const p = await plan(change);
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["nacl", hop]]);
    expect(p.refusals[0]!.message).toContain(`The change that would admit the call: aws ec2 create-network-acl-entry --network-acl-id ${aclId}`);
  });

  it("an API policy that admits another endpoint only: refused with the policy change and the redeploy", async () => {
    const p = await plan((h) => {
      h.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-0fffffffffffffff0" } } }] }).replace(/"/g, '\\"');
      h.endpoints = [VPCE, "vpce-0fffffffffffffff0"];
    }, { endpointId: VPCE }, {}, { ...FUNCTION_QUERY, endpointId: VPCE });
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["api-policy", "api-policy"]]);
    expect(p.refusals[0]!.message).toMatch(/The change that would admit the call: aws apigateway update-rest-api --rest-api-id a1b2c3d4e5 .* && aws apigateway create-deployment/);
  });

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

  it("a private API with no usable endpoint: none in the region is named by it", async () => {
    const p = await plan((h) => (h.endpoints = ["vpce-0fffffffffffffff0"]));
    expect(p.refusals).toEqual([{
      reason: "no-endpoint",
      hop: "endpoint",
      message: `the private API ${API_ID} has no usable execute-api endpoint in ${A}: none is named by its endpoint configuration or by its resource policy's aws:SourceVpce (endpoints there: vpce-0fffffffffffffff0 (available, vpc-0a)); name the one it admits with --endpoint vpce-…, or create one and admit it in the API's policy, then run connect again.`,
    }]);
    expect(p.client.needed || p.api.needed).toBe(false);
  });

  it("--endpoint that is not an endpoint of the region", async () => {
    const p = await plan(undefined, { endpointId: "vpce-0bad0bad0bad0bad0" }, {}, { ...FUNCTION_QUERY, endpointId: "vpce-0bad0bad0bad0bad0" });
    expect(p.refusals.map((r) => r.message)).toEqual([`vpce-0bad0bad0bad0bad0 is not an execute-api endpoint in ${A} (endpoints there: ${VPCE} (available, vpc-0a)): name one of them with --endpoint.`]);
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

  it("several stages and no --stage: the one to call must be named", async () => {
    const p = await plan((h) => (h.stages = ["prod", "test"]));
    expect(p.refusals.map((r) => r.message)).toEqual([`the private API ${API_ID} has the stages prod, test: name the one to call with --stage.`]);
    expect((await plan((h) => (h.stages = ["prod", "test"]), { stage: "test" }, {}, { ...FUNCTION_QUERY, stage: "test" })).client.parameters["ApiStageName"]).toBe("test");
  });

  it("a function that does not exist: refused with doctor's evidence, nothing planned", async () => {
    const p = await plan((h) => (h.functionMissing = true));
    expect(p.refusals.map((r) => [r.reason, r.hop])).toEqual([["client", "function"]]);
    expect(p.refusals[0]!.message).toMatch(/^the client cannot be connected: no function found in eu-west-1: .*Fix: check the name and --client-region/);
    expect([p.client.needed, p.api.needed]).toEqual([false, false]);
  });

  it("every refusal is one line", async () => {
    const p = await plan((h) => {
      h.clientCidr = "10.10.128.0/17";
      h.dnsSupport = false;
      h.zones = [{ HostedZoneId: "Z0USERS", Name: `${HOST}.`, Owner: { OwningAccount: "123456789012" } }];
    });
    expect(p.refusals.length).toBeGreaterThanOrEqual(2);
    for (const r of p.refusals) expect(r.message).not.toMatch(/\n/);
  });
});
