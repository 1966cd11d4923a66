// What the tool itself sends AWS, against the permissions list: every SDK command a CLI command can reach
// in the source maps to an IAM action its scopes grant (or one UNGRANTED_CALLS explains), and every action
// a command's scopes grant for the tool's own calls is one it makes.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMAND_SCOPES, requiredPermissions, UNGRANTED_CALLS } from "../../../src/steps/permissions/permissions.js";
import { allSdkCalls, sdkCallGraph, type SdkCall } from "../../helpers/sdk-calls.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const target = { partition: "aws", account: "123456789012", name: "demo", apiRegion: "us-east-1", clientRegions: ["eu-west-1"] };
const callsOf = sdkCallGraph(ROOT);

// The IAM prefix of each SDK client package.
const PREFIX: Readonly<Record<string, string>> = {
  "api-gateway": "apigateway",
  cloudformation: "cloudformation",
  ec2: "ec2",
  iam: "iam",
  lambda: "lambda",
  "route-53": "route53",
  sts: "sts",
};
// Operations whose IAM action is not their own name (Service Authorization Reference, "API operations
// defined by AWS Lambda": Invoke is authorised by lambda:InvokeFunction).
const RENAMED: Readonly<Record<string, string>> = { "lambda:Invoke": "lambda:InvokeFunction" };
// API Gateway's management actions are the HTTP verbs of its REST paths (Service Authorization Reference,
// "Amazon API Gateway Management"); the SDK's operation names start with the verb's meaning.
const VERBS: readonly [RegExp, string][] = [
  [/^Get/, "GET"],
  [/^Create/, "POST"],
  [/^Put/, "PUT"],
  [/^Update/, "PATCH"],
  [/^Delete/, "DELETE"],
];

function iamAction(call: SdkCall): string {
  const prefix = PREFIX[call.service];
  if (!prefix) throw new Error(`no IAM prefix for @aws-sdk/client-${call.service}: add it to PREFIX`);
  if (prefix === "apigateway") {
    const verb = VERBS.find(([pattern]) => pattern.test(call.operation))?.[1];
    if (!verb) throw new Error(`no HTTP verb for apigateway ${call.operation}: add it to VERBS`);
    return `apigateway:${verb}`;
  }
  const action = `${prefix}:${call.operation}`;
  return RENAMED[action] ?? action;
}

const COMMANDS = Object.keys(COMMAND_SCOPES) as (keyof typeof COMMAND_SCOPES)[];
const entry = (command: string) => ({ file: `src/commands/${command}.ts`, name: `run${command[0]?.toUpperCase()}${command.slice(1)}` });
const actionsOf = (command: string) => new Set(callsOf(entry(command)).map(iamAction));

function granted(command: keyof typeof COMMAND_SCOPES, viaCloudFormation?: boolean): Set<string> {
  const scopes: readonly string[] = COMMAND_SCOPES[command];
  const list = requiredPermissions(target).filter((p) => scopes.includes(p.scope) && (viaCloudFormation === undefined || p.viaCloudFormation === viaCloudFormation));
  return new Set(list.flatMap((p) => p.actions));
}

describe("the tool's own AWS calls", () => {
  it("are each granted to the command that sends them, or need no grant", () => {
    const missing = COMMANDS.flatMap((command) => {
      const grants = granted(command);
      return callsOf(entry(command))
        .filter((call) => !grants.has(iamAction(call)) && !(iamAction(call) in UNGRANTED_CALLS))
        .map((call) => `${command}: ${iamAction(call)} (${call.via.join(" → ")})`);
    });
    expect(missing).toEqual([]);
  });

  it("are all reached by the walk from the commands, so none escapes the check above", () => {
    const reached = new Set(COMMANDS.flatMap((command) => callsOf(entry(command)).map((c) => `${c.service}:${c.operation}`)));
    const written = allSdkCalls(ROOT);
    expect(written.length).toBeGreaterThan(25);
    expect(written.filter((w) => !reached.has(`${w.call.service}:${w.call.operation}`))).toEqual([]);
    // plan reads no AWS resource; at most it asks who the credentials are.
    expect(callsOf(entry("plan")).map(iamAction).filter((a) => !(a in UNGRANTED_CALLS))).toEqual([]);
  });

  it("include every action a command's list grants for the tool itself, so the list asks for nothing it does not use", () => {
    const unused = COMMANDS.flatMap((command) => {
      const used = actionsOf(command);
      return [...granted(command, false)].filter((a) => !used.has(a)).map((a) => `${command}: ${a}`);
    });
    expect(unused).toEqual([]);
  });

  it("reach what each command is known to send", () => {
    for (const action of ["cloudformation:DescribeStackResources", "ec2:DeleteNetworkInterface", "lambda:UpdateFunctionConfiguration", "cloudformation:DeleteStack"]) {
      expect(actionsOf("teardown").has(action), action).toBe(true);
      // Ctrl-C of a stage-2 create releases the function's interfaces too.
      expect(actionsOf("deploy").has(action), action).toBe(true);
    }
    expect(actionsOf("deploy").has("iam:SimulatePrincipalPolicy")).toBe(true);
    expect(actionsOf("doctor").has("route53:ListHostedZonesByVPC")).toBe(true);
    expect(actionsOf("status").has("lambda:InvokeFunction")).toBe(false);
  });
});
