// The shipped templates, loaded once per test file: the three stages next to the stage contract they must
// meet, and the two connect templates as the tool renders them.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONNECT_TEMPLATES, withProbeCode, type ConnectStackKey } from "../../src/steps/connect/templates.js";
import { STAGES, type StageDef } from "../../src/steps/stages.js";
import { loadTemplate, parseTemplate, type Json, type JsonObject, type Template, type TemplateResource } from "./cfn-yaml.js";

export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");

export interface LoadedStage {
  readonly stage: StageDef;
  readonly path: string;
  readonly template: Template;
}

export function loadStages(): LoadedStage[] {
  return STAGES.map((stage) => {
    const path = join(TEMPLATES_DIR, stage.template);
    return { stage, path, template: loadTemplate(path) };
  });
}

export function resourcesOfType(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function onlyResourceOfType(template: Template, type: string): [string, TemplateResource] {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0]!;
}

export function props(resource: TemplateResource): JsonObject {
  return resource.Properties ?? {};
}

export function asArray(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function asObject(value: Json | undefined): JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A connect template: the shipped file parsed, and (client) as the tool renders it, with the probe's code. */
export interface LoadedConnect {
  readonly key: ConnectStackKey;
  readonly file: string;
  readonly path: string;
  readonly template: Template;
  readonly body: string;
}

export function loadConnect(): LoadedConnect[] {
  const stage2 = readFileSync(join(TEMPLATES_DIR, "2-client.yaml"), "utf8");
  return (Object.entries(CONNECT_TEMPLATES) as [ConnectStackKey, string][]).map(([key, file]) => {
    const path = join(TEMPLATES_DIR, file);
    const source = readFileSync(path, "utf8");
    const body = key === "client" ? withProbeCode(source, stage2) : source;
    return { key, file, path, template: parseTemplate(body, file), body };
  });
}

/** Every shipped template by file name: the three stages and the two connect stacks (as rendered). */
export function loadAllTemplates(): { readonly file: string; readonly template: Template }[] {
  return [...loadStages().map((s) => ({ file: s.stage.template, template: s.template })), ...loadConnect()];
}
