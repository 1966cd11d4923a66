// Loads a CloudFormation YAML template the way CloudFormation reads it: every short-form intrinsic
// (`!Ref`, `!Sub`, `!GetAtt`, ...) becomes its long form (`{ Ref: ... }`, `{ "Fn::Sub": ... }`), so tests
// can walk plain JSON. Unknown tags, anchors/aliases, duplicate keys and YAML errors all throw.
import { readFileSync } from "node:fs";
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type CollectionTag,
  type ScalarTag,
} from "yaml";

/** Short-form tag → long-form key. */
export const SHORT_FORMS: Readonly<Record<string, string>> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!Sub": "Fn::Sub",
  "!GetAtt": "Fn::GetAtt",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!GetAZs": "Fn::GetAZs",
  "!If": "Fn::If",
  "!Equals": "Fn::Equals",
  "!Not": "Fn::Not",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!FindInMap": "Fn::FindInMap",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!ImportValue": "Fn::ImportValue",
  "!Transform": "Fn::Transform",
  "!Length": "Fn::Length",
  "!ToJsonString": "Fn::ToJsonString",
  "!ForEach": "Fn::ForEach",
};

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Template {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Metadata?: JsonObject;
  readonly Parameters: Record<string, JsonObject>;
  readonly Conditions?: JsonObject;
  readonly Mappings?: JsonObject;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs: Record<string, JsonObject>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: JsonObject;
  readonly Metadata?: JsonObject;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

// The tags only mark nodes (their values are kept as parsed); the conversion to long form happens in
// one walk over the document below, which sees nested tags in the right order.
const customTags: (ScalarTag | CollectionTag)[] = Object.keys(SHORT_FORMS).flatMap((tag) => [
  { tag, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, collection: "seq", resolve: (value: unknown) => value } satisfies CollectionTag,
  { tag, collection: "map", resolve: (value: unknown) => value } satisfies CollectionTag,
]);

function longForm(tag: string, value: Json, where: string): Json {
  const key = SHORT_FORMS[tag];
  if (key === undefined) throw new Error(`unknown tag ${tag} at ${where}`);
  if (tag === "!GetAtt" && typeof value === "string") {
    // "Resource.Attribute" (the attribute itself may contain dots, e.g. Endpoint.Address).
    const dot = value.indexOf(".");
    if (dot <= 0) throw new Error(`!GetAtt ${value} at ${where}: expected Resource.Attribute`);
    return { [key]: [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [key]: value };
}

function convert(node: unknown, where: string): Json {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) throw new Error(`YAML alias at ${where}: CloudFormation templates should not use anchors`);
  let value: Json;
  let tag: string | undefined;
  if (isScalar(node)) {
    tag = node.tag;
    const v = node.value;
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") value = v;
    else throw new Error(`unsupported scalar ${String(v)} at ${where}`);
  } else if (isSeq(node)) {
    tag = node.tag;
    value = node.items.map((item, i) => convert(item, `${where}[${i}]`));
  } else if (isMap(node)) {
    tag = node.tag;
    const obj: JsonObject = {};
    for (const pair of node.items) {
      const k = pair.key;
      if (!isScalar(k) || k.tag !== undefined) throw new Error(`non-scalar or tagged key at ${where}`);
      const name = String(k.value);
      obj[name] = convert(pair.value, `${where}.${name}`);
    }
    value = obj;
  } else {
    throw new Error(`unexpected YAML node at ${where}`);
  }
  if (tag !== undefined && tag.startsWith("!")) return longForm(tag, value, where);
  return value;
}

/** Parses CloudFormation YAML text into long-form JSON. */
export function parseTemplate(text: string, source = "template"): Template {
  const doc = parseDocument(text, { customTags, uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.map((p) => p.message).join("\n")}`);
  }
  const json = convert(doc.contents, "$");
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error(`${source}: the template is not a mapping`);
  }
  const t = json as Record<string, unknown>;
  return {
    ...(t as object),
    Parameters: (t.Parameters ?? {}) as Template["Parameters"],
    Resources: (t.Resources ?? {}) as Template["Resources"],
    Outputs: (t.Outputs ?? {}) as Template["Outputs"],
  } as Template;
}

/** Reads and parses a CloudFormation YAML template file. */
export function loadTemplate(path: string): Template {
  return parseTemplate(readFileSync(path, "utf8"), path);
}

/** Calls `visit` for every value in a JSON tree, with a readable path. */
export function walk(value: Json, visit: (value: Json, path: string) => void, path = "$"): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}[${i}]`));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}.${k}`);
  }
}

/** True for a one-key object whose key is an intrinsic function (`Ref`, `Fn::*`, `Condition`). */
export function isIntrinsic(value: Json | undefined): value is JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0] === "Condition" || keys[0]!.startsWith("Fn::"));
}
