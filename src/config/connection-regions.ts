// A connection's client regions in its answers: the list form that gives each region its client (one
// function or VPC per region, comma-separated; one group of subnets or security groups per region, ";"
// between them) split and joined, its counts checked, one region's saved answers, and the answers file as
// regions are disconnected or a connect names only some of them. Pure.
import { UsageError } from "../errors.js";
import type { ConnectAnswers } from "./answers.js";
import { splitList } from "./validate.js";

/** One client region's client, as a one-region connection's answers spell it. */
export type RegionClient = Pick<ConnectAnswers, "function" | "clientVpc" | "clientSubnets" | "clientSecurityGroups">;

const CLIENT_KEYS = ["function", "clientVpc", "clientSubnets", "clientSecurityGroups"] as const;

/**
 * Each client region's client from the list form: --function and --client-vpc take one item per region,
 * comma-separated in the regions' order; --client-subnets and --client-security-groups take one group per
 * region, separated by ";" (the ids inside a group by commas; an empty group: that VPC's default). With one
 * region the text is that region's as it is. Counts are checked by the caller (clientCountProblem).
 */
export function splitClients(client: RegionClient, regions: number): RegionClient[] {
  const items = (text: string | undefined, separator: string) => (text === undefined ? [] : regions === 1 ? [text] : text.split(separator).map((item) => item.trim()));
  const fns = items(client.function, ",");
  const vpcs = items(client.clientVpc, ",");
  const subnets = items(client.clientSubnets, ";");
  const groups = items(client.clientSecurityGroups, ";");
  return Array.from({ length: regions }, (_, i) =>
    definedOnly({ function: fns[i], clientVpc: vpcs[i], clientSubnets: subnets[i] || undefined, clientSecurityGroups: groups[i] || undefined }),
  );
}

/** The clients of the regions in the list form (splitClients' inverse). */
export function joinClients(clients: readonly RegionClient[]): RegionClient {
  const join = (key: (typeof CLIENT_KEYS)[number], separator: string) => {
    const values = clients.map((c) => c[key]);
    return values.every((v) => v === undefined) ? undefined : values.map((v) => v ?? "").join(separator);
  };
  return definedOnly({ function: join("function", ","), clientVpc: join("clientVpc", ","), clientSubnets: join("clientSubnets", ";"), clientSecurityGroups: join("clientSecurityGroups", ";") });
}

/** What is wrong with the clients' counts for this many client regions (one line naming the flag and the fix), or undefined. */
export function clientCountProblem(client: RegionClient, regions: readonly string[], label: (key: (typeof CLIENT_KEYS)[number]) => string): string | undefined {
  const n = regions.length;
  const counted = (key: (typeof CLIENT_KEYS)[number], separator: string, noun: string, example: string) => {
    const text = client[key];
    if (text === undefined) return undefined;
    const count = n === 1 && separator === ";" ? 1 + (text.match(/;/g)?.length ?? 0) : text.split(separator).length;
    if (count === n) return undefined;
    const per = separator === ";" ? `one group per region separated by ";" (ids inside a group by commas), e.g. ${label(key)} "${example}"` : `one per region in the same order, e.g. ${label(key)} ${example}`;
    return `${label(key)} names ${count} ${noun}${count === 1 ? "" : "s"} for ${n} client region${n === 1 ? "" : "s"} (${regions.join(", ")}): pass ${per}`;
  };
  return (
    counted("function", ",", "function", regions.map((r) => `caller-${r}`).join(",")) ??
    counted("clientVpc", ",", "VPC", regions.map((_, i) => `vpc-0${i + 1}23456789abcdef0`).join(",")) ??
    counted("clientSubnets", ";", "subnet group", regions.map((_, i) => `subnet-0${i + 1}23456789abcdef0`).join(";")) ??
    counted("clientSecurityGroups", ";", "security group group", regions.map((_, i) => `sg-0${i + 1}23456789abcdef0`).join(";"))
  );
}

/**
 * One client region's saved answers from a connection's file: its client by the region's place in the file's
 * list (none when the file does not list it); a file of one region (or none) is taken as it is.
 */
export function savedForRegion(saved: Partial<ConnectAnswers>, region: string): Partial<ConnectAnswers> {
  const regions = splitList(saved.clientRegion ?? "");
  if (regions.length <= 1) return saved;
  const { function: _f, clientVpc: _v, clientSubnets: _s, clientSecurityGroups: _g, ...rest } = saved;
  const i = regions.indexOf(region);
  return { ...rest, clientRegion: region, ...(i < 0 ? {} : splitClients(saved, regions.length)[i]) };
}

/** A connection's saved answers once some client regions are disconnected: those regions and their clients gone from the lists. */
export function withoutConnectionRegions(saved: Partial<ConnectAnswers>, removed: readonly string[]): Partial<ConnectAnswers> {
  const regions = splitList(saved.clientRegion ?? "");
  const clients = splitClients(saved, Math.max(1, regions.length));
  const kept = regions.flatMap((region, i) => (removed.includes(region) ? [] : [{ region, client: clients[i] ?? {} }]));
  const { function: _f, clientVpc: _v, clientSubnets: _s, clientSecurityGroups: _g, clientRegion: _r, ...rest } = saved;
  if (kept.length === 0) return rest;
  return { ...rest, clientRegion: kept.map((k) => k.region).join(","), ...joinClients(kept.map((k) => k.client)) };
}

/**
 * The answers to save after a connect of some of a saved connection's regions: this run's regions, then the
 * saved ones it did not name with their clients (their stacks still stand: disconnect removes a region).
 * Another connection's file is replaced. The same connection on another API, or with clients of another
 * kind, would drop regions whose stacks still stand from the file: refused (UsageError) before anything.
 */
export function withSavedRegions(answers: ConnectAnswers, saved: Partial<ConnectAnswers> | undefined, filePath: string): ConnectAnswers {
  if (!saved?.clientRegion || saved.name !== answers.name) return answers;
  const mine = splitList(answers.clientRegion);
  const theirs = splitList(saved.clientRegion);
  const others = theirs.filter((region) => !mine.includes(region));
  if (others.length === 0) return answers;
  const savedClients = splitClients(saved, theirs.length);
  const clients = [...splitClients(answers, mine.length), ...others.map((region) => savedClients[theirs.indexOf(region)] ?? {})];
  const kinds = new Set(clients.map((c) => (c.function !== undefined ? "function" : c.clientVpc !== undefined ? "network" : "none")));
  const otherApi = saved.apiId !== answers.apiId || saved.apiRegion !== answers.apiRegion;
  if (otherApi || kinds.size > 1) {
    const theirKind = savedClients.some((c) => c.function !== undefined) ? "a function (--function)" : "a VPC (--client-vpc)";
    const differs = otherApi ? `to the API ${saved.apiId} in ${saved.apiRegion}` : `with ${theirKind} as client`;
    throw new UsageError(
      `${filePath} says connection "${answers.name}" also connects ${others.join(", ")} ${differs}, and those stacks still stand: a connection has one API and one kind of client; disconnect --client-region ${others.join(",")} first, or connect ${mine.join(",")} as a connection of its own (--name)`,
    );
  }
  return { ...answers, clientRegion: [...mine, ...others].join(","), ...joinClients(clients) };
}

/** Each client region of a connection as a one-region connection's answers, in the regions' order. */
export function connectionRegions(answers: ConnectAnswers): ConnectAnswers[] {
  const regions = splitList(answers.clientRegion);
  const clients = splitClients(answers, regions.length);
  return regions.map((clientRegion, i) => {
    const { function: _f, clientVpc: _v, clientSubnets: _s, clientSecurityGroups: _g, ...rest } = answers;
    return { ...rest, clientRegion, ...clients[i] };
  });
}

/** The given clients by their regions (the list form split); a region the list does not reach has none. */
export function clientsByRegion(client: RegionClient, regions: readonly string[]): Map<string, RegionClient> {
  const split = splitClients(client, Math.max(1, regions.length));
  return new Map(regions.flatMap((region, i) => (split[i] && (split[i].function !== undefined || split[i].clientVpc !== undefined) ? [[region, split[i]] as const] : [])));
}

/** The parts of a value that are given (a client's, once the list form is split or joined). */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
