// The launcher's loopback guard (moto/patches/loopback.py) refuses to look up a name that is not loopback's:
// the resolver's query would leave the machine before any connect could be refused. Run in a Python of its
// own, with the resolver replaced by a recorder first, so that a guard that let a name through sends nothing.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PATCHES = fileURLToPath(new URL("./moto/", import.meta.url));
const PROBE = `
import json, socket, sys
sys.path.insert(0, ${JSON.stringify(PATCHES)})
asked = []
def recorder(name):
    def resolve(host, *rest, **kwargs):
        asked.append([name, host])
        return []
    return resolve
for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
    setattr(socket, name, recorder(name))
from patches.loopback import loopback_only
loopback_only()
refused = []
for call, host in [("getaddrinfo", "sts.amazonaws.com"), ("gethostbyname", "169.254.169.254.nip.io"), ("gethostbyname_ex", "example.com"),
                   ("gethostbyaddr", "93.184.216.34"), ("getaddrinfo", "localhost"), ("getaddrinfo", "127.0.0.1"), ("getaddrinfo", "::1"),
                   ("getaddrinfo", None)]:
    try:
        getattr(socket, call)(host, 443) if call == "getaddrinfo" else getattr(socket, call)(host)
    except socket.gaierror:
        refused.append([call, host])
print(json.dumps({"asked": asked, "refused": refused}))
`;

describe("the launcher's loopback guard", () => {
  it("refuses to resolve a name or address that is not loopback's, saying so on stderr, and resolves loopback's", () => {
    const probe = spawnSync(process.env["XREGION_PYTHON"] || "python3", ["-c", PROBE], { encoding: "utf8", timeout: 20_000 });
    expect(probe.status, probe.stderr).toBe(0);
    const { asked, refused } = JSON.parse(probe.stdout) as { asked: unknown[]; refused: unknown[] };
    expect(refused).toEqual([
      ["getaddrinfo", "sts.amazonaws.com"],
      ["gethostbyname", "169.254.169.254.nip.io"],
      ["gethostbyname_ex", "example.com"],
      ["gethostbyaddr", "93.184.216.34"],
    ]);
    expect(asked).toEqual([
      ["getaddrinfo", "localhost"],
      ["getaddrinfo", "127.0.0.1"],
      ["getaddrinfo", "::1"],
      ["getaddrinfo", null],
    ]);
    // The line test/integration/moto-server.ts fails a suite on.
    expect(probe.stderr).toContain("xregion launcher: refused a connection beyond loopback to sts.amazonaws.com:443\n");
    expect(probe.stderr).toContain("xregion launcher: refused a connection beyond loopback to example.com:(lookup)\n");
  });
});
