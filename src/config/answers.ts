// The one shape every run resolves to, whatever mixture of flags, answers file and prompts produced it:
// a deployment's answers and a connection's, as values and as the text flags and the file write them.
// Reading and writing the file is answers-file.ts.

/** One client region: where its client function runs, its VPC's range, and its two zones (unset: preflight chooses). */
export interface ClientAnswer {
  readonly region: string;
  readonly cidr: string;
  // Two Availability Zones of this region, "eu-west-1a,eu-west-1b".
  readonly azs?: string | undefined;
}

/** The one shape every run resolves to, whatever mixture of flags, file and prompts made it. */
export interface Answers {
  readonly name: string;
  readonly apiRegion: string;
  readonly apiCidr: string;
  // One or more, in the order given: the first is the one stage 1's own rule admits on a new deployment.
  readonly clients: readonly ClientAnswer[];
  readonly profile?: string | undefined;
  // Two Availability Zones for the API VPC, "us-east-1a,us-east-1b"; unset, preflight chooses them.
  readonly apiAzs?: string | undefined;
}

/**
 * The answers as flags and the answers file write them: one string each. The client keys hold lists,
 * comma-separated in the regions' order ("eu-west-1,ap-southeast-2"; --client-azs two zones per region),
 * so a file written for one client region reads the same.
 */
export interface AnswerText {
  readonly name: string;
  readonly apiRegion: string;
  readonly clientRegion: string;
  readonly apiCidr: string;
  readonly clientCidr: string;
  readonly profile: string;
  readonly apiAzs: string;
  readonly clientAzs: string;
}

/** The name of one answer, as flags and the file spell it. */
export type AnswerKey = keyof AnswerText;

/**
 * Regions have no default on purpose: deploying into a region nobody chose costs money and is easy to
 * miss in a CI log. The name and the ranges have safe defaults that never overlap (further client
 * ranges are suggested next to the first).
 */
export const DEFAULTS = {
  name: "xregion",
  apiCidr: "10.10.0.0/16",
  clientCidr: "10.20.0.0/16",
} as const;

/** The flag a user passes for each answer: error messages name it so the fix is one copy-paste away. */
export const FLAG_OF: Record<AnswerKey, string> = {
  name: "--name",
  apiRegion: "--api-region",
  clientRegion: "--client-region",
  apiCidr: "--api-cidr",
  clientCidr: "--client-cidr",
  profile: "--profile",
  apiAzs: "--api-azs",
  clientAzs: "--client-azs",
};

/** A comma-separated answer as its items, trimmed (an empty item kept, for the check that names it). */
export function listItems(text: string): string[] {
  return text.split(",").map((item) => item.trim());
}

/** The client regions, in order. */
export function clientRegions(answers: Pick<Answers, "clients">): string[] {
  return answers.clients.map((client) => client.region);
}

/** What finds each client region of a connection, from answers read as a deployment's: one place per client region named. */
export function connectionPlaces(answers: Pick<Answers, "name" | "apiRegion" | "clients" | "profile">): Pick<ConnectAnswers, "name" | "apiRegion" | "clientRegion" | "profile">[] {
  return answers.clients.map(({ region }) => ({ name: answers.name, apiRegion: answers.apiRegion, clientRegion: region, ...(answers.profile ? { profile: answers.profile } : {}) }));
}

/** The answers as flags and the file write them. */
export function answerText(answers: Answers): Partial<AnswerText> {
  const zones = answers.clients.flatMap((client) => (client.azs ? [client.azs] : []));
  return {
    name: answers.name,
    apiRegion: answers.apiRegion,
    clientRegion: clientRegions(answers).join(","),
    apiCidr: answers.apiCidr,
    clientCidr: answers.clients.map((client) => client.cidr).join(","),
    ...(answers.profile ? { profile: answers.profile } : {}),
    ...(answers.apiAzs ? { apiAzs: answers.apiAzs } : {}),
    ...(zones.length > 0 ? { clientAzs: zones.join(",") } : {}),
  };
}

/**
 * The answers as the file keeps them once some client regions are torn down: those regions gone from the
 * lists, each remaining region with its own range and zones.
 */
export function withoutClientRegions(text: Partial<AnswerText>, removed: readonly string[]): Partial<AnswerText> {
  if (text.clientRegion === undefined) return text;
  const regions = listItems(text.clientRegion);
  const ranges = text.clientCidr === undefined ? [] : listItems(text.clientCidr);
  const kept = regions.flatMap((region, i) => (removed.includes(region) ? [] : [{ region, cidr: ranges[i] }]));
  const zones = text.clientAzs === undefined ? [] : listItems(text.clientAzs).filter((zone) => kept.some((k) => zone.startsWith(k.region)));
  const { clientRegion: _regions, clientCidr: _ranges, clientAzs: _zones, ...rest } = text;
  const cidrs = kept.flatMap((k) => (k.cidr === undefined ? [] : [k.cidr]));
  return {
    ...rest,
    ...(kept.length > 0 ? { clientRegion: kept.map((k) => k.region).join(",") } : {}),
    ...(cidrs.length === kept.length && cidrs.length > 0 ? { clientCidr: cidrs.join(",") } : {}),
    ...(zones.length > 0 ? { clientAzs: zones.join(",") } : {}),
  };
}

/** A connection's answers (connect): where the API and the client are, and how to join them. */
export interface ConnectAnswers {
  readonly name: string;
  readonly apiRegion: string;
  // One or more client regions, comma-separated; the client keys below then hold one item (or group) per region.
  readonly clientRegion: string;
  readonly profile?: string | undefined;
  readonly apiId: string;
  // Unset: the API's only stage.
  readonly stage?: string | undefined;
  // Unset: the endpoint the API names or its policy admits.
  readonly endpoint?: string | undefined;
  // The client: a function (name or ARN), or a VPC with its subnets and groups (comma-separated; unset: all, the default group).
  // Several regions: functions and VPCs comma-separated, subnets and groups one group per region separated by ";".
  readonly function?: string | undefined;
  readonly clientVpc?: string | undefined;
  readonly clientSubnets?: string | undefined;
  readonly clientSecurityGroups?: string | undefined;
  // auto, new, or a pcx id.
  readonly peering: string;
  readonly probe: boolean;
}

/** A connection's answers by name, in the order the file and the equivalent command list them. */
export const CONNECT_KEYS = [
  "name",
  "apiRegion",
  "apiId",
  "stage",
  "endpoint",
  "clientRegion",
  "function",
  "clientVpc",
  "clientSubnets",
  "clientSecurityGroups",
  "peering",
  "probe",
  "profile",
] as const satisfies readonly (keyof ConnectAnswers)[];

/** The flag of each of a connection's answers. */
export const CONNECT_FLAG_OF: Record<keyof ConnectAnswers, string> = {
  name: "--name",
  apiRegion: "--api-region",
  clientRegion: "--client-region",
  profile: "--profile",
  apiId: "--api-id",
  stage: "--stage",
  endpoint: "--endpoint",
  function: "--function",
  clientVpc: "--client-vpc",
  clientSubnets: "--client-subnets",
  clientSecurityGroups: "--client-security-groups",
  peering: "--peering",
  probe: "--no-probe",
};

/** Every answer, in the order `--help` lists their flags. */
export const ANSWER_KEYS = ["name", "apiRegion", "clientRegion", "apiCidr", "clientCidr", "profile", "apiAzs", "clientAzs"] as const satisfies readonly AnswerKey[];
