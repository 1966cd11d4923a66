// A connection's answers resolve as a deployment's do (resolve.ts): each from its flag, then the answers
// file, then a question when a terminal is there to ask on, then its default — or a usage error naming the
// flag. Its questions list what exists (private APIs, endpoints, functions, VPCs); the lists are the
// caller's to read (the command layer talks to AWS, config does not): the chooser it passes asks them.
import { UsageError } from "../errors.js";
import { CONNECT_FLAG_OF, type ConnectAnswers, DEFAULTS } from "./answers.js";
import type { Asker } from "./resolve.js";
import { apiIdProblem, ec2IdListProblem, ec2IdProblem, functionProblem, nameProblem, peeringProblem, regionPairProblem, regionProblem, splitList, stageProblem } from "./validate.js";

/** A connection's client as chosen in a terminal: a function, or a VPC with the subnets it calls from. */
export type ClientChoice =
  | { readonly kind: "function"; readonly function: string }
  | { readonly kind: "network"; readonly clientVpc: string; readonly clientSubnets: string | undefined };

/**
 * The terminal's questions for a connection (name and regions as deploy asks them), each listing what
 * exists. `stage` and `endpoint` answer undefined when there is nothing to choose (one stage; the endpoint
 * the API names).
 */
export interface ConnectChooser extends Pick<Asker, "name" | "region"> {
  api(region: string): Promise<string>;
  stage(region: string, apiId: string): Promise<string | undefined>;
  endpoint(region: string, apiId: string): Promise<string | undefined>;
  client(region: string): Promise<ClientChoice>;
}

/** Where a connection's answers come from: flags, then the answers file. */
export interface ConnectSources {
  readonly flags: Partial<ConnectAnswers>;
  readonly file: Partial<ConnectAnswers> | undefined;
  readonly filePath: string;
}

/** The answers, and which were asked (to print the command without questions). */
export interface ResolvedConnection {
  readonly answers: ConnectAnswers;
  readonly asked: readonly (keyof ConnectAnswers)[];
}

const EXAMPLE: Partial<Record<keyof ConnectAnswers, string>> = {
  apiRegion: "us-east-1",
  clientRegion: "eu-west-1",
  apiId: "a1b2c3d4e5",
};

type Key = Exclude<keyof ConnectAnswers, "probe">;

/** A connection's answers from flags, the answers file and (in a terminal) questions, validated. */
export async function resolveConnectAnswers(sources: ConnectSources, chooser: ConnectChooser | undefined, acceptDefaults = false): Promise<ResolvedConnection> {
  const asked: (keyof ConnectAnswers)[] = [];
  const labelOf = (key: Key) => (sources.flags[key] === undefined && sources.file?.[key] !== undefined ? `"${key}" in ${sources.filePath}` : CONNECT_FLAG_OF[key]);
  // The client is one answer of several flags: a function, or a VPC with its subnets and groups. The flags'
  // client replaces the file's whole, so a --function never meets a saved --client-vpc.
  const clientFromFlags = sources.flags.function !== undefined || sources.flags.clientVpc !== undefined || sources.flags.clientSubnets !== undefined || sources.flags.clientSecurityGroups !== undefined;
  const clientSource: Partial<ConnectAnswers> | undefined = clientFromFlags ? sources.flags : sources.file;
  const clientLabel = (key: Key) => (clientFromFlags ? CONNECT_FLAG_OF[key] : `"${key}" in ${sources.filePath}`);

  function given(key: Key, validate: (value: string, label: string) => string | undefined): string | undefined {
    const value = sources.flags[key] ?? sources.file?.[key];
    if (value === undefined) return undefined;
    fail(validate(value.trim(), labelOf(key)));
    return value.trim();
  }
  function clientGiven(key: "function" | "clientVpc" | "clientSubnets" | "clientSecurityGroups", validate: (value: string, label: string) => string | undefined): string | undefined {
    const value = clientSource?.[key];
    if (value === undefined) return undefined;
    fail(validate(value.trim(), clientLabel(key)));
    return value.trim();
  }
  const missing = (key: Key, extra = ""): never => {
    throw new UsageError(`${CONNECT_FLAG_OF[key]} is required when there is no terminal to ask on: pass ${CONNECT_FLAG_OF[key]} ${EXAMPLE[key] ?? ""}${extra}`.trimEnd());
  };

  // Every given value is checked before the first question: a typo in a flag must not wait for answers.
  const nameGiven = given("name", nameProblem);
  const apiRegionGiven = given("apiRegion", regionProblem);
  const clientRegionGiven = given("clientRegion", regionProblem);
  if (apiRegionGiven !== undefined && clientRegionGiven !== undefined) fail(regionPairProblem(apiRegionGiven, clientRegionGiven, { api: labelOf("apiRegion"), client: labelOf("clientRegion") }));
  const apiIdGiven = given("apiId", apiIdProblem);
  const stageGiven = given("stage", stageProblem);
  const endpointGiven = given("endpoint", (v, l) => ec2IdProblem(v, "vpce", l));
  const peering = given("peering", peeringProblem) ?? "auto";
  const fn = clientGiven("function", functionProblem);
  const clientVpc = clientGiven("clientVpc", (v, l) => ec2IdProblem(v, "vpc", l));
  const clientSubnets = clientGiven("clientSubnets", (v, l) => ec2IdListProblem(v, "subnet", l));
  const clientSecurityGroups = clientGiven("clientSecurityGroups", (v, l) => ec2IdListProblem(v, "sg", l));
  if (fn !== undefined && clientVpc !== undefined) {
    fail(`${clientLabel("function")} and ${clientLabel("clientVpc")} name two clients: pass one, --function for a function attached to a VPC, or --client-vpc for a VPC's other callers`);
  }
  if (clientVpc === undefined && (clientSubnets !== undefined || clientSecurityGroups !== undefined)) {
    const label = clientSubnets !== undefined ? clientLabel("clientSubnets") : clientLabel("clientSecurityGroups");
    fail(`${label} goes with --client-vpc: pass --client-vpc vpc-… too${fn !== undefined ? ` (a function's subnets and groups are its own: drop ${label})` : ""}`);
  }

  const optional = acceptDefaults ? undefined : chooser;
  const ask = async <T>(key: keyof ConnectAnswers, question: () => Promise<T>): Promise<T> => {
    asked.push(key);
    return question();
  };
  const name = nameGiven ?? (optional ? await ask("name", () => optional.name(DEFAULTS.name)) : DEFAULTS.name);
  const apiRegion = apiRegionGiven ?? (chooser ? await ask("apiRegion", () => chooser.region("api", undefined, undefined)) : missing("apiRegion"));
  const apiId = apiIdGiven ?? (chooser ? await ask("apiId", () => chooser.api(apiRegion)) : missing("apiId", " (the private REST API's id in --api-region)"));
  const stage = stageGiven ?? (optional ? await ask("stage", () => optional.stage(apiRegion, apiId)) : undefined);
  const endpoint = endpointGiven ?? (optional ? await ask("endpoint", () => optional.endpoint(apiRegion, apiId)) : undefined);
  const clientRegion =
    clientRegionGiven ?? (chooser ? await ask("clientRegion", () => chooser.region("client", undefined, apiRegion)) : missing("clientRegion"));
  fail(regionPairProblem(apiRegion, clientRegion, { api: labelOf("apiRegion"), client: labelOf("clientRegion") }));
  let client: Pick<ConnectAnswers, "function" | "clientVpc" | "clientSubnets" | "clientSecurityGroups">;
  if (fn !== undefined || clientVpc !== undefined) {
    client = { function: fn, clientVpc, clientSubnets, clientSecurityGroups };
  } else if (chooser) {
    const chosen = await ask("function", () => chooser.client(clientRegion));
    client = chosen.kind === "function" ? { function: chosen.function } : { clientVpc: chosen.clientVpc, clientSubnets: chosen.clientSubnets };
  } else {
    throw new UsageError("the client is required when there is no terminal to ask on: pass --function <name or ARN of a function attached to a VPC>, or --client-vpc vpc-… (with --client-subnets and --client-security-groups)");
  }
  const probe = sources.flags.probe ?? sources.file?.probe ?? true;
  const profile = sources.flags.profile ?? sources.file?.profile;
  return {
    answers: {
      name,
      apiRegion,
      clientRegion,
      apiId,
      peering,
      probe,
      ...(stage ? { stage } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...definedOnly(client),
      ...(profile ? { profile } : {}),
    },
    asked,
  };
}

/** The client as the planner takes it. */
export function clientOf(answers: Pick<ConnectAnswers, "function" | "clientVpc" | "clientSubnets" | "clientSecurityGroups">):
  | { readonly kind: "function"; readonly name: string }
  | { readonly kind: "network"; readonly vpcId: string; readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] } {
  if (answers.function !== undefined) return { kind: "function", name: answers.function };
  if (answers.clientVpc === undefined) throw new Error("a resolved connection names its client");
  return { kind: "network", vpcId: answers.clientVpc, subnetIds: splitList(answers.clientSubnets ?? ""), securityGroupIds: splitList(answers.clientSecurityGroups ?? "") };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function fail(problem: string | undefined): void {
  if (problem) throw new UsageError(problem);
}
