// The API's Deployment serves what the API looked like when it was created, and CloudFormation creates
// a new one only when its logical id changes (DESIGN §10.2). So, as CDK and SAM do, the id carries a
// short hash of what the deployment captures: the template text and the parameter values it is deployed
// with (a replaced endpoint changes no text, only `!Ref Endpoint`'s value, which parameters drive).
// Same inputs, same id: a re-run stays an empty change set. This works on the template's text, without
// a YAML parser, because a deploy loads none (README, "How it is built").
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { TemplateFacts } from "../aws/template-facts.js";
import { loadTemplateFacts, templatesDir } from "../aws/templates.js";

/** The resource type whose logical id carries the hash. */
export const DEPLOYMENT_TYPE = "AWS::ApiGateway::Deployment";
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

/** The template as it is deployed: its API Deployment renamed to carry the hash of body and parameters. */
export function renderTemplate(body: string, parameters: Readonly<Record<string, string>>): RenderedTemplate {
  const found = findDeployment(body);
  if (!found) return { body, renamed: undefined };
  const from = found.logicalId;
  const to = `${from}${deploymentHash(body, parameters)}`;
  let dependsOnIndent: number | undefined; // inside a block-style DependsOn list
  const lines = body.split("\n").map((line, index) => {
    if (index === found.line) return line.replace(`${from}:`, `${to}:`);
    if (isComment(line) || line.trim() === "") return line;
    const indent = line.length - line.trimStart().length;
    if (dependsOnIndent !== undefined && indent > dependsOnIndent) {
      return line.replace(new RegExp(`^(\\s*-\\s+)(["']?)${escape(from)}\\2\\s*$`), `$1$2${to}$2`);
    }
    dependsOnIndent = /^\s*DependsOn:\s*$/.test(line) ? indent : undefined;
    return renameReferences(line, from, to);
  });
  return { body: lines.join("\n"), renamed: { from, to } };
}

/** The facts of the source template, with the renamed Deployment's description under its new id. */
export function renameInFacts(facts: TemplateFacts, renamed: RenderedTemplate["renamed"]): TemplateFacts {
  if (!renamed) return facts;
  const descriptions = Object.fromEntries(
    Object.entries(facts.descriptions).map(([id, text]) => [id === renamed.from ? renamed.to : id, text]),
  );
  return { ...facts, descriptions };
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
  const source = await readFile(resolve(dir, file), "utf8");
  const template = renderTemplate(source, parameters);
  return { body: template.body, facts: renameInFacts(await loadTemplateFacts(source), template.renamed) };
}

// The resource whose `Type:` line (block style, under the top-level Resources) is the Deployment type.
function findDeployment(body: string): { logicalId: string; line: number } | undefined {
  const lines = body.split("\n");
  let inResources = false;
  let resourceIndent: number | undefined;
  let current: { logicalId: string; line: number; indent: number } | undefined;
  for (const [index, line] of lines.entries()) {
    if (isComment(line) || line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inResources = /^Resources:\s*$/.test(line);
      current = undefined;
      continue;
    }
    if (!inResources) continue;
    resourceIndent ??= indent;
    const key = /^\s*([A-Za-z0-9]+):\s*$/.exec(line);
    if (indent === resourceIndent && key) {
      current = { logicalId: key[1]!, line: index, indent };
      continue;
    }
    const type = /^\s*Type:\s*["']?([\w:]+)["']?\s*(#.*)?$/.exec(line);
    if (current && type?.[1] === DEPLOYMENT_TYPE && indent > current.indent) return current;
  }
  return undefined;
}

function isComment(line: string): boolean {
  return line.trimStart().startsWith("#");
}

// Every way one line of a template names another resource, and nothing else (prose in a Description, a
// parameter called DeploymentName): !Ref/Ref:, !GetAtt/Fn::GetAtt, ${Id} in a !Sub, DependsOn inline or
// as a flow list. (Block-style DependsOn lists span lines: renderTemplate follows those.)
function renameReferences(line: string, from: string, to: string): string {
  const id = escape(from);
  const end = "(?![\\w-])";
  return line
    .replace(new RegExp(`(!Ref\\s+|Ref:\\s+)(["']?)${id}\\2${end}`, "g"), `$1$2${to}$2`)
    .replace(new RegExp(`(!GetAtt\\s+)${id}(?=\\.)`, "g"), `$1${to}`)
    .replace(new RegExp(`((?:!GetAtt|(["']?)Fn::GetAtt\\2:)\\s*\\[\\s*)${id}(?=\\s*,)`, "g"), `$1${to}`)
    .replace(new RegExp(`\\$\\{${id}(?=[.}])`, "g"), `\${${to}`)
    .replace(new RegExp(`(DependsOn:\\s*)${id}${end}`, "g"), `$1${to}`)
    .replace(new RegExp(`(DependsOn:\\s*\\[[^\\]]*?)(?<=[\\[,\\s])${id}(?=\\s*[,\\]])`, "g"), `$1${to}`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
