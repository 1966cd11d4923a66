// A short mutation check: a fixed list of realistic bugs, each put into a copy of the repository in turn,
// each expected to turn a named test file red. A bug no test notices is a test that cannot fail
// (research/test-audit.md found ten such places; this keeps them found).
//
//   npm run mutations            every mutation, then the score
//   npm run mutations -- M8 M17  only those
//
// The copy is a git worktree of HEAD in a temporary folder (uncommitted changes are not in it) with this
// clone's node_modules linked in; nothing in this clone is changed. Only the unit project runs: it is fast and
// every behaviour below has a unit test. Exit 1 when a mutation survives or no longer applies (its text is
// gone from the source: the list must follow the code).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

/** One bug: where (file, the exact text and what replaces it), the test file that must fail, and why it matters. */
const MUTATIONS = [
  { id: "M1", file: "src/net/cidr.ts", find: "if (a.last < b.first || b.last < a.first) return undefined;", replace: "if (a.last <= b.first || b.last <= a.first) return undefined;", test: "test/net/check-pair.test.ts", why: "touching blocks called disjoint: two VPCs sharing an address peer and fail" },
  { id: "M2", file: "src/steps/permissions/resource-types.ts", find: '"ec2:RevokeSecurityGroupEgress",', replace: "", test: "test/steps/permissions/resource-types.test.ts", why: "an action CloudFormation's handler needs dropped from the catalogue (and docs/permissions.md generated from it)" },
  { id: "M3", file: "src/aws/function.ts", find: 'if (!(eni.Description ?? "").startsWith(LAMBDA_DESCRIPTION) || !LAMBDA_TYPES.includes(eni.InterfaceType ?? "")) continue;', replace: "", test: "test/steps/teardown/release-interfaces.test.ts", why: "teardown deletes an interface that is not Lambda's" },
  { id: "M3b", file: "src/aws/function.ts", find: "if (!eni.NetworkInterfaceId || eni.VpcId !== owner.vpcId) continue;", replace: "if (!eni.NetworkInterfaceId) continue;", test: "test/steps/teardown/release-interfaces.test.ts", why: "teardown deletes an interface in another VPC" },
  { id: "M3c", file: "src/aws/function.ts", find: "if (!(eni.Groups ?? []).some((group) => group.GroupId !== undefined && groups.has(group.GroupId))) continue;", replace: "", test: "test/steps/teardown/release-interfaces.test.ts", why: "teardown deletes another function's interface in the same VPC" },
  { id: "M3d", file: "src/aws/function.ts", find: 'if (!eni.NetworkInterfaceId || eni.VpcId !== owner.vpcId) continue;', replace: 'if (!eni.NetworkInterfaceId || eni.VpcId !== owner.vpcId || eni.RequesterManaged !== true) continue;', test: "test/steps/teardown/release-interfaces.test.ts", why: "the old assumption back: Lambda's interfaces are not requester-managed on real accounts, so none is found" },
  { id: "M4", file: "src/steps/doctor/judge-network.ts", find: 'if (route.state === "blackhole")', replace: 'if (route.state === "blackhole" && false)', test: "test/steps/doctor/doctor.test.ts", why: "a route to a deleted peering passes doctor" },
  { id: "M5", file: "src/steps/deploy/deployment-id.ts", find: '.update("\\0").update(JSON.stringify(values))', replace: "", test: "test/steps/deploy/deployment-id.test.ts", why: "a new parameter value keeps the old API deployment" },
  { id: "M5b", file: "src/steps/deploy/deployment-id.ts", find: "const values = Object.keys(parameters)", replace: 'const values = Object.keys(parameters).filter((key) => key !== "VpcCidr")', test: "test/steps/deploy/deployment-id.test.ts", why: "one parameter left out of the hash" },
  { id: "M7b", file: "src/steps/stack-operations/other-operation.ts", find: 'const MAKING = new Set(["CREATE_PENDING", "CREATE_IN_PROGRESS"]);', replace: 'const MAKING = new Set(["CREATE_IN_PROGRESS"]);', test: "test/steps/deploy/deploy-stage.concurrent-runs.test.ts", why: "another run's change set still pending is not seen: two CREATE change sets" },
  { id: "M8", file: "src/steps/doctor/judge-network.ts", find: ': [{ direction: "inbound", ports: HTTPS }, { direction: "outbound", ports: EPHEMERAL }];', replace: ': [{ direction: "outbound", ports: HTTPS }, { direction: "inbound", ports: EPHEMERAL }];', test: "test/steps/doctor/doctor.test.ts", why: "the endpoint's network ACL checked in the client's directions" },
  { id: "M9", file: "src/aws/function.ts", find: "  } while (nextToken);\n  return found;", replace: "  } while (false);\n  return found;", test: "test/steps/teardown/release-interfaces.test.ts", why: "only the first page of interfaces read" },
  { id: "M11", file: "src/steps/verify/verify.ts", find: '(status.lastUpdateStatus === undefined || status.lastUpdateStatus === "Successful")', replace: '(status.lastUpdateStatus !== "Failed")', test: "test/steps/verify/verify.readiness.test.ts", why: "invoked while an update is still in progress" },
  { id: "M12", file: "src/steps/deploy/zones.ts", find: 'if (region.role === "client" && LAMBDA_REFUSED_ZONE_IDS.has(zone.id))', replace: 'if (region.role === "api" && LAMBDA_REFUSED_ZONE_IDS.has(zone.id))', test: "test/steps/deploy/zones.test.ts", why: "the client put in a zone Lambda refuses" },
  { id: "M13", file: "src/steps/verify/client-answer.ts", find: 'if (typeof url !== "string") return "the answer has no string `url`";', replace: "", test: "test/steps/verify/client-answer.test.ts", why: "an answer without the URL it called accepted" },
  { id: "M14", file: "src/steps/plan.ts", find: "      ClientVpcCidr: value(admitted),\n    },", replace: "      ClientVpcCidr: value(api.cidr),\n    },", test: "test/steps/plan.test.ts", why: "stage 1 admits the API's own range instead of the client's" },
  { id: "M15", file: "src/ui/progress-state.ts", find: "failure: old?.failure ?? (failed ?", replace: "failure: (failed ? { status: e.status, reason: e.reason } : undefined) ?? (failed ?", test: "test/ui/progress-state.test.ts", why: "a later failure (rollback) overwrites the row's first one" },
  { id: "M15c", file: "src/ui/progress-state.ts", find: "rootCauseId: stage.rootCauseId ?? (failed ? e.logicalId : undefined)", replace: "rootCauseId: (failed ? e.logicalId : undefined) ?? stage.rootCauseId", test: "test/ui/progress-state.test.ts", why: "the root cause shown is the last failed resource, not the first" },
  { id: "M16", file: "src/steps/verify/client-answer.ts", find: "!Number.isFinite(ms) || ms < 0)", replace: "!Number.isFinite(ms))", test: "test/steps/verify/client-answer.test.ts", why: "negative timings accepted from the function" },
  { id: "M17", file: "src/steps/doctor/judge-network.ts", find: 'const egress = direction === "outbound" ? " --egress" : " --ingress";', replace: 'const egress = direction === "outbound" ? " --ingress" : " --egress";', test: "test/steps/doctor/doctor.test.ts", why: "doctor's network ACL fix adds the entry in the wrong direction" },
  { id: "P1", file: "src/aws/event-poller.ts", find: "if (isFailing(status)) this.statusReason ||= event.ResourceStatusReason;", replace: "if (isFailing(status)) this.statusReason = event.ResourceStatusReason;", test: "test/aws/event-poller.test.ts", why: "ROLLBACK_COMPLETE's empty reason overwrites the stack's cause" },
  { id: "D1", file: "src/steps/doctor/judge-api.ts", find: 'if (method.authorization !== "AWS_IAM") return { principals: [], text: "unsigned (the anonymous caller)" };', replace: "", test: "test/steps/doctor/doctor.test.ts", why: "the unsigned call judged as the function's role: a policy for the account passes doctor, the real call gets 403" },
  { id: "D2", file: "src/steps/doctor/judge-network.ts", find: 'if (p.status === "provisioning" || p.status === "initiating-request") {', replace: "if (false) {", test: "test/steps/doctor/doctor.test.ts", why: "a peering still being set up replaced by a new one" },
  { id: "I1", file: "src/steps/permissions/permission-check.ts", find: "if (missing.length > 0) undecided.push({ ...finding, missingContext: missing });\n      else denied.push(finding);", replace: "denied.push(finding);", test: "test/steps/permissions/permission-check.test.ts", why: "an organisation's guardrail hinging on an unknown key stops the deploy" },
  { id: "Z1", file: "src/steps/deploy/zones.ts", find: 'if (zone.optIn === "not-opted-in")', replace: 'if (zone.optIn !== "opt-in-not-required" && zone.optIn !== "opted-in")', test: "test/steps/deploy/zones.test.ts", why: "an emulator's zone without OptInStatus refused: nothing deploys on stock moto or LocalStack" },
  { id: "R1", file: "src/steps/teardown/release-interfaces.ts", find: "const RELEASE_LIMIT_MS = 10 * 60_000;", replace: "const RELEASE_LIMIT_MS = 3 * 60_000;", test: "test/steps/teardown/release-interfaces.test.ts", why: "teardown gives up before Lambda lets the interfaces go (about 4 minutes)" },
  { id: "N1", file: "src/steps/scheduler.ts", find: "while (next < lanes.length && !stopped && !options.signal?.aborted)", replace: "while (next < lanes.length && !options.signal?.aborted)", test: "test/steps/scheduler.test.ts", why: "a client region failing does not stop new ones from starting" },
  { id: "N2", file: "src/steps/stacks.ts", find: "if (tagged !== undefined) return tagged === region;", replace: "if (tagged !== undefined) return true;", test: "test/steps/stacks.locate.test.ts", why: "another client region's routes stack taken for this one's after the list was reordered" },
  { id: "N3", file: "src/net/check-pair.ts", find: "for (const earlier of [...(api ? [api] : []), ...clients.slice(0, j)]) {", replace: "for (const earlier of [...(api ? [api] : [])]) {", test: "test/net/check-pair.test.ts", why: "two client regions given the same range: the API VPC cannot route to both" },
  { id: "N4", file: "src/steps/deploy/hub-limits.ts", find: "have + regions.length <= quota.limit", replace: "have + regions.length < quota.limit", test: "test/steps/deploy/hub-limits.test.ts", why: "a deploy that exactly fills a quota refused" },
  { id: "N5", file: "src/steps/plan.ts", find: "routesStackName(answers.name, client.region, i === 0)", replace: "routesStackName(answers.name, client.region, true)", test: "test/steps/plan.test.ts", why: "every client region's routes stack under one name: each overwrites the last" },
  { id: "N6", file: "src/steps/scheduler.ts", find: "Array.from({ length: Math.min(options.width, lanes.length) }, worker)", replace: "Array.from({ length: 1 }, worker)", test: "test/steps/connect/connect.test.ts", why: "client regions built one after another: a hub of several regions takes their sum, not their slowest" },
  { id: "Q1", file: "src/policy/resource-policy.ts", find: '  if (aws.includes("*")) return true;', replace: '  if (aws.includes("*") || principals.length === 0) return true;', test: "test/policy/resource-policy.test.ts", why: "an account-only principal admits the anonymous caller" },
];

const wanted = new Set(process.argv.slice(2));
const chosen = MUTATIONS.filter((m) => wanted.size === 0 || wanted.has(m.id));

const dir = mkdtempSync(join(tmpdir(), "xregion-mutations-"));
const copy = join(dir, "repo");
execFileSync("git", ["worktree", "add", "--detach", "--quiet", copy, "HEAD"], { cwd: ROOT });
symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
const vitest = join(ROOT, "node_modules/vitest/vitest.mjs");

const unit = (test) => spawnSync(process.execPath, [vitest, "run", "--project", "unit", test], { cwd: copy, encoding: "utf8", env: { ...process.env, CI: "true", FORCE_COLOR: "0" } });
const rows = [];
try {
  // Each test file must pass as the code is: otherwise its failure under a mutation proves nothing.
  const red = [...new Set(chosen.map((m) => m.test))].filter((test) => unit(test).status !== 0);
  if (red.length > 0) throw new Error(`these test files fail without any mutation, so they prove nothing here: ${red.join(", ")}`);
  for (const m of chosen) {
    const path = join(copy, m.file);
    const original = readFileSync(path, "utf8");
    const count = original.split(m.find).length - 1;
    if (count !== 1) {
      rows.push({ ...m, result: count === 0 ? "stale (text not found)" : `stale (text found ${count} times)` });
      continue;
    }
    writeFileSync(path, original.replace(m.find, m.replace));
    const run = unit(m.test);
    writeFileSync(path, original);
    const failed = /\bfailed\b/.test(`${run.stdout}${run.stderr}`) && run.status !== 0;
    rows.push({ ...m, result: failed ? "caught" : run.status === 0 ? "SURVIVED" : `error (exit ${run.status})`});
    process.stdout.write(`${m.id.padEnd(5)} ${rows.at(-1).result.padEnd(9)} ${m.test}\n`);
  }
} finally {
  execFileSync("git", ["worktree", "remove", "--force", copy], { cwd: ROOT });
  rmSync(dir, { recursive: true, force: true });
}

const caught = rows.filter((r) => r.result === "caught").length;
process.stdout.write(`\n${caught} of ${rows.length} mutations caught.\n`);
for (const r of rows.filter((row) => row.result !== "caught")) process.stdout.write(`  ${r.id} ${r.result}: ${r.why} (${r.file}; expected ${r.test} to fail)\n`);
process.exitCode = caught === rows.length ? 0 : 1;
