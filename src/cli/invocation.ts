// How this process was started, as the words a person types to start it again: the "next:" commands and
// the equivalent command must work the way the tool was run (the package is not on the registry yet, so
// a printed `npx xregion-private-api` only works where npx finds the package).
import { delimiter, dirname, isAbsolute, relative, sep } from "node:path";
import { BIN } from "./flags.js";

const NPX = `npx ${BIN}`;

/**
 * The command that starts this tool the way it was started, read from the script path Node was given:
 * `npx xregion-private-api` for a bin in npx's cache or a project's node_modules/.bin (npx, npm exec, npm
 * scripts: npx finds it again from that folder), the bare name for a bin on PATH (a global install),
 * otherwise `node <path to cli.js>` (a clone, or a copy of dist/). npm's variables only confirm a bin:
 * whatever an npm script spawns inherits them.
 */
export function invocation(argv1: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (argv1 === undefined) return NPX;
  const parts = argv1.split(sep);
  const dir = dirname(argv1);
  if (parts.at(-1) === BIN) {
    if (parts.includes("_npx") || dir.endsWith(`${sep}node_modules${sep}.bin`) || env["npm_lifecycle_event"] === "npx") return NPX;
    if ((env["PATH"] ?? "").split(delimiter).includes(dir)) return BIN;
  }
  const path = relative(cwd, argv1);
  return `node ${shellWord(path.startsWith("..") || isAbsolute(path) ? argv1 : path)}`;
}

// A path as one shell word: quoted only when it holds something a shell would split or expand.
function shellWord(text: string): string {
  return /^[\w./+:@%=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
