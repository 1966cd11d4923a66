// The facts of the shipped templates, computed by the build (dist/template-facts.json, keyed by the
// SHA-256 of each template's text). A template that is not there — run from the sources, or edited after
// the build — is parsed instead, with the YAML parser loaded only then.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { findUp } from "../find-up.js";
import type { TemplateFacts } from "./template-facts.js";

export const FACTS_FILE = "template-facts.json";

export type FactsByHash = Readonly<Record<string, TemplateFacts>>;

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

export async function loadTemplateFacts(body: string, from: string = import.meta.url): Promise<TemplateFacts> {
  const shipped = shippedFacts(from)[templateHash(body)];
  if (shipped) return shipped;
  const { templateFacts } = await import("./template-facts.js");
  return templateFacts(body);
}
