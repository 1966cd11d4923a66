// What connect's plan hangs on, read from doctor's snapshot: a client subnet of another VPC, no usable
// endpoint, an --endpoint that is not one, a stage to name, a function that does not exist — each a
// refusal before anything is planned.
import { describe, expect, it } from "vitest";
import type { PathQuery } from "../../../src/aws/path-snapshot.js";
import { halfPathPlanner } from "../../helpers/connect-plan.js";
import { A, API_ID, B, FUNCTION_QUERY, VPCE } from "../../helpers/connect-snapshots.js";

const plan = halfPathPlanner();

const network = (subnetIds: string[], securityGroupIds: string[]): PathQuery => ({ clientRegion: B, apiRegion: A, apiId: API_ID, network: { vpcId: "vpc-0b", subnetIds, securityGroupIds } });

describe("what the plan reads of both sides, refused when a part is missing", () => {
  it("a subnet of another VPC is refused, naming it", async () => {
    const p = await plan(undefined, { client: { kind: "network", vpcId: "vpc-0b", subnetIds: [], securityGroupIds: [] } }, {}, network(["subnet-0b1", "subnet-0zz"], ["sg-0fn"]));
    expect(p.refusals).toEqual([{ reason: "client", hop: "function", message: "subnet-0zz is not a subnet of vpc-0b: name the client's subnets in that VPC (--client-subnets)." }]);
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
});
