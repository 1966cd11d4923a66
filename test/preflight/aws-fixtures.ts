// Shared by the preflight, status and verify tests: real clients from our factory, errors shaped the
// way the SDK really raises them (name + $metadata), and an event recorder standing in for a renderer.
import { CloudFormationServiceException } from "@aws-sdk/client-cloudformation";
import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { createClients, type AwsClients } from "../../src/aws/clients.js";
import type { ProgressEvent } from "../../src/steps/events.js";

export function testClients(profile?: string): AwsClients {
  return createClients({ profile, credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "secret" }) });
}

export function ec2Error(name: string, message: string): EC2ServiceException {
  return new EC2ServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode: 401 } });
}

export function stackMissing(stackName: string): CloudFormationServiceException {
  return new CloudFormationServiceException({
    name: "ValidationError",
    message: `Stack with id ${stackName} does not exist`,
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
  });
}

export function recorder(): { events: ProgressEvent[]; emit: (e: ProgressEvent) => void } {
  const events: ProgressEvent[] = [];
  return { events, emit: (e) => events.push(e) };
}
