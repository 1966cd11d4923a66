// What the engine needs from a template, read once from its YAML: each resource's plain-English
// Metadata.Description (a progress row gets a readable name only when the template gives one, as in
// Copilot) and whether CreateChangeSet must acknowledge named IAM resources. The build runs this over the
// shipped templates (dist/template-facts.json), so a deploy does not load a YAML parser.
import { parseDocument } from "yaml";

/** What the engine needs from a template: resource descriptions, and whether it names IAM resources. */
export interface TemplateFacts {
  // Logical id → description, `${…}` references still in place.
  readonly descriptions: Readonly<Record<string, string>>;
  readonly namedIam: boolean;
}

// Properties that give an IAM resource a fixed name, which needs CAPABILITY_NAMED_IAM.
const IAM_NAME_PROPERTIES = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Reads a template's facts with the YAML parser (the build does this once per shipped template). */
export function templateFacts(body: string): TemplateFacts {
  // Short-form intrinsics (!Ref, !Sub, !GetAtt, any other !Tag) are unknown to the YAML library: it only
  // warns and keeps the tagged value, which is all a description needs.
  const template = asObject(parseDocument(body).toJS()) ?? {};
  const resources = asObject(template["Resources"]) ?? {};
  const descriptions: Record<string, string> = {};
  let namedIam = false;
  for (const [logicalId, value] of Object.entries(resources)) {
    const resource = asObject(value) ?? {};
    const description = asObject(resource["Metadata"])?.["Description"];
    if (typeof description === "string") descriptions[logicalId] = description;
    const properties = asObject(resource["Properties"]) ?? {};
    if (String(resource["Type"]).startsWith("AWS::IAM::") && IAM_NAME_PROPERTIES.some((p) => p in properties)) {
      namedIam = true;
    }
  }
  return { descriptions, namedIam };
}
