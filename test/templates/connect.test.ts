// The connect templates' own shape: regular slots (as many as src/steps/connect/slots.ts fills, each a
// resource that exists only when both of its parameters are given), every resource conditional so a stack
// holds only what the plan fills, the outputs the tool reads, and the connection tag on what can carry it.
import { describe, expect, it } from "vitest";
import { SLOTS, type SlotFamily } from "../../src/steps/connect/slots.js";
import { TAG_CONNECTION, TAG_DEPLOYMENT } from "../../src/steps/stages.js";
import type { JsonObject } from "../helpers/cfn-yaml.js";
import { asArray, asObject, loadConnect, props } from "../helpers/template-fixtures.js";

const [client, api] = loadConnect() as [ReturnType<typeof loadConnect>[0], ReturnType<typeof loadConnect>[0]];
const TEMPLATE_OF: Record<SlotFamily, typeof client> = { ClientRoute: client, ClientEgress: client, ReturnRoute: api, EndpointIngress: api };
const TYPE_OF: Record<SlotFamily, string> = { ClientRoute: "AWS::EC2::Route", ClientEgress: "AWS::EC2::SecurityGroupEgress", ReturnRoute: "AWS::EC2::Route", EndpointIngress: "AWS::EC2::SecurityGroupIngress" };

describe.each(Object.keys(SLOTS) as SlotFamily[])("the %s slots", (family) => {
  const { template } = TEMPLATE_OF[family];
  const { count, keys } = SLOTS[family];
  const ids = Object.keys(template.Resources).filter((id) => new RegExp(`^${family}\\d+$`).test(id));

  it(`are exactly ${count}, numbered 1 to ${count}, of one type`, () => {
    expect(ids).toEqual(Array.from({ length: count }, (_, i) => `${family}${i + 1}`));
    for (const id of ids) expect(template.Resources[id]!.Type, id).toBe(TYPE_OF[family]);
  });

  it("each exists only when both of its own parameters are given (empty by default)", () => {
    for (const [n, id] of ids.entries()) {
      const names = keys.map((k) => `${family}${n + 1}${k}`);
      for (const name of names) expect(template.Parameters[name], name).toMatchObject({ Type: "String", Default: "" });
      const condition = template.Resources[id]!.Condition!;
      expect(asObject(template.Conditions!)[condition]).toEqual({ "Fn::And": names.map((name) => ({ "Fn::Not": [{ "Fn::Equals": [{ Ref: name }, ""] }] })) });
      expect(JSON.stringify(props(template.Resources[id]!))).toContain(JSON.stringify({ Ref: names[0] }));
      expect(JSON.stringify(props(template.Resources[id]!))).toContain(JSON.stringify({ Ref: names[1] }));
    }
  });
});

describe("the connect templates", () => {
  it("make every resource conditional: a stack holds only what the plan fills", () => {
    for (const { file, template } of [client, api]) {
      for (const [id, r] of Object.entries(template.Resources)) expect(r.Condition, `${file} ${id}`).toBeDefined();
    }
  });

  it("route the client's slots to the peering made here, or the one given", () => {
    for (let n = 1; n <= SLOTS.ClientRoute.count; n++) {
      expect(props(client.template.Resources[`ClientRoute${n}`]!).VpcPeeringConnectionId).toEqual({ "Fn::If": ["CreatePeering", { Ref: "PeeringConnection" }, { Ref: "PeeringConnectionId" }] });
    }
    for (let n = 1; n <= SLOTS.ReturnRoute.count; n++) expect(props(api.template.Resources[`ReturnRoute${n}`]!).VpcPeeringConnectionId).toEqual({ Ref: "PeeringConnectionId" });
    expect(client.template.Conditions!["CreatePeering"]).toEqual({ "Fn::Equals": [{ Ref: "PeeringConnectionId" }, ""] });
    expect(client.template.Resources["PeeringConnection"]!.Condition).toBe("CreatePeering");
  });

  it("give back what the tool reads: the peering for the API side, the probe for verify, the zone for status", () => {
    expect(client.template.Outputs["PeeringConnectionId"]).toEqual({ Description: expect.any(String), Value: { "Fn::If": ["CreatePeering", { Ref: "PeeringConnection" }, { Ref: "PeeringConnectionId" }] } });
    expect(client.template.Outputs["FunctionName"]).toMatchObject({ Condition: "WithProbe", Value: { Ref: "ProbeFunction" } });
    expect(client.template.Outputs["HostedZoneId"]).toMatchObject({ Condition: "WithZone", Value: { Ref: "HostedZone" } });
  });

  it("tag every resource that takes tags as the connection's, besides the deployment tag", () => {
    const tagged = Object.entries(client.template.Resources).filter(([, r]) => props(r)["Tags"] !== undefined || props(r)["HostedZoneTags"] !== undefined);
    expect(tagged.map(([id]) => id)).toEqual(["PeeringConnection", "HostedZone", "ProbeSecurityGroup", "ProbeRole", "ProbeLogGroup", "ProbeFunction"]);
    for (const [id, r] of tagged) {
      const tags = asArray(props(r)["Tags"] ?? props(r)["HostedZoneTags"]).map((t) => asObject(t) as JsonObject);
      expect(tags, id).toEqual(expect.arrayContaining([{ Key: TAG_DEPLOYMENT, Value: { Ref: "DeploymentName" } }, { Key: TAG_CONNECTION, Value: "true" }]));
    }
  });
});
