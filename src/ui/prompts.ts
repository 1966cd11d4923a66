// The questions of a guided run. Only called with a terminal on stdin; each validates as the user types
// with the validators the flags use, so the overlap message and its suggested range appear inline.
import { input, search } from "@inquirer/prompts";
import { REGIONS } from "../config/regions.js";
import type { Asker } from "../config/resolve.js";
import { cidrPairProblem, cidrProblem, nameProblem, regionPairProblem } from "../config/validate.js";
import { terminalColumns, wrapLines } from "./wrap.js";

// Inquirer cuts a long message at the terminal's edge, mid-word; wrap it first, under its "> " mark.
function shown(problem: string | undefined): string | true {
  if (problem === undefined) return true;
  const columns = terminalColumns(process.stdout);
  return wrapLines([problem], columns === undefined ? undefined : columns - 2, 0).join("\n");
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
        source: (term) => {
          const needle = (term ?? "").toLowerCase();
          return REGIONS.filter((r) => r.id !== other)
            .filter((r) => !needle || r.id.includes(needle) || r.description.toLowerCase().includes(needle))
            .map((r) => ({ value: r.id, name: `${r.id} — ${r.description}` }));
        },
        validate: (value) => shown(other ? regionPairProblem(other, value, { api: "region A", client: "region B" }) : undefined),
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
