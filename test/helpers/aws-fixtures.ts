// Shared by the preflight, status and verify tests: real clients from our factory, errors shaped the
// way the SDK really raises them (name + $metadata), and an event recorder standing in for a renderer.
import { CloudFormationServiceException } from "@aws-sdk/client-cloudformation";
import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { createClients, type AwsClients } from "../../src/aws/clients.js";
import type { ProgressEvent } from "../../src/steps/events.js";

export function testClients(profile?: string): AwsClients {
  return createClients({ profile, credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "secret" }) });
}

export function ec2Error(name: string, message: string, httpStatusCode = 401): EC2ServiceException {
  return new EC2ServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode } });
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

/** DescribeAvailabilityZones as AWS answers it for plain Availability Zones: name, id, type, opt-in, state. */
export function zones(region: string, letters: readonly string[], prefix = region.replace(/^(\w+)-(\w)\w*-(\d+)$/, "$1$2$3")) {
  return {
    AvailabilityZones: letters.map((letter, i) => ({
      ZoneName: `${region}${letter}`,
      ZoneId: `${prefix}-az${i + 1}`,
      ZoneType: "availability-zone",
      OptInStatus: "opt-in-not-required" as const,
      State: "available" as const,
      RegionName: region,
      GroupName: region,
      NetworkBorderGroup: region,
    })),
  };
}

/** DescribeVpcEndpointServices for execute-api, offered in the zones named by letter. */
export function endpointService(region: string, letters: readonly string[]) {
  const name = `com.amazonaws.${region}.execute-api`;
  return {
    ServiceNames: [name],
    ServiceDetails: [
      {
        ServiceName: name,
        ServiceType: [{ ServiceType: "Interface" as const }],
        AvailabilityZones: letters.map((letter) => `${region}${letter}`),
        Owner: "amazon",
        BaseEndpointDnsNames: [`execute-api.${region}.vpce.amazonaws.com`],
        PrivateDnsName: `execute-api.${region}.amazonaws.com`,
        VpcEndpointPolicySupported: true,
        AcceptanceRequired: false,
      },
    ],
  };
}
