// The one shape every run resolves to, whatever mixture of flags, answers file and prompts produced it,
// and the answers file it is saved in.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { jsonErrorAt } from "./json-error.js";

/** One client region: where its client function runs, its VPC's range, and its two zones (unset: preflight chooses). */
export interface ClientAnswer {
  readonly region: string;
  readonly cidr: string;
  // Two Availability Zones of this region, "eu-west-1a,eu-west-1b".
  readonly azs?: string | undefined;
}

/** The one shape every run resolves to, whatever mixture of flags, file and prompts made it. */
export interface Answers {
  readonly name: string;
  readonly apiRegion: string;
  readonly apiCidr: string;
  // One or more, in the order given: the first is the one stage 1's own rule admits on a new deployment.
  readonly clients: readonly ClientAnswer[];
  readonly profile?: string | undefined;
  // Two Availability Zones for the API VPC, "us-east-1a,us-east-1b"; unset, preflight chooses them.
  readonly apiAzs?: string | undefined;
}

/**
 * The answers as flags and the answers file write them: one string each. The client keys hold lists,
 * comma-separated in the regions' order ("eu-west-1,ap-southeast-2"; --client-azs two zones per region),
 * so a file written for one client region reads the same.
 */
export interface AnswerText {
  readonly name: string;
  readonly apiRegion: string;
  readonly clientRegion: string;
  readonly apiCidr: string;
  readonly clientCidr: string;
  readonly profile: string;
  readonly apiAzs: string;
  readonly clientAzs: string;
}

/** The name of one answer, as flags and the file spell it. */
export type AnswerKey = keyof AnswerText;

/**
 * Regions have no default on purpose: deploying into a region nobody chose costs money and is easy to
 * miss in a CI log. The name and the ranges have safe defaults that never overlap (further client
 * ranges are suggested next to the first).
 */
export const DEFAULTS = {
  name: "xregion",
  apiCidr: "10.10.0.0/16",
  clientCidr: "10.20.0.0/16",
} as const;

/** The flag a user passes for each answer: error messages name it so the fix is one copy-paste away. */
export const FLAG_OF: Record<AnswerKey, string> = {
  name: "--name",
  apiRegion: "--api-region",
  clientRegion: "--client-region",
  apiCidr: "--api-cidr",
  clientCidr: "--client-cidr",
  profile: "--profile",
  apiAzs: "--api-azs",
  clientAzs: "--client-azs",
};

/** A comma-separated answer as its items, trimmed (an empty item kept, for the check that names it). */
export function listItems(text: string): string[] {
  return text.split(",").map((item) => item.trim());
}

/** The client regions, in order. */
export function clientRegions(answers: Pick<Answers, "clients">): string[] {
  return answers.clients.map((client) => client.region);
}

/** What finds each client region of a connection, from answers read as a deployment's: one place per client region named. */
export function connectionPlaces(answers: Pick<Answers, "name" | "apiRegion" | "clients" | "profile">): Pick<ConnectAnswers, "name" | "apiRegion" | "clientRegion" | "profile">[] {
  return answers.clients.map(({ region }) => ({ name: answers.name, apiRegion: answers.apiRegion, clientRegion: region, ...(answers.profile ? { profile: answers.profile } : {}) }));
}

/** The answers as flags and the file write them. */
export function answerText(answers: Answers): Partial<AnswerText> {
  const zones = answers.clients.flatMap((client) => (client.azs ? [client.azs] : []));
  return {
    name: answers.name,
    apiRegion: answers.apiRegion,
    clientRegion: clientRegions(answers).join(","),
    apiCidr: answers.apiCidr,
    clientCidr: answers.clients.map((client) => client.cidr).join(","),
    ...(answers.profile ? { profile: answers.profile } : {}),
    ...(answers.apiAzs ? { apiAzs: answers.apiAzs } : {}),
    ...(zones.length > 0 ? { clientAzs: zones.join(",") } : {}),
  };
}

/**
 * The answers as the file keeps them once some client regions are torn down: those regions gone from the
 * lists, each remaining region with its own range and zones.
 */
export function withoutClientRegions(text: Partial<AnswerText>, removed: readonly string[]): Partial<AnswerText> {
  if (text.clientRegion === undefined) return text;
  const regions = listItems(text.clientRegion);
  const ranges = text.clientCidr === undefined ? [] : listItems(text.clientCidr);
  const kept = regions.flatMap((region, i) => (removed.includes(region) ? [] : [{ region, cidr: ranges[i] }]));
  const zones = text.clientAzs === undefined ? [] : listItems(text.clientAzs).filter((zone) => kept.some((k) => zone.startsWith(k.region)));
  const { clientRegion: _regions, clientCidr: _ranges, clientAzs: _zones, ...rest } = text;
  const cidrs = kept.flatMap((k) => (k.cidr === undefined ? [] : [k.cidr]));
  return {
    ...rest,
    ...(kept.length > 0 ? { clientRegion: kept.map((k) => k.region).join(",") } : {}),
    ...(cidrs.length === kept.length && cidrs.length > 0 ? { clientCidr: cidrs.join(",") } : {}),
    ...(zones.length > 0 ? { clientAzs: zones.join(",") } : {}),
  };
}

/** The answers file, like SAM's samconfig.toml: what a guided run decided, so later runs need no re-typing. */
export const DEFAULT_CONFIG_FILE = "xregion-private-api.json";

/** The last verification's outcome, kept in the answers file for `status`. */
export interface LastVerify {
  readonly ok: boolean;
  readonly at: string;
  readonly summary: string;
}

/** Whose answers a file holds: a deployment's (the three stacks; files without a kind) or a connection's. */
export type AnswersKind = "deployment" | "connection";

/** A connection's answers (connect): where the API and the client are, and how to join them. */
export interface ConnectAnswers {
  readonly name: string;
  readonly apiRegion: string;
  // One or more client regions, comma-separated; the client keys below then hold one item (or group) per region.
  readonly clientRegion: string;
  readonly profile?: string | undefined;
  readonly apiId: string;
  // Unset: the API's only stage.
  readonly stage?: string | undefined;
  // Unset: the endpoint the API names or its policy admits.
  readonly endpoint?: string | undefined;
  // The client: a function (name or ARN), or a VPC with its subnets and groups (comma-separated; unset: all, the default group).
  // Several regions: functions and VPCs comma-separated, subnets and groups one group per region separated by ";".
  readonly function?: string | undefined;
  readonly clientVpc?: string | undefined;
  readonly clientSubnets?: string | undefined;
  readonly clientSecurityGroups?: string | undefined;
  // auto, new, or a pcx id.
  readonly peering: string;
  readonly probe: boolean;
}

/** A connection's answers by name, in the order the file and the equivalent command list them. */
export const CONNECT_KEYS = [
  "name",
  "apiRegion",
  "apiId",
  "stage",
  "endpoint",
  "clientRegion",
  "function",
  "clientVpc",
  "clientSubnets",
  "clientSecurityGroups",
  "peering",
  "probe",
  "profile",
] as const satisfies readonly (keyof ConnectAnswers)[];

/** The flag of each of a connection's answers. */
export const CONNECT_FLAG_OF: Record<keyof ConnectAnswers, string> = {
  name: "--name",
  apiRegion: "--api-region",
  clientRegion: "--client-region",
  profile: "--profile",
  apiId: "--api-id",
  stage: "--stage",
  endpoint: "--endpoint",
  function: "--function",
  clientVpc: "--client-vpc",
  clientSubnets: "--client-subnets",
  clientSecurityGroups: "--client-security-groups",
  peering: "--peering",
  probe: "--no-probe",
};

/** The answers file: whose answers, the answers (a connection's name, regions and profile among them), and the last verification. */
export interface AnswersFile {
  // Undefined: a deployment's (files written before connections existed have no kind).
  readonly kind?: AnswersKind | undefined;
  readonly answers: Partial<AnswerText>;
  // A connection's answers, when kind is "connection".
  readonly connection?: Partial<ConnectAnswers> | undefined;
  readonly lastVerify?: LastVerify | undefined;
}

/** Every answer, in the order `--help` lists their flags. */
export const ANSWER_KEYS = ["name", "apiRegion", "clientRegion", "apiCidr", "clientCidr", "profile", "apiAzs", "clientAzs"] as const satisfies readonly AnswerKey[];

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
