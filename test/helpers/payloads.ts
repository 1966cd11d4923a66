// Answers shaped exactly as DESIGN section 9, with the messages templates/2-client.yaml writes, and
// Lambda's own error payloads, as the wire carries them.
import type { ClientAnswer } from "../../src/steps/verify/client-answer.js";

export const HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
export const URL = `https://${HOST}/prod/hello`;

/** The one factory of a client answer: a success shaped as DESIGN section 9 defines it; tests override what they are about. */
export function clientAnswer(overrides: Partial<ClientAnswer> = {}): ClientAnswer {
  return {
    ok: true,
    url: URL,
    status: 200,
    body: '{"message":"hello from the private API"}',
    timings: { dnsMs: 2.1, connectMs: 71.4, tlsMs: 148.9, firstByteMs: 221, totalMs: 223 },
    resolvedAddresses: ["10.10.0.37", "10.10.1.154"],
    error: null,
    ...overrides,
  };
}

export function success(totalMs = 223): string {
  return JSON.stringify(clientAnswer({ timings: { dnsMs: 2.1, connectMs: 71.4, tlsMs: 148.9, firstByteMs: totalMs - 2, totalMs } }));
}

export const forbidden = JSON.stringify(clientAnswer({
  ok: false,
  status: 403,
  body: '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********2012:a1b2c3d4e5/prod/GET/hello with an explicit deny"}',
  timings: { dnsMs: 2, connectMs: 70, tlsMs: 150, firstByteMs: 230, totalMs: 231 },
  error: { layer: "http", message: `HTTP 403 (denied: resource policy, endpoint or hostname) from ${HOST}` },
}));

export const dnsFailure = JSON.stringify(clientAnswer({
  ok: false,
  status: null,
  body: null,
  timings: { dnsMs: 4, connectMs: 0, tlsMs: 0, firstByteMs: 0, totalMs: 4 },
  resolvedAddresses: [],
  error: { layer: "dns", message: `${HOST} did not resolve: ENOTFOUND: getaddrinfo ENOTFOUND ${HOST}` },
}));

// The private zone is not associated, so the name resolves publicly and the connection goes nowhere.
export const connectToPublic = JSON.stringify(clientAnswer({
  ok: false,
  status: null,
  body: null,
  timings: { dnsMs: 3, connectMs: 5000, tlsMs: 0, firstByteMs: 0, totalMs: 5003 },
  resolvedAddresses: ["3.5.140.2", "52.94.236.248"],
  error: { layer: "connect", message: "TCP connect to 3.5.140.2 port 443 timed out after 5000 ms (route or security group?)" },
}));

export const unhandled = JSON.stringify({
  errorType: "Runtime.UserCodeSyntaxError",
  errorMessage: "SyntaxError: Unexpected token '}'",
  trace: ["Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token '}'", "    at _loadUserApp (file:///var/runtime/index.mjs:1084:17)"],
});

export const functionTimedOut = JSON.stringify({
  errorType: "Sandbox.Timedout",
  errorMessage: "RequestId: 6f1c5a0e-4a8b-4c33-9d0e-1b2c3d4e5f60 Error: Task timed out after 10.00 seconds",
});

export const logTail = Buffer.from(
  "START RequestId: 6f1c5a0e Version: $LATEST\nEND RequestId: 6f1c5a0e\nREPORT RequestId: 6f1c5a0e\tDuration: 10000.00 ms\n",
).toString("base64");
