// What a person reads when an AWS call fails: the endpoint and the reason, never the SDK's internals.
// The real SDK clients from our factory talk to loopback servers (a closed port, a proxy answering 200
// with garbage or a 502 page); DNS and TLS failures, which would need
// traffic beyond loopback, are Node's own error shapes.
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClients } from "../../src/aws/clients.js";
import { asCredentialsError, asFailure, describeAwsError, isAwsAnswer, isThrottling } from "../../src/aws/errors.js";
import { serviceError } from "../helpers/cfn-timeline.js";

// The factory's clients retry a refused connection or a 502 ten times as on AWS; the message is this suite's
// subject, the back-off is clients.retries.test.ts's, so the waits between attempts are none here.
vi.mock("../../src/aws/clock.js", async (actual) => ({ ...(await actual<typeof import("../../src/aws/clock.js")>()), retryDelay: () => 0 }));

const credentials = async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" });
const INTERNALS = /\$response|hidden field|Deserialization error|@aws-sdk|getaddrinfo/;

function nodeError(message: string, fields: Record<string, unknown>): Error {
  // As Node and the SDK leave a network failure: Node's fields, and the retry middleware's $metadata.
  return Object.assign(new Error(message), { $metadata: { attempts: 3, totalRetryDelay: 900 } }, fields);
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("describing a failed AWS call", () => {
  const saved = process.env["AWS_ENDPOINT_URL"];
  let server: Server | undefined;
  let clients: ReturnType<typeof createClients> | undefined;
  beforeEach(() => {
    clients = createClients({ credentials });
  });
  afterEach(async () => {
    clients?.destroy();
    if (saved === undefined) delete process.env["AWS_ENDPOINT_URL"];
    else process.env["AWS_ENDPOINT_URL"] = saved;
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it("names the endpoint that answered something AWS never sends, and the override that sent us there", async () => {
    const local = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "text/xml" });
      res.end("garbage<<");
    });
    server = local.server;
    process.env["AWS_ENDPOINT_URL"] = local.url;
    const error = await clients!.cloudFormation("eu-west-1").send(new DescribeStacksCommand({ StackName: "x" })).catch((e: unknown) => e);
    const text = describeAwsError(error);
    expect(text).toBe(`${local.url} answered something that is not AWS (HTTP 200): is AWS_ENDPOINT_URL=${local.url} meant?`);
    expect(isAwsAnswer(error)).toBe(false);
    // The CLI's last line says the same, not "AWS answered Error: …".
    expect(String((asFailure(error, undefined) as Error).message)).toBe(text);
  });

  it.each([[502, "text/html", "<html><body>502 Bad Gateway</body></html>"]])("says an HTTP %i answer without AWS's error code is not AWS (%s)", async (status, type, body) => {
    const local = await listen((_req, res) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    });
    server = local.server;
    process.env["AWS_ENDPOINT_URL"] = local.url;
    const error = await clients!.cloudFormation("eu-west-1").send(new DescribeStacksCommand({ StackName: "x" }), { requestTimeout: 2000 }).catch((e: unknown) => e);
    expect(describeAwsError(error)).toBe(`${local.url} answered something that is not AWS (HTTP ${status}): is AWS_ENDPOINT_URL=${local.url} meant?`);
  }, 20_000);

  it("names the endpoint whose port refused the connection", async () => {
    const local = await listen(() => undefined);
    const { url } = local;
    await new Promise((resolve) => local.server.close(resolve));
    process.env["AWS_ENDPOINT_URL"] = url;
    const error = await clients!.sts("us-east-1").send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect(describeAwsError(error)).toBe(`could not reach ${url}: the connection was refused (nothing listens there)`);
  });

  it("keeps what AWS itself answered, its error name and first line", async () => {
    const local = await listen((_req, res) => {
      res.writeHead(400, { "content-type": "text/xml", "x-amzn-requestid": "r-1" });
      res.end(
        '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>' +
          "<Code>ValidationError</Code><Message>Stack with id x does not exist</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
      );
    });
    server = local.server;
    process.env["AWS_ENDPOINT_URL"] = local.url;
    const error = await clients!.cloudFormation("eu-west-1").send(new DescribeStacksCommand({ StackName: "x" })).catch((e: unknown) => e);
    expect(describeAwsError(error)).toBe("ValidationError: Stack with id x does not exist");
    expect(isAwsAnswer(error)).toBe(true);
    expect((asFailure(error, undefined) as Error).message).toBe("AWS answered ValidationError: Stack with id x does not exist");
  });

  it.each([
    ["EAI_AGAIN", "getaddrinfo EAI_AGAIN sts.amazonaws.com", /^could not reach sts\.amazonaws\.com: its name did not resolve \(DNS EAI_AGAIN, a temporary failure/],
    ["ENOTFOUND", "getaddrinfo ENOTFOUND sts.amazonaws.com", /^could not reach sts\.amazonaws\.com: its name did not resolve \(DNS ENOTFOUND, no such host\)$/],
  ])("says a %s is DNS, for the host that did not resolve", (code, message, expected) => {
    const error = nodeError(message, { code, errno: -3001, syscall: "getaddrinfo", hostname: "sts.amazonaws.com" });
    expect(describeAwsError(error)).toMatch(expected);
    expect((asFailure(error, undefined) as Error).message).not.toMatch(INTERNALS);
  });

  it.each([
    ["ETIMEDOUT", /the connection timed out/],
    ["ECONNRESET", /the connection was reset \(a proxy or firewall closed it\)/],
    ["SELF_SIGNED_CERT_IN_CHAIN", /the TLS handshake failed \(SELF_SIGNED_CERT_IN_CHAIN\): a proxy that intercepts TLS\? AWS_CA_BUNDLE/],
    ["ERR_TLS_CERT_ALTNAME_INVALID", /the TLS handshake failed \(ERR_TLS_CERT_ALTNAME_INVALID\)/],
  ])("says why %s happened, naming the endpoint the request went to", (code, expected) => {
    const error = nodeError(`some ${code} text`, { code });
    expect(describeAwsError(error)).toMatch(/^could not reach the AWS endpoint: /);
    expect(describeAwsError(error)).toMatch(expected);
  });

  it("never passes on the SDK's hint about a hidden field, whatever the parse error", () => {
    const error = Object.assign(
      new Error(
        "@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.",
      ),
      { $metadata: { httpStatusCode: 200 } },
    );
    delete process.env["AWS_ENDPOINT_URL"];
    const text = describeAwsError(error);
    expect(text).toBe("the AWS endpoint answered something that is not AWS (HTTP 200): a proxy in the way (HTTPS_PROXY)?");
    expect(text).not.toMatch(INTERNALS);
  });
});

describe("credential errors", () => {
  it.each([
    ["ExpiredTokenException", "expired"],
    ["ExpiredToken", "expired"],
    ["InvalidClientTokenId", "invalid"],
    ["UnrecognizedClientException", "invalid"],
  ])("classifies %s as %s credentials", (name, problem) => {
    expect(asCredentialsError(serviceError(name, "no"), undefined)?.problem).toBe(problem);
  });

  it("suggests aws sso login for a named profile and aws configure otherwise", () => {
    const expired = serviceError("ExpiredTokenException", "The security token included in the request is expired");
    expect(asCredentialsError(expired, "dev")?.fix).toMatch(/^aws sso login --profile dev\b/);
    expect(asCredentialsError(expired, undefined)?.fix).toMatch(/^aws configure\b.*AWS_ACCESS_KEY_ID/);
  });

  it("recognises an expired SSO session reported by the credential provider", () => {
    const sso = Object.assign(new Error("The SSO session associated with this profile has expired or is otherwise invalid."), { name: "CredentialsProviderError" });
    expect(asCredentialsError(sso, "dev")?.problem).toBe("expired");
  });

  it("leaves other errors alone", () => {
    expect(asCredentialsError(serviceError("AccessDenied", "not allowed", 403), "dev")).toBeUndefined();
    expect(asCredentialsError(new TypeError("bug"), undefined)).toBeUndefined();
  });

  it("knows throttling by name or by HTTP 429", () => {
    expect(isThrottling(serviceError("Throttling", "Rate exceeded"))).toBe(true);
    expect(isThrottling(serviceError("Whatever", "slow down", 429))).toBe(true);
    expect(isThrottling(serviceError("ValidationError", "bad"))).toBe(false);
  });
});

describe("credential problems read as sentences", () => {
  const expired = serviceError("ExpiredToken", "The security token included in the request is expired");
  it("names the default credentials or the profile", () => {
    expect(asCredentialsError(expired, undefined)?.message).toBe("The default AWS credentials have expired.");
    expect(asCredentialsError(expired, "dev")?.message).toBe("The credentials of profile dev have expired.");
    expect(asCredentialsError(serviceError("InvalidClientTokenId", "The security token included in the request is invalid."), undefined)?.message)
      .toBe("AWS rejected the default AWS credentials (InvalidClientTokenId).");
    const missing = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    expect(asCredentialsError(missing, undefined)?.message).toBe("No AWS credentials found: Could not load credentials from any providers");
    expect(asCredentialsError(missing, "dev")?.message).toBe("No AWS credentials found for profile dev: Could not load credentials from any providers");
  });
});
