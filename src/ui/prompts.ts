// The questions of a guided run (and the yes/no confirmations). Only called with a terminal on stdin; each validates as the user types
// with the validators the flags use, so the overlap message and its suggested range appear inline.
import { checkbox, confirm, input, search, select, Separator } from "@inquirer/prompts";
import { closest } from "fastest-levenshtein";
import { styleText } from "node:util";
import { findRegion, isOptIn, offeredRegions, partitionProblem, type RegionInfo, REGIONS } from "../config/regions.js";
import type { Asker, TakenRange } from "../config/resolve.js";
import { cidrProblem, cidrWarnings, nameProblem, rangesProblem, regionPairProblem } from "../config/validate.js";
import { terminalColumns, wrapLines } from "./format.js";

// Inquirer cuts a long message at the terminal's edge, mid-word; wrap it first, under its "> " mark.
function shown(problem: string | undefined): string | true {
  if (problem === undefined) return true;
  const columns = terminalColumns(process.stdout);
  return wrapLines([problem], columns === undefined ? undefined : columns - 2, 0).join("\n");
}

// The search prompt's key hints in its own style ("↑↓ navigate • ⏎ select"), led by the one it leaves
// unsaid: typing narrows the list.
function helpTip(keys: [string, string][]): string {
  return keys.map(([key, action]) => `${styleText("bold", key)} ${styleText("dim", action)}`).join(styleText("dim", " • "));
}

const ROLE_TEXT = {
  api: { region: "Region A — where the private API lives", cidr: "IPv4 range of the API VPC (region A)" },
  client: { region: "Region B — where the client function runs", cidr: "IPv4 range of the client VPC (region B)" },
} as const;

/** The questions asked in a terminal, each validated as typed. */
export function terminalAsker(): Asker {
  return {
    name: (initial) =>
      input({
        message: "Deployment name (prefixes the stacks and SSM paths)",
        default: initial,
        validate: (value) => shown(nameProblem(value.trim(), "name")),
      }).then((v) => v.trim()),

    region: (role, initial, other, taken = []) =>
      search<string>({
        message: taken.length > 0 ? `Client region ${taken.length + 1} — where another client function runs` : ROLE_TEXT[role].region,
        ...(initial ? { default: initial } : {}),
        // The reason a search found only regions left out, where the list would be: a line that cannot
        // be selected (a thrown error would show too, but under a spinner that never stops).
        source: (term) => {
          try {
            return regionChoices(other, term, taken);
          } catch (error) {
            return [new Separator(String(shown((error as Error).message)))];
          }
        },
        validate: (value) => shown(other ? regionPairProblem(other, value, { api: "region A", client: "region B" }) : undefined),
        theme: { style: { keysHelpTip: (keys: [string, string][]) => helpTip([["type", "to search"], ...keys]) } },
      }),

    // One client region is the common case: adding more is a yes, never the default.
    moreClients: () => confirm({ message: "Add another client region?", default: false }),

    cidr: (role, initial, taken, region) =>
      input({
        message: region ? `IPv4 range of the client VPC in ${region}` : ROLE_TEXT[role].cidr,
        default: initial,
        validate: rangeCheck(taken),
      }).then((v) => v.trim()),
  };
}

/**
 * The range question's check, as typed (`taken`: the API range, then the other client ranges, for a
 * client's): a refusal, or a range to think twice about (outside the private ranges) questioned here rather
 * than only in the plan after every answer: the first Enter says why, a second Enter on the same range keeps it.
 */
export function rangeCheck(taken: readonly TakenRange[]): (value: string) => Promise<string | true> {
  let questioned: string | undefined;
  const [api, ...others] = taken;
  return async (value) => {
    const clients = [...others, { label: "this range", cidr: value.trim() }].map((range) => ({ ...range, region: "" }));
    const problem = (await cidrProblem(value, "range")) ?? (api ? await rangesProblem(api, clients) : undefined);
    if (problem !== undefined) return shown(problem);
    const [doubt] = await cidrWarnings(value, "range");
    if (doubt === undefined || questioned === value.trim()) return true;
    questioned = value.trim();
    return shown(`${doubt}. Enter again keeps ${questioned}.`);
  };
}

/** The one yes/no question a run may ask; only ever shown with a terminal on stdin. */
export function askConfirm(message: string, initial = false): Promise<boolean> {
  return confirm({ message, default: initial });
}

// The searchable region list of the wizard. Region A's list holds the partitions this pattern deploys
// to; region B's holds region A's partition only (peering never crosses partitions). A search that
// matches only regions the list leaves out says why, and one that matches nothing offers the nearest
// region, instead of "No results found".
/** One entry of the list, in @inquirer/search's choice shape. */
export interface RegionChoice {
  readonly value: string;
  readonly name: string;
  readonly short: string;
  readonly description?: string;
}

/** What an opt-in region needs, in the region list. */
export const OPT_IN_NOTE = "Opt-in region: enable it for the account first (Account → AWS Regions), or pick another.";

const LABELS = { api: "region A", client: "region B" };

function choice(region: RegionInfo): RegionChoice {
  const short = `${region.id} — ${region.description}`;
  return isOptIn(region) ? { value: region.id, name: `${short} (opt-in)`, short, description: OPT_IN_NOTE } : { value: region.id, name: short, short };
}

// A choice's whole line matches too: the prompt writes the chosen line back as the search term when
// validation refuses it, and that term must still find its choice.
function matches(region: RegionInfo, needle: string): boolean {
  return !needle || choice(region).name.toLowerCase().includes(needle) || region.id.includes(needle);
}

/**
 * The choices for a search term; throws an Error whose message is the reason when the term matches only
 * regions left out (another partition than region A's, or a partition the pattern cannot use).
 */
export function regionChoices(apiRegion: string | undefined, term: string | undefined, taken: readonly string[] = []): RegionChoice[] {
  const needle = (term ?? "").trim().toLowerCase();
  const partition = apiRegion ? findRegion(apiRegion)?.partition : undefined;
  // A client region already chosen is not offered again: each gets one client side.
  const free = (r: RegionInfo) => r.id !== apiRegion && !taken.includes(r.id);
  const offered = offeredRegions(partition).filter((r) => free(r) && matches(r, needle));
  if (offered.length > 0 || !needle) return offered.map(choice);
  const again = REGIONS.find((r) => taken.includes(r.id) && matches(r, needle));
  if (again) throw new Error(`${again.id} is already a client region of this deployment: pick another`);
  const left = REGIONS.find((r) => r.id !== apiRegion && matches(r, needle));
  const problem = left && (apiRegion ? regionPairProblem(apiRegion, left.id, LABELS) : partitionProblem(left.id, `${LABELS.api} ${left.id}`));
  if (problem) throw new Error(problem);
  return [typoChoice(offeredRegions(partition).filter(free), needle)];
}

// A term that matches nothing is taken for a typo, as a flag's is ("did you mean"): the nearest region
// by id is offered, selectable, saying so.
function typoChoice(regions: readonly RegionInfo[], needle: string): RegionChoice {
  const near = closest(needle.slice(0, 32), regions.map((r) => r.id));
  const region = regions.find((r) => r.id === near)!;
  return { ...choice(region), description: `No region matches "${needle}": did you mean ${near}? Enter takes it.` };
}

/** One entry of a list question: what it answers, its line, and a line under it when it is highlighted. */
export interface ListChoice<T> {
  readonly value: T;
  readonly name: string;
  readonly description?: string | undefined;
}

/** A question answered by picking one of what exists (connect's API, stage, endpoint, client). */
export function askChoice<T>(message: string, choices: readonly ListChoice<T>[]): Promise<T> {
  return select<T>({ message, choices: choices.map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })), pageSize: 12 });
}

/** Several of a list, all checked to begin with (a client VPC's subnets). */
export function askSome(message: string, choices: readonly ListChoice<string>[]): Promise<string[]> {
  return checkbox<string>({
    message,
    choices: choices.map((c) => ({ value: c.value, name: c.name, checked: true })),
    required: true,
    pageSize: 12,
  });
}

/** A connection's name, validated as typed with the rule of a deployment's. */
export function askConnectionName(initial: string): Promise<string> {
  return input({
    message: "Connection name (names its two stacks, <name>-connect-client and <name>-connect-api-<region B>)",
    default: initial,
    validate: (value) => shown(nameProblem(value.trim(), "name")),
  }).then((v) => v.trim());
}
