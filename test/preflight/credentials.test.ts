import { ExpiredTokenException, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import { CredentialsError } from "../../src/aws/errors.js";
import { callerIdentity } from "../../src/aws/identity.js";
import { testClients } from "./aws-fixtures.js";

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const sts = mockClient(STSClient);

describe("asking who we are", () => {
  let clients: AwsClients | undefined;
  beforeEach(() => sts.reset());
  afterEach(() => clients?.destroy());

  async function failure(error: Error, profile?: string): Promise<unknown> {
    clients = testClients(profile);
    sts.on(GetCallerIdentityCommand).rejects(error);
    return callerIdentity(clients, "eu-west-1").catch((e: unknown) => e);
  }

  it("asks STS in the partition's home region, which is always enabled", async () => {
    clients = testClients();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/ci" });
    expect(await callerIdentity(clients, "ap-southeast-7")).toEqual({ account: "123456789012", arn: "arn:aws:iam::123456789012:user/ci" });
    expect(await (sts.calls()[0]?.thisValue as STSClient).config.region()).toBe("us-east-1");
  });

  it("turns an expired session into sso login for the profile", async () => {
    const error = await failure(new ExpiredTokenException({ message: "The security token included in the request is expired", $metadata: {} }), "p");
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).problem).toBe("expired");
    expect((error as CredentialsError).fix).toMatch(/^aws sso login --profile p\b/);
  });

  it("turns an expired SSO session into sso login for the profile", async () => {
    const error = await failure(
      named(
        "CredentialsProviderError",
        "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.",
      ),
      "dev",
    );
    expect((error as CredentialsError).fix).toMatch(/^aws sso login --profile dev\b/);
  });

  it("tells a user with no credentials at all how to provide some", async () => {
    const error = await failure(named("CredentialsProviderError", "Could not load credentials from any providers"));
    expect(error).toMatchObject({ problem: "missing" });
    expect((error as CredentialsError).fix).toContain("aws configure");
    expect((error as CredentialsError).fix).toContain("AWS_PROFILE");
  });

  it("lets other failures through unchanged", async () => {
    const throttled = named("ThrottlingException", "Rate exceeded");
    expect(await failure(throttled, "p")).toBe(throttled);
  });
});
