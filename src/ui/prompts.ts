// The questions of a guided run. Only called with a terminal on stdin; each validates as the user types
// with the validators the flags use, so the overlap message and its suggested range appear inline.
import { styleText } from "node:util";
import { input, search, Separator } from "@inquirer/prompts";
import type { Asker } from "../config/resolve.js";
import { cidrPairProblem, cidrProblem, nameProblem, regionPairProblem } from "../config/validate.js";
import { regionChoices } from "./region-choices.js";
import { terminalColumns, wrapLines } from "./wrap.js";

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

export function terminalAsker(): Asker {
  return {
    name: (initial) =>
      input({
        message: "Deployment name (prefixes the stacks and SSM paths)",
        default: initial,
        validate: (value) => shown(nameProblem(value.trim(), "name")),
      }).then((v) => v.trim()),

    region: (role, initial, other) =>
      search<string>({
        message: ROLE_TEXT[role].region,
        ...(initial ? { default: initial } : {}),
        // The reason a search found only regions left out, where the list would be: a line that cannot
        // be selected (a thrown error would show too, but under a spinner that never stops).
        source: (term) => {
          try {
            return regionChoices(other, term);
          } catch (error) {
            return [new Separator(String(shown((error as Error).message)))];
          }
        },
        validate: (value) => shown(other ? regionPairProblem(other, value, { api: "region A", client: "region B" }) : undefined),
        theme: { style: { keysHelpTip: (keys: [string, string][]) => helpTip([["type", "to search"], ...keys]) } },
      }),

    cidr: (role, initial, other) =>
      input({
        message: ROLE_TEXT[role].cidr,
        default: initial,
        validate: (value) => {
          const problem =
            cidrProblem(value, "range") ??
            (other ? cidrPairProblem(other, value, { api: "the API range", client: "this range" }) : undefined);
          return shown(problem);
        },
      }).then((v) => v.trim()),
  };
}
