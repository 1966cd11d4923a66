// A refused call names the action, the caller and the permissions table, wherever it surfaces: a
// CloudFormation call of a stage, a call outside a stage (exit-1 line), or a resource that CloudFormation's
// handler could not create with the caller's credentials. Messages are AWS's own wording.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LambdaServiceException } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { accessDenial } from "../../src/aws/access-denied.js";
import { asFailure } from "../../src/aws/errors.js";
import { FailureError } from "../../src/errors.js";
import { runStage } from "../../src/steps/deploy/deploy-stage.js";
import { deployAll } from "../../src/steps/deploy/deploy.js";
import { ec2Error } from "../helpers/aws-fixtures.js";
import { resourceEvent, serviceError, stackEvent } from "../helpers/cfn-timeline.js";
import { FIXTURES, harness, PLAN, STAGE_1 } from "../helpers/engine-harness.js";

const CREATE_CHANGE_SET_DENIED =
  "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudformation:CreateChangeSet on resource: " +
  "arn:aws:cloudformation:eu-west-1:123456789012:stack/demo-api/* because no identity-based policy allows the cloudformation:CreateChangeSet action";
const ENCODED = "Q92aQ6dGhpcyBpcyBub3QgYSByZWFsIG1lc3NhZ2U-EXAMPLE_x1";
const EC2_ENCODED_ONLY = `You are not authorized to perform this operation. Encoded authorization failure message: ${ENCODED}`;
const EC2_WITH_ACTION =
  "You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/Deployer/ci is not authorized to perform: " +
  "ec2:CreateVpc on resource: arn:aws:ec2:eu-west-1:123456789012:vpc/* with an explicit deny in a service control policy. " +
  `Encoded authorization failure message: ${ENCODED}`;


describe("reading a refusal", () => {
  it("takes the caller, action, resource and reason from AWS's sentence", () => {
    expect(accessDenial(serviceError("AccessDenied", CREATE_CHANGE_SET_DENIED, 403))).toEqual({
      code: "AccessDenied",
      identity: "arn:aws:iam::123456789012:user/ci",
      action: "cloudformation:CreateChangeSet",
      resource: "arn:aws:cloudformation:eu-west-1:123456789012:stack/demo-api/*",
      why: "because no identity-based policy allows the cloudformation:CreateChangeSet action",
      encoded: undefined,
    });
  });

  it("reads EC2's newer wording and keeps its encoded message", () => {
    expect(accessDenial(ec2Error("UnauthorizedOperation", EC2_WITH_ACTION, 403))).toMatchObject({
      identity: "arn:aws:sts::123456789012:assumed-role/Deployer/ci",
      action: "ec2:CreateVpc",
      resource: "arn:aws:ec2:eu-west-1:123456789012:vpc/*",
      why: "with an explicit deny in a service control policy",
      encoded: ENCODED,
    });
  });

  it("reads a sentence without a resource (Lambda, SNS) and one with only the encoded message", () => {
    const lambda = new LambdaServiceException({
      name: "AccessDeniedException",
      message: "User: arn:aws:sts::123456789012:assumed-role/Deployer/ci is not authorized to perform: lambda:InvokeFunction",
      $fault: "client",
      $metadata: { httpStatusCode: 403 },
    });
    expect(accessDenial(lambda)).toMatchObject({ action: "lambda:InvokeFunction", resource: undefined, why: undefined });
    expect(accessDenial(ec2Error("UnauthorizedOperation", EC2_ENCODED_ONLY, 403))).toMatchObject({ action: undefined, identity: undefined, encoded: ENCODED });
    expect(accessDenial(serviceError("AuthorizationError", "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: SNS:Publish on resource: arn:aws:sns:eu-west-1:123456789012:t"))).toMatchObject({ action: "SNS:Publish" });
    expect(accessDenial(serviceError("ValidationError", "User: x is not authorized to perform: y"))).toBeUndefined();
  });
});

describe("a refusal as the run's last line", () => {
  it("names the action, the caller, the table and the permission check", () => {
    const failure = asFailure(serviceError("AccessDenied", CREATE_CHANGE_SET_DENIED, 403), undefined);
    expect(failure).toBeInstanceOf(FailureError);
    const text = (failure as FailureError).message;
    expect(text).toContain("AWS denied cloudformation:CreateChangeSet on arn:aws:cloudformation:eu-west-1:123456789012:stack/demo-api/* to arn:aws:iam::123456789012:user/ci");
    expect(text).toContain("docs/permissions.md");
    expect(text).toContain("deploy's permission check");
    expect(text).not.toContain("AWS answered");
  });

  it("says how to decode EC2's encoded message, and names the caller the run learnt when AWS did not", () => {
    const text = (asFailure(ec2Error("UnauthorizedOperation", EC2_ENCODED_ONLY, 403), "dev", "arn:aws:sts::123456789012:assumed-role/Deployer/ci") as FailureError).message;
    expect(text).toContain("to arn:aws:sts::123456789012:assumed-role/Deployer/ci (UnauthorizedOperation)");
    expect(text).toContain(`aws sts decode-authorization-message --encoded-message ${ENCODED} --query DecodedMessage --output text`);
    const anonymous = (asFailure(ec2Error("UnauthorizedOperation", EC2_ENCODED_ONLY, 403), "dev") as FailureError).message;
    expect(anonymous).toContain("AWS denied a call to the identity of profile dev");
  });
});

describe("a refusal inside a stage", () => {
  it("fails the stage with the action and the table instead of AWS's raw error", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {}).failNext("CreateChangeSet", serviceError("AccessDenied", CREATE_CHANGE_SET_DENIED, 403));
    const template = readFileSync(join(FIXTURES, "1-api.yaml"), "utf8");
    const result = await runStage(h.ctx, STAGE_1, { DeploymentName: "demo", VpcCidr: "10.10.0.0/16" }, template);
    expect(result.kind).toBe("failed");
    const failed = h.events.find((e) => e.kind === "stage-failed");
    expect(failed).toMatchObject({ stage: 1 });
    expect(failed && "message" in failed && failed.message).toMatch(/^demo-api: AWS denied cloudformation:CreateChangeSet .* docs\/permissions\.md/);
  });

  it("adds what to grant when CloudFormation's handler was refused with the caller's credentials", async () => {
    const h = harness();
    h.cfn.stack("demo-api", {
      execute: {
        batches: [
          [stackEvent("CREATE_IN_PROGRESS", "User Initiated"), resourceEvent("Vpc", "AWS::EC2::VPC", "CREATE_IN_PROGRESS")],
          [
            resourceEvent("Vpc", "AWS::EC2::VPC", "CREATE_FAILED",
              "Resource handler returned message: \"You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/Deployer/ci " +
                "is not authorized to perform: ec2:CreateVpc on resource: arn:aws:ec2:eu-west-1:123456789012:vpc/* because no identity-based policy allows the ec2:CreateVpc action. " +
                "(Service: Ec2, Status Code: 403, Request ID: 0d1f5b7e-5c3a-4b8e-9f61-2a7c8d9e0f12)\" (RequestToken: 7b1c, HandlerErrorCode: AccessDenied)"),
            stackEvent("ROLLBACK_IN_PROGRESS"),
          ],
          [stackEvent("ROLLBACK_COMPLETE")],
        ],
      },
    });
    const result = await deployAll(h.ctx, PLAN, { maxParallel: 4 });
    expect(result).toMatchObject({ kind: "failed", stage: 1 });
    expect(result.kind === "failed" && result.message).toContain("so they need ec2:CreateVpc: grant it (the permissions table, docs/permissions.md");
  });
});
