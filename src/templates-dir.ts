import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The templates ship beside the code: next to dist/ in the package, next to src/ in the repository.
// Walking up from this module finds them in both layouts without a build-time path.
export function templatesDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, "templates");
    if (existsSync(join(candidate, "1-api.yaml"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("templates/ not found beside the program: the package is incomplete; reinstall it");
    dir = parent;
  }
}
