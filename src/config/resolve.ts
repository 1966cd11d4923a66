// Each answer resolves the same way, in one place: flag, then the answers file, then a prompt when a
// terminal is there to ask on, then the default — or a usage error naming the flag to pass. The client
// answers are lists (one entry per client region), written comma-separated in flags and the file.
import { UsageError } from "../errors.js";
import { type AnswerKey, type Answers, type AnswerText, type ClientAnswer, DEFAULTS, FLAG_OF, listItems } from "./answers.js";
import {
  canonicalCidr,
  cidrProblem,
  clientRegionsProblem,
  clientZonesProblem,
  nameProblem,
  rangesProblem,
  regionPairProblem,
  regionProblem,
  splitZones,
  zonesOf,
  zonesProblem,
} from "./validate.js";

/** Where answers come from, in order: flags, then the answers file (a deployment's, or a connection's). */
export interface AnswerSources<T extends object = AnswerText> {
  readonly flags: Partial<T>;
  readonly file: Partial<T> | undefined;
  readonly filePath: string;
}

/** A range a question must stay clear of, and how the question names it. */
export interface TakenRange {
  readonly label: string;
  readonly cidr: string;
}

/**
 * Implemented by the terminal UI; only ever called when stdin is a TTY. Each question validates as the
 * user types, with the same validators the flags use, so what it returns is already valid.
 */
export interface Asker {
  name(initial: string): Promise<string>;
  // `other`: region A, for a client region's question; `taken`: the client regions chosen so far.
  region(role: "api" | "client", initial: string | undefined, other: string | undefined, taken?: readonly string[]): Promise<string>;
  // After each client region: whether to add another (`count` chosen so far).
  moreClients(count: number): Promise<boolean>;
  // `taken`: the ranges this one must not overlap; `region`: the client region the range is for.
  cidr(role: "api" | "client", initial: string, taken: readonly TakenRange[], region?: string): Promise<string>;
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
  const label = (key: AnswerKey) => (sources.flags[key] === undefined && sources.file?.[key] !== undefined ? `"${key}" in ${sources.filePath}` : FLAG_OF[key]);

  // A given value (flag or file) with its label for messages, after validation.
  function given(key: AnswerKey, validate: (value: string, label: string) => string | undefined): string | undefined {
    const value = sources.flags[key] ?? sources.file?.[key];
    return value === undefined ? undefined : checked(value, label(key), validate);
  }

  function missing(key: AnswerKey): never {
    throw new UsageError(`${FLAG_OF[key]} is required when there is no terminal to ask on: pass ${FLAG_OF[key]} ${EXAMPLE[key]}`);
  }

  // Every given value is checked before the first question: a typo in a flag must not wait for answers.
  const nameGiven = given("name", nameProblem);
  const apiRegionGiven = given("apiRegion", regionProblem);
  const clientRegionsGiven = given("clientRegion", clientRegionsProblem);
  const regionsGiven = clientRegionsGiven === undefined ? undefined : listItems(clientRegionsGiven);
  if (apiRegionGiven !== undefined && regionsGiven !== undefined) pairs(apiRegionGiven, regionsGiven);
  const apiCidrGiven = await givenCidr("apiCidr");
  const clientCidrsGiven = await givenClientCidrs();
  const rangesOf = (regions: readonly string[]) => regions.map((region, i) => clientCidrsGiven.byPosition[i] ?? clientCidrsGiven.byRegion.get(region));
  {
    // Before the regions are known, the given ranges in their order; without --api-cidr, among themselves.
    const known = regionsGiven
      ? regionsGiven.flatMap((region, i) => {
          const cidr = rangesOf(regionsGiven)[i];
          return cidr === undefined ? [] : [{ region, cidr }];
        })
      : clientCidrsGiven.byPosition.flatMap((cidr) => (cidr === undefined ? [] : [{ region: "", cidr }]));
    fail(await rangesProblem(apiCidrGiven === undefined ? undefined : { label: label("apiCidr"), cidr: apiCidrGiven }, known.map((c) => ({ ...c, label: label("clientCidr") }))));
  }
  // Zones given for a region already given are checked now too (they are read again once all are known).
  if (scope === "all" && apiRegionGiven !== undefined) apiZones(apiRegionGiven);
  if (scope === "all" && regionsGiven !== undefined) clientZones(regionsGiven);

  const optionalAsker = acceptDefaults ? undefined : asker;
  const name = nameGiven ?? (optionalAsker ? await ask("name", () => optionalAsker.name(DEFAULTS.name)) : DEFAULTS.name);

  const apiRegion = apiRegionGiven ?? (asker ? await ask("apiRegion", () => asker.region("api", undefined, undefined)) : missing("apiRegion"));
  const regions = regionsGiven ?? (asker ? await askClientRegions(asker, apiRegion) : missing("clientRegion"));
  pairs(apiRegion, regions);

  const rangeAsker = scope === "all" ? optionalAsker : undefined;
  const apiCidr =
    apiCidrGiven ?? (rangeAsker ? await ask("apiCidr", () => rangeAsker.cidr("api", DEFAULTS.apiCidr, [])) : DEFAULTS.apiCidr);
  const cidrs = await clientCidrs(regions, rangesOf(regions), apiCidr, rangeAsker);
  const clientLabel = label("clientCidr");
  fail(await rangesProblem({ label: label("apiCidr"), cidr: apiCidr }, regions.map((region, i) => ({ region, cidr: cidrs[i]!, label: clientLabel }))));

  const profile = sources.flags.profile ?? sources.file?.profile;
  const apiAzs = scope === "all" ? apiZones(apiRegion) : undefined;
  const zones = scope === "all" ? clientZones(regions) : undefined;
  const clients: ClientAnswer[] = regions.map((region, i) => {
    const azs = zones === undefined ? [] : zonesOf(zones, region);
    return { region, cidr: cidrs[i]!, ...(azs.length > 0 ? { azs: azs.join(",") } : {}) };
  });
  return {
    answers: { name, apiRegion, apiCidr, clients, ...(profile ? { profile } : {}), ...(apiAzs ? { apiAzs } : {}) },
    asked,
  };

  // Each client region beside region A: another region of its partition.
  function pairs(api: string, clients: readonly string[]): void {
    for (const client of clients) fail(regionPairProblem(api, client, { api: label("apiRegion"), client: label("clientRegion") }));
  }

  // One client region, then another while the person wants more (the question validates each as typed).
  async function askClientRegions(terminal: Asker, api: string): Promise<string[]> {
    asked.push("clientRegion");
    const chosen = [await terminal.region("client", undefined, api, [])];
    while (await terminal.moreClients(chosen.length)) chosen.push(await terminal.region("client", undefined, api, [...chosen]));
    return chosen;
  }

  // Every client range: given (flag or file), else asked with a free range suggested, else that suggestion.
  // Suggestions keep clear of the API range, the given ranges and the ones chosen before.
  async function clientCidrs(
    regions: readonly string[],
    givenRanges: readonly (string | undefined)[],
    api: string,
    terminal: Asker | undefined,
  ): Promise<string[]> {
    const taken: TakenRange[] = [
      { label: "the API range", cidr: api },
      ...regions.flatMap((region, i) => (givenRanges[i] === undefined ? [] : [{ label: `the range of ${region}`, cidr: givenRanges[i]! }])),
    ];
    const out: string[] = [];
    for (const [i, region] of regions.entries()) {
      const known = givenRanges[i];
      if (known !== undefined) {
        out.push(known);
        continue;
      }
      const suggested = await defaultClientCidr(api, taken.slice(1).map((t) => t.cidr));
      const chosen = terminal ? await askOnce("clientCidr", () => terminal.cidr("client", suggested, [...taken], regions.length > 1 ? region : undefined)) : suggested;
      taken.push({ label: `the range of ${region}`, cidr: chosen });
      out.push(chosen);
    }
    return out;
  }

  // Zones are never asked for: preflight chooses them. Saved zones of a region since changed by a flag
  // no longer apply and are dropped; anything else wrong with them is an error naming the file.
  function apiZones(region: string): string | undefined {
    const fromFlag = sources.flags.apiAzs;
    const fromFile = sources.file?.apiAzs;
    const stale = fromFlag === undefined && fromFile !== undefined && !splitZones(fromFile).every((z) => z.startsWith(region));
    const value = stale ? undefined : given("apiAzs", (text, where) => zonesProblem(text, where, region));
    return value === undefined ? undefined : splitZones(value).join(",");
  }

  // The same per client region: the file's zones of a region no longer listed are dropped.
  function clientZones(regions: readonly string[]): string | undefined {
    const fromFlag = sources.flags.clientAzs;
    const fromFile = sources.file?.clientAzs;
    if (fromFlag !== undefined) return splitZones(checked(fromFlag, FLAG_OF.clientAzs, (text, where) => clientZonesProblem(text, where, regions))).join(",");
    if (fromFile === undefined) return undefined;
    const current = splitZones(fromFile).filter((zone) => regions.some((region) => zone.startsWith(region)));
    if (current.length === 0) return undefined;
    return splitZones(checked(current.join(","), `"clientAzs" in ${sources.filePath}`, (text, where) => clientZonesProblem(text, where, regions))).join(",");
  }

  // A range given by flag or file: checked (which loads the range parser), then written as the tool writes it.
  async function givenCidr(key: "apiCidr"): Promise<string | undefined> {
    const value = sources.flags[key] ?? sources.file?.[key];
    if (value === undefined) return undefined;
    fail(await cidrProblem(value, label(key)));
    return canonicalCidr(value.trim());
  }

  // The client ranges given: --client-cidr in the order of the client regions (fewer leave the rest to the
  // file or a suggestion), the file's by the region they were saved for, so a reordered or longer region
  // list keeps each region's range.
  async function givenClientCidrs(): Promise<{ byPosition: readonly (string | undefined)[]; byRegion: ReadonlyMap<string, string> }> {
    const check = async (text: string | undefined, where: string) => {
      if (text === undefined) return [];
      const items = listItems(text);
      const out: string[] = [];
      for (const item of items) {
        fail(await cidrProblem(item, where));
        out.push(await canonicalCidr(item));
      }
      return out;
    };
    const flagRanges = await check(sources.flags.clientCidr, FLAG_OF.clientCidr);
    const regionCount = listItems(sources.flags.clientRegion ?? sources.file?.clientRegion ?? "").length;
    if (sources.flags.clientCidr !== undefined && flagRanges.length > Math.max(1, regionCount)) {
      throw new UsageError(
        `--client-cidr names ${flagRanges.length} ranges for ${regionCount} client region${regionCount === 1 ? "" : "s"}: pass one range per region, in the order of ${label("clientRegion")}`,
      );
    }
    const fileRanges = await check(sources.file?.clientCidr, `"clientCidr" in ${sources.filePath}`);
    const fileRegions = sources.file?.clientRegion === undefined ? [] : listItems(sources.file.clientRegion);
    if (fileRanges.length > Math.max(1, fileRegions.length)) {
      throw new UsageError(`"clientCidr" in ${sources.filePath} has ${fileRanges.length} ranges for ${fileRegions.length} regions in "clientRegion": one range per region, in the same order; fix the file`);
    }
    // A file without regions (or with a flag naming them) still gives its ranges in order.
    const byRegion = new Map(fileRegions.flatMap((region, i) => (fileRanges[i] === undefined ? [] : [[region, fileRanges[i]!] as const])));
    const byPosition = flagRanges.length > 0 ? flagRanges : fileRegions.length === 0 ? fileRanges : [];
    return { byPosition, byRegion };
  }

  async function ask(key: AnswerKey, question: () => Promise<string>): Promise<string> {
    asked.push(key);
    return question();
  }

  // A question asked once per client region is recorded once.
  async function askOnce(key: AnswerKey, question: () => Promise<string>): Promise<string> {
    if (!asked.includes(key)) asked.push(key);
    return question();
  }
}

function checked(value: string, label: string, validate: (value: string, label: string) => string | undefined): string {
  fail(validate(value, label));
  return value.trim();
}

function fail(problem: string | undefined): void {
  if (problem) throw new UsageError(problem);
}

/**
 * A client range clear of the API range and of `others` (the other client ranges): the usual default when
 * it is free, else the nearest free range of its size.
 */
export async function defaultClientCidr(apiCidr: string, others: readonly string[] = []): Promise<string> {
  const { overlapOf, parseCidr, suggestFree } = await import("../net/index.js");
  const taken = [apiCidr, ...others].flatMap((text) => parseCidr(text) ?? []);
  const preferred = parseCidr(DEFAULTS.clientCidr);
  if (!preferred || taken.length === 0) return DEFAULTS.clientCidr;
  if (taken.every((range) => overlapOf(range, preferred) === undefined)) return DEFAULTS.clientCidr;
  // Next to the latest client range (10.20, 10.21, …), or to the API range when it took the default.
  return suggestFree(preferred.prefix, taken, taken.at(-1))?.text ?? DEFAULTS.clientCidr;
}
