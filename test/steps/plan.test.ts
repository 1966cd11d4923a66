import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Answers } from "../../src/config/answers.js";
import { parseCidr, overlapOf } from "../../src/net/index.js";
import { buildPlan, clientStages, type Plan } from "../../src/steps/plan.js";
import { STAGES } from "../../src/steps/stages.js";

const ANSWERS: Answers = { name: "demo", apiRegion: "us-east-1", apiCidr: "10.10.0.0/16", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16" }] };
const THREE: Answers = {
  ...ANSWERS,
  clients: [
    { region: "eu-west-1", cidr: "10.20.0.0/16" },
    { region: "ap-southeast-2", cidr: "10.21.0.0/16" },
    { region: "us-west-2", cidr: "10.22.0.0/16" },
  ],
};

// Every parameter as a string: a value, <stage:output>, or <role zone n of region>.
function spelled(plan: Plan) {
  return plan.stages.map((stage) =>
    Object.fromEntries(
      Object.entries(stage.parameters).map(([key, v]) => [
        key,
        v.kind === "value" ? v.value : v.kind === "output" ? `<${v.stage}:${v.output}>` : `<${v.role} zone ${v.index + 1}>`,
      ]),
    ),
  );
}

describe("buildPlan", () => {
  const plan = buildPlan(ANSWERS);

  it("names the stacks after the deployment and puts each in its region", () => {
    expect(plan.stages.map((s) => [s.stackName, s.region, s.template, s.clientRegion])).toEqual([
      ["demo-api", "us-east-1", "1-api.yaml", undefined],
      ["demo-client", "eu-west-1", "2-client.yaml", "eu-west-1"],
      ["demo-routes", "us-east-1", "3-routes.yaml", "eu-west-1"],
    ]);
  });

  it("passes every parameter the stage contract names, and nothing else", () => {
    for (const stage of buildPlan(THREE).stages) {
      expect(Object.keys(stage.parameters).sort()).toEqual([...(STAGES[stage.number - 1]?.parameters ?? [])].sort());
    }
  });

  // Every value, written out by hand for two answer sets: a /16 pair with /24 subnets and zones from
  // the flags, and a /23 and /27 pair (halves and /28s) with zones left to preflight.
  it.each([
    {
      answers: { ...ANSWERS, apiAzs: "us-east-1a,us-east-1b", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16", azs: "eu-west-1c,eu-west-1a" }] },
      stages: [
        {
          DeploymentName: "demo", VpcCidr: "10.10.0.0/16", Subnet1Cidr: "10.10.0.0/24", Subnet2Cidr: "10.10.1.0/24",
          AvailabilityZone1: "us-east-1a", AvailabilityZone2: "us-east-1b", ClientVpcCidr: "10.20.0.0/16",
        },
        {
          DeploymentName: "demo", VpcCidr: "10.20.0.0/16", Subnet1Cidr: "10.20.0.0/24", Subnet2Cidr: "10.20.1.0/24",
          AvailabilityZone1: "eu-west-1c", AvailabilityZone2: "eu-west-1a", ApiRegion: "us-east-1", ApiVpcCidr: "10.10.0.0/16",
          ApiVpcId: "<1:VpcId>", ApiId: "<1:ApiId>", ApiStageName: "<1:StageName>",
          ApiEndpointDnsName: "<1:EndpointDnsName>", ApiEndpointHostedZoneId: "<1:EndpointHostedZoneId>",
        },
        {
          DeploymentName: "demo", ClientVpcCidr: "10.20.0.0/16", PeeringConnectionId: "<2:PeeringConnectionId>",
          RouteTableIds: "/xregion-private-api/demo/route-table-ids",
          EndpointSecurityGroupId: "<1:EndpointSecurityGroupId>", EndpointAdmittedCidr: "10.20.0.0/16",
        },
      ],
    },
    {
      answers: { name: "edge-7", apiRegion: "ap-southeast-2", apiCidr: "192.168.4.0/23", clients: [{ region: "us-west-2", cidr: "172.16.0.32/27" }] },
      stages: [
        {
          DeploymentName: "edge-7", VpcCidr: "192.168.4.0/23", Subnet1Cidr: "192.168.4.0/24", Subnet2Cidr: "192.168.5.0/24",
          AvailabilityZone1: "<api zone 1>", AvailabilityZone2: "<api zone 2>", ClientVpcCidr: "172.16.0.32/27",
        },
        {
          DeploymentName: "edge-7", VpcCidr: "172.16.0.32/27", Subnet1Cidr: "172.16.0.32/28", Subnet2Cidr: "172.16.0.48/28",
          AvailabilityZone1: "<client zone 1>", AvailabilityZone2: "<client zone 2>", ApiRegion: "ap-southeast-2", ApiVpcCidr: "192.168.4.0/23",
          ApiVpcId: "<1:VpcId>", ApiId: "<1:ApiId>", ApiStageName: "<1:StageName>",
          ApiEndpointDnsName: "<1:EndpointDnsName>", ApiEndpointHostedZoneId: "<1:EndpointHostedZoneId>",
        },
        {
          DeploymentName: "edge-7", ClientVpcCidr: "172.16.0.32/27", PeeringConnectionId: "<2:PeeringConnectionId>",
          RouteTableIds: "/xregion-private-api/edge-7/route-table-ids",
          EndpointSecurityGroupId: "<1:EndpointSecurityGroupId>", EndpointAdmittedCidr: "172.16.0.32/27",
        },
      ],
    },
  ])("gives each stage the value of every parameter: $answers.apiCidr", ({ answers, stages }) => {
    expect(spelled(buildPlan(answers))).toEqual(stages);
  });

  it("reads outputs only from earlier stages, and only outputs they declare", () => {
    for (const stage of buildPlan(THREE).stages) {
      for (const value of Object.values(stage.parameters)) {
        if (value.kind !== "output") continue;
        expect(value.stage).toBeLessThan(stage.number);
        expect(STAGES[value.stage - 1]?.outputs).toContain(value.output);
      }
    }
  });

  it("tags every stage with the deployment and its number, and a routes stack with its client region", () => {
    expect(plan.stages.map((s) => s.tags)).toEqual([
      { "xregion-private-api:deployment": "demo", "xregion-private-api:stage": "1" },
      { "xregion-private-api:deployment": "demo", "xregion-private-api:stage": "2" },
      { "xregion-private-api:deployment": "demo", "xregion-private-api:stage": "3", "xregion-private-api:client-region": "eu-west-1" },
    ]);
  });

  it("gives stage 3 the SSM path of stage 1's route tables", () => {
    expect(plan.stages[2]?.parameters["RouteTableIds"]).toEqual({ kind: "value", value: "/xregion-private-api/demo/route-table-ids" });
    expect(plan.ssmPrefix).toBe("/xregion-private-api/demo");
  });

  it("notes what the endpoint and inter-region traffic cost", () => {
    expect(plan.cost.lines.join(" ")).toMatch(/AZ-hour/);
    expect(plan.cost.lines.join(" ")).toMatch(/per GB/);
  });

  it("carves subnets inside their VPC that never overlap, for any valid pair of ranges", () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 27 }), fc.integer({ min: 0, max: 255 }), (prefix, second) => {
        const p = buildPlan({ ...ANSWERS, apiCidr: `10.${second}.0.0/${prefix}`, clients: [{ region: "eu-west-1", cidr: `192.168.0.0/${prefix}` }] });
        for (const vpc of [p.api, ...p.clients]) {
          const outer = parseCidr(vpc.cidr);
          const [a, b] = vpc.subnets.map((s) => parseCidr(s.cidr));
          expect(outer && a && b).toBeTruthy();
          if (!outer || !a || !b) return;
          expect(overlapOf(a, b)).toBeUndefined();
          expect(a.first >= outer.first && a.last <= outer.last).toBe(true);
          expect(b.first >= outer.first && b.last <= outer.last).toBe(true);
        }
      }),
    );
  });

  it("leaves the zones open for preflight when no flag chose them", () => {
    expect(plan.api.zones).toBeUndefined();
    expect(plan.stages[0]?.parameters["AvailabilityZone1"]).toEqual({ kind: "zone", role: "api", region: "us-east-1", index: 0 });
    expect(plan.stages[1]?.parameters["AvailabilityZone2"]).toEqual({ kind: "zone", role: "client", region: "eu-west-1", index: 1 });
  });

  it("passes the flags' zones, in their order, to the stage of their region", () => {
    const given = buildPlan({ ...ANSWERS, apiAzs: "us-east-1d,us-east-1b", clients: [{ region: "eu-west-1", cidr: "10.20.0.0/16", azs: "eu-west-1c,eu-west-1a" }] });
    expect(given.api.zones).toEqual([{ name: "us-east-1d" }, { name: "us-east-1b" }]);
    expect(given.stages[0]?.parameters["AvailabilityZone1"]).toEqual({ kind: "value", value: "us-east-1d" });
    expect(given.stages[0]?.parameters["AvailabilityZone2"]).toEqual({ kind: "value", value: "us-east-1b" });
    expect(given.stages[1]?.parameters["AvailabilityZone1"]).toEqual({ kind: "value", value: "eu-west-1c" });
  });

  it("takes preflight's zones, with their ids, over the flags' names", () => {
    const chosen = {
      api: [{ name: "us-east-1b", id: "use1-az6" }, { name: "us-east-1c", id: "use1-az1" }],
      clients: { "eu-west-1": [{ name: "eu-west-1b", id: "euw1-az1" }, { name: "eu-west-1c", id: "euw1-az2" }] },
    } as const;
    const zoned = buildPlan({ ...ANSWERS, apiAzs: "us-east-1b,us-east-1c" }, chosen);
    expect(zoned.api.zones).toEqual(chosen.api);
    expect(zoned.clients[0]?.zones).toEqual(chosen.clients["eu-west-1"]);
    expect(zoned.stages[1]?.parameters["AvailabilityZone2"]).toEqual({ kind: "value", value: "eu-west-1c" });
  });

  it("leaves the answers it is given as they were, and keeps no state between plans", () => {
    const answers = Object.freeze({ ...ANSWERS, apiAzs: "us-east-1b,us-east-1a" });
    const copy = structuredClone(answers);
    const other = buildPlan(answers);
    expect(answers).toEqual(copy);
    expect(other.api.subnets.map((s) => s.cidr)).toEqual(["10.10.0.0/24", "10.10.1.0/24"]);
    // The plan built first is still what its own answers say after another one was built.
    expect(plan.stages[0]?.parameters["AvailabilityZone1"]).toEqual({ kind: "zone", role: "api", region: "us-east-1", index: 0 });
    expect(buildPlan(ANSWERS).stages[0]?.parameters["AvailabilityZone1"]).toEqual({ kind: "zone", role: "api", region: "us-east-1", index: 0 });
  });

  it("warns, in China only, that unauthenticated calls need the account's ICP recordal", () => {
    expect(plan.warnings).toEqual([]);
    const china = buildPlan({ ...ANSWERS, apiRegion: "cn-north-1", clients: [{ region: "cn-northwest-1", cidr: "10.20.0.0/16" }] });
    expect(china.warnings).toEqual([expect.stringMatching(/^In cn-north-1, API Gateway answers calls without authentication only for an account with an ICP recordal; .*HTTP 403 \(https:\/\/docs\.amazonaws\.cn\//)]);
  });
});

describe("buildPlan with several client regions", () => {
  const plan = buildPlan(THREE);

  it("has stage 1 once, then each client region's stage 2 and its stage 3, in the answers' order", () => {
    expect(plan.stages.map((s) => [s.number, s.stackName, s.region, s.clientRegion])).toEqual([
      [1, "demo-api", "us-east-1", undefined],
      [2, "demo-client", "eu-west-1", "eu-west-1"],
      [3, "demo-routes", "us-east-1", "eu-west-1"],
      [2, "demo-client", "ap-southeast-2", "ap-southeast-2"],
      [3, "demo-routes-ap-southeast-2", "us-east-1", "ap-southeast-2"],
      [2, "demo-client", "us-west-2", "us-west-2"],
      [3, "demo-routes-us-west-2", "us-east-1", "us-west-2"],
    ]);
    expect(clientStages(plan, "ap-southeast-2").map((s) => s.stackName)).toEqual(["demo-client", "demo-routes-ap-southeast-2"]);
    expect(plan.clients.map((c) => [c.region, c.cidr])).toEqual(THREE.clients.map((c) => [c.region, c.cidr]));
  });

  it("lets stage 1 admit the first client range and every routes stack compare its range with that one", () => {
    expect(plan.stages[0]?.parameters["ClientVpcCidr"]).toEqual({ kind: "value", value: "10.20.0.0/16" });
    const routes = plan.stages.filter((s) => s.key === "routes");
    expect(routes.map((s) => [s.parameters["ClientVpcCidr"], s.parameters["EndpointAdmittedCidr"]])).toEqual([
      [{ kind: "value", value: "10.20.0.0/16" }, { kind: "value", value: "10.20.0.0/16" }],
      [{ kind: "value", value: "10.21.0.0/16" }, { kind: "value", value: "10.20.0.0/16" }],
      [{ kind: "value", value: "10.22.0.0/16" }, { kind: "value", value: "10.20.0.0/16" }],
    ]);
  });

  it("keeps stage 1's deployed ClientVpcCidr whatever the region list is now (its own rule never changes)", () => {
    const later = buildPlan({ ...THREE, clients: THREE.clients.slice(1) }, undefined, { admittedCidr: "10.20.0.0/16" });
    expect(later.stages[0]?.parameters["ClientVpcCidr"]).toEqual({ kind: "value", value: "10.20.0.0/16" });
    // Both remaining regions now add their own rule: their ranges are not the one stage 1 admits.
    expect(later.stages.filter((s) => s.key === "routes").map((s) => s.parameters["EndpointAdmittedCidr"])).toEqual([
      { kind: "value", value: "10.20.0.0/16" },
      { kind: "value", value: "10.20.0.0/16" },
    ]);
  });

  it("names each routes stack as it was found, whatever the region's place in the list now", () => {
    const reordered = buildPlan({ ...THREE, clients: [THREE.clients[1]!, THREE.clients[0]!] }, undefined, {
      routesStacks: { "eu-west-1": "demo-routes", "ap-southeast-2": "demo-routes-ap-southeast-2" },
    });
    expect(reordered.stages.filter((s) => s.key === "routes").map((s) => [s.clientRegion, s.stackName])).toEqual([
      ["ap-southeast-2", "demo-routes-ap-southeast-2"],
      ["eu-west-1", "demo-routes"],
    ]);
  });

  it("costs the endpoint once and each client region's zone and data path, with their sum", () => {
    const text = plan.cost.lines.join("\n");
    expect(text.match(/Interface endpoint/g)).toHaveLength(1);
    expect(text).toContain("shared by the 3 client regions");
    for (const client of THREE.clients) expect(text).toContain(`Client region ${client.region}: Route 53 private hosted zone $0.50/month`);
    expect(text).toContain("In all about $16.10/month");
  });

  it("names the client region in a range warning", () => {
    const odd = buildPlan({ ...THREE, clients: [...THREE.clients.slice(0, 2), { region: "us-west-2", cidr: "8.8.0.0/16" }] });
    expect(odd.warnings).toEqual([expect.stringMatching(/^--client-cidr us-west-2 8\.8\.0\.0\/16/)]);
  });
});
