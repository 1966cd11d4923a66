// Shared by the preflight, status and verify tests: real clients from our factory, errors shaped the
// way the SDK really raises them (name + $metadata), and an event recorder standing in for a renderer.
import { randomUUID } from "node:crypto";
import { CloudFormationServiceException } from "@aws-sdk/client-cloudformation";
import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { createClients, type AwsClients } from "../../src/aws/clients.js";
import type { ProgressEvent } from "../../src/steps/events.js";

export function testClients(profile?: string): AwsClients {
  return createClients({ profile, credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "secret" }) });
}

// EC2's model carries no error shapes, and its error-code reference says only "400 series" for client errors.
// UnauthorizedOperation answers 403, as AWS's own guides quote it ("You are not authorized to perform this
// operation. (Service: AmazonEC2; Status Code: 403; Error Code: UnauthorizedOperation": the OpenSearch Service
// developer guide, VPC access; the Systems Manager Automation troubleshooting guide); AuthFailure 401; the
// other client errors (InvalidServiceName, OptInRequired, ...) 400.
const EC2_STATUS: Readonly<Record<string, number>> = { AuthFailure: 401, UnauthorizedOperation: 403 };

/** An EC2 error as the SDK raises it, with the HTTP status EC2 answers its code with. */
export function ec2Error(name: string, message: string, httpStatusCode = EC2_STATUS[name] ?? 400): EC2ServiceException {
  return new EC2ServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode, requestId: randomUUID() } });
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

// One account's zone ids by zone letter. Names map to ids per account, not in letter order (AWS RAM User Guide,
// "Availability Zone IDs for your AWS resources"), and each region's id prefix is its own, not derivable from the
// name: apse2 for ap-southeast-2 (aps2 is ap-south-2's), apne1 for ap-northeast-1 (whose newer accounts have no
// 1b). A region or letter missing here is a test's mistake, said at once.
export const ACCOUNT_ZONE_IDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "us-east-1": { a: "use1-az4", b: "use1-az6", c: "use1-az1", d: "use1-az2", e: "use1-az3", f: "use1-az5" },
  "us-west-2": { a: "usw2-az2", b: "usw2-az1", c: "usw2-az3", d: "usw2-az4" },
  "eu-west-1": { a: "euw1-az3", b: "euw1-az1", c: "euw1-az2" },
  "ap-southeast-2": { a: "apse2-az3", b: "apse2-az1", c: "apse2-az2" },
  "ap-northeast-1": { a: "apne1-az4", c: "apne1-az1", d: "apne1-az2" },
};

/** DescribeAvailabilityZones as AWS answers it for plain Availability Zones: name, id, type, opt-in, state. */
export function zones(region: string, letters: readonly string[]) {
  return {
    AvailabilityZones: letters.map((letter) => {
      const id = ACCOUNT_ZONE_IDS[region]?.[letter];
      if (!id) throw new Error(`test setup: no zone id for ${region}${letter} in ACCOUNT_ZONE_IDS`);
      return {
        ZoneName: `${region}${letter}`,
        ZoneId: id,
        ZoneType: "availability-zone",
        OptInStatus: "opt-in-not-required" as const,
        State: "available" as const,
        RegionName: region,
        GroupName: region,
        NetworkBorderGroup: region,
      };
    }),
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
