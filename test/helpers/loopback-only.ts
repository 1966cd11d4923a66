// Every suite's rule: no traffic beyond loopback. A test that forgets to mock an AWS client would send a
// DNS query for iam.amazonaws.com (and, on a machine with a network, the request), or ask the instance
// metadata service at 169.254.169.254 for credentials. Here such a connection is refused before it
// leaves, and the test file fails naming the host. (The built CLI runs in processes of its own, against
// moto on 127.0.0.1; the launcher guards moto the same way.)
import dns from "node:dns";
import net from "node:net";
import { afterAll, expect } from "vitest";

const refused = new Set<string>();

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  if (net.isIPv6(host)) return host === "::1" || host.startsWith("::ffff:127.");
  return false;
}

function refusal(host: string): NodeJS.ErrnoException {
  refused.add(host);
  return Object.assign(new Error(`refused by the tests' loopback rule: ${host} is not 127.0.0.1`), { code: "ENETUNREACH" });
}

type Lookup = (hostname: string, ...rest: unknown[]) => unknown;
const lookup = dns.lookup as unknown as Lookup;
(dns as unknown as { lookup: Lookup }).lookup = function guardedLookup(this: unknown, hostname, ...rest) {
  if (isLoopback(hostname)) return lookup.call(this, hostname, ...rest);
  const callback = rest.at(-1) as (error: Error) => void;
  process.nextTick(() => callback(refusal(hostname)));
  return undefined;
};

const promisesLookup = dns.promises.lookup;
dns.promises.lookup = (async (hostname: string, ...rest: unknown[]) => {
  if (!isLoopback(hostname)) throw refusal(hostname);
  return (promisesLookup as (...args: unknown[]) => unknown)(hostname, ...rest);
}) as typeof dns.promises.lookup;

// The host a connect() names: `(options)`, `([options, callback])` as net.createConnection passes it, or
// `(port, host)`. A Unix socket's path is a string (http's options carry `path: null` for TCP): local.
function targetHost([first, second]: unknown[]): string {
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options !== "object" || options === null) return typeof second === "string" ? second : "localhost";
  const { host, path } = options as { host?: string; path?: unknown };
  return typeof path === "string" ? "localhost" : (host ?? "localhost");
}

// An address written out (169.254.169.254) never asks DNS: its connect is refused here.
const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = targetHost(args);
  if (net.isIP(host) !== 0 && !isLoopback(host)) {
    const error = refusal(host);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
} as typeof net.Socket.prototype.connect;

/** The hosts refused so far, forgotten: for the rule's own test, whose refusals are the point. */
export function drainRefused(): string[] {
  const hosts = [...refused];
  refused.clear();
  return hosts;
}

afterAll(() => {
  expect([...refused], "connections this file tried beyond loopback (refused)").toEqual([]);
});
