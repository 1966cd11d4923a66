// Each answer resolves the same way, in one place: flag, then the answers file, then a prompt when a
// terminal is there to ask on, then the default — or a usage error naming the flag to pass.
import { UsageError } from "../errors.js";
import { DEFAULTS, FLAG_OF, type AnswerKey, type Answers } from "./answers.js";
import { canonicalCidr, cidrPairProblem, cidrProblem, nameProblem, regionPairProblem, regionProblem, splitZones, zonesProblem } from "./validate.js";

/** Where answers come from, in order: flags, then the answers file. */
export interface AnswerSources {
  readonly flags: Partial<Answers>;
  readonly file: Partial<Answers> | undefined;
  readonly filePath: string;
}

/**
 * Implemented by the terminal UI; only ever called when stdin is a TTY. Each question validates as the
 * user types, with the same validators the flags use, so what it returns is already valid.
 */
export interface Asker {
  name(initial: string): Promise<string>;
  region(role: "api" | "client", initial: string | undefined, other: string | undefined): Promise<string>;
  cidr(role: "api" | "client", initial: string, other: string | undefined): Promise<string>;
}

/** Answers resolved, with which were asked (to print the command without questions). */
export interface Resolved {
  readonly answers: Answers;
  readonly asked: readonly AnswerKey[];
}

const EXAMPLE: Record<AnswerKey, string> = {
  name: DEFAULTS.name,
  apiRegion: "us-east-1",
  clientRegion: "eu-west-1",
  apiCidr: DEFAULTS.apiCidr,
  clientCidr: DEFAULTS.clientCidr,
  profile: "default",
  apiAzs: "us-east-1a,us-east-1b",
  clientAzs: "eu-west-1a,eu-west-1b",
};

/**
 * "locate" is for commands that only find an existing deployment (status, verify, teardown): they need the
 * name and the regions, and never ask about address ranges.
 */
export type Scope = "all" | "locate";

/**
 * `acceptDefaults` (--yes) takes the defaults of optional answers instead of asking; required answers
 * (the regions) are still asked for when a terminal is there.
 */
export async function resolveAnswers(
  sources: AnswerSources,
  asker: Asker | undefined,
  scope: Scope = "all",
  acceptDefaults = false,
): Promise<Resolved> {
  const asked: AnswerKey[] = [];

  // A given value (flag or file) with its label for messages, after validation.
  function given(key: AnswerKey, validate: (value: string, label: string) => string | undefined): string | undefined {
    const fromFlag = sources.flags[key];
    if (fromFlag !== undefined) return checked(fromFlag, FLAG_OF[key], validate);
    const fromFile = sources.file?.[key];
    if (fromFile !== undefined) return checked(fromFile, `"${key}" in ${sources.filePath}`, validate);
    return undefined;
  }

  function missing(key: AnswerKey): never {
    throw new UsageError(`${FLAG_OF[key]} is required when there is no terminal to ask on: pass ${FLAG_OF[key]} ${EXAMPLE[key]}`);
  }

  // Every given value is checked before the first question: a typo in a flag must not wait for answers.
  const nameGiven = given("name", nameProblem);
  const apiRegionGiven = given("apiRegion", regionProblem);
  const clientRegionGiven = given("clientRegion", regionProblem);
  if (apiRegionGiven !== undefined && clientRegionGiven !== undefined) {
    fail(regionPairProblem(apiRegionGiven, clientRegionGiven, labelsFor("apiRegion", "clientRegion")));
  }
  const apiCidrGiven = await givenCidr("apiCidr");
  const clientCidrGiven = await givenCidr("clientCidr");
  if (apiCidrGiven !== undefined && clientCidrGiven !== undefined) {
    fail(await cidrPairProblem(apiCidrGiven, clientCidrGiven, labelsFor("apiCidr", "clientCidr")));
  }
  // Zones given for a region already given are checked now too (they are read again once both are known).
  if (scope === "all" && apiRegionGiven !== undefined) zones("apiAzs", apiRegionGiven);
  if (scope === "all" && clientRegionGiven !== undefined) zones("clientAzs", clientRegionGiven);

  const optionalAsker = acceptDefaults ? undefined : asker;
  const name = nameGiven ?? (optionalAsker ? await ask("name", () => optionalAsker.name(DEFAULTS.name)) : DEFAULTS.name);

  const apiRegion = apiRegionGiven ?? (asker ? await ask("apiRegion", () => asker.region("api", undefined, undefined)) : missing("apiRegion"));
  const clientRegion =
    clientRegionGiven ?? (asker ? await ask("clientRegion", () => asker.region("client", undefined, apiRegion)) : missing("clientRegion"));
  fail(regionPairProblem(apiRegion, clientRegion, labelsFor("apiRegion", "clientRegion")));

  const rangeAsker = scope === "all" ? optionalAsker : undefined;
  const apiCidr = apiCidrGiven ?? (rangeAsker ? await ask("apiCidr", () => rangeAsker.cidr("api", DEFAULTS.apiCidr, undefined)) : DEFAULTS.apiCidr);
  const clientDefault = clientCidrGiven ?? (await defaultClientCidr(apiCidr));
  const clientCidr = clientCidrGiven ?? (rangeAsker ? await ask("clientCidr", () => rangeAsker.cidr("client", clientDefault, apiCidr)) : clientDefault);
  fail(await cidrPairProblem(apiCidr, clientCidr, labelsFor("apiCidr", "clientCidr")));

  const profile = sources.flags.profile ?? sources.file?.profile;
  const apiAzs = scope === "all" ? zones("apiAzs", apiRegion) : undefined;
  const clientAzs = scope === "all" ? zones("clientAzs", clientRegion) : undefined;
  return {
    answers: {
      name,
      apiRegion,
      clientRegion,
      apiCidr,
      clientCidr,
      ...(profile ? { profile } : {}),
      ...(apiAzs ? { apiAzs } : {}),
      ...(clientAzs ? { clientAzs } : {}),
    },
    asked,
  };

  // Zones are never asked for: preflight chooses them. Saved zones of a region since changed by a flag
  // no longer apply and are dropped; anything else wrong with them is an error naming the file.
  function zones(key: "apiAzs" | "clientAzs", region: string): string | undefined {
    const fromFlag = sources.flags[key];
    const fromFile = sources.file?.[key];
    const stale = fromFlag === undefined && fromFile !== undefined && !splitZones(fromFile).every((z) => z.startsWith(region));
    const value = stale ? undefined : given(key, (text, label) => zonesProblem(text, label, region));
    return value === undefined ? undefined : splitZones(value).join(",");
  }

  // A range given by flag or file: checked (which loads the range parser), then written as the tool writes it.
  async function givenCidr(key: "apiCidr" | "clientCidr"): Promise<string | undefined> {
    const fromFlag = sources.flags[key];
    const fromFile = sources.file?.[key];
    const value = fromFlag ?? fromFile;
    if (value === undefined) return undefined;
    fail(await cidrProblem(value, fromFlag !== undefined ? FLAG_OF[key] : `"${key}" in ${sources.filePath}`));
    return canonicalCidr(value.trim());
  }

  async function ask(key: AnswerKey, question: () => Promise<string>): Promise<string> {
    asked.push(key);
    return question();
  }

  function labelsFor(api: AnswerKey, client: AnswerKey): { api: string; client: string } {
    const label = (key: AnswerKey) =>
      sources.flags[key] === undefined && sources.file?.[key] !== undefined ? `"${key}" in ${sources.filePath}` : FLAG_OF[key];
    return { api: label(api), client: label(client) };
  }
}

function checked(value: string, label: string, validate: (value: string, label: string) => string | undefined): string {
  fail(validate(value, label));
  return value.trim();
}

function fail(problem: string | undefined): void {
  if (problem) throw new UsageError(problem);
}


/** The client's default moves out of the way when the API range was chosen on top of it. */
export async function defaultClientCidr(apiCidr: string): Promise<string> {
  const { parseCidr, suggestFree } = await import("../net/index.js");
  const api = parseCidr(apiCidr);
  const preferred = parseCidr(DEFAULTS.clientCidr);
  if (!api || !preferred) return DEFAULTS.clientCidr;
  if (preferred.last < api.first || preferred.first > api.last) return DEFAULTS.clientCidr;
  return suggestFree(preferred.prefix, [api], api)?.text ?? DEFAULTS.clientCidr;
}
