import { describe, expect, it } from "vitest";
import { asCredentialsError, isThrottling } from "../../src/aws/errors.js";
import { serviceError } from "../helpers/cfn-timeline.js";

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
