// The suites' loopback rule (loopback-only.ts, a setup file of both projects): a name is refused before
// DNS is asked, an address written out before a packet leaves, and loopback goes through.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { drainRefused } from "./loopback-only.js";

function get(url: string): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    http
      .get(url, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", resolve);
  });
}

describe("the tests' loopback rule", () => {
  it("refuses an AWS host name and the instance metadata service's address, naming them", async () => {
    const byName = await get("http://iam.amazonaws.com/");
    expect(byName).toMatchObject({ code: "ENETUNREACH", message: "refused by the tests' loopback rule: iam.amazonaws.com is not 127.0.0.1" });
    const byAddress = await get("http://169.254.169.254/latest/api/token");
    expect(byAddress).toMatchObject({ code: "ENETUNREACH" });
    expect(drainRefused()).toEqual(["iam.amazonaws.com", "169.254.169.254"]);
  });

  it("lets 127.0.0.1 and localhost through", async () => {
    const server = http.createServer((_request, response) => response.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await get(`http://127.0.0.1:${port}/`)).toBe(200);
      expect(await get(`http://localhost:${port}/`)).toBe(200);
    } finally {
      server.close();
    }
    expect(drainRefused()).toEqual([]);
  });
});
