// The one shape every run resolves to, whatever mixture of flags, answers file and prompts produced it.
export interface Answers {
  readonly name: string;
  readonly apiRegion: string;
  readonly clientRegion: string;
  readonly apiCidr: string;
  readonly clientCidr: string;
  readonly profile?: string | undefined;
  // Two Availability Zones for each VPC, "us-east-1a,us-east-1b"; unset, preflight chooses them.
  readonly apiAzs?: string | undefined;
  readonly clientAzs?: string | undefined;
}

export type AnswerKey = keyof Answers;

// Regions have no default on purpose: deploying into a region nobody chose costs money and is easy to
// miss in a CI log. The name and the two ranges have safe defaults that never overlap.
export const DEFAULTS = {
  name: "xregion",
  apiCidr: "10.10.0.0/16",
  clientCidr: "10.20.0.0/16",
} as const satisfies Partial<Answers>;

// The flag a user passes for each answer: error messages name it so the fix is one copy-paste away.
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
