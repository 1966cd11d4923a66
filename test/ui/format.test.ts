import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalColumns, wrapCommand, wrapLines } from "../../src/ui/format.js";
import { joinContinuations } from "../helpers/output.js";

const COST =
  "  • Interface endpoint (execute-api) in us-east-1: about $0.01 per AZ-hour × 2 AZs ≈ $0.48/day ($14.60/month) while deployed, plus $0.01 per GB processed.";
const COMMAND =
  "npx xregion-private-api deploy --name demo --api-region us-east-1 --client-region eu-west-1 --api-cidr 10.10.0.0/16 --client-cidr 10.20.0.0/16 --yes";

describe("terminalColumns", () => {
  it("is the terminal's width, and none for a pipe or a file", () => {
    expect(terminalColumns({ isTTY: true, columns: 60 })).toBe(60);
    expect(terminalColumns({ isTTY: false, columns: 60 })).toBeUndefined();
    expect(terminalColumns({})).toBeUndefined();
  });
});

describe("wrapLines", () => {
  it("leaves lines alone when there is no terminal width", () => {
    expect(wrapLines([COST, "short"], undefined)).toEqual([COST, "short"]);
  });

  it("fits a 60-column terminal with whole words, continuation lines hanging under the text", () => {
    const lines = wrapLines([COST], 60);
    expect(lines).toEqual([
      "  • Interface endpoint (execute-api) in us-east-1: about",
      "    $0.01 per AZ-hour × 2 AZs ≈ $0.48/day ($14.60/month)",
      "    while deployed, plus $0.01 per GB processed.",
    ]);
  });

  it("never loses or splits a word and never passes the width (words shorter than the width)", () => {
    // Prose only: a word that starts a command (aws, node, …) is laid out as one (see below).
    const word = fc.stringMatching(/^[a-z0-9$().\/-]{1,15}$/).filter((w) => !/^(aws|npx|npm|node|sudo|chmod|unset|export)$/.test(w));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 40, max: 120 }), (words, indent, columns) => {
        const line = " ".repeat(indent) + words.join(" ");
        const wrapped = wrapLines([line], columns);
        for (const part of wrapped) expect(part.length).toBeLessThanOrEqual(columns);
        expect(wrapped.join(" ").split(/ +/).filter(Boolean)).toEqual(words);
      }),
    );
  });
});

describe("wrapping what must not be split", () => {
  const URL = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/hello";
  it("gives a word wider than the room a line of its own, whole", () => {
    expect(wrapLines([`InvokeUrl ${URL} (the API's address)`], 50)).toEqual(["InvokeUrl", `  ${URL}`, "  (the API's address)"]);
  });

  it("breaks a command between the words before its flags when they do not fit, never inside a quoted path", () => {
    const command = "node '/home/me/my clones/xregion-private-api/dist/cli.js' teardown --name demo --api-region us-east-1";
    const lines = wrapCommand(command, 2, 50);
    expect(lines).toEqual([
      "  node \\",
      "      '/home/me/my clones/xregion-private-api/dist/cli.js' \\",
      "      teardown --name demo --api-region us-east-1",
    ]);
    expect(joinContinuations(lines.join("\n")).trim()).toBe(command);
  });
});

describe("wrapCommand", () => {
  it("keeps a command that fits on one line", () => {
    expect(wrapCommand(COMMAND, 2, 200)).toEqual([`  ${COMMAND}`]);
    expect(wrapCommand(COMMAND, 2, undefined)).toEqual([`  ${COMMAND}`]);
  });

  it("breaks before flags with a backslash, so the lines still paste as one command", () => {
    const lines = wrapCommand(COMMAND, 2, 60);
    expect(lines).toEqual([
      "  npx xregion-private-api deploy --name demo \\",
      "      --api-region us-east-1 --client-region eu-west-1 \\",
      "      --api-cidr 10.10.0.0/16 --client-cidr 10.20.0.0/16 \\",
      "      --yes",
    ]);
    // What a shell makes of it: the continuations joined, the original command.
    expect(joinContinuations(lines.join("\n")).trim()).toBe(COMMAND);
  });
});

// Commands inside a line of text: doctor's fix lines, the commands in errors and in verify's advice.
describe("wrapLines with a command in the line", () => {
  const PCX = "pcx-0123456789abcdef0";
  const fixes = [
    `aws ec2 create-route --route-table-id rtb-0client --destination-cidr-block 10.10.0.0/16 --vpc-peering-connection-id ${PCX} --region eu-west-1`,
    `aws route53 change-resource-record-sets --hosted-zone-id Z0123 --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"a1b2c3d4e5.execute-api.us-east-1.amazonaws.com","Type":"A"}}]}'`,
    "aws apigateway update-rest-api --rest-api-id a1b2c3d4e5 --patch-operations 'op=replace,path=/policy,value={}' --region us-east-1",
    "aws lambda update-function-configuration --function-name demo-client --vpc-config SubnetIds=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg> --region eu-west-1",
  ];

  it("breaks a fix line only before flags, with a backslash, and keeps every flag with its value", () => {
    const lines = wrapLines([`    fix: ${fixes[0]}`], 60, 0);
    expect(lines).toEqual([
      "    fix: aws ec2 create-route --route-table-id rtb-0client \\",
      "        --destination-cidr-block 10.10.0.0/16 \\",
      `        --vpc-peering-connection-id ${PCX} \\`,
      "        --region eu-west-1",
    ]);
  });

  it("ends the command where the prose goes on: a comma, a parenthesis, a wide gap", () => {
    const line = `aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id <api vpc> --region us-east-1, then name it in the API's resource policy (aws:SourceVpce)`;
    const lines = wrapLines([line], 50, 0);
    expect(lines.filter((l) => l.endsWith(" \\"))).toHaveLength(2);
    expect(lines.at(-1)).not.toContain("\\");
    expect(joinContinuations(lines.join("\n"))).toContain("aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id <api vpc> --region us-east-1,");
    const credentials = "fix: aws sso login --profile dev   (or, if that profile does not use SSO: aws configure --profile dev)";
    const told = joinContinuations(wrapLines([credentials], 24, 0).join("\n"));
    expect(told).toContain("aws sso login --profile dev");
    expect(told).toContain("aws configure --profile dev)");
    expect(wrapLines([credentials], 24, 0).find((l) => l.includes("(or,"))).not.toMatch(/\\$/);
  });

  it("leaves prose that names a program as prose", () => {
    const line = "region A us-east-1 is in the aws partition and region B cn-north-1 in aws-cn: VPC peering never crosses partitions; pick a region B in aws too, e.g. us-east-2";
    const lines = wrapLines([line], 40, 0);
    expect(lines.some((l) => l.endsWith("\\"))).toBe(false);
    expect(lines.join(" ")).toBe(line);
  });

  it("pastes as the one command at 50, 80 and 120 columns, before, inside and after prose (property)", () => {
    const value = fc.oneof(
      // A value never ends in punctuation, which ends a command in prose ("…, then").
      fc.stringMatching(/^[a-z0-9]([a-z0-9./:<>=,_-]{0,30}[a-z0-9>])?$/),
      fc.constantFrom(`'{"Changes":[{"Action":"UPSERT"}]}'`, "'VpcEndpoints[0].State'", "doctor-$(date +%s)", "'/home/me/my clones/dist/cli.js'"),
    );
    const flag = fc.tuple(fc.stringMatching(/^--[a-z][a-z-]{1,20}$/), fc.option(value, { nil: undefined }));
    const command = fc
      .tuple(
        fc.constantFrom("aws ec2", "npx xregion-private-api", "node /home/me/x/dist/cli.js", "AWS_ENDPOINT_URL=http://127.0.0.1:5055 node dist/cli.js", "aws lambda"),
        fc.stringMatching(/^[a-z][a-z-]{2,24}$/),
        fc.array(flag, { minLength: 1, maxLength: 8 }),
      )
      .map(([head, verb, flags]) => {
        const units = flags.map(([f, v]) => (v === undefined ? f : `${f} ${v}`));
        return { text: [head, verb, ...units].join(" "), units };
      });
    const prose = fc.array(fc.stringMatching(/^[a-zA-Z]{1,12}$/).filter((w) => !/^(aws|npx|npm|node|sudo|chmod|unset|export)$/.test(w)), { maxLength: 12 });
    fc.assert(
      fc.property(prose, command, fc.constantFrom("", ",", " (then wait)"), prose, fc.constantFrom(50, 80, 120), fc.integer({ min: 0, max: 8 }), (before, cmd, after, rest, columns, indent) => {
        const line = " ".repeat(indent) + [...before, before.length > 0 ? "with:" : "", `${cmd.text}${after}`, ...(after === "," ? rest : [])].filter(Boolean).join(" ");
        const lines = wrapLines([line], columns, 0);
        expect(joinContinuations(lines.join("\n"))).toContain(cmd.text);
        // Never split between a flag and its value, nor inside a quoted value: each is whole on one line.
        for (const unit of cmd.units) expect(lines.some((l) => l.includes(unit))).toBe(true);
        // Only a piece that cannot fit by itself runs past the width.
        for (const l of lines.filter((l) => l.length > columns)) expect(cmd.units).toContain(l.trim().replace(/ \\$/, "").replace(/,$/, ""));
      }),
    );
  });
});
