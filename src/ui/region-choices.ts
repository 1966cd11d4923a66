// The searchable region list of the wizard. Region A's list holds the partitions this pattern deploys
// to; region B's holds region A's partition only (peering never crosses partitions). A search that
// matches only regions the list leaves out says why, instead of "No results found".
import { isOptIn, offeredRegions, partitionProblem } from "../config/regions.js";
import { findRegion, REGIONS, type RegionInfo } from "../config/regions.js";
import { regionPairProblem } from "../config/validate.js";

/** One entry of the list, in @inquirer/search's choice shape. */
export interface RegionChoice {
  readonly value: string;
  readonly name: string;
  readonly short: string;
  readonly description?: string;
}

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
export function regionChoices(apiRegion: string | undefined, term: string | undefined): RegionChoice[] {
  const needle = (term ?? "").trim().toLowerCase();
  const partition = apiRegion ? findRegion(apiRegion)?.partition : undefined;
  const offered = offeredRegions(partition).filter((r) => r.id !== apiRegion && matches(r, needle));
  if (offered.length > 0 || !needle) return offered.map(choice);
  const left = REGIONS.find((r) => r.id !== apiRegion && matches(r, needle));
  const problem = left && (apiRegion ? regionPairProblem(apiRegion, left.id, LABELS) : partitionProblem(left.id, `${LABELS.api} ${left.id}`));
  if (problem) throw new Error(problem);
  return [];
}
