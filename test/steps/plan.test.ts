import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCidr, overlapOf } from "../../src/net/index.js";
import { buildPlan } from "../../src/steps/plan.js";
import { STAGES } from "../../src/steps/stages.js";

const ANSWERS = { name: "demo", apiRegion: "us-east-1", clientRegion: "eu-west-1", apiCidr: "10.10.0.0/16", clientCidr: "10.20.0.0/16" };

describe("buildPlan", () => {
  const plan = buildPlan(ANSWERS);

  it("names the stacks after the deployment and puts each in its region", () => {
    expect(plan.stages.map((s) => [s.stackName, s.region, s.template])).toEqual([
      ["demo-api", "us-east-1", "1-api.yaml"],
      ["demo-client", "eu-west-1", "2-client.yaml"],
      ["demo-routes", "us-east-1", "3-routes.yaml"],
    ]);
  });

  it("passes every parameter the stage contract names, and nothing else", () => {
    for (const [i, stage] of plan.stages.entries()) {
      expect(Object.keys(stage.parameters).sort()).toEqual([...(STAGES[i]?.parameters ?? [])].sort());
    }
  });

  // Every value, written out by hand for two answer sets: a /16 pair with /24 subnets and zones from
  // the flags, and a /23 and /27 pair (halves and /28s) with zones left to preflight.
  it.each([
    {
      answers: { ...ANSWERS, apiAzs: "us-east-1a,us-east-1b", clientAzs: "eu-west-1c,eu-west-1a" },
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
        },
      ],
    },
    {
      answers: { name: "edge-7", apiRegion: "ap-southeast-2", clientRegion: "us-west-2", apiCidr: "192.168.4.0/23", clientCidr: "172.16.0.32/27" },
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
        },
      ],
    },
  ])("gives each stage the value of every parameter: $answers.apiCidr and $answers.clientCidr", ({ answers, stages }) => {
    const spelled = buildPlan(answers).stages.map((stage) =>
      Object.fromEntries(
        Object.entries(stage.parameters).map(([key, v]) => [
          key,
          v.kind === "value" ? v.value : v.kind === "output" ? `<${v.stage}:${v.output}>` : `<${v.role} zone ${v.index + 1}>`,
        ]),
      ),
    );
    expect(spelled).toEqual(stages);
  });

  it("reads outputs only from earlier stages, and only outputs they declare", () => {
    for (const stage of plan.stages) {
      for (const value of Object.values(stage.parameters)) {
        if (value.kind !== "output") continue;
        expect(value.stage).toBeLessThan(stage.number);
        expect(STAGES[value.stage - 1]?.outputs).toContain(value.output);
      }
    }
  });

  it("tags every stage with the deployment and its number", () => {
    expect(plan.stages.map((s) => s.tags)).toEqual([1, 2, 3].map((n) => ({ "xregion-private-api:deployment": "demo", "xregion-private-api:stage": String(n) })));
  });

  it("gives stage 3 the SSM path of stage 1's route tables", () => {
    expect(plan.stages[2].parameters["RouteTableIds"]).toEqual({ kind: "value", value: "/xregion-private-api/demo/route-table-ids" });
    expect(plan.ssmPrefix).toBe("/xregion-private-api/demo");
  });

  it("notes what the endpoint and inter-region traffic cost", () => {
    expect(plan.cost.lines.join(" ")).toMatch(/AZ-hour/);
    expect(plan.cost.lines.join(" ")).toMatch(/per GB/);
  });

  it("carves subnets inside their VPC that never overlap, for any valid pair of ranges", () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 27 }), fc.integer({ min: 0, max: 255 }), (prefix, second) => {
        const p = buildPlan({ ...ANSWERS, apiCidr: `10.${second}.0.0/${prefix}`, clientCidr: `192.168.0.0/${prefix}` });
        for (const vpc of [p.api, p.client]) {
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
    expect(plan.stages[0].parameters["AvailabilityZone1"]).toEqual({ kind: "zone", role: "api", index: 0 });
    expect(plan.stages[1].parameters["AvailabilityZone2"]).toEqual({ kind: "zone", role: "client", index: 1 });
  });

  it("passes the flags' zones, in their order, to the stage of their region", () => {
    const given = buildPlan({ ...ANSWERS, apiAzs: "us-east-1d,us-east-1b", clientAzs: "eu-west-1c,eu-west-1a" });
    expect(given.api.zones).toEqual([{ name: "us-east-1d" }, { name: "us-east-1b" }]);
    expect(given.stages[0].parameters["AvailabilityZone1"]).toEqual({ kind: "value", value: "us-east-1d" });
    expect(given.stages[0].parameters["AvailabilityZone2"]).toEqual({ kind: "value", value: "us-east-1b" });
    expect(given.stages[1].parameters["AvailabilityZone1"]).toEqual({ kind: "value", value: "eu-west-1c" });
  });

  it("takes preflight's zones, with their ids, over the flags' names", () => {
    const chosen = {
      api: [{ name: "us-east-1b", id: "use1-az6" }, { name: "us-east-1c", id: "use1-az1" }],
      client: [{ name: "eu-west-1b", id: "euw1-az1" }, { name: "eu-west-1c", id: "euw1-az2" }],
    } as const;
    const zoned = buildPlan({ ...ANSWERS, apiAzs: "us-east-1b,us-east-1c" }, chosen);
    expect(zoned.api.zones).toEqual(chosen.api);
    expect(zoned.client.zones).toEqual(chosen.client);
    expect(zoned.stages[1].parameters["AvailabilityZone2"]).toEqual({ kind: "value", value: "eu-west-1c" });
  });

  it("leaves the answers it is given as they were, and keeps no state between plans", () => {
    const answers = Object.freeze({ ...ANSWERS, apiAzs: "us-east-1b,us-east-1a" });
    const copy = structuredClone(answers);
    const other = buildPlan(answers);
    expect(answers).toEqual(copy);
    expect(other.api.subnets.map((s) => s.cidr)).toEqual(["10.10.0.0/24", "10.10.1.0/24"]);
    // The plan built first is still what its own answers say after another one was built.
    expect(plan.stages[0].parameters["AvailabilityZone1"]).toEqual({ kind: "zone", role: "api", index: 0 });
    expect(buildPlan(ANSWERS).stages[0].parameters["AvailabilityZone1"]).toEqual({ kind: "zone", role: "api", index: 0 });
  });

  it("warns, in China only, that unauthenticated calls need the account's ICP recordal", () => {
    expect(plan.warnings).toEqual([]);
    const china = buildPlan({ ...ANSWERS, apiRegion: "cn-north-1", clientRegion: "cn-northwest-1" });
    expect(china.warnings).toEqual([expect.stringMatching(/^In cn-north-1, API Gateway answers calls without authentication only for an account with an ICP recordal; .*HTTP 403 \(https:\/\/docs\.amazonaws\.cn\//)]);
  });
});
