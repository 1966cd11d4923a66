// The SDK clients' retries, on the wire: a local server on 127.0.0.1 answers CloudFormation's throttling
// error (HTTP 400, <ErrorResponse> Code Throttling) before it answers. Retries are bounded in number and
// their waits short, so a throttled call costs its retries and little more (README, "npm run bench").
import { createServer, type Server } from "node:http";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { afterEach, describe, expect, it } from "vitest";
import { retryDelay } from "../../src/aws/clock.js";
import { createClients } from "../../src/aws/clients.js";

const THROTTLED =
  '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>5a0c6e8e-1d2b-4c3d-8e9f-0a1b2c3d4e5f</RequestId></ErrorResponse>';
const STACK =
  '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>demo-api</StackName>' +
  "<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/demo-api/1</StackId><StackStatus>CREATE_COMPLETE</StackStatus>" +
  "<CreationTime>2026-11-25T10:00:00Z</CreationTime></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>";

let server: Server | undefined;
const saved = process.env["AWS_ENDPOINT_URL"];
afterEach(() => {
  server?.close();
  if (saved === undefined) delete process.env["AWS_ENDPOINT_URL"];
  else process.env["AWS_ENDPOINT_URL"] = saved;
});

/** A CloudFormation endpoint that throttles the first `throttles` calls; answers the times they came. */
async function endpoint(throttles: number): Promise<number[]> {
  const seen: number[] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push(Date.now());
      const throttle = seen.length <= throttles;
      res.writeHead(throttle ? 400 : 200, { "content-type": "text/xml" });
      res.end(throttle ? THROTTLED : STACK);
    });
  });
  await new Promise<void>((ready) => server!.listen(0, "127.0.0.1", ready));
  const address = server.address();
  process.env["AWS_ENDPOINT_URL"] = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return seen;
}

function client() {
  return createClients({ credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "secret" }) }).cloudFormation("us-east-1");
}

describe("SDK retries", () => {
  it("retries a throttled call with short waits and answers", async () => {
    const seen = await endpoint(3);
    const started = Date.now();
    const answer = await client().send(new DescribeStacksCommand({ StackName: "demo-api" }));
    expect(answer.Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
    expect(seen).toHaveLength(4);
    // Three waits of at most 50, 100 and 200 ms (the SDK's own default would be up to 1, 2 and 4 s).
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("gives up after ten attempts, within the capped waits", async () => {
    const seen = await endpoint(100);
    const started = Date.now();
    const error = await client().send(new DescribeStacksCommand({ StackName: "demo-api" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "Throttling" });
    expect(seen).toHaveLength(10);
    expect(Date.now() - started).toBeLessThan(50 + 100 + 200 + 400 + 800 + 4 * 1000 + 1_000);
  });

  it("waits a full-jitter share of a window that doubles from 50 ms up to 1 s", () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => retryDelay(n, () => 0.999))).toEqual([49, 99, 199, 399, 799, 999, 999]);
    expect(retryDelay(3, () => 0)).toBe(0);
  });
});
