import { describe, expect, it } from "vitest";
import { filesIn, runCli } from "../helpers/cli.js";

const REGIONS = ["--api-region", "us-east-1", "--client-region", "eu-west-1"];

// Each bad input: exit 2, exactly one line on stderr that names the problem and the fix, nothing on
// stdout, no stack trace, and no file written in the working folder.
const CASES: { what: string; args: string[]; says: RegExp[] }[] = [
  {
    what: "overlapping CIDRs",
    args: ["plan", ...REGIONS, "--api-cidr", "10.0.0.0/16", "--client-cidr", "10.0.128.0/17"],
    says: [/--api-cidr 10\.0\.0\.0\/16/, /--client-cidr 10\.0\.128\.0\/17/, /overlap/, /10\.0\.128\.0\/17/, /try --client-cidr \d+\.\d+\.\d+\.\d+\/17/],
  },
  {
    what: "identical CIDRs",
    args: ["plan", ...REGIONS, "--api-cidr", "10.5.0.0/16", "--client-cidr", "10.5.0.0/16"],
    says: [/10\.5\.0\.0\/16/, /--client-cidr \d+\.\d+\.\d+\.\d+\/16/],
  },
  {
    what: "the same region twice",
    args: ["plan", "--api-region", "eu-west-1", "--client-region", "eu-west-1"],
    says: [/both eu-west-1/, /different --client-region/],
  },
  {
    what: "regions of two partitions",
    args: ["plan", "--api-region", "us-east-1", "--client-region", "cn-north-1"],
    says: [/--api-region us-east-1 is in the aws partition and --client-region cn-north-1 in aws-cn/, /never crosses partitions/, /e\.g\. us-east-2$/],
  },
  {
    what: "a GovCloud pair, whose private zones cannot alias the endpoint",
    args: ["plan", "--api-region", "us-gov-west-1", "--client-region", "us-gov-east-1"],
    says: [/aws-us-gov cannot be deployed/, /Route 53 private hosted zones/, /source: https:\/\/docs\.aws\.amazon\.com\/govcloud-us\//],
  },
  {
    what: "an unknown region",
    args: ["plan", "--api-region", "us-east1", "--client-region", "eu-west-1"],
    says: [/--api-region "us-east1" is not an AWS region/, /did you mean us-east-1\?/],
  },
  {
    what: "a prefix over /32",
    args: ["plan", ...REGIONS, "--api-cidr", "10.0.0.0/33"],
    says: [/--api-cidr/, /\/32/, /10\.0\.0\.0\/16/],
  },
  {
    what: "text that is not a CIDR",
    args: ["plan", ...REGIONS, "--client-cidr", "banana"],
    says: [/--client-cidr "banana" is not an IPv4 CIDR/, /a\.b\.c\.d\/n/],
  },
  {
    what: "a range too small",
    args: ["plan", ...REGIONS, "--api-cidr", "10.0.0.0/28"],
    says: [/too small/, /\/27 or larger/],
  },
  {
    what: "host bits set",
    args: ["plan", ...REGIONS, "--api-cidr", "10.1.2.3/16"],
    says: [/host bits/, /did you mean 10\.1\.0\.0\/16\?/],
  },
  {
    what: "an invalid deployment name",
    args: ["plan", ...REGIONS, "--name", "My_Stack"],
    says: [/--name "My_Stack" is not a valid deployment name/, /lowercase letters, digits and hyphens/, /e\.g\. my-stack/],
  },
  {
    what: "a deployment name over 24 characters",
    args: ["plan", ...REGIONS, "--name", "a".repeat(25)],
    says: [/at most 24 characters/],
  },
  {
    what: "a missing value with no TTY",
    args: ["plan", "--api-region", "us-east-1"],
    says: [/--client-region is required when there is no terminal/, /pass --client-region eu-west-1/],
  },
  {
    what: "--samples that is not a positive integer",
    args: ["verify", "--samples", "0"],
    says: [/--samples "0" must be a whole number from 1 to 100/],
  },
  {
    what: "--samples that is not a number",
    args: ["deploy", "--samples", "five", ...REGIONS],
    says: [/--samples "five"/],
  },
  {
    what: "an unknown flag",
    args: ["plan", "--api-regoin", "us-east-1"],
    says: [/unknown option '--api-regoin'/, /Did you mean --api-region\?/, /--help/],
  },
  {
    what: "an unknown subcommand",
    args: ["depoly"],
    says: [/unknown command 'depoly'/, /did you mean 'deploy'\?/],
  },
  {
    what: "an invalid --progress mode",
    args: ["plan", ...REGIONS, "--progress", "fancy"],
    says: [/--progress/, /auto, ink, plain, json/],
  },
  {
    what: "--api-azs with one zone",
    args: ["plan", ...REGIONS, "--api-azs", "us-east-1a"],
    says: [/--api-azs "us-east-1a" must name exactly two Availability Zones, comma-separated/, /pass two distinct zones of us-east-1, e\.g\. --api-azs us-east-1a,us-east-1b/],
  },
  {
    what: "--client-azs with a zone of another region",
    args: ["deploy", ...REGIONS, "--client-azs", "eu-west-1a,us-east-1b", "--yes"],
    says: [/--client-azs "eu-west-1a,us-east-1b": us-east-1b is not an Availability Zone name of eu-west-1/, /e\.g\. --client-azs eu-west-1a,eu-west-1b/],
  },
  {
    what: "--api-azs naming one zone twice",
    args: ["plan", ...REGIONS, "--api-azs", "us-east-1a, us-east-1a"],
    says: [/names us-east-1a twice/, /each subnet needs its own zone/],
  },
  {
    what: "--api-azs naming a region instead of a zone",
    args: ["plan", ...REGIONS, "--api-azs", "us-east-1,us-east-1b"],
    says: [/us-east-1 is not an Availability Zone name of us-east-1/],
  },
  {
    what: "doctor --function without --api-id",
    args: ["doctor", ...REGIONS, "--function", "orders-caller"],
    says: [/--function needs --api-id too/, /--api-id <the private API's id/],
  },
  {
    what: "doctor --api-id that is not an API id",
    args: ["doctor", ...REGIONS, "--function", "orders-caller", "--api-id", "Orders-API"],
    says: [/--api-id "Orders-API" is not a REST API id/, /e\.g\. --api-id a1b2c3d4e5/],
  },
  {
    what: "doctor --function that is not a name or ARN",
    args: ["doctor", ...REGIONS, "--function", "arn:aws:s3:::bucket", "--api-id", "a1b2c3d4e5"],
    says: [/--function "arn:aws:s3:::bucket" is not a function name or ARN/],
  },
  {
    what: "doctor --stage without --function",
    args: ["doctor", ...REGIONS, "--stage", "prod"],
    says: [/--stage goes with --function and --api-id/],
  },
  {
    what: "doctor --api-cidr (doctor reads the ranges, it does not take them)",
    args: ["doctor", ...REGIONS, "--api-cidr", "10.0.0.0/16"],
    says: [/unknown option '--api-cidr'/],
  },
  {
    what: "teardown with no TTY and no --yes",
    args: ["teardown", ...REGIONS, "--name", "demo"],
    says: [/no terminal to confirm on: pass --yes/],
  },
];

describe("bad input exits 2 with one clear line and writes nothing", () => {
  for (const { what, args, says } of CASES) {
    it(`rejects ${what}`, () => {
      const run = runCli(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      for (const pattern of says) expect(lines[0]).toMatch(pattern);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(filesIn(run.cwd)).toEqual([]);
    });
  }

  it("rejects a --config that is not there for a command that reads an existing deployment, by naming it", () => {
    // plan reads such a file as empty and deploy creates it (cli-answers-file-faults.test.ts).
    const run = runCli(["verify", "--config", "missing.json", ...REGIONS]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--config .*missing\.json does not exist: deploy creates it/);
  });
});
