// argv → one typed Flags object. Commander does the parsing and the help text; everything it rejects
// becomes a UsageError (exit 2) with a one-line hint instead of its own exit.
import { Command, CommanderError, Option } from "commander";
import { closest } from "fastest-levenshtein";
import { UsageError } from "../errors.js";
import { BIN, VERSION } from "../package.js";
import { echo } from "../echo.js";

/** The commands, in the order `--help` lists them. */
export const COMMANDS = ["deploy", "plan", "status", "verify", "teardown", "doctor", "connect", "disconnect"] as const;
/** One command's name. */
export type CommandName = (typeof COMMANDS)[number];
/** How progress is shown: chosen from the terminal, live rows, plain lines or NDJSON. */
export type ProgressMode = "auto" | "ink" | "plain" | "json";

/** Every flag parsed and typed: the one input commands read. */
export interface Flags {
  readonly command: CommandName;
  readonly name?: string | undefined;
  readonly apiRegion?: string | undefined;
  readonly clientRegion?: string | undefined;
  readonly apiCidr?: string | undefined;
  readonly clientCidr?: string | undefined;
  readonly profile?: string | undefined;
  readonly config?: string | undefined;
  readonly yes: boolean;
  readonly progress: ProgressMode;
  readonly samples: number;
  // deploy, teardown: how many client regions run at once.
  readonly maxParallel: number;
  readonly out?: string | undefined;
  readonly outputsFile?: string | undefined;
  // deploy: simulate the caller's IAM permissions before the first stack (--no-permission-check: false).
  readonly permissionCheck: boolean;
  readonly apiAzs?: string | undefined;
  readonly clientAzs?: string | undefined;
  /** doctor, a setup we did not deploy, and connect: the client function (name or ARN), the API and its stage. */
  readonly functionName?: string | undefined;
  readonly apiId?: string | undefined;
  readonly stage?: string | undefined;
  /** connect: the execute-api endpoint to reuse, the client given as a network, the peering, the probe, a dry run. */
  readonly endpoint?: string | undefined;
  readonly clientVpc?: string | undefined;
  readonly clientSubnets?: string | undefined;
  readonly clientSecurityGroups?: string | undefined;
  readonly peering?: string | undefined;
  // --no-probe: false. Undefined when not given, so that the answers file's choice holds.
  readonly probe?: boolean | undefined;
  readonly dryRun: boolean;
}

/**
 * How many client regions deploy (or are torn down) at once by default: Route 53 answers 5 requests per
 * second per account, and each client stack creates a zone and its record (research/connect.md §4.1).
 */
export const DEFAULT_MAX_PARALLEL = 4;
const MAX_PARALLEL = 32;

/** How many invocations `verify` makes by default. */
export const DEFAULT_SAMPLES = 5;
const MAX_SAMPLES = 100;

const DESCRIPTIONS: Record<CommandName, string> = {
  deploy: "deploy the three stages (guided in a terminal, flags only in CI), then verify the path end to end",
  plan: "offline: validate the answers, carve the subnets and write the three templates with their parameters",
  status: "show the three stacks in both regions, their state and outputs, and the last verification",
  verify: "invoke the client function --samples times and report the API's answer and latency",
  teardown: "delete stage 3 (routes), then 2 (client) of each client region, then 1 (API); safe to run again",
  doctor: "check every hop of the path from AWS's own answers (ours, or any setup with --function and --api-id)",
  connect: "reach an existing private API from an existing function or VPC in another region: add only what is missing, in two stacks of ours, and prove it",
  disconnect: "remove what connect added (its two stacks, API side first); the user's resources are left as they were; safe to run again",
};

type Parsed = { command: CommandName; options: Record<string, unknown> };

// Flags a command accepts but does not use: still accepted (a script may pass one set of flags to every
// command), left out of that command's help.
const UNUSED_BY: Record<CommandName, readonly string[]> = {
  deploy: [],
  plan: ["--profile", "--progress"],
  status: ["--api-cidr", "--client-cidr"],
  verify: ["--api-cidr", "--client-cidr"],
  teardown: ["--api-cidr", "--client-cidr"],
  doctor: [],
  connect: [],
  disconnect: [],
};
const REQUIRED = "required (asked in a terminal, or read from the answers file)";
const CLIENT_REGIONS = "region B, where the client function runs, e.g. eu-west-1, or several comma-separated (eu-west-1,ap-southeast-2); same partition, not region A";
// A command that finds a deployment takes the answers file's client regions; naming fewer picks them out.
const CLIENT_REGION_HELP: Record<CommandName, string> = {
  deploy: `${CLIENT_REGIONS}; ${REQUIRED}`,
  plan: `${CLIENT_REGIONS}; ${REQUIRED}`,
  status: `${CLIENT_REGIONS}; ${REQUIRED}`,
  verify: `${CLIENT_REGIONS}; ${REQUIRED}; some of the deployment's client regions verify only theirs`,
  teardown: `${CLIENT_REGIONS}; ${REQUIRED}; some of the deployment's client regions remove only theirs (stage 1 and the other regions stay)`,
  doctor: `${CLIENT_REGIONS}; ${REQUIRED}; one of the deployment's client regions checks only its path (with --function: the function's region)`,
  connect: `region B, where the client runs, e.g. eu-west-1, or several comma-separated (one client each: --function or --client-vpc lists in the same order); same partition, not region A; ${REQUIRED}`,
  disconnect: `the connection's client regions, comma-separated; ${REQUIRED}; some of them remove only theirs (the others stay)`,
};
// What each command does with --config: deploy writes it (creating it), plan only reads, the others read a
// deployment's answers, which must be there.
const CONFIG_USE: Record<CommandName, string> = {
  deploy: "read, then saved with this run's answers; a new file is created",
  plan: "read; one that does not exist yet reads as empty",
  status: "of an existing deployment or connection, read",
  verify: "of an existing deployment or connection, read; the result is recorded in it",
  teardown: "of an existing deployment, read",
  doctor: "of an existing deployment or connection, read",
  connect: "read, then saved with this run's answers (a connection's); a new file is created",
  disconnect: "of an existing connection, read",
};

const CONNECTION = new Set<CommandName>(["connect", "disconnect"]);

function addCommon(cmd: Command, command: CommandName): Command {
  const connection = CONNECTION.has(command);
  cmd
    .option(
      "--name <name>",
      connection
        ? "connection name, names its stacks <name>-connect-client (region B) and <name>-connect-api-<region B> (region A): lowercase letters, digits and hyphens, at most 24 (default xregion)"
        : "deployment name, prefixes the stacks <name>-api, <name>-client, <name>-routes[-<client region>] and SSM paths: lowercase letters, digits and hyphens, at most 24 (default xregion)",
    )
    .option("--api-region <region>", `region A, where the private API lives, e.g. us-east-1; ${REQUIRED}`)
    .option("--client-region <regions>", CLIENT_REGION_HELP[command]);
  if (command === "connect") {
    cmd
      .option("--api-id <id>", `the existing private REST API's id in --api-region, e.g. a1b2c3d4e5; ${REQUIRED}`)
      .option("--stage <name>", "the API's stage the probe calls (default: the API's only stage; asked when it has several)")
      .option("--endpoint <vpce-id>", "the execute-api VPC endpoint of region A to reach the API through (default: the one the API names or its policy admits)")
      .option("--function <name|arn>", "the client: a function attached to a VPC in --client-region (or --client-vpc); several regions: one per region, comma-separated in their order")
      .option("--client-vpc <vpc-id>", "the client: a VPC of --client-region (ECS tasks, instances), with --client-subnets and --client-security-groups; several regions: one per region, comma-separated")
      .option("--client-subnets <a,b>", "with --client-vpc: the subnets the client calls from (default: every subnet of the VPC); several regions: one group per region, ';' between groups")
      .option("--client-security-groups <sg,…>", "with --client-vpc: the client's security groups (default: the VPC's default group); several regions: one group per region, ';' between groups")
      .option("--peering <auto|new|pcx-id>", "auto: reuse an active peering between the two VPCs, else create one (default); new: create one; pcx-…: use this one")
      .option("--probe", "add a probe function in the client's subnets, which verify invokes (default; undoes a saved --no-probe)")
      .option("--no-probe", "no probe function: the path is judged by doctor, not exercised by verify")
      .option("--dry-run", "read both sides, print the plan and stop: no write call");
  }
  if (command !== "doctor" && !connection) {
    cmd
      .option("--api-cidr <cidr>", "IPv4 range of the API VPC, /16 to /27 (default 10.10.0.0/16)")
      .option(
        "--client-cidr <cidrs>",
        "IPv4 range of each client VPC, comma-separated in the order of --client-region; disjoint from --api-cidr and each other (default 10.20.0.0/16, then free ranges beside it)",
      );
  }
  if (command === "doctor") {
    cmd
      .option("--function <name|arn>", "a client function we did not deploy (with --api-id): its name or ARN in --client-region")
      .option("--api-id <id>", "the private REST API's id in --api-region (with --function)")
      .option("--stage <name>", "the API's stage to check (default: ours, or every stage)");
  }
  cmd
    .option("--profile <profile>", "AWS named profile (otherwise the SDK's default credential chain)")
    .option("--config <file>", `answers file, ${CONFIG_USE[command]} (default ./xregion-private-api.json)`);
  if (command === "deploy" || command === "plan") {
    cmd
      .option("--api-azs <a,b>", "two Availability Zones of region A for the API VPC (default: chosen by preflight)")
      .option("--client-azs <zones>", "two Availability Zones per client region for its VPC, e.g. eu-west-1a,eu-west-1b,ap-southeast-2a,ap-southeast-2b (default: chosen by preflight)");
  }
  if (command === "deploy") cmd.option("--yes", "do not ask for confirmation; take the defaults of optional answers");
  if (command === "teardown" || command === "disconnect") cmd.option("--yes", "do not ask for confirmation; required without a terminal");
  if (command === "connect") cmd.option("--yes", "do not ask for confirmation; take the defaults of optional answers");
  cmd
    .addOption(new Option("--progress <mode>", "how to show progress").choices(["auto", "ink", "plain", "json"]).default("auto"))
    .option("--json", command === "plan" ? "print the plan and the files written as one JSON object" : "same as --progress json: NDJSON events on stdout, human text on stderr");
  if (command === "deploy" || command === "teardown" || command === "connect" || command === "disconnect") {
    const does = command === "deploy" ? "deploy" : command === "connect" ? "are connected" : "are deleted";
    cmd.option("--max-parallel <n>", `how many client regions ${does} at once, 1 to ${MAX_PARALLEL} (default ${DEFAULT_MAX_PARALLEL}: Route 53 takes 5 requests per second per account)`);
  }
  if (command === "deploy" || command === "verify" || command === "connect") cmd.option("--samples <n>", `how many times verification invokes the function, 1 to ${MAX_SAMPLES} (default ${DEFAULT_SAMPLES})`);
  if (command === "plan") cmd.option("--out <dir>", "folder to write the templates and parameter files into (default ./xregion-plan)");
  if (command === "deploy" || command === "status") cmd.option("--outputs-file <file>", "write every stage's outputs as JSON, also after a no-op or a failure");
  if (command === "deploy" || command === "connect") {
    cmd.option(
      "--no-permission-check",
      "do not simulate your IAM permissions before creating anything (for accounts where the simulation misleads: heavy SCPs, permissions boundaries, conditions on tags)",
    );
  }
  for (const option of cmd.options) if (option.long && UNUSED_BY[command].includes(option.long)) option.hideHelp();
  return cmd;
}

/** Parses argv into Flags; `--help` and `--version` print and return "exit-ok". */
export function parseFlags(argv: readonly string[], write: (text: string) => void): Flags | "exit-ok" {
  const first = argv[0];
  // `help deploy`, as --help lists it: that command's help (built only for the command it names).
  if (first === "help") return parseFlags(argv[1] === undefined || argv[1].startsWith("-") ? ["--help"] : [argv[1], "--help"], write);
  if (first !== undefined && !first.startsWith("-") && !(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(`unknown command '${first}': did you mean '${closest(first, [...COMMANDS])}'? (run ${BIN} --help for the commands)`);
  }

  // Only the command argv selects gets its flags (the default command unless it starts with one): the
  // other four are listed by name in the overall help, and building their options is a third of --help.
  const selected = COMMANDS.find((command) => command === first) ?? "deploy";
  let parsed: Parsed | undefined;
  const program = new Command(BIN)
    .description("Set up, verify and tear down a Lambda in one AWS region calling a private API Gateway REST API in another, over VPC peering.")
    .version(VERSION, "-v, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write, outputError: () => {} })
    .configureHelp({ subcommandTerm: (cmd) => `${cmd.name()}${cmd.name() === "help" ? " [command]" : " [options]"}` });
  for (const command of COMMANDS) {
    const cmd = program.command(command, command === "deploy" ? { isDefault: true } : {}).description(DESCRIPTIONS[command]);
    (command === selected ? addCommon(cmd, command) : cmd)
      .exitOverride()
      .showSuggestionAfterError(true)
      .configureOutput({ writeOut: write, writeErr: write, outputError: () => {} })
      .action((options: Record<string, unknown>) => {
        parsed = { command, options };
      });
  }
  program.addHelpText("after", `\nRun '${BIN} <command> --help' for a command's flags. Exit codes: 0 ok, 1 AWS or deployment failure, 2 bad input, 130 interrupted.`);

  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return "exit-ok";
      const where = parsed?.command ?? (first && !first.startsWith("-") ? first : "");
      const message = error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
      throw new UsageError(`${message} (run ${BIN}${where ? ` ${where}` : ""} --help for the flags)`);
    }
    throw error;
  }
  if (!parsed) throw new Error("no command was selected");
  return toFlags(parsed);
}

function toFlags({ command, options }: Parsed): Flags {
  const str = (key: string) => (typeof options[key] === "string" ? (options[key] as string) : undefined);
  const progress = options["json"] === true ? "json" : ((options["progress"] as ProgressMode | undefined) ?? "auto");
  return {
    command,
    name: str("name"),
    apiRegion: str("apiRegion"),
    clientRegion: str("clientRegion"),
    apiCidr: str("apiCidr"),
    clientCidr: str("clientCidr"),
    profile: str("profile"),
    config: str("config"),
    yes: options["yes"] === true,
    progress,
    samples: parseSamples(str("samples")),
    maxParallel: parseMaxParallel(str("maxParallel")),
    out: str("out"),
    outputsFile: str("outputsFile"),
    permissionCheck: options["permissionCheck"] !== false,
    apiAzs: str("apiAzs"),
    clientAzs: str("clientAzs"),
    functionName: str("function"),
    apiId: str("apiId"),
    stage: str("stage"),
    endpoint: str("endpoint"),
    clientVpc: str("clientVpc"),
    clientSubnets: str("clientSubnets"),
    clientSecurityGroups: str("clientSecurityGroups"),
    peering: str("peering"),
    // --probe defined before --no-probe leaves it undefined unless given, so that the answers file's choice holds.
    probe: typeof options["probe"] === "boolean" ? options["probe"] : undefined,
    dryRun: options["dryRun"] === true,
  };
}

function parseSamples(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SAMPLES;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_SAMPLES) {
    throw new UsageError(`--samples ${echo(text)} must be a whole number from 1 to ${MAX_SAMPLES}: pass e.g. --samples ${DEFAULT_SAMPLES}`);
  }
  return n;
}

function parseMaxParallel(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_PARALLEL;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_PARALLEL) {
    throw new UsageError(`--max-parallel ${echo(text)} must be a whole number from 1 to ${MAX_PARALLEL}: pass e.g. --max-parallel ${DEFAULT_MAX_PARALLEL}`);
  }
  return n;
}
