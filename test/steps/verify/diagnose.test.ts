import { describe, expect, it } from "vitest";
import { diagnoseInvokeError, diagnoseSample } from "../../../src/steps/verify/diagnose.js";
import type { ClientAnswer, VerifySample } from "../../../src/steps/verify/client-answer.js";
import { clientAnswer, HOST } from "../../helpers/payloads.js";

const API_CIDR = "10.10.0.0/16";

function failed(layer: NonNullable<ClientAnswer["error"]>["layer"], extra: Partial<ClientAnswer> = {}): VerifySample {
  return {
    index: 1,
    roundTripMs: 100,
    kind: "answer",
    answer: clientAnswer({
      ok: false,
      status: null,
      body: null,
      timings: { dnsMs: 1, connectMs: 1, tlsMs: 1, firstByteMs: 1, totalMs: 1 },
      resolvedAddresses: ["10.10.0.37"],
      error: { layer, message: `${layer} went wrong` },
      ...extra,
    }),
  };
}

describe("diagnosis names the failing layer and what to check", () => {
  it("has nothing to say about a good answer", () => {
    const ok = failed("dns", { ok: true, error: null });
    expect(diagnoseSample(ok, API_CIDR)).toBeUndefined();
  });

  it("sends connect failures to the routes on both sides, the endpoint group and the peering", () => {
    const advice = diagnoseSample(failed("connect"), API_CIDR)?.advice ?? "";
    expect(advice).toContain(`${HOST}:443 (it resolved to 10.10.0.37)`);
    for (const part of ["stage 2, client", "stage 3, routes", "443 from the client range", "peering connection being active"]) {
      expect(advice).toContain(part);
    }
  });

  it("explains a TLS failure by the hostname the certificate covers", () => {
    expect(diagnoseSample(failed("tls"), API_CIDR)?.advice).toContain("default hostname ({apiId}.execute-api.{region}.amazonaws.com)");
  });

  it("names the hostname in the partition the function called, China's included", () => {
    const china = failed("tls", { url: "https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/v1/hello" });
    expect(diagnoseSample(china, API_CIDR)?.advice).toContain("default hostname ({apiId}.execute-api.{region}.amazonaws.com.cn)");
    const elsewhere = failed("tls", { url: "https://api.example.com/v1/hello" });
    expect(diagnoseSample(elsewhere, API_CIDR)?.advice).toContain("({apiId}.execute-api.{region}.amazonaws.com, amazonaws.com.cn in China)");
  });

  it("blames silent drops or the function's timeout for a timeout", () => {
    const advice = diagnoseSample(failed("timeout"), API_CIDR)?.advice ?? "";
    expect(advice).toContain("dropped silently");
    expect(advice).toContain("raise the function's timeout");
  });

  it("tells a missing path or stage apart from a policy denial", () => {
    const sample = failed("http", { status: 403, body: '{"message":"Missing Authentication Token"}' });
    expect(diagnoseSample(sample, API_CIDR)?.advice).toContain("check the path and stage name");
  });

  it("names the redeploy a policy change needs, from the URL the client called, for a 403 the policy as set may not explain", () => {
    const body = '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********2012:a1b2c3d4e5/prod/GET/hello"}';
    const advice = diagnoseSample(failed("http", { status: 403, body }), API_CIDR)?.advice ?? "";
    expect(advice).toContain("resource policy allows execute-api:Invoke only with aws:SourceVpce");
    expect(advice).toMatch(/when doctor's api-policy hop passes, the policy as set allows the call and the stage still serves an older deployment: aws apigateway create-deployment --rest-api-id a1b2c3d4e5 --stage-name prod --region us-east-1$/);
    const elsewhere = diagnoseSample(failed("http", { status: 403, body, url: "https://internal.example.com/orders" }), API_CIDR)?.advice ?? "";
    expect(elsewhere).toMatch(/older deployment: deploy the API's stage again\.$/);
  });

  it("quotes the body for other HTTP statuses", () => {
    const sample = failed("http", { status: 502, body: '{"message": "Internal server error"}' });
    expect(diagnoseSample(sample, API_CIDR)).toMatchObject({
      layer: "http",
      message: "HTTP 502: http went wrong",
      advice: 'The API answered 502; its body says: {"message": "Internal server error"}',
    });
  });

  it("does not repeat a status the client's message already names", () => {
    const sample = failed("http", { status: 403, error: { layer: "http", message: `HTTP 403 (denied: resource policy, endpoint or hostname) from ${HOST}` } });
    expect(diagnoseSample(sample, API_CIDR)?.message).toBe(`HTTP 403 (denied: resource policy, endpoint or hostname) from ${HOST}`);
  });

  it("sends a request that never got an answer to the function's API_URL", () => {
    const sample = failed("http", { error: { layer: "http", message: 'API_URL is missing or invalid (Invalid URL): ""' } });
    expect(diagnoseSample(sample, API_CIDR)?.advice).toContain("check its API_URL (stage 2, client)");
  });

  it("names the permission when invoking is denied", () => {
    const denied = Object.assign(new Error("not authorized to perform: lambda:InvokeFunction"), { name: "AccessDeniedException" });
    expect(diagnoseInvokeError(denied, "demo-client", "eu-west-1").advice).toBe(
      "Your identity needs lambda:InvokeFunction on demo-client in eu-west-1.",
    );
  });
});
