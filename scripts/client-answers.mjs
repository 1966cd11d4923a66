// What the client function (template 2) answers when the path works, DESIGN section 9: one call from
// region B to the private API in region A. moto never runs the function, so the demo and
// scripts/moto.mjs queue these in moto's Lambda backend for verification to read. The demo names the API,
// endpoint and endpoint addresses stage 1 made; scripts/moto.mjs, started before any deploy, cannot. Cross-region numbers:
// one round trip ~70 ms for TCP, two for TLS, one for the first byte; the first (cold) sample also pays a
// DNS lookup and a full TLS handshake.

/** How many answers the scripts queue: the demo's own verification and 200 more of the default 5 samples. */
export const QUEUED_ANSWERS = 1000;

/**
 * `n` answers of a working path from clientCidr to the API in apiRegion (JSON strings, the first cold),
 * from the API `apiId` through the endpoint `vpceId` at `endpointAddresses` when they are known.
 */
export function clientAnswers({ apiRegion, apiCidr = "10.10.0.0/16", clientCidr = "10.20.0.0/16", apiId = "a1b2c3d4e5", vpceId = "vpce-0a1b2c3d4e5f60718", endpointAddresses = placeholderAddresses(apiCidr) }, n) {
  const jitter = (i, spread) => Math.round((((Math.sin(i * 12.9898) * 43758.5453) % 1) + 1) % 1 * spread * 10) / 10; // fixed noise
  return Array.from({ length: n }, (_, i) => {
    const cold = i === 0;
    const dnsMs = cold ? 26.4 : 1.1 + jitter(i, 1.5);
    const connectMs = 68.5 + jitter(i + 1, 6);
    const tlsMs = (cold ? 162 : 141) + jitter(i + 2, 14);
    const firstByteMs = (cold ? 97 : 76) + jitter(i + 3, 12);
    const totalMs = Math.round((dnsMs + connectMs + tlsMs + firstByteMs + 2.4) * 10) / 10;
    return JSON.stringify({
      ok: true,
      url: `https://${apiId}.execute-api.${apiRegion}.amazonaws.com/v1/hello`,
      status: 200,
      body: JSON.stringify({
        message: "Hello from the private API",
        region: apiRegion,
        apiId,
        stage: "v1",
        requestId: `c0ffee00-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
        sourceIp: host(clientCidr, 77),
        vpceId,
      }),
      timings: { dnsMs, connectMs, tlsMs, firstByteMs, totalMs },
      resolvedAddresses: endpointAddresses,
      error: null,
    });
  });
}

// The endpoint's two interfaces, one in each of the API VPC's subnets, where AWS might place them.
function placeholderAddresses(apiCidr) {
  const subnet = Math.min(256, 2 ** (32 - Number(apiCidr.split("/")[1])) / 2); // as `plan` carves them
  const usable = subnet - 5; // AWS keeps the first four addresses and the last one of a subnet
  return [host(apiCidr, 4 + (33 % usable)), host(apiCidr, subnet + 4 + (138 % usable))];
}

// The address `offset` places into an IPv4 range ("10.10.0.0/16", 37 → "10.10.0.37").
function host(cidr, offset) {
  const base = cidr.split("/")[0].split(".").reduce((n, octet) => n * 256 + Number(octet), 0) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".");
}
