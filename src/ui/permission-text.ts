// The permission check in words, for the plain lines and the live view alike: one line when it passed or
// was skipped; when actions are denied, one block listing them by stage and resource.
import type { PermissionFinding, PermissionReport } from "../steps/permission-check.js";
import type { PermissionScope } from "../steps/permissions.js";

const SCOPE_LABEL: Record<PermissionScope, string> = {
  tool: "preflight",
  api: "stage 1/3 (private API)",
  client: "stage 2/3 (client function and peering)",
  routes: "stage 3/3 (return routes)",
  verify: "verify",
  teardown: "teardown",
};

export const SKIP_FLAG_ADVICE =
  "grant them and run deploy again (README: Permissions), or pass --no-permission-check if the simulation is wrong " +
  "for this account (conditions on tags, session policies, heavy SCPs, permissions boundaries)";

/** The report's lines; the first says what happened, the rest (if any) list what was denied. */
export function permissionLines(report: PermissionReport): string[] {
  switch (report.outcome) {
    case "skipped":
      return [`permission check skipped: ${report.reason}`];
    case "passed":
      return [`permission check: ${report.principal} may do everything this deployment needs (${report.checked} actions checked on their resources)${undecidedText(report.undecided)}`];
    case "denied": {
      const count = report.denied.length;
      return [
        `permission check: ${report.principal} may not do ${count} action${count === 1 ? "" : "s"} this deployment needs; nothing was created${undecidedText(report.undecided)}`,
        ...deniedLines(report.denied),
        SKIP_FLAG_ADVICE,
      ];
    }
  }
}

function deniedLines(denied: readonly PermissionFinding[]): string[] {
  const byScope = new Map<PermissionScope, Map<string, string[]>>();
  for (const f of denied) {
    const resources = byScope.get(f.scope) ?? new Map<string, string[]>();
    const where = f.resource === "*" ? `any resource in ${f.region}` : f.resource;
    resources.set(where, [...(resources.get(where) ?? []), f.decision === "explicitDeny" ? `${f.action} (explicit deny)` : f.action]);
    byScope.set(f.scope, resources);
  }
  const lines: string[] = [];
  for (const [scope, resources] of byScope) {
    lines.push(`  ${SCOPE_LABEL[scope]}`);
    for (const [resource, actions] of resources) lines.push(`    ${resource}: ${actions.join(", ")}`);
  }
  return lines;
}

function undecidedText(undecided: readonly PermissionFinding[]): string {
  if (undecided.length === 0) return "";
  const keys = [...new Set(undecided.flatMap((f) => f.missingContext))].sort();
  const n = undecided.length;
  return ` (${n} more action${n === 1 ? "" : "s"} depend on ${keys.join(", ")}, which the simulation cannot know: not counted as denied)`;
}
