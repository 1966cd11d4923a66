import { describe, expect, it } from "vitest";
import { asCredentialsError, isThrottling } from "../../src/aws/errors.js";
import { readTemplate } from "../../src/aws/templates.js";
import { templateFacts } from "../../src/aws/template-facts.js";
import { MissingOutputError, resolveParameters } from "../../src/steps/deploy.js";
import { serviceError } from "../helpers/cfn-timeline.js";
import { STAGE_2 } from "./harness.js";

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

describe("readTemplate", () => {
  const body = `
Parameters:
  DeploymentName: { Type: String }
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Metadata:
      Description: !Sub "execute-api endpoint for \${DeploymentName} in \${AWS::Region}"
    Properties:
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.execute-api
      VpcId: !ImportValue { "Fn::Sub": "x" }
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Ref AWS::NoValue
  Plain:
    Type: AWS::EC2::VPC
`;

  it("reads descriptions through any short-form tag and fills in the region and parameters", () => {
    const info = readTemplate(templateFacts(body), { region: "ap-southeast-2", stackName: "demo-api", parameters: { DeploymentName: "demo" } });
    expect([...info.descriptions]).toEqual([["Endpoint", "execute-api endpoint for demo in ap-southeast-2"]]);
    expect(info.capabilities).toEqual(["CAPABILITY_IAM"]);
  });

  it("asks for CAPABILITY_NAMED_IAM only when an IAM resource is given a name", () => {
    const named = body.replace("AssumeRolePolicyDocument", "RoleName: !Sub ${DeploymentName}-role\n      AssumeRolePolicyDocument");
    expect(readTemplate(templateFacts(named), { region: "eu-west-1", stackName: "x" }).capabilities).toEqual(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]);
  });
});

describe("resolveParameters", () => {
  it("reads planned values and earlier stages' outputs", () => {
    expect(resolveParameters(STAGE_2, { 1: { VpcId: "vpc-1" } })).toEqual({ DeploymentName: "demo", ApiVpcId: "vpc-1" });
  });

  it("names the missing output and the stage it should come from", () => {
    expect(() => resolveParameters(STAGE_2, { 1: {} })).toThrow(MissingOutputError);
    expect(() => resolveParameters(STAGE_2, { 1: {} })).toThrow("needs parameter ApiVpcId from output VpcId of stage 1, but stage 1 has no such output");
    expect(() => resolveParameters(STAGE_2, {})).toThrow("has not been deployed in this run");
  });
});
