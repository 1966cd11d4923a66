// A scripted Lambda and EC2 for the client function's network interfaces, behind aws-sdk-client-mock.
// Answers have AWS's shapes and errors: GetFunctionConfiguration reports a VPC change InProgress for a
// few polls before Successful; interfaces turn `available` some time (on the fake clock) after the
// function has left the VPC; DescribeNetworkInterfaces applies its filters as EC2 does (description with
// `*` wildcards); DeleteNetworkInterface refuses an interface still in use.
import { randomUUID } from "node:crypto";
import { DeleteNetworkInterfaceCommand, DescribeNetworkInterfacesCommand, EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  LambdaServiceException,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import type { FakeClock } from "./cfn-timeline.js";

export const FUNCTION = "demo-client";
export const VPC = "vpc-0c11e47a5b1d2e3f4";

export interface FakeInterface {
  readonly id: string;
  // The function Lambda made it for (foreign ones are another function's, or not Lambda's at all).
  readonly function: string | undefined;
  readonly vpcId: string;
  readonly description: string;
  readonly requesterManaged: boolean;
  // Never released (shared with another function, or stuck).
  readonly stuck?: boolean;
  status: "in-use" | "available";
}

type Command = "GetFunctionConfiguration" | "UpdateFunctionConfiguration" | "DescribeNetworkInterfaces" | "DeleteNetworkInterface";

export function lambdaError(name: string, message: string, httpStatusCode = 400): LambdaServiceException {
  return new LambdaServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode, requestId: randomUUID() } });
}

export function ec2Error(name: string, message: string): EC2ServiceException {
  return new EC2ServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode: 400, requestId: randomUUID() } });
}

/** An interface Lambda made for a function: requester-managed, described the way Lambda describes it. */
export function lambdaInterface(functionName = FUNCTION, vpcId = VPC, extra: Partial<FakeInterface> = {}): FakeInterface {
  return {
    id: `eni-${randomUUID().replace(/-/g, "").slice(0, 17)}`,
    function: functionName,
    vpcId,
    description: `AWS Lambda VPC ENI-${functionName}-${randomUUID()}`,
    requesterManaged: true,
    status: "in-use",
    ...extra,
  };
}

export class FakeFunctionNetwork {
  readonly lambda = mockClient(LambdaClient);
  readonly ec2 = mockClient(EC2Client);
  readonly calls: { command: Command; region: string; input: Record<string, unknown> }[] = [];
  // The function as Lambda sees it; undefined = no such function.
  fn: { state: string; lastUpdateStatus: string; vpcId: string } | undefined = { state: "Active", lastUpdateStatus: "Successful", vpcId: VPC };
  interfaces: FakeInterface[] = [];
  // How many GetFunctionConfiguration answers stay InProgress after UpdateFunctionConfiguration.
  inProgressPolls = 2;
  // After the function has left the VPC, its interfaces turn available this much later (fake clock).
  availableAfterMs = 6_000;
  // Answer every interface whatever the filters say, to show the caller's own checks hold.
  ignoreFilters = false;
  private left: number | undefined;
  private pendingPolls = 0;
  private readonly failures: { command: Command; error: Error }[] = [];

  constructor(readonly clock: FakeClock) {
    this.handle(this.lambda, GetFunctionConfigurationCommand, "GetFunctionConfiguration", () => this.getConfiguration());
    this.handle(this.lambda, UpdateFunctionConfigurationCommand, "UpdateFunctionConfiguration", (input) => this.update(input));
    this.handle(this.ec2, DescribeNetworkInterfacesCommand, "DescribeNetworkInterfaces", (input) => this.describe(input));
    this.handle(this.ec2, DeleteNetworkInterfaceCommand, "DeleteNetworkInterface", (input) => this.remove(input));
  }

  /** The next call of `command` throws `error`. */
  failNext(command: Command, error: Error): this {
    this.failures.push({ command, error });
    return this;
  }

  count(command: Command): number {
    return this.calls.filter((c) => c.command === command).length;
  }

  restore(): void {
    this.lambda.restore();
    this.ec2.restore();
  }

  private handle(mock: ReturnType<typeof mockClient>, command: new (input: never) => unknown, name: Command, answer: (input: Record<string, unknown>) => unknown) {
    mock.on(command as Parameters<typeof mock.on>[0]).callsFake(async (input: Record<string, unknown>, getClient) => {
      const client = getClient() as unknown as LambdaClient | EC2Client;
      this.calls.push({ command: name, region: await client.config.region(), input });
      this.clock.t += 20;
      const failure = this.failures.findIndex((f) => f.command === name);
      if (failure >= 0) throw this.failures.splice(failure, 1)[0]!.error;
      return answer(input);
    });
  }

  private getConfiguration() {
    const fn = this.fn;
    if (!fn) throw lambdaError("ResourceNotFoundException", `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`, 404);
    if (fn.lastUpdateStatus === "InProgress" && this.pendingPolls-- <= 0) {
      fn.lastUpdateStatus = "Successful";
      fn.vpcId = "";
      this.left = this.clock.now();
    }
    return {
      FunctionName: FUNCTION,
      State: fn.state,
      LastUpdateStatus: fn.lastUpdateStatus,
      VpcConfig: fn.vpcId ? { VpcId: fn.vpcId, SubnetIds: ["subnet-1", "subnet-2"], SecurityGroupIds: ["sg-1"] } : { VpcId: "", SubnetIds: [], SecurityGroupIds: [] },
    };
  }

  private update(input: Record<string, unknown>) {
    const fn = this.fn;
    if (!fn) throw lambdaError("ResourceNotFoundException", `Function not found: ${String(input["FunctionName"])}`, 404);
    if (fn.state === "Pending" || fn.lastUpdateStatus === "InProgress") {
      throw lambdaError("ResourceConflictException", `The operation cannot be performed at this time. An update is in progress for resource: ${FUNCTION}`, 409);
    }
    fn.lastUpdateStatus = "InProgress";
    this.pendingPolls = this.inProgressPolls;
    return { FunctionName: FUNCTION, LastUpdateStatus: "InProgress" };
  }

  private refresh(): void {
    if (this.left === undefined || this.clock.now() < this.left + this.availableAfterMs) return;
    for (const eni of this.interfaces) if (!eni.stuck && eni.function === FUNCTION) eni.status = "available";
  }

  private describe(input: Record<string, unknown>) {
    this.refresh();
    const filters = (input["Filters"] ?? []) as { Name: string; Values: string[] }[];
    const value = (eni: FakeInterface, name: string): string | undefined => {
      if (name === "vpc-id") return eni.vpcId;
      if (name === "requester-managed") return String(eni.requesterManaged);
      if (name === "description") return eni.description;
      if (name === "status") return eni.status;
      throw ec2Error("InvalidParameterValue", `The filter '${name}' is invalid`);
    };
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    const matching = this.ignoreFilters ? this.interfaces : this.interfaces.filter((eni) => filters.every((f) => f.Values.some((v) => glob(v).test(value(eni, f.Name) ?? ""))));
    return {
      NetworkInterfaces: matching.map((eni) => ({
        NetworkInterfaceId: eni.id,
        VpcId: eni.vpcId,
        SubnetId: "subnet-1",
        Description: eni.description,
        RequesterManaged: eni.requesterManaged,
        RequesterId: eni.requesterManaged ? "AROAEXAMPLELAMBDA:lambda" : undefined,
        InterfaceType: eni.requesterManaged ? "lambda" : "interface",
        Status: eni.status,
      })),
    };
  }

  private remove(input: Record<string, unknown>) {
    this.refresh();
    const id = String(input["NetworkInterfaceId"]);
    const eni = this.interfaces.find((e) => e.id === id);
    if (!eni) throw ec2Error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`);
    if (eni.status === "in-use") throw ec2Error("InvalidParameterValue", `Network interface '${id}' is currently in use.`);
    this.interfaces = this.interfaces.filter((e) => e !== eni);
    return {};
  }
}
