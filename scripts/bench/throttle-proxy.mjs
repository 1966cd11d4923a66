// A proxy on 127.0.0.1 in front of the moto launcher that answers a share of AWS calls the way AWS answers
// a caller over its rate, and forwards the rest. Deterministic (a seeded generator decides, call by call),
// bounded in count and in time, and it never touches moto's own /moto-api/ calls. The answers are AWS's
// shapes: the query APIs' <ErrorResponse> with Code Throttling (CloudFormation, IAM, STS), EC2's
// <Response><Errors> with RequestLimitExceeded (HTTP 503), Lambda's 429 TooManyRequestsException.
import { randomUUID } from "node:crypto";
import { createServer, request } from "node:http";

// mulberry32: small, fast, and the same sequence for the same seed on every machine.
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUERY_NAMESPACES = {
  cloudformation: "http://cloudformation.amazonaws.com/doc/2010-05-15/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
};

function throttled(service) {
  const id = randomUUID();
  if (service === "ec2") {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>${id}</RequestID></Response>`;
    return { status: 503, headers: { "content-type": "text/xml;charset=UTF-8" }, body };
  }
  if (service === "lambda") {
    const body = JSON.stringify({ Type: "User", message: "Rate exceeded", Reason: "CallerRateLimitExceeded" });
    return { status: 429, headers: { "content-type": "application/json", "x-amzn-errortype": "TooManyRequestsException", "x-amzn-requestid": id }, body };
  }
  const body = `<ErrorResponse xmlns="${QUERY_NAMESPACES[service]}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
  return { status: 400, headers: { "content-type": "text/xml", "x-amzn-requestid": id }, body };
}

/**
 * Starts the proxy in front of `target` (moto's endpoint). `configure({ rate, seed })` starts a new run:
 * counters to zero, the generator reseeded. At most `maxThrottles` answers per run, and none after
 * `windowMs` from its start, so a run always ends.
 */
export function startThrottlingProxy(target, { maxThrottles = 400, windowMs = 120_000 } = {}) {
  const upstream = new URL(target);
  let run = { rate: 0, random: seeded(1), startedAt: Date.now(), requests: 0, throttled: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? "");
      const service = scope?.[1];
      const aws = service !== undefined && !req.url.startsWith("/moto-api");
      if (aws) run.requests++;
      const known = service === "ec2" || service === "lambda" || service in QUERY_NAMESPACES;
      const draw = aws && known ? run.random() : 1;
      if (draw < run.rate && run.throttled < maxThrottles && Date.now() - run.startedAt < windowMs) {
        run.throttled++;
        const answer = throttled(service);
        res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
        res.end(answer.body);
        return;
      }
      const forwarded = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forwarded.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        configure({ rate, seed }) {
          run = { rate, random: seeded(seed), startedAt: Date.now(), requests: 0, throttled: 0 };
        },
        counts: () => ({ requests: run.requests, throttled: run.throttled }),
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}
