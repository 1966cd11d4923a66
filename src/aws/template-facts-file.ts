// The facts of the shipped templates, computed by the build (dist/template-facts.json, keyed by the
// SHA-256 of each template's text). A template that is not there — run from the sources, or edited after
// the build — is parsed instead, with the YAML parser loaded only then.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TemplateFacts } from "./template-facts.js";

export const FACTS_FILE = "template-facts.json";

export type FactsByHash = Readonly<Record<string, TemplateFacts>>;

export function templateHash(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

let cached: { readonly from: string; readonly facts: FactsByHash } | undefined;

// The bundle's chunks live in dist/chunks/, the file in dist/: the nearest one up from this module.
function shippedFacts(from: string): FactsByHash {
  if (cached?.from === from) return cached.facts;
  let facts: FactsByHash = {};
  for (let dir = dirname(fileURLToPath(from)); ; dir = dirname(dir)) {
    const candidate = join(dir, FACTS_FILE);
    if (existsSync(candidate)) {
      facts = JSON.parse(readFileSync(candidate, "utf8")) as FactsByHash;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  cached = { from, facts };
  return facts;
}

export async function loadTemplateFacts(body: string, from: string = import.meta.url): Promise<TemplateFacts> {
  const shipped = shippedFacts(from)[templateHash(body)];
  if (shipped) return shipped;
  const { templateFacts } = await import("./template-facts.js");
  return templateFacts(body);
}
