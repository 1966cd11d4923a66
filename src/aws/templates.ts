// The shipped templates: where they are (beside the code), their facts, and those facts made concrete
// for one stack. The facts of the shipped templates are computed by the build (dist/template-facts.json, keyed by the
// SHA-256 of each template's text). A template that is not there — run from the sources, or edited after
// the build — is parsed instead, with the YAML parser loaded only then.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TemplateFacts } from "./template-facts.js";

/** The file the build writes the shipped templates' facts to, beside the bundle. */
export const FACTS_FILE = "template-facts.json";

/** The facts file: each template's facts under the SHA-256 of its text. */
export type FactsByHash = Readonly<Record<string, TemplateFacts>>;

/** The SHA-256 a template's facts are filed under. */
export function templateHash(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

let cached: { readonly from: string; readonly facts: FactsByHash } | undefined;

// The bundle's chunks live in dist/chunks/, the file in dist/: the nearest one up from this module.
function shippedFacts(from: string): FactsByHash {
  if (cached?.from !== from) {
    const file = findUp(from, FACTS_FILE);
    cached = { from, facts: file ? (JSON.parse(readFileSync(file, "utf8")) as FactsByHash) : {} };
  }
  return cached.facts;
}

/** A template's facts, from the build's file when it is there, else parsed. */
export async function loadTemplateFacts(body: string, from: string = import.meta.url): Promise<TemplateFacts> {
  const shipped = shippedFacts(from)[templateHash(body)];
  if (shipped) return shipped;
  const { templateFacts } = await import("./template-facts.js");
  return templateFacts(body);
}

/**
 * The facts of a template (template-facts.ts) made concrete for one stack: descriptions with the
 * stack's region and parameters filled in, and the capabilities CreateChangeSet must acknowledge.
 */
export interface TemplateInfo {
  readonly descriptions: ReadonlyMap<string, string>;
  readonly capabilities: readonly ("CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM")[];
}

// `${Name}` in a description reads as its parameter's value or the pseudo parameter's (${AWS::Region}).
function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([\w:]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** A template's facts made concrete for one stack: descriptions filled in, capabilities. */
export function readTemplate(
  facts: TemplateFacts,
  values: { readonly region: string; readonly stackName: string; readonly parameters?: Readonly<Record<string, string>> },
): TemplateInfo {
  const known = { ...values.parameters, "AWS::Region": values.region, "AWS::StackName": values.stackName };
  const descriptions = new Map(Object.entries(facts.descriptions).map(([id, text]) => [id, substitute(text, known)] as const));
  return { descriptions, capabilities: facts.namedIam ? ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"] : ["CAPABILITY_IAM"] };
}

/**
 * What ships beside the code (templates/, template-facts.json) sits at a different depth from the bundle's
 * chunks and from the sources: the nearest `relative` path up from the module at `from`, if any.
 */
function findUp(from: string, relative: string): string | undefined {
  for (let dir = dirname(fileURLToPath(from)); ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The templates ship beside the code: next to dist/ in the package, next to src/ in the repository. */
export function templatesDir(from: string = import.meta.url): string {
  const first = findUp(from, "templates/1-api.yaml");
  if (!first) throw new Error("templates/ not found beside the program: the package is incomplete; reinstall it");
  return dirname(first);
}
