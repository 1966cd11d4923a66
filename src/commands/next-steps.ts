// The commands a person types next, with the flags that find this deployment again.
import { delimiter, dirname, isAbsolute, relative, sep } from "node:path";
import { ANSWER_KEYS, answerText, CONNECT_FLAG_OF, CONNECT_KEYS, FLAG_OF, type AnswerKey, type Answers, type ConnectAnswers } from "../config/answers.js";
import { BIN } from "../package.js";

// The answers that find a deployment again: its name and regions, and the profile that reaches them.
const LOCATE: readonly AnswerKey[] = ["name", "apiRegion", "clientRegion", "profile"];

/** What finds a deployment (its client regions) or a connection (its one client region) again. */
export type Locatable = Pick<Answers, "name" | "apiRegion" | "profile"> & ({ readonly clients: readonly { readonly region: string }[] } | Pick<ConnectAnswers, "clientRegion">);

/** The one flag-list builder: `--flag value` for each answer in scope that is set (lists comma-separated). */
function answerFlags(answers: Answers | Locatable, scope: "locate" | "all" = "locate"): string {
  const text =
    "clients" in answers && "apiCidr" in answers
      ? answerText(answers)
      : { ...answers, clientRegion: "clients" in answers ? answers.clients.map((c) => c.region).join(",") : answers.clientRegion };
  return (scope === "all" ? ANSWER_KEYS : LOCATE)
    .filter((key) => text[key as keyof typeof text])
    .map((key) => `${FLAG_OF[key]} ${text[key as keyof typeof text]}`)
    .join(" ");
}

/** The flags that find this deployment again, for "next:" and detach hints. */
export function locateFlags(answers: Locatable): string {
  return answerFlags(answers, "locate");
}

/** Each command in turn, started as this tool was and pointed at this deployment (or connection). */
export function nextCommands(invocation: string, answers: Locatable, commands: readonly string[]): string[] {
  const flags = locateFlags(answers);
  return commands.map((command) => `${invocation} ${command} ${flags}`);
}

/** The non-interactive command that repeats this run, printed after a guided run (like create-vite). */
export function equivalentCommand(invocation: string, answers: Answers, command: string): string {
  return `${invocation} ${command} ${answerFlags(answers, "all")}`;
}

/**
 * A deployment's next commands: `deploy` as the whole of its answers (ranges and zones too), so that pasted it
 * resumes this very deployment with no answers file at hand instead of planning the defaults' ranges against
 * the stacks that stand; then the others, which find the deployment by its name and regions.
 */
export function deploymentNext(invocation: string, answers: Answers, commands: readonly string[]): string[] {
  return commands.flatMap((command) => (command === "deploy" ? [equivalentCommand(invocation, answers, "deploy")] : nextCommands(invocation, answers, [command])));
}

/**
 * A connection's next commands: `connect` as the whole of its answers, so that pasted it resumes this very
 * connection with no answers file at hand (unsaved, or another --config), then the others, which find the
 * connection by its name and regions.
 */
export function connectionNext(invocation: string, answers: ConnectAnswers, commands: readonly string[]): string[] {
  return commands.flatMap((command) => (command === "connect" ? [equivalentConnect(invocation, answers)] : nextCommands(invocation, answers, [command])));
}

/**
 * The connect that makes the client regions a connection lacks, for doctor's and verify's "connect it": the
 * answers file's own clients for the regions it lists (--config names it, --client-region those regions),
 * else those regions with the file's API and the client still to name (saved beside the file's regions).
 */
export function connectMissing(invocation: string, path: string, saved: Partial<ConnectAnswers> | undefined, answers: Locatable, missing: readonly string[]): string {
  const listed = (saved?.clientRegion ?? "").split(",").map((r) => r.trim());
  const config = `--config ${shellWord(path)}`;
  if (saved && missing.every((region) => listed.includes(region))) return `${invocation} connect ${config} --client-region ${missing.join(",")}`;
  const flags = locateFlags({ ...answers, clients: missing.map((region) => ({ region })) });
  return `${invocation} connect ${config} ${flags} --api-id ${saved?.apiId ?? "<id>"} --function <name|ARN>`;
}

/** The non-interactive connect that repeats a guided one: every answer as its flag (the probe only when off). */
export function equivalentConnect(invocation: string, answers: ConnectAnswers): string {
  const flags = CONNECT_KEYS.flatMap((key) => {
    const value = answers[key];
    if (key === "probe") return value === false ? ["--no-probe"] : [];
    if (key === "peering" && value === "auto") return [];
    // Several regions' subnet groups are separated by ";", which a shell would take as the end of the command.
    return value === undefined || value === "" ? [] : [`${CONNECT_FLAG_OF[key]} ${shellWord(String(value))}`];
  });
  return `${invocation} connect ${flags.join(" ")}`;
}

// How this process was started, as the words a person types to start it again: the "next:" commands and
// the equivalent command must work the way the tool was run (the package is not on the registry yet, so
// a printed `npx xregion-private-api` only works where npx finds the package).
const NPX = `npx ${BIN}`;

/**
 * The command that starts this tool the way it was started. XREGION_INVOCATION, when set, says it outright:
 * for a wrapper the script path does not show (`aws-vault exec prod -- …`), or the demo, whose commands
 * must reach its emulator (`AWS_ENDPOINT_URL=http://127.0.0.1:PORT … node …/dist/cli.js`). Otherwise it is
 * read from the script path Node was given:
 * `npx xregion-private-api` for a bin in npx's cache or a project's node_modules/.bin (npx, npm exec, npm
 * scripts: npx finds it again from that folder), the bare name for a bin on PATH (a global install),
 * otherwise `node <path to cli.js>` (a clone, or a copy of dist/). npm's variables only confirm a bin:
 * whatever an npm script spawns inherits them.
 */
export function invocation(argv1: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const told = env["XREGION_INVOCATION"]?.trim();
  if (told) return told;
  if (argv1 === undefined) return NPX;
  const parts = argv1.split(sep);
  const dir = dirname(argv1);
  if (parts.at(-1) === BIN) {
    if (parts.includes("_npx") || dir.endsWith(`${sep}node_modules${sep}.bin`) || env["npm_lifecycle_event"] === "npx") return NPX;
    if ((env["PATH"] ?? "").split(delimiter).includes(dir)) return BIN;
  }
  const path = relative(cwd, argv1);
  return `node ${shellWord(path.startsWith("..") || isAbsolute(path) ? argv1 : path)}`;
}

// A path as one shell word: quoted only when it holds something a shell would split or expand.
function shellWord(text: string): string {
  return /^[\w./+:@%=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
