// The client function's inline code, taken from template 2 and run in this process against servers on
// 127.0.0.1 only: its answer must follow DESIGN section 9 in every case (it never throws, and a failure
// names its layer). The hostname is the real API hostname form; the code's test seam resolves it to
// 127.0.0.1, so nothing here ever leaves the loopback interface.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { createRequire } from "node:module";
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ClientAnswer } from "../../src/steps/verify/client-answer.js";
import { asObject, loadStages, onlyResourceOfType, props } from "../helpers/template-fixtures.js";

type Lookup = (host: string, opts: { all?: boolean }, cb: (err: Error | null, addresses?: { address: string; family: number }[]) => void) => void;
interface ClientModule {
  handler: (event?: unknown, context?: unknown) => Promise<ClientAnswer>;
  testHooks: { lookup: Lookup | null; ca: string | null };
}

const API_HOST = "abcde12345.execute-api.us-east-1.amazonaws.com";
const UNKNOWN_HOST = "zzzzz99999.execute-api.us-east-1.amazonaws.com";
const ENV_KEYS = ["API_URL", "CONNECT_TIMEOUT_MS", "TOTAL_TIMEOUT_MS"] as const;

const [, client] = loadStages();
const code = (() => {
  const [, fn] = onlyResourceOfType(client!.template, "AWS::Lambda::Function");
  const zip = asObject(props(fn).Code).ZipFile;
  if (typeof zip !== "string") throw new Error("Code.ZipFile must be a literal string");
  return zip;
})();

let dir: string;
let fn: ClientModule;
let caPem: string;
let https: HttpsServer;
let silent: Server;
const silentSockets = new Set<Socket>();
let lookups: { host: string; all: boolean | undefined }[] = [];
const savedEnv: Record<string, string | undefined> = {};

const port = (server: Server | HttpsServer) => (server.address() as AddressInfo).port;
const listen = (server: Server | HttpsServer) =>
  new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
const close = (server: Server | HttpsServer | undefined) =>
  new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));

async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await listen(s);
  const p = port(s);
  await close(s);
  return p;
}

function call(url: string, env: Partial<Record<(typeof ENV_KEYS)[number], string>> = {}, event: unknown = {}): Promise<ClientAnswer> {
  process.env.API_URL = url;
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  return fn.handler(event, {});
}

/** Exactly the section-9 shape, with numbers for every timing. */
function expectContract(answer: ClientAnswer): void {
  expect(Object.keys(answer).sort()).toEqual(["body", "error", "ok", "resolvedAddresses", "status", "timings", "url"]);
  expect(typeof answer.ok).toBe("boolean");
  expect(typeof answer.url).toBe("string");
  expect(answer.status === null || Number.isInteger(answer.status)).toBe(true);
  expect(answer.body === null || typeof answer.body === "string").toBe(true);
  expect(Object.keys(answer.timings).sort()).toEqual(["connectMs", "dnsMs", "firstByteMs", "tlsMs", "totalMs"]);
  for (const [k, v] of Object.entries(answer.timings)) {
    expect(typeof v, k).toBe("number");
    expect(Number.isFinite(v) && v >= 0, `${k}=${v}`).toBe(true);
  }
  const phases = answer.timings.dnsMs + answer.timings.connectMs + answer.timings.tlsMs + answer.timings.firstByteMs;
  expect(answer.timings.totalMs).toBeGreaterThanOrEqual(phases - 1);
  expect(Array.isArray(answer.resolvedAddresses)).toBe(true);
  for (const a of answer.resolvedAddresses) expect(a).toBe("127.0.0.1");
  if (answer.ok) expect(answer.error).toBeNull();
  else {
    expect(["dns", "connect", "tls", "http", "timeout"]).toContain(answer.error?.layer);
    expect(answer.error?.message.length).toBeGreaterThan(0);
  }
  // What `verify` receives has been through JSON.
  expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
}

beforeAll(async () => {
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  dir = mkdtempSync(join(tmpdir(), "xregion-client-"));
  // The certificate is made here, for the API hostname, and trusted only through the code's test seam.
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "2",
    "-subj", `/CN=${API_HOST}`, "-addext", `subjectAltName=DNS:${API_HOST}`,
  ], { stdio: "pipe" });
  caPem = readFileSync(join(dir, "cert.pem"), "utf8");

  // Lambda turns Code.ZipFile into index.js, a CommonJS module: do the same.
  const fnDir = join(dir, "function");
  mkdirSync(fnDir);
  writeFileSync(join(fnDir, "package.json"), '{ "type": "commonjs" }\n');
  writeFileSync(join(fnDir, "index.js"), code);
  fn = createRequire(join(fnDir, "index.js"))(join(fnDir, "index.js")) as ClientModule;
  expect(fn.testHooks).toEqual({ lookup: null, ca: null });

  https = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: caPem }, (req, res) => {
    if (req.url === "/v1/hello") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Hello from the private API", region: "us-east-1", host: req.headers.host }));
    } else {
      res.writeHead(403, { "content-type": "application/json" });
      res.end('{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke"}');
    }
  });
  await listen(https);
  // Accepts TCP and never says a word.
  silent = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on("close", () => silentSockets.delete(socket));
  });
  await listen(silent);
});

afterEach(() => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

// Installed before each call: the seam resolves the API hostname to loopback and nothing else.
function installHooks(): void {
  lookups = [];
  fn.testHooks.ca = caPem;
  fn.testHooks.lookup = (host, opts, cb) => {
    lookups.push({ host, all: opts.all });
    setImmediate(() => {
      if (host === API_HOST) cb(null, [{ address: "127.0.0.1", family: 4 }]);
      else cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }));
    });
  };
}

afterAll(async () => {
  if (fn) fn.testHooks = { lookup: null, ca: null };
  for (const s of silentSockets) s.destroy();
  await Promise.all([close(https), close(silent)]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the client function (template 2 inline code)", () => {
  it("answers 200 with the body, the resolved address and every timing", async () => {
    installHooks();
    const url = `https://${API_HOST}:${port(https)}/v1/hello`;
    const answer = await call(url);
    expectContract(answer);
    expect(answer).toMatchObject({ ok: true, url, status: 200, error: null, resolvedAddresses: ["127.0.0.1"] });
    expect(JSON.parse(answer.body ?? "")).toMatchObject({ message: "Hello from the private API", host: `${API_HOST}:${port(https)}` });
    expect(answer.timings.totalMs).toBeGreaterThan(0);
    expect(answer.timings.tlsMs).toBeGreaterThan(0);
    expect(lookups).toEqual([{ host: API_HOST, all: true }]);
  });

  it("reports HTTP 403 (the resource policy's answer) as an http failure with the status and body", async () => {
    installHooks();
    const answer = await call(`https://${API_HOST}:${port(https)}/v1/forbidden`);
    expectContract(answer);
    expect(answer).toMatchObject({ ok: false, status: 403, error: { layer: "http" } });
    expect(answer.body).toContain("not authorized");
    expect(answer.error?.message).toContain("403");
  });

  it("reports a refused connection as a connect failure", async () => {
    installHooks();
    const answer = await call(`https://${API_HOST}:${await closedPort()}/v1/hello`);
    expectContract(answer);
    expect(answer).toMatchObject({ ok: false, status: null, body: null, error: { layer: "connect" }, resolvedAddresses: ["127.0.0.1"] });
    expect(answer.error?.message).toContain("ECONNREFUSED");
    expect(answer.error?.message).toContain("127.0.0.1");
    expect(answer.timings.dnsMs).toBeGreaterThanOrEqual(0);
    expect(answer.timings.tlsMs).toBe(0);
  });

  it("reports a name that does not resolve as a dns failure", async () => {
    installHooks();
    const answer = await call(`https://${UNKNOWN_HOST}/v1/hello`);
    expectContract(answer);
    expect(answer).toMatchObject({ ok: false, status: null, body: null, resolvedAddresses: [], error: { layer: "dns" } });
    expect(answer.error?.message).toContain(UNKNOWN_HOST);
    expect(answer.error?.message).toContain("ENOTFOUND");
    expect(answer.timings.connectMs).toBe(0);
  });

  it("gives up on a server that accepts TCP but never answers, as a timeout", async () => {
    installHooks();
    const started = Date.now();
    const answer = await call(`https://${API_HOST}:${port(silent)}/v1/hello`, { TOTAL_TIMEOUT_MS: "400" });
    expectContract(answer);
    expect(answer).toMatchObject({ ok: false, status: null, body: null, error: { layer: "timeout" } });
    expect(answer.error?.message).toContain("400 ms");
    expect(answer.error?.message).toContain("TLS handshake");
    expect(answer.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(answer.timings.totalMs).toBeGreaterThanOrEqual(390);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("reports a certificate it cannot trust as a tls failure (verification is never switched off)", async () => {
    installHooks();
    fn.testHooks.ca = null;
    const answer = await call(`https://${API_HOST}:${port(https)}/v1/hello`);
    expectContract(answer);
    expect(answer).toMatchObject({ ok: false, status: null, error: { layer: "tls" } });
    expect(answer.error?.message).toMatch(/self[- ]signed|certificate/i);
  });

  it("calls only API_URL, whatever the event says", async () => {
    installHooks();
    const url = `https://${API_HOST}:${port(https)}/v1/hello`;
    const answer = await call(url, {}, { url: `https://${UNKNOWN_HOST}/v1/hello`, insecureTls: true });
    expectContract(answer);
    expect(answer).toMatchObject({ ok: true, url, status: 200 });
    expect(lookups.map((l) => l.host)).toEqual([API_HOST]);
  });

  it.each([
    ["missing", undefined],
    ["not a URL", "not a url"],
    ["not HTTPS", `http://${API_HOST}/v1/hello`],
  ])("does not throw when API_URL is %s", async (_what, value) => {
    installHooks();
    if (value === undefined) delete process.env.API_URL;
    else process.env.API_URL = value;
    const answer = await fn.handler(undefined, undefined);
    expectContract(answer);
    expect(answer).toMatchObject({ ok: false, status: null, error: { layer: "http" } });
    expect(answer.error?.message).toContain("API_URL");
    expect(lookups).toEqual([]);
  });

  it("is CommonJS using Node built-ins only", () => {
    const required = [...code.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    expect(required.sort()).toEqual(["dns", "https"]);
    expect(code).toContain("exports.handler");
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toContain("rejectUnauthorized");
  });
});
