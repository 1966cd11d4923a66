// The two connect templates as the tool sends them. The probe function is stage 2's client function, and
// its inline code has one source: templates/2-client.yaml. connect-client.yaml holds a one-line marker in its
// place, which rendering replaces with that code (text only, no YAML parser: a deploy loads none,
// docs/how-it-is-built.md). The resource ids do not change, so the facts of the shipped file (descriptions,
// IAM) apply.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { TemplateFacts } from "../../aws/template-facts.js";
import { loadTemplateFacts, templatesDir } from "../../aws/templates.js";

/** The connect templates, by the stack they make. */
export const CONNECT_TEMPLATES = { client: "connect-client.yaml", api: "connect-api.yaml" } as const;

/** Which connect stack: the client side (region B) or the API side (region A). */
export type ConnectStackKey = keyof typeof CONNECT_TEMPLATES;

/** CreateChangeSet's TemplateBody holds at most 51,200 bytes (CloudFormation API reference, CreateChangeSet). */
export const TEMPLATE_BODY_LIMIT = 51_200;

const STAGE_2 = "2-client.yaml";
const CODE_OWNER = /^ {2}ClientFunction:\s*$/;
const CODE_START = /^(\s*)ZipFile: \|\s*$/;
const MARKER = /^(\s*)ZipFile: "\/\/ xregion-private-api: rendered by the tool from templates\/2-client\.yaml's ClientFunction code"\s*$/;

/** connect-client.yaml with stage 2's client function code in place of the probe's marker. */
export function withProbeCode(connectClient: string, stage2: string): string {
  const code = clientCode(stage2);
  const lines = connectClient.split("\n");
  const at = lines.findIndex((line) => MARKER.test(line));
  if (at === -1) throw new Error(`${CONNECT_TEMPLATES.client}: the probe's ZipFile marker is missing`);
  const indent = MARKER.exec(lines[at]!)![1]!;
  const body = code.lines.map((line) => (line.trim() === "" ? "" : `${indent}  ${line.slice(code.indent)}`));
  return [...lines.slice(0, at), `${indent}ZipFile: |`, ...body, ...lines.slice(at + 1)].join("\n");
}

// The block scalar under ClientFunction's `ZipFile: |`: its lines and their common indentation.
function clientCode(stage2: string): { lines: string[]; indent: number } {
  const lines = stage2.split("\n");
  const owner = lines.findIndex((line) => CODE_OWNER.test(line));
  const start = owner === -1 ? -1 : lines.findIndex((line, i) => i > owner && CODE_START.test(line));
  if (start === -1) throw new Error(`${STAGE_2}: ClientFunction's inline code (ZipFile: |) is missing`);
  const keyIndent = CODE_START.exec(lines[start]!)![1]!.length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== "" && line.length - line.trimStart().length <= keyIndent) break;
    body.push(line);
  }
  while (body.at(-1)?.trim() === "") body.pop();
  const indent = Math.min(...body.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return { lines: body, indent };
}

/** A connect template as deployed, with the shipped file's facts (looked up by its hash, no YAML parser). */
export async function loadConnectTemplate(key: ConnectStackKey, dir: string = templatesDir()): Promise<{ readonly body: string; readonly facts: TemplateFacts }> {
  const source = await readFile(resolve(dir, CONNECT_TEMPLATES[key]), "utf8");
  const body = key === "client" ? withProbeCode(source, await readFile(resolve(dir, STAGE_2), "utf8")) : source;
  return { body, facts: await loadTemplateFacts(source) };
}
