// Refreshes test/steps/permissions/handler-permissions.json: what CloudFormation's handler for each resource
// type of our templates calls (the registry schemas' handlers.{create,read,update,delete}.permissions and
// tagging.permissions), with where each list comes from. The schemas shipped in cfn-lint have `handlers`
// stripped; hashicorp/terraform-provider-awscc keeps the registry's own copies with them.
//
//   git clone https://github.com/hashicorp/terraform-provider-awscc /tmp/awscc
//   node scripts/handler-permissions.mjs /tmp/awscc
//
// The permissions test then fails on every action our catalogue lacks (src/steps/permissions/resource-types.ts) that is
// not excepted with a reason (test/steps/permissions/exceptions.ts).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const REPOSITORY = "hashicorp/terraform-provider-awscc";
const FOLDER = "internal/service/cloudformation/schemas";
const HANDLERS = ["create", "read", "update", "delete"];

const clone = process.argv[2];
if (!clone) {
  console.error("usage: node scripts/handler-permissions.mjs <clone of hashicorp/terraform-provider-awscc>");
  process.exit(2);
}
const root = resolve(import.meta.dirname, "..");
const git = (...args) => execFileSync("git", ["-C", clone, ...args], { encoding: "utf8" }).trim();

// The types come from the templates themselves: a new type there is a new entry here.
const templates = join(root, "templates");
const types = new Set();
for (const file of readdirSync(templates).filter((f) => f.endsWith(".yaml")).sort()) {
  // CloudFormation's short tags (!Ref, !Sub) are not YAML the parser knows; only Type is read.
  const template = parse(readFileSync(join(templates, file), "utf8"), { logLevel: "error" });
  for (const resource of Object.values(template.Resources)) types.add(resource.Type);
}

const commit = git("rev-parse", "HEAD");
const entries = {};
for (const type of [...types].sort()) {
  const path = `${FOLDER}/${type.replaceAll("::", "_")}.json`;
  const schema = JSON.parse(git("show", `${commit}:${path}`));
  const [changed, date] = git("log", "-1", "--format=%H %cs", commit, "--", path).split(" ");
  const handlers = schema.handlers
    ? Object.fromEntries(HANDLERS.map((h) => [h, [...(schema.handlers[h]?.permissions ?? [])].sort()]))
    : null;
  entries[type] = {
    path,
    lastChanged: { commit: changed, date },
    handlers,
    tagging: schema.tagging?.permissions ? [...schema.tagging.permissions].sort() : [],
  };
}

const out = {
  source: {
    repository: REPOSITORY,
    folder: FOLDER,
    commit,
    date: git("log", "-1", "--format=%cs", commit),
    refresh: "node scripts/handler-permissions.mjs <clone of hashicorp/terraform-provider-awscc>",
  },
  types: entries,
};
const target = join(root, "test/steps/permissions/handler-permissions.json");
writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${Object.keys(entries).length} types from ${REPOSITORY}@${commit.slice(0, 7)} written to ${target}`);
