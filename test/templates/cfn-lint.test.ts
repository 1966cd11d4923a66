// AWS's own linter, with informational checks on, in several regions: it must report nothing at all.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { STAGES } from "../../src/steps/stages.js";
import { TEMPLATES_DIR } from "../helpers/template-fixtures.js";

const run = promisify(execFile);
// Each partition the templates are written for: aws, China (aws-cn) and GovCloud (aws-us-gov).
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"];

async function cfnLint(path: string): Promise<{ stdout: string; stderr: string; status: number | string }> {
  try {
    const { stdout, stderr } = await run("cfn-lint", ["--include-checks", "I", "--regions", ...REGIONS, "--", path], {
      encoding: "utf8",
      timeout: 120_000,
    });
    return { stdout: stdout.trim(), stderr: stderr.trim(), status: 0 };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { stdout: String(e.stdout ?? "").trim(), stderr: String(e.stderr ?? "").trim(), status: e.code ?? "failed" };
  }
}

describe("cfn-lint", () => {
  it.concurrent.each(STAGES.map((s) => s.template))(
    `reports nothing on %s (errors, warnings and informational checks, ${REGIONS.length} regions in 3 partitions)`,
    async (template) => {
      const result = await cfnLint(join(TEMPLATES_DIR, template));
      expect(result.status, "ENOENT means cfn-lint is not on PATH (pipx install cfn-lint)").not.toBe("ENOENT");
      expect(result).toEqual({ stdout: "", stderr: "", status: 0 });
    },
    120_000,
  );
});
