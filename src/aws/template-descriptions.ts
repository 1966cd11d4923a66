// The facts of a template (template-facts.ts) made concrete for one stack: descriptions with the
// stack's region and parameters filled in, and the capabilities CreateChangeSet must acknowledge.
import type { TemplateFacts } from "./template-facts.js";

export interface TemplateInfo {
  readonly descriptions: ReadonlyMap<string, string>;
  readonly capabilities: readonly ("CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM")[];
}

// `${Name}` in a description reads as its parameter's value or the pseudo parameter's (${AWS::Region}).
function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([\w:]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export function readTemplate(
  facts: TemplateFacts,
  values: { readonly region: string; readonly stackName: string; readonly parameters?: Readonly<Record<string, string>> },
): TemplateInfo {
  const known = { ...values.parameters, "AWS::Region": values.region, "AWS::StackName": values.stackName };
  const descriptions = new Map(Object.entries(facts.descriptions).map(([id, text]) => [id, substitute(text, known)] as const));
  return { descriptions, capabilities: facts.namedIam ? ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"] : ["CAPABILITY_IAM"] };
}
