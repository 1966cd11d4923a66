import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// What ships beside the code (templates/, template-facts.json) sits at a different depth from the bundle's
// chunks and from the sources: the nearest `relative` path up from the module at `from`, if any.
export function findUp(from: string, relative: string): string | undefined {
  for (let dir = dirname(fileURLToPath(from)); ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
