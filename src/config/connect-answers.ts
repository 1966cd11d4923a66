// A connection's answers resolve as a deployment's do (resolve.ts): each from its flag, then the answers
// file, then a question when a terminal is there to ask on, then its default — or a usage error naming the
// flag. Its questions list what exists (private APIs, endpoints, functions, VPCs); the lists are the
// caller's to read (the command layer talks to AWS, config does not): the chooser it passes asks them.
// Several client regions' clients in the list form, and the file as regions come and go: connection-regions.ts.
import { UsageError } from "../errors.js";
import { CONNECT_FLAG_OF, type ConnectAnswers, DEFAULTS } from "./answers.js";
import type { AnswerSources, Asker } from "./resolve.js";
import { clientCountProblem, clientsByRegion, definedOnly, joinClients, type RegionClient, splitClients } from "./connection-regions.js";
import { apiIdProblem, clientRegionsProblem, ec2IdListProblem, ec2IdProblem, functionProblem, nameProblem, peeringProblem, regionPairProblem, regionProblem, splitList, stageProblem } from "./validate.js";

/** A connection's client as chosen in a terminal: a function, or a VPC with the subnets it calls from. */
export type ClientChoice =
  | { readonly kind: "function"; readonly function: string }
  | { readonly kind: "network"; readonly clientVpc: string; readonly clientSubnets: string | undefined };

/**
 * The terminal's questions for a connection (name and regions as deploy asks them), each listing what
 * exists. `stage` and `endpoint` answer undefined when there is nothing to choose (one stage; the endpoint
 * the API names).
 */
export interface ConnectChooser extends Pick<Asker, "name" | "region" | "moreClients"> {
  api(region: string): Promise<string>;
  stage(region: string, apiId: string): Promise<string | undefined>;
  endpoint(region: string, apiId: string): Promise<string | undefined>;
  client(region: string): Promise<ClientChoice>;
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
export async function resolveConnectAnswers(sources: AnswerSources<ConnectAnswers>, chooser: ConnectChooser | undefined, acceptDefaults = false): Promise<ResolvedConnection> {
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
  function pairs(api: string, clients: readonly string[]): void {
    for (const client of clients) fail(regionPairProblem(api, client, { api: labelOf("apiRegion"), client: labelOf("clientRegion") }));
  }
  function fileRegions(): string[] | undefined {
    const text = sources.file?.clientRegion;
    return text === undefined ? undefined : splitList(text);
  }
  const missing = (key: Key, extra = ""): never => {
    throw new UsageError(`${CONNECT_FLAG_OF[key]} is required when there is no terminal to ask on: pass ${CONNECT_FLAG_OF[key]} ${EXAMPLE[key] ?? ""}${extra}`.trimEnd());
  };

  // Every given value is checked before the first question: a typo in a flag must not wait for answers.
  const nameGiven = given("name", nameProblem);
  const apiRegionGiven = given("apiRegion", regionProblem);
  const clientRegionGiven = given("clientRegion", clientRegionsProblem);
  const regionsGiven = clientRegionGiven === undefined ? undefined : splitList(clientRegionGiven);
  if (apiRegionGiven !== undefined) pairs(apiRegionGiven, regionsGiven ?? []);
  const apiIdGiven = given("apiId", apiIdProblem);
  const stageGiven = given("stage", stageProblem);
  const endpointGiven = given("endpoint", (v, l) => ec2IdProblem(v, "vpce", l));
  const peering = given("peering", peeringProblem) ?? "auto";
  const fn = clientGiven("function", (v, l) => listProblem(v, l, functionProblem));
  // A VPC id is one VPC wherever it is named; a function's name is one function per region (the same name in
  // each region is the usual multi-region deployment), so only VPCs cannot repeat.
  const clientVpc = clientGiven("clientVpc", (v, l) => listProblem(v, l, (item, label) => ec2IdProblem(item, "vpc", label)) ?? repeatProblem(v, l));
  // The clients' lists follow their regions: the flags' regions when the flags give both, else the file's.
  const clientRegions = clientFromFlags ? regionsGiven : fileRegions();
  // Groups given before their regions are known (they are asked): as many regions as the ";" form names.
  const groupRegions = (value: string) => clientRegions?.length ?? value.split(";").length;
  const clientSubnets = clientGiven("clientSubnets", (v, l) => groupsProblem(v, l, "subnet", groupRegions(v)));
  const clientSecurityGroups = clientGiven("clientSecurityGroups", (v, l) => groupsProblem(v, l, "sg", groupRegions(v)));
  if (fn !== undefined && clientVpc !== undefined) {
    fail(`${clientLabel("function")} and ${clientLabel("clientVpc")} name two clients: pass one, --function for a function attached to a VPC, or --client-vpc for a VPC's other callers (with several client regions, every region's client is of the same kind)`);
  }
  if (clientVpc === undefined && (clientSubnets !== undefined || clientSecurityGroups !== undefined)) {
    const label = clientSubnets !== undefined ? clientLabel("clientSubnets") : clientLabel("clientSecurityGroups");
    fail(`${label} goes with --client-vpc: pass --client-vpc vpc-… too${fn !== undefined ? ` (a function's subnets and groups are its own: drop ${label})` : ""}`);
  }
  const clientText: RegionClient = definedOnly({ function: fn, clientVpc, clientSubnets, clientSecurityGroups });
  const clientGivenAtAll = fn !== undefined || clientVpc !== undefined;
  if (clientGivenAtAll && clientRegions) fail(clientCountProblem(clientText, clientRegions, clientLabel));
  // Given without its regions (they are asked): in the order the regions will be.
  const positional = clientGivenAtAll && !clientRegions ? splitClients(clientText, clientText.function !== undefined ? splitList(clientText.function).length : splitList(clientText.clientVpc ?? "").length) : undefined;

  const optional = acceptDefaults ? undefined : chooser;
  const ask = async <T>(key: keyof ConnectAnswers, question: () => Promise<T>): Promise<T> => {
    if (!asked.includes(key)) asked.push(key);
    return question();
  };
  const name = nameGiven ?? (optional ? await ask("name", () => optional.name(DEFAULTS.name)) : DEFAULTS.name);
  const apiRegion = apiRegionGiven ?? (chooser ? await ask("apiRegion", () => chooser.region("api", undefined, undefined)) : missing("apiRegion"));
  const apiId = apiIdGiven ?? (chooser ? await ask("apiId", () => chooser.api(apiRegion)) : missing("apiId", " (the private REST API's id in --api-region)"));
  const stage = stageGiven ?? (optional ? await ask("stage", () => optional.stage(apiRegion, apiId)) : undefined);
  const endpoint = endpointGiven ?? (optional ? await ask("endpoint", () => optional.endpoint(apiRegion, apiId)) : undefined);

  // Each client region with its client: given (in the list form), else asked right after its region.
  const givenClients = clientGivenAtAll && clientRegions ? clientsByRegion(clientText, clientRegions) : new Map<string, RegionClient>();
  const askClient = async (region: string, index: number): Promise<RegionClient> => {
    const known = givenClients.get(region) ?? positional?.[index];
    if (known) return known;
    if (!chooser) {
      throw new UsageError(
        regionsGiven && regionsGiven.length > 1
          ? `the client of ${region} is required when there is no terminal to ask on: pass --function (or --client-vpc) with one item per client region, in the order of --client-region`
          : "the client is required when there is no terminal to ask on: pass --function <name or ARN of a function attached to a VPC>, or --client-vpc vpc-… (with --client-subnets and --client-security-groups)",
      );
    }
    const chosen = await ask("function", () => chooser.client(region));
    return chosen.kind === "function" ? { function: chosen.function } : { clientVpc: chosen.clientVpc, ...(chosen.clientSubnets ? { clientSubnets: chosen.clientSubnets } : {}) };
  };
  const regions: string[] = [];
  const clients: RegionClient[] = [];
  if (regionsGiven) {
    for (const region of regionsGiven) {
      regions.push(region);
      clients.push(await askClient(region, regions.length - 1));
    }
  } else if (chooser) {
    do {
      const region = await ask("clientRegion", () => chooser.region("client", undefined, apiRegion, [...regions]));
      regions.push(region);
      clients.push(await askClient(region, regions.length - 1));
    } while (await chooser.moreClients(regions.length));
  } else {
    missing("clientRegion");
  }
  pairs(apiRegion, regions);
  fail(arnRegionProblem(clients, regions, clientLabel("function"), labelOf("clientRegion")));
  // A peering connection joins two VPCs: one named cannot carry every client region's VPC.
  if (regions.length > 1 && peering.startsWith("pcx-")) {
    fail(`${labelOf("peering")} ${peering} names one peering connection, which joins one client VPC to the API VPC, and ${labelOf("clientRegion")} names ${regions.length} client regions: pass --peering auto (each region reuses its active peering, else gets a new one) or new, or connect that peering's region on its own`);
  }
  if (positional) fail(clientCountProblem(clientText, regions, clientLabel));
  fail(clientRegionsProblem(regions.join(","), labelOf("clientRegion")));
  if (new Set(clients.map((c) => (c.function !== undefined ? "function" : "network"))).size > 1) {
    fail(`every client region's client is of one kind: all functions (--function) or all VPCs (--client-vpc); connect the regions of the other kind as a connection of their own (--name)`);
  }
  const client = joinClients(clients);
  const probe = sources.flags.probe ?? sources.file?.probe ?? true;
  const profile = sources.flags.profile ?? sources.file?.profile;
  return {
    answers: {
      name,
      apiRegion,
      clientRegion: regions.join(","),
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

// Each item of a comma-separated list checked alone; one item is the one-region form.
function listProblem(value: string, label: string, problem: (item: string, label: string) => string | undefined): string | undefined {
  const items = value.split(",").map((item) => item.trim());
  if (items.length > 1 && items.some((item) => item === "")) return `${label} ${JSON.stringify(value)} has an empty item: name one per client region, separated by single commas`;
  for (const item of items) {
    const found = problem(item, label);
    if (found) return found;
  }
  return undefined;
}

function repeatProblem(value: string, label: string): string | undefined {
  const items = value.split(",").map((item) => item.trim());
  const twice = items.find((item, i) => items.indexOf(item) !== i);
  return twice !== undefined ? `${label} names ${twice} twice: each client region has its own` : undefined;
}

// A function given by ARN names its region: it must be the region whose place it takes in the list.
function arnRegionProblem(clients: readonly RegionClient[], regions: readonly string[], label: string, regionLabel: string): string | undefined {
  for (const [i, client] of clients.entries()) {
    const arnRegion = client.function?.match(/^arn:aws[a-z-]*:lambda:([a-z0-9-]+):/)?.[1];
    const region = regions[i];
    if (arnRegion === undefined || region === undefined || arnRegion === region) continue;
    return regions.length === 1
      ? `${label} ${client.function} is a function of ${arnRegion}, but ${regionLabel} is ${region}: pass ${regionLabel} ${arnRegion}, or a function of ${region}`
      : `${label} ${client.function} is a function of ${arnRegion}, but its place in the list is ${region}'s: pass one function per client region in the order of ${regionLabel} (${regions.join(",")})`;
  }
  return undefined;
}

// Each region's group of ids (";" between regions) checked alone; an empty group of several is that VPC's default.
// `regions`: how many client regions the groups are for (the ";" form's example shows as many groups, quoted
// for the shell), else one region's comma-separated ids.
function groupsProblem(value: string, label: string, prefix: "subnet" | "sg", regions: number): string | undefined {
  const groups = value.split(";").map((group) => group.trim());
  const example =
    regions > 1
      ? `"${Array.from({ length: regions }, (_, i) => (i === 0 ? `${prefix}-0123456789abcdef0,${prefix}-0fedcba9876543210` : `${prefix}-0${i + 1}23456789abcdef0`)).join(";")}" (one group per client region, ";" between regions, commas inside a group)`
      : undefined;
  for (const group of groups) {
    if (group === "" && groups.length > 1) continue;
    const found = ec2IdListProblem(group, prefix, label, example);
    if (found) return found;
  }
  return undefined;
}

function fail(problem: string | undefined): void {
  if (problem) throw new UsageError(problem);
}
