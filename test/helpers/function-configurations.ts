// GetFunctionConfiguration answers with AWS's shape for the client function (a VPC function), and the
// errors Invoke raises for a function that is not ready, as the SDK builds them (name, $fault, $metadata).
import {
  LambdaServiceException,
  ResourceConflictException,
  ResourceNotReadyException,
  type GetFunctionConfigurationCommandOutput,
} from "@aws-sdk/client-lambda";

export const FUNCTION = "demo-client";
export const REGION = "eu-west-1";

export function functionConfiguration(
  state: Pick<GetFunctionConfigurationCommandOutput, "State" | "StateReason" | "StateReasonCode" | "LastUpdateStatus" | "LastUpdateStatusReason" | "LastUpdateStatusReasonCode">,
): GetFunctionConfigurationCommandOutput {
  return {
    FunctionName: FUNCTION,
    FunctionArn: `arn:aws:lambda:${REGION}:123456789012:function:${FUNCTION}`,
    Runtime: "nodejs22.x",
    Role: "arn:aws:iam::123456789012:role/demo-client-FunctionRole-1A2B3C4D5E6F",
    Handler: "index.handler",
    CodeSize: 2114,
    Timeout: 10,
    MemorySize: 256,
    LastModified: "2026-11-25T10:04:12.000+0000",
    Version: "$LATEST",
    VpcConfig: {
      SubnetIds: ["subnet-071f712345678e7c8", "subnet-07fd123456788a036"],
      SecurityGroupIds: ["sg-085912345678492fb"],
      VpcId: "vpc-08e1234569e011e83",
    },
    PackageType: "Zip",
    Architectures: ["arm64"],
    ...state,
    $metadata: { httpStatusCode: 200 },
  };
}

// AWS's Lambda developer guide, "Lambda function states": a new function's first answer.
export const creating = { State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" } as const;
export const active = { State: "Active", LastUpdateStatus: "Successful" } as const;

export function notReady(): ResourceNotReadyException {
  return new ResourceNotReadyException({
    message: "The function is inactive and its VPC connection is no longer available. Wait for the VPC connection to reestablish and try again.",
    $metadata: { httpStatusCode: 502 },
  });
}

export function pendingConflict(): ResourceConflictException {
  return new ResourceConflictException({
    message: "The operation cannot be performed at this time. The function is currently in the following state: Pending",
    Type: "User",
    $metadata: { httpStatusCode: 409 },
  });
}

export function accessDenied(action: string): LambdaServiceException {
  return new LambdaServiceException({
    name: "AccessDeniedException",
    message: `User: arn:aws:sts::123456789012:assumed-role/Dev/me is not authorized to perform: ${action} on resource: arn:aws:lambda:${REGION}:123456789012:function:${FUNCTION} because no identity-based policy allows the ${action} action`,
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
  });
}
