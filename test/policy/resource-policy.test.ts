import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateCondition } from "../../src/policy/conditions.js";
import { evaluatePolicy, type ApiCall } from "../../src/policy/resource-policy.js";

const VPCE = "vpce-0abc";
const ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/v1/GET/hello";
const KNOWN = new Set(["aws:sourcevpce", "aws:sourcevpc", "aws:vpceaccount"]);
const call = (over: Partial<ApiCall> = {}): ApiCall => ({
  arn: ARN,
  action: "execute-api:Invoke",
  principals: [],
  request: { values: { "aws:sourcevpce": VPCE, "aws:sourcevpc": "vpc-api", "aws:vpceaccount": "123456789012" }, known: KNOWN },
  ...over,
});

// Our template's policy: deny unless through our endpoint, then allow.
const ours = (vpce: string) => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "DenyUnlessThroughOurEndpoint", Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": vpce } } },
    { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
  ],
});

describe("evaluatePolicy", () => {
  it("our template's policy allows a call through our endpoint", () => {
    expect(evaluatePolicy(JSON.stringify(ours(VPCE)), call())).toMatchObject({ allowed: true, outcome: "allow", statement: { sid: "AllowInvoke" } });
  });

  it("and denies it, explicitly, when the policy names another endpoint", () => {
    expect(evaluatePolicy(ours("vpce-other"), call())).toMatchObject({ allowed: false, outcome: "explicit-deny", statement: { sid: "DenyUnlessThroughOurEndpoint" } });
  });

  it("no statement that allows: implicit deny; an empty policy too", () => {
    expect(evaluatePolicy({ Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/prod/*" }] }, call()).outcome).toBe("implicit-deny");
    expect(evaluatePolicy({}, call()).allowed).toBe(false);
  });

  it.each([
    ["execute-api:/*", true],
    ["execute-api:/v1/GET/hello", true],
    ["execute-api:/v1/POST/*", false],
    ["execute-api:/*/*/hel?o", true],
    ["arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*", true],
    ["arn:aws:execute-api:*:*:a1b2c3d4e5/v1/*", true],
    ["arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*", false],
    ["arn:aws:execute-api:us-east-1:123456789012:otherapi/*", false],
    ["*", true],
  ])("Resource %s matches: %s", (resource, matches) => {
    const policy = { Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "execute-api:*", Resource: [resource] }] };
    expect(evaluatePolicy(policy, call()).allowed).toBe(matches);
  });

  it("a principal other than everyone matches only the function's role or account", () => {
    const policy = (principal: string) => ({ Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "execute-api:Invoke", Resource: "execute-api:/*" }] });
    const role = "arn:aws:iam::123456789012:role/client";
    expect(evaluatePolicy(policy("arn:aws:iam::123456789012:root"), call({ principals: [role] })).allowed).toBe(true);
    expect(evaluatePolicy(policy(role), call({ principals: [role] })).allowed).toBe(true);
    expect(evaluatePolicy(policy("arn:aws:iam::999999999999:root"), call({ principals: [role] })).allowed).toBe(false);
    expect(evaluatePolicy(policy(role), call()).allowed).toBe(false);
  });

  it("a key that cannot be read leaves the answer unknown; a Deny on it unknown even beside an Allow", () => {
    const allowIp = { Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { IpAddress: { "aws:VpcSourceIp": "10.20.0.0/16" } } }] };
    expect(evaluatePolicy(allowIp, call()).allowed).toBeNull();
    const denyIp = { Statement: [...ours(VPCE).Statement, { Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }] };
    expect(evaluatePolicy(denyIp, call())).toMatchObject({ allowed: null, outcome: "unknown" });
  });

  it("aws:SourceVpc is the endpoint's VPC (API Gateway never sees the client VPC)", () => {
    const policy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpc": "vpc-client" } } }] };
    expect(evaluatePolicy(policy, call()).allowed).toBe(false);
  });

  it("an explicit Deny wins whatever the statement order, and adding an applying Deny never allows", () => {
    const arbStatement = fc.record({
      Effect: fc.constantFrom("Allow", "Deny"),
      Principal: fc.constant("*"),
      Action: fc.constantFrom("execute-api:Invoke", "execute-api:*", "s3:GetObject"),
      Resource: fc.constantFrom("execute-api:/*", "execute-api:/v1/GET/*", "execute-api:/prod/*"),
      Condition: fc.option(fc.record({ StringNotEquals: fc.record({ "aws:SourceVpce": fc.constantFrom(VPCE, "vpce-x") }) }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbStatement, { maxLength: 5 }), (statements) => {
        // The naive model: a statement applies when action, resource and condition all hold.
        const applies = (s: (typeof statements)[number]) =>
          (s.Action !== "s3:GetObject") && s.Resource !== "execute-api:/prod/*" && (s.Condition === undefined || s.Condition.StringNotEquals["aws:SourceVpce"] !== VPCE);
        const naive = statements.some((s) => s.Effect === "Deny" && applies(s)) ? false : statements.some((s) => s.Effect === "Allow" && applies(s));
        expect(evaluatePolicy({ Statement: statements }, call()).allowed).toBe(naive);
        expect(evaluatePolicy({ Statement: statements.toReversed() }, call()).allowed).toBe(naive);
        const denyAll = { Effect: "Deny", Principal: "*", Action: "*", Resource: "*" };
        expect(evaluatePolicy({ Statement: [...statements, denyAll] }, call()).allowed).toBe(false);
      }),
    );
  });
});

describe("evaluateCondition", () => {
  const request = { values: { "aws:sourcevpce": VPCE }, known: KNOWN };
  it.each([
    ["StringEquals", VPCE, true],
    ["StringEquals", [VPCE.toUpperCase(), "vpce-x"], false],
    ["StringEqualsIgnoreCase", VPCE.toUpperCase(), true],
    ["StringNotEquals", ["vpce-x", "vpce-y"], true],
    ["StringNotEquals", ["vpce-x", VPCE], false],
    ["StringLike", "vpce-0*", true],
    ["StringNotLike", "vpce-?abc", false],
    ["ForAnyValue:StringEquals", [VPCE], true],
  ])("%s %j on aws:SourceVpce: %s", (op, values, expected) => {
    expect(evaluateCondition(op, "aws:SourceVpce", values, request)).toBe(expected);
  });

  it.each([
    ["StringEquals", false],
    ["StringNotEquals", true],
    ["StringEqualsIfExists", true],
    ["ForAnyValue:StringEquals", false],
    ["ForAllValues:StringEquals", true],
  ])("%s with the key absent (aws:SourceVpc of a call not through a VPC): %s", (op, expected) => {
    expect(evaluateCondition(op, "aws:SourceVpc", "vpc-1", { values: {}, known: KNOWN })).toBe(expected);
  });
});
