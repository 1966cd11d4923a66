// The three shipped templates, loaded once per test file, next to the stage contract they must meet.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { STAGES, type StageDef } from "../../src/steps/stages.js";
import { loadTemplate, type Json, type JsonObject, type Template, type TemplateResource } from "./cfn-yaml.js";

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
