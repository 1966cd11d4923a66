// Reads what the engine needs from a template body: each resource's plain-English Metadata.Description
// (a progress row gets a readable name only when the template gives one, as in Copilot) and whether
// CreateChangeSet must acknowledge named IAM resources.
import { parseDocument } from "yaml";

export interface TemplateInfo {
  readonly descriptions: ReadonlyMap<string, string>;
  readonly capabilities: readonly ("CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM")[];
}

// Properties that give an IAM resource a fixed name, which needs CAPABILITY_NAMED_IAM.
const IAM_NAME_PROPERTIES = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

// `${Name}` in a description reads as its parameter's value or the pseudo parameter's (${AWS::Region}).
function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([\w:]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export function readTemplate(
  body: string,
  values: { readonly region: string; readonly stackName: string; readonly parameters?: Readonly<Record<string, string>> },
): TemplateInfo {
  // Short-form intrinsics (!Ref, !Sub, !GetAtt, any other !Tag) are unknown to the YAML library: it only
  // warns and keeps the tagged value, which is all a description needs.
  const template = asObject(parseDocument(body).toJS()) ?? {};
  const resources = asObject(template["Resources"]) ?? {};
  const known = { ...values.parameters, "AWS::Region": values.region, "AWS::StackName": values.stackName };
  const descriptions = new Map<string, string>();
  let namedIam = false;
  for (const [logicalId, value] of Object.entries(resources)) {
    const resource = asObject(value) ?? {};
    const description = asObject(resource["Metadata"])?.["Description"];
    if (typeof description === "string") descriptions.set(logicalId, substitute(description, known));
    const properties = asObject(resource["Properties"]) ?? {};
    if (String(resource["Type"]).startsWith("AWS::IAM::") && IAM_NAME_PROPERTIES.some((p) => p in properties)) {
      namedIam = true;
    }
  }
  return { descriptions, capabilities: namedIam ? ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"] : ["CAPABILITY_IAM"] };
}
