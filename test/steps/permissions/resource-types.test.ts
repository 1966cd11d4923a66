// What CloudFormation's handlers call for each resource type, against what they must cover: every resource
// type of the templates, and every action CloudFormation's own handlers name for those types
// (handler-permissions.json, taken from the registry schemas; an exception needs a written reason).
import { describe, expect, it } from "vitest";
import { stageResourceGrants } from "../../../src/steps/permissions/permissions.js";
import { RESOURCE_TYPE_PERMISSIONS, STAGE_RESOURCE_TYPES } from "../../../src/steps/permissions/resource-types.js";
import { GLOBAL } from "../../../src/steps/permissions/resources.js";
import { regionRoleOf, type StageKey } from "../../../src/steps/stages.js";
import { loadConnect, loadStages } from "../../helpers/template-fixtures.js";
import { HANDLER_EXCEPTIONS } from "./exceptions.js";
import oracle from "./handler-permissions.json" with { type: "json" };

const target = { partition: "aws", account: "123456789012", name: "demo", apiRegion: "us-east-1", clientRegions: ["eu-west-1"] };
// The one client region's side, as RESOURCE_TYPE_PERMISSIONS takes it.
const side = { partition: "aws", account: "123456789012", name: "demo", apiRegion: "us-east-1", clientRegion: "eu-west-1", first: true };

type Phase = "create" | "read" | "update" | "delete" | "tagging";
interface OracleType {
  readonly path: string;
  readonly lastChanged: { readonly commit: string; readonly date: string };
  readonly handlers: Readonly<Record<Exclude<Phase, "tagging">, readonly string[]>> | null;
  readonly tagging: readonly string[];
}
const TYPES = oracle.types as Readonly<Record<string, OracleType>>;

// What a deploy (create, then reads) and a teardown (delete) call, and what a re-deploy adds (update, tags).
const PHASES: readonly Phase[] = ["create", "read", "delete", "update", "tagging"];

function handlerActions(type: string): Map<string, Phase[]> {
  const entry = TYPES[type];
  const byAction = new Map<string, Phase[]>();
  for (const phase of PHASES) {
    const actions = phase === "tagging" ? (entry?.tagging ?? []) : (entry?.handlers?.[phase] ?? []);
    for (const action of actions) byAction.set(action, [...(byAction.get(action) ?? []), phase]);
  }
  return byAction;
}

const stageRegion = (key: StageKey) => (regionRoleOf(key) === "client" ? side.clientRegion : target.apiRegion);
const peer = (region: string) => (region === target.apiRegion ? side.clientRegion : target.apiRegion);

// Where the handler's request goes: IAM and Route 53 are global; CloudFormation accepts a peering in the peer's region.
function expectedRegion(type: string, action: string, region: string): string {
  if (/^(iam|route53):/.test(action)) return GLOBAL;
  if (type === "AWS::EC2::VPCPeeringConnection" && action === "ec2:AcceptVpcPeeringConnection") return peer(region);
  return region;
}

describe("the resource types of the templates", () => {
  it("gives every resource type of every template its actions, and names no type a template lacks", () => {
    for (const { stage, template } of loadStages()) {
      const types = new Set(Object.values(template.Resources).map((r) => r.Type));
      expect(new Set(STAGE_RESOURCE_TYPES[stage.key]), stage.template).toEqual(types);
      for (const type of types) {
        const grants = RESOURCE_TYPE_PERMISSIONS[type]?.({ t: side, region: "us-east-1", peerRegion: "eu-west-1" }) ?? [];
        expect(grants.flatMap((g) => g.actions).length, `${type} in ${stage.template} has no actions`).toBeGreaterThan(0);
      }
    }
  });

  it("gives connect's two stacks the resource types of their templates", () => {
    for (const { key, file, template } of loadConnect()) {
      const types = new Set(Object.values(template.Resources).map((r) => r.Type));
      expect(new Set(STAGE_RESOURCE_TYPES[`connect-${key}`]), file).toEqual(types);
    }
  });
});

describe("the permissions list against CloudFormation's handlers", () => {
  it("has every action the registry schema's handlers name for a type of a stage, in the region the call goes to", () => {
    const missing: string[] = [];
    for (const key of Object.keys(STAGE_RESOURCE_TYPES) as StageKey[]) {
      const region = stageRegion(key);
      for (const [type, grants] of stageResourceGrants(target, key)) {
        for (const [action, phases] of handlerActions(type)) {
          if (HANDLER_EXCEPTIONS[type]?.[action]) continue;
          const where = expectedRegion(type, action, region);
          if (!grants.some((g) => g.actions.includes(action) && g.region === where)) {
            missing.push(`${key} ${type} ${action} (${phases.join(", ")}) in ${where}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("gives each exception a reason, and keeps none the list grants anyway or the schema no longer names", () => {
    const stale: string[] = [];
    for (const [type, actions] of Object.entries(HANDLER_EXCEPTIONS)) {
      const named = handlerActions(type);
      const granted = new Set((RESOURCE_TYPE_PERMISSIONS[type]?.({ t: side, region: "us-east-1", peerRegion: "eu-west-1" }) ?? []).flatMap((g) => g.actions));
      for (const [action, reason] of Object.entries(actions)) {
        expect(reason.length, `${type} ${action}`).toBeGreaterThan(20);
        if (!named.has(action)) stale.push(`${type} ${action}: no longer in the schema`);
        if (granted.has(action)) stale.push(`${type} ${action}: granted anyway`);
      }
    }
    expect(stale).toEqual([]);
  });

  it("holds the schemas of exactly the types the templates use, each with where it comes from", () => {
    const used = new Set(Object.values(STAGE_RESOURCE_TYPES).flat());
    expect(new Set(Object.keys(TYPES))).toEqual(used);
    expect(oracle.source.repository).toBe("hashicorp/terraform-provider-awscc");
    expect(oracle.source.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const [type, entry] of Object.entries(TYPES)) {
      expect(entry.path).toBe(`${oracle.source.folder}/${type.replaceAll("::", "_")}.json`);
      expect(entry.lastChanged.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.lastChanged.date <= oracle.source.date).toBe(true);
    }
  });

  it("keeps the documented Route 53 actions for AWS::Route53::RecordSet, which has no registry handler", () => {
    expect(TYPES["AWS::Route53::RecordSet"]?.handlers).toBeNull();
    const grants = stageResourceGrants(target, "client").get("AWS::Route53::RecordSet") ?? [];
    expect(new Set(grants.flatMap((g) => g.actions))).toEqual(
      new Set(["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone", "route53:GetChange"]),
    );
  });
});
