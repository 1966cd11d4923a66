import { dirname } from "node:path";
import { findUp } from "./find-up.js";

// The templates ship beside the code: next to dist/ in the package, next to src/ in the repository.
export function templatesDir(from: string = import.meta.url): string {
  const first = findUp(from, "templates/1-api.yaml");
  if (!first) throw new Error("templates/ not found beside the program: the package is incomplete; reinstall it");
  return dirname(first);
}
