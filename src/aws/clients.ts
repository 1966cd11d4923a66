// The one place AWS SDK clients are made. Every module asks this factory for the client it needs, so
// region, profile, credentials, retries and user agent are decided once. No endpoint is set here: the
// SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables then work (moto, LocalStack).
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import type { Route53Client } from "@aws-sdk/client-route-53";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { AwsCredentialIdentityProvider, BuildMiddleware } from "@smithy/types";
import { BIN, VERSION } from "../package.js";
import { retryDelay } from "./clock.js";
import { noteEndpoint } from "./errors.js";


/** How to build the clients: the profile to sign with, and a test's endpoint override. */
export interface ClientOptions {
  readonly profile?: string | undefined;
  // Tests inject static credentials; real runs use the default chain (env, SSO, shared files, process).
  readonly credentials?: AwsCredentialIdentityProvider | undefined;
}

/** One lazily made SDK client per service and region, shared by every step of a run. */
export interface AwsClients {
  cloudFormation(region: string): CloudFormationClient;
  ec2(region: string): EC2Client;
  // IAM is global: pass the partition's home region (us-east-1, cn-north-1, us-gov-west-1).
  iam(region: string): IAMClient;
  lambda(region: string): LambdaClient;
  sts(region: string): STSClient;
  // Only `doctor` reads these: they load on first use, so other commands never carry them.
  apiGateway(region: string): Promise<APIGatewayClient>;
  // Route 53 is global; the region only picks the partition's endpoint.
  route53(region: string): Promise<Route53Client>;
  readonly profile: string | undefined;
  destroy(): void;
}

type Ctor<T> = new (config: Record<string, unknown>) => T;

interface Middlewared {
  readonly middlewareStack: { add(middleware: BuildMiddleware<object, object>, options: { step: "build"; name: string }): void };
}

// A failed call's error learns where its request went, so that a message can name the endpoint that
// could not be reached or answered something that is not AWS (errors.ts, describeAwsError).
const endpointOnError: BuildMiddleware<object, object> = (next) => async (args) => {
  try {
    return await next(args);
  } catch (error) {
    const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
    if (request?.hostname) noteEndpoint(error, `${request.protocol ?? "https:"}//${request.hostname}${request.port ? `:${request.port}` : ""}`);
    throw error;
  }
};

// Standard retries (the SDKs' recommended mode, with its retry quota that stops retrying in an outage)
// with a short, capped, jittered back-off. Not "adaptive": its client-side rate limiter, after a few
// throttles, delays every later call of the client, the first attempts included, and it is meant for
// clients that each call one throttled resource (AWS SDKs and Tools reference guide, "Retry behavior":
// adaptive "can delay initial request", for "single-resource, throttling-heavy, latency-tolerant" use).
// One of our clients calls many APIs, a few calls a second, one at a time: against a proxy throttling 40 %
// of calls, adaptive (8 attempts) made a deploy about 28 times slower for 1.7 times the calls (README,
// "npm run bench"). The waits being short, attempts are cheap: with ten, a call still throttled after all
// of them is rare (0.4^10 at that rate), the retry quota still ends retries in a storm, and the pollers
// then wait on their own (clock.ts).
const MAX_ATTEMPTS = 10;

/** Makes the client factory a run uses; `destroy()` releases every client it made. */
export function createClients(options: ClientOptions = {}): AwsClients {
  // One provider for every client, so an SSO token or assumed role is resolved once per run.
  const credentials =
    options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  const cache = new Map<string, { destroy(): void }>();

  function get<T extends { destroy(): void }>(service: string, ctor: Ctor<T>, region: string): T {
    const key = `${service}:${region}`;
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = new ctor({
        region,
        credentials,
        retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) => retryDelay(attempt)),
        customUserAgent: [[BIN, VERSION]],
      });
      (client as unknown as Middlewared).middlewareStack.add(endpointOnError, { step: "build", name: "xregionEndpointOnError" });
      cache.set(key, client);
    }
    return client;
  }

  return {
    profile: options.profile,
    cloudFormation: (region) => get("cloudformation", CloudFormationClient as Ctor<CloudFormationClient>, region),
    ec2: (region) => get("ec2", EC2Client as Ctor<EC2Client>, region),
    iam: (region) => get("iam", IAMClient as Ctor<IAMClient>, region),
    lambda: (region) => get("lambda", LambdaClient as Ctor<LambdaClient>, region),
    sts: (region) => get("sts", STSClient as Ctor<STSClient>, region),
    apiGateway: async (region) => get("apigateway", (await import("@aws-sdk/client-api-gateway")).APIGatewayClient as Ctor<APIGatewayClient>, region),
    route53: async (region) => get("route53", (await import("@aws-sdk/client-route-53")).Route53Client as Ctor<Route53Client>, region),
    destroy() {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}
