// AWS's own linter, with informational checks on, in several regions: it must report nothing at all, on
// every shipped file and on the connect client template as the tool renders it (with the probe's code).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { CONNECT_TEMPLATES } from "../../src/steps/connect/templates.js";
import { STAGES } from "../../src/steps/stages.js";
import { loadConnect, TEMPLATES_DIR } from "../helpers/template-fixtures.js";

const run = promisify(execFile);
// Each partition the templates are written for: aws, China (aws-cn) and GovCloud (aws-us-gov).
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"];

async function cfnLint(paths: readonly string[]): Promise<{ stdout: string; stderr: string; status: number | string }> {
  try {
    const { stdout, stderr } = await run("cfn-lint", ["--include-checks", "I", "--regions", ...REGIONS, "--", ...paths], {
      encoding: "utf8",
      timeout: 120_000,
    });
    return { stdout: stdout.trim(), stderr: stderr.trim(), status: 0 };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { stdout: String(e.stdout ?? "").trim(), stderr: String(e.stderr ?? "").trim(), status: e.code ?? "failed" };
  }
}

const rendered = mkdtempSync(join(tmpdir(), "cfn-lint-"));
afterAll(() => rmSync(rendered, { recursive: true, force: true }));
const FILES: string[] = [
  ...[...STAGES.map((s) => s.template), ...Object.values(CONNECT_TEMPLATES)].map((file) => join(TEMPLATES_DIR, file)),
  ...loadConnect()
    .filter((c) => c.key === "client")
    .map((c) => {
      const path = join(rendered, c.file);
      writeFileSync(path, c.body);
      return path;
    }),
];

describe("cfn-lint", () => {
  // One run for every file: cfn-lint spends most of its time loading the regions' schemas, once per process.
  it(
    `reports nothing on ${FILES.map((f) => (f.startsWith(rendered) ? "connect-client.yaml as rendered" : basename(f))).join(", ")} (errors, warnings and informational checks, ${REGIONS.length} regions in 3 partitions)`,
    async () => {
      const result = await cfnLint(FILES);
      expect(result.status, "ENOENT means cfn-lint is not on PATH (pipx install cfn-lint)").not.toBe("ENOENT");
      expect(result).toEqual({ stdout: "", stderr: "", status: 0 });
    },
    120_000,
  );
});
