// One planned change in words, for the plain lines and the live view alike. Replacing or removing a
// resource is what an update can lose data or break traffic with, so it is flagged.
import type { ChangeView } from "../steps/events.js";

export interface ChangeText {
  readonly text: string;
  readonly risky: boolean;
}

const REPLACEMENT: Record<string, string> = {
  True: " (replaced: a new resource)",
  Conditional: " (may be replaced)",
};

export function changeText(change: ChangeView): ChangeText {
  const what = change.description ? `${change.description} (${change.logicalId})` : `${change.logicalId} (${change.resourceType})`;
  const replacement = change.action === "Modify" ? REPLACEMENT[change.replacement ?? ""] ?? "" : "";
  return { text: `${change.action.padEnd(6)} ${what}${replacement}`, risky: change.action === "Remove" || replacement !== "" };
}

export function changeSummary(count: number): string {
  return count === 1 ? "the change set has 1 change:" : `the change set has ${count} changes:`;
}
