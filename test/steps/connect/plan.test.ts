// connect's planner on doctor's snapshots of a half path (helpers/connect-plan.ts): what each hop gets, the
// stacks' parameters, what a second run keeps, and the refusals the plan itself makes (overlapping ranges,
// routes elsewhere, DNS off, what would still fail after connect). What it reads of both sides, its choices
// and its words have their own files (sides, choices, presentation).
import { describe, expect, it } from "vitest";
import type { PathQuery } from "../../../src/aws/path-snapshot.js";
import { HOPS } from "../../../src/steps/doctor/doctor.js";
import { apiStackParameters } from "../../../src/steps/connect/plan.js";
import type { OwnedStacks } from "../../../src/steps/connect/types.js";
import { filled, halfPathPlanner, NO_COUNTS } from "../../helpers/connect-plan.js";
import { loadConnect } from "../../helpers/template-fixtures.js";
import { A, acl, API_ID, B, FUNCTION_QUERY, HOST, https, local, peering, VPCE, VPCE_NAME, type HalfPath } from "../../helpers/connect-snapshots.js";

const plan = halfPathPlanner();

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
});

describe("reuse: what already does its job is left alone", () => {
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
