// The answers file, like SAM's samconfig.toml: what a guided run decided, kept so later runs need no
// re-typing. Read strictly (a broken file stops the run before anything is done), written atomically.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { ANSWER_KEYS, type AnswerText, CONNECT_KEYS, type ConnectAnswers } from "./answers.js";
import { jsonErrorAt } from "./json-error.js";

/** Where the answers are kept when no --config names a file: the working directory. */
export const DEFAULT_CONFIG_FILE = "xregion-private-api.json";

/** The last verification's outcome, kept in the answers file for `status`. */
export interface LastVerify {
  readonly ok: boolean;
  readonly at: string;
  readonly summary: string;
}

/** Whose answers a file holds: a deployment's (the three stacks; files without a kind) or a connection's. */
export type AnswersKind = "deployment" | "connection";

/** The answers file: whose answers, the answers (a connection's name, regions and profile among them), and the last verification. */
export interface AnswersFile {
  // Undefined: a deployment's (files written before connections existed have no kind).
  readonly kind?: AnswersKind | undefined;
  readonly answers: Partial<AnswerText>;
  // A connection's answers, when kind is "connection".
  readonly connection?: Partial<ConnectAnswers> | undefined;
  readonly lastVerify?: LastVerify | undefined;
}

/** The answers file's path: --config, else the default in the working directory. */
export function configPath(flag: string | undefined, cwd = process.cwd()): string {
  return resolve(cwd, flag ?? DEFAULT_CONFIG_FILE);
}

/**
 * A missing file is normal (a first run, or a --config that deploy is to create) unless `mustExist` (a
 * --config given to a command that only reads a deployment's answers); a broken one stops the run with
 * exit 2 before anything is done, never silently ignored and never overwritten.
 */
// Like `sam deploy` since aws-sam-cli#2316 ("Error reading configuration: Unexpected character … at
// line 3 col 13"), because the file holds what the user chose.
export function loadAnswersFile(path: string, mustExist: boolean): AnswersFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (mustExist) {
        throw new UsageError(`--config ${path} does not exist: deploy creates it with its answers (plan reads it as empty); check the path, or drop --config to use ./${DEFAULT_CONFIG_FILE}`);
      }
      return undefined;
    }
    if (code === "EISDIR") {
      throw new UsageError(`${path} is a folder, not an answers file: rename or remove that folder, or pass --config with a file's path`);
    }
    if (code === "EACCES" || code === "EPERM") {
      throw new UsageError(`${path} cannot be read (permission denied): make it readable (chmod u+r), or pass --config with another file`);
    }
    throw new UsageError(`cannot read ${path} (${code ?? (error as Error).message}): fix that, or pass --config with another file`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path} is not valid JSON (${jsonErrorAt(text, (error as Error).message)}): fix it there, or delete the file and answer the questions again; it is left as it is`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UsageError(`${path} must hold a JSON object: fix it or delete it`);
  }
  const record = data as Record<string, unknown>;
  const kind = record["kind"];
  if (kind !== undefined && kind !== "deployment" && kind !== "connection") {
    throw new UsageError(`${path}: "kind" must be "deployment" or "connection": fix the file or delete it`);
  }
  const strings = (keys: readonly string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const key of keys) {
      const value = record[key];
      if (value === undefined) continue;
      if (typeof value !== "string") throw new UsageError(`${path}: "${key}" must be a string: fix the file or pass the flag instead`);
      out[key] = value;
    }
    return out;
  };
  const answers = strings(ANSWER_KEYS) as Partial<AnswerText>;
  const lastVerify = parseLastVerify(record["lastVerify"]);
  if (kind !== "connection") return { answers, lastVerify };
  const probe = record["probe"];
  if (probe !== undefined && typeof probe !== "boolean") throw new UsageError(`${path}: "probe" must be true or false: fix the file or pass --probe or --no-probe instead`);
  const connection = { ...strings(CONNECT_KEYS.filter((key) => key !== "probe")), ...(probe === undefined ? {} : { probe }) } as Partial<ConnectAnswers>;
  return { kind, answers, connection, lastVerify };
}

function parseLastVerify(value: unknown): LastVerify | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v["ok"] !== "boolean" || typeof v["at"] !== "string") return undefined;
  return { ok: v["ok"], at: v["at"], summary: typeof v["summary"] === "string" ? v["summary"] : "" };
}

/**
 * Written through a temporary file so an interrupted run never leaves half a file behind. A file that
 * cannot be written is no reason to stop a run: the answer is the problem, for a warning, or undefined.
 */
export function saveAnswersFile(path: string, file: AnswersFile): string | undefined {
  const body: Record<string, unknown> = {};
  if (file.kind === "connection") {
    body["kind"] = "connection";
    for (const key of CONNECT_KEYS) {
      const value = file.connection?.[key];
      if (value !== undefined) body[key] = value;
    }
  } else {
    for (const key of ANSWER_KEYS) {
      const value = file.answers[key];
      if (value !== undefined) body[key] = value;
    }
  }
  if (file.lastVerify) body["lastVerify"] = file.lastVerify;
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(body, null, 2)}\n`);
    renameSync(temp, path);
    return undefined;
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EACCES" || code === "EPERM" || code === "EROFS" ? `its folder is not writable (${code})` : code === "EISDIR" ? "a folder is in the way (EISDIR)" : (code ?? (error as Error).message);
    return `could not save ${path}: ${why}; pass --config with a writable path to keep the answers`;
  }
}
