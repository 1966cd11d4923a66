// Who we are. Credentials failures leave here as the one CredentialsError of ./errors.ts, so the CLI maps
// them to exit 1 with the fixing command whichever step met them first.
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsClients } from "./clients.js";
import { asCredentialsError } from "./errors.js";

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

export async function callerIdentity(
  clients: Pick<AwsClients, "sts" | "profile">,
  region: string,
): Promise<CallerIdentity> {
  try {
    const answer = await clients.sts(homeRegionOf(region)).send(new GetCallerIdentityCommand({}));
    return { account: answer.Account ?? "", arn: answer.Arn ?? "" };
  } catch (error) {
    throw asCredentialsError(error, clients.profile) ?? error;
  }
}

/**
 * The partition's home region, where STS is asked. STS in an opt-in region that is not enabled rejects
 * valid credentials as invalid, which would send the user to fix the wrong thing; the home region is always enabled.
 */
export function homeRegionOf(region: string): string {
  if (region.startsWith("cn-")) return "cn-north-1";
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  return "us-east-1";
}
