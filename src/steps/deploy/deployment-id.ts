// The API's Deployment serves what the API looked like when it was created, and CloudFormation creates
// a new one only when its logical id changes (DESIGN §10.2). So, as CDK and SAM do, the id carries a
// short hash of what the deployment captures: the template text and the parameter values it is deployed
// with (a replaced endpoint changes no text, only `!Ref Endpoint`'s value, which parameters drive).
// Same inputs, same id: a re-run stays an empty change set. Where the text spells the id (the resource's
// key and every reference to it) was found on the parsed template (aws/template-facts.ts), by the build
// for the shipped templates, so the rename here is a splice at those places and a deploy loads no YAML
// parser (docs/how-it-is-built.md, "Stage 1's API Deployment id").
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import type { TemplateFacts } from "../../aws/template-facts.js";
import { loadTemplateFacts, templatesDir } from "../../aws/templates.js";

const HASH_LENGTH = 8;

/** A template body ready to send, and the Deployment logical id it renamed (if it has one). */
export interface RenderedTemplate {
  readonly body: string;
  readonly renamed: { readonly from: string; readonly to: string } | undefined;
}

/** The first 8 hex digits of SHA-256 over the template text and its parameter values (order-free). */
export function deploymentHash(body: string, parameters: Readonly<Record<string, string>>): string {
  const values = Object.keys(parameters)
    .sort()
    .map((key) => [key, parameters[key]]);
  return createHash("sha256").update(body).update("\0").update(JSON.stringify(values)).digest("hex").slice(0, HASH_LENGTH);
}

/**
 * The template as it is deployed: its API Deployment renamed to carry the hash of body and parameters,
 * at the places `facts` (of this very text) found, and nowhere else. A template with a reference to the
 * Deployment that cannot be renamed in place is refused: CloudFormation would otherwise meet a
 * reference to a resource that no longer exists. `name` says which template, for that message.
 */
export function renderTemplate(
  body: string,
  parameters: Readonly<Record<string, string>>,
  facts: TemplateFacts,
  name = "the template",
): RenderedTemplate {
  const spelling = facts.deployment;
  if (!spelling) return { body, renamed: undefined };
  if (spelling.refused) throw new UsageError(`${name}: ${spelling.refused}; or restore the shipped template`);
  const from = spelling.logicalId;
  const to = `${from}${deploymentHash(body, parameters)}`;
  let out = "";
  let copied = 0;
  for (const at of spelling.at) {
    // Facts of another text would splice in the wrong places: a bug, not the user's input.
    if (!body.startsWith(from, at)) throw new Error(`${name}: the Deployment's places do not match this text`);
    out += body.slice(copied, at) + to;
    copied = at + from.length;
  }
  return { body: out + body.slice(copied), renamed: { from, to } };
}

/** The facts of the source template carried over to the rendered one: the Deployment under its new id. */
export function renameInFacts(facts: TemplateFacts, renamed: RenderedTemplate["renamed"]): TemplateFacts {
  if (!renamed || !facts.deployment) return facts;
  const descriptions = Object.fromEntries(
    Object.entries(facts.descriptions).map(([id, text]) => [id === renamed.from ? renamed.to : id, text]),
  );
  // Each earlier rename moves the next place by the hash's length.
  const longer = renamed.to.length - renamed.from.length;
  const at = facts.deployment.at.map((offset, i) => offset + i * longer);
  return { ...facts, descriptions, deployment: { logicalId: renamed.to, at } };
}

/**
 * A stage's template as deployed with these parameters, and the shipped text's facts (looked up by its
 * hash, no YAML parser) carried over to the rendered body: what deploy sends and teardown names rows by.
 */
export async function loadStageTemplate(
  file: string,
  parameters: Readonly<Record<string, string>>,
  dir: string = templatesDir(),
): Promise<{ readonly body: string; readonly facts: TemplateFacts }> {
  const path = resolve(dir, file);
  const source = await readFile(path, "utf8");
  const facts = await loadTemplateFacts(source);
  const template = renderTemplate(source, parameters, facts, path);
  return { body: template.body, facts: renameInFacts(facts, template.renamed) };
}
