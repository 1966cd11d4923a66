// A scripted Lambda and EC2 for the client function's network interfaces, behind aws-sdk-client-mock, as
// real accounts show them (go-to-k/cdkd PRs #41 and #45; alchemy-run/alchemy#937): Lambda makes them with
// the function's role, so they are not requester-managed (RequesterId is the role's `awslambda_…`
// session, github-aws-runners/terraform-aws-github-runner#888), described `AWS Lambda VPC ENI-<name>`
// without a uuid, InterfaceType `lambda` while in use and `interface` once Lambda has let go of them,
// about 4 minutes (on the fake clock) after the function left the VPC or was deleted.
// GetFunctionConfiguration reports a VPC change InProgress for a few polls before Successful;
// DescribeNetworkInterfaces applies its filters as EC2 does (description with `*` wildcards) and pages
// with NextToken; DeleteNetworkInterface refuses an interface still in use.
import { randomUUID } from "node:crypto";
import { DeleteNetworkInterfaceCommand, DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  LambdaServiceException,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { ec2Error } from "./aws-fixtures.js";
import type { FakeClock } from "./cfn-timeline.js";
import { CallScript } from "./call-script.js";

export const FUNCTION = "demo-client";
export const VPC = "vpc-0c11e47a5b1d2e3f4";
// The function's own security group, which the client stack lists as FunctionSecurityGroup.
export const GROUP = "sg-0f1";
export const SUBNETS = ["subnet-0a1", "subnet-0b2"];
// The execution role's unique id: Lambda's interfaces carry it in RequesterId.
const ROLE_ID = "AROA3XFRBF23EXAMPLE7";
// Lambda lets go of the interfaces about 4 minutes after the function left its VPC (alchemy-run/alchemy#937).
export const LETS_GO_AFTER_MS = 4 * 60_000;

/** The client stack's resources (2-client.yaml's VPC, subnets, group, role and function) with the ids above. */
export const CLIENT_RESOURCES = [
  { logicalId: "Vpc", type: "AWS::EC2::VPC", physicalId: VPC },
  { logicalId: "Subnet1", type: "AWS::EC2::Subnet", physicalId: SUBNETS[0]! },
  { logicalId: "Subnet2", type: "AWS::EC2::Subnet", physicalId: SUBNETS[1]! },
  { logicalId: "FunctionSecurityGroup", type: "AWS::EC2::SecurityGroup", physicalId: GROUP },
  { logicalId: "ExecutionRole", type: "AWS::IAM::Role", physicalId: "demo-client-ExecutionRole-1AB2" },
  { logicalId: "ClientFunction", type: "AWS::Lambda::Function", physicalId: FUNCTION },
];

export interface FakeInterface {
  readonly id: string;
  // The function Lambda made it for (undefined: not Lambda's, e.g. made by a person).
  readonly function: string | undefined;
  readonly vpcId: string;
  readonly groupId: string;
  readonly description: string;
  interfaceType: string;
  // Never released (shared with another function, or stuck).
  readonly stuck?: boolean;
  status: "in-use" | "available";
}

type Command = "GetFunctionConfiguration" | "UpdateFunctionConfiguration" | "DescribeNetworkInterfaces" | "DeleteNetworkInterface";

export function lambdaError(name: string, message: string, httpStatusCode = 400): LambdaServiceException {
  return new LambdaServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode, requestId: randomUUID() } });
}

/** An interface Lambda made for a function (ours unless `function` says otherwise), described as Lambda describes it. */
export function lambdaInterface(extra: Partial<FakeInterface> = {}): FakeInterface {
  const fn = "function" in extra ? extra.function : FUNCTION;
  return {
    id: `eni-${randomUUID().replace(/-/g, "").slice(0, 17)}`,
    function: fn,
    vpcId: VPC,
    groupId: GROUP,
    description: `AWS Lambda VPC ENI-${fn}`,
    interfaceType: "lambda",
    status: "in-use",
    ...extra,
  };
}

export class FakeFunctionNetwork {
  readonly lambda = mockClient(LambdaClient);
  readonly ec2 = mockClient(EC2Client);
  readonly calls: { command: Command; region: string; input: Record<string, unknown>; at: number }[] = [];
  // The function as Lambda sees it; undefined = no such function.
  fn: { state: string; lastUpdateStatus: string; vpcId: string } | undefined = { state: "Active", lastUpdateStatus: "Successful", vpcId: VPC };
  interfaces: FakeInterface[] = [];
  // How many GetFunctionConfiguration answers stay InProgress after UpdateFunctionConfiguration.
  inProgressPolls = 2;
  // After the function has left the VPC (or was deleted), its interfaces turn available this much later.
  availableAfterMs = LETS_GO_AFTER_MS;
  // How many DescribeNetworkInterfaces answers right after a detach are empty although the interfaces
  // are there (go-to-k/cdkd#43).
  earlyEmptyReads = 0;
  // Interfaces per DescribeNetworkInterfaces page.
  pageSize = 1000;
  // Answer every interface whatever the filters say, to show the caller's own checks hold.
  ignoreFilters = false;
  private left: number | undefined;
  private emptyReadsLeft = 0;
  private pendingPolls = 0;
  // The VPC configuration an update in progress applies.
  private applying: { subnets: string[]; groups: string[] } | undefined;
  private readonly script = new CallScript<Command>();

  constructor(readonly clock: FakeClock) {
    this.handle(this.lambda, GetFunctionConfigurationCommand, "GetFunctionConfiguration", () => this.getConfiguration());
    this.handle(this.lambda, UpdateFunctionConfigurationCommand, "UpdateFunctionConfiguration", (input) => this.update(input));
    this.handle(this.ec2, DescribeNetworkInterfacesCommand, "DescribeNetworkInterfaces", (input) => this.describe(input));
    this.handle(this.ec2, DeleteNetworkInterfaceCommand, "DeleteNetworkInterface", (input) => this.remove(input));
  }

  /** The next call of `command` throws `error`. */
  failNext(command: Command, error: Error): this {
    this.script.failNext(command, error);
    return this;
  }

  /** Runs `run` right after the nth call of `command` (1-based). */
  after(command: Command, nth: number, run: () => void): this {
    this.script.after(command, nth, run);
    return this;
  }

  count(command: Command): number {
    return this.calls.filter((c) => c.command === command).length;
  }

  /** The function is deleted now (by CloudFormation, or by hand): Lambda lets go of its interfaces later. */
  deleteFunction(): void {
    this.fn = undefined;
    this.left = this.clock.now();
  }

  restore(): void {
    this.lambda.restore();
    this.ec2.restore();
  }

  private handle(mock: ReturnType<typeof mockClient>, command: new (input: never) => unknown, name: Command, answer: (input: Record<string, unknown>) => unknown) {
    mock.on(command as Parameters<typeof mock.on>[0]).callsFake(async (input: Record<string, unknown>, getClient) => {
      const client = getClient() as unknown as LambdaClient | EC2Client;
      this.calls.push({ command: name, region: await client.config.region(), input, at: this.clock.now() });
      this.clock.t += 20;
      return this.script.answer(name, this.count(name), () => answer(input));
    });
  }

  private getConfiguration() {
    const fn = this.fn;
    if (!fn) throw lambdaError("ResourceNotFoundException", `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`, 404);
    if (fn.lastUpdateStatus === "InProgress" && this.pendingPolls-- <= 0) this.applied(fn);
    const attached = fn.vpcId === VPC;
    return {
      FunctionName: FUNCTION,
      State: fn.state,
      LastUpdateStatus: fn.lastUpdateStatus,
      VpcConfig: attached ? { VpcId: VPC, SubnetIds: SUBNETS, SecurityGroupIds: [GROUP] } : { VpcId: "", SubnetIds: [], SecurityGroupIds: [] },
    };
  }

  // Lambda has finished the update: out of the VPC (its interfaces let go of later), or back in it with
  // an interface per subnet again.
  private applied(fn: NonNullable<FakeFunctionNetwork["fn"]>): void {
    fn.lastUpdateStatus = "Successful";
    const applying = this.applying;
    if (!applying || applying.subnets.length === 0) {
      fn.vpcId = "";
      this.left = this.clock.now();
      this.emptyReadsLeft = this.earlyEmptyReads;
      return;
    }
    fn.vpcId = VPC;
    this.left = undefined;
    for (const _subnet of applying.subnets) this.interfaces.push(lambdaInterface({ groupId: applying.groups[0]! }));
  }

  private update(input: Record<string, unknown>) {
    const fn = this.fn;
    if (!fn) throw lambdaError("ResourceNotFoundException", `Function not found: ${String(input["FunctionName"])}`, 404);
    if (fn.state === "Pending" || fn.lastUpdateStatus === "InProgress") {
      throw lambdaError("ResourceConflictException", `The operation cannot be performed at this time. An update is in progress for resource: ${FUNCTION}`, 409);
    }
    const config = (input["VpcConfig"] ?? {}) as { SubnetIds?: string[]; SecurityGroupIds?: string[] };
    this.applying = { subnets: config.SubnetIds ?? [], groups: config.SecurityGroupIds ?? [] };
    fn.lastUpdateStatus = "InProgress";
    this.pendingPolls = this.inProgressPolls;
    return { FunctionName: FUNCTION, LastUpdateStatus: "InProgress" };
  }

  private refresh(): void {
    if (this.left === undefined || this.clock.now() < this.left + this.availableAfterMs) return;
    for (const eni of this.interfaces) {
      if (eni.stuck || eni.function !== FUNCTION || eni.status === "available") continue;
      eni.status = "available";
      eni.interfaceType = "interface";
    }
  }

  private describe(input: Record<string, unknown>) {
    this.refresh();
    const filters = (input["Filters"] ?? []) as { Name: string; Values: string[] }[];
    const value = (eni: FakeInterface, name: string): string | undefined => {
      if (name === "vpc-id") return eni.vpcId;
      if (name === "group-id") return eni.groupId;
      if (name === "description") return eni.description;
      if (name === "interface-type") return eni.interfaceType;
      if (name === "status") return eni.status;
      throw ec2Error("InvalidParameterValue", `The filter '${name}' is invalid`);
    };
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    const matching = this.ignoreFilters ? this.interfaces : this.interfaces.filter((eni) => filters.every((f) => f.Values.some((v) => glob(v).test(value(eni, f.Name) ?? ""))));
    const listed = this.emptyReadsLeft > 0 ? (this.emptyReadsLeft--, []) : matching;
    const from = Number(input["NextToken"] ?? 0);
    const next = from + this.pageSize < listed.length ? String(from + this.pageSize) : undefined;
    return {
      NetworkInterfaces: listed.slice(from, from + this.pageSize).map((eni, i) => ({
        NetworkInterfaceId: eni.id,
        VpcId: eni.vpcId,
        SubnetId: SUBNETS[i % SUBNETS.length],
        Description: eni.description,
        Groups: [{ GroupId: eni.groupId, GroupName: eni.groupId === GROUP ? "demo-client-FunctionSecurityGroup-1XYZ" : "other" }],
        RequesterManaged: false,
        RequesterId: eni.function ? `${ROLE_ID}:awslambda_${744 + i}_20261125100000101` : "AIDA5EXAMPLEPERSON12",
        InterfaceType: eni.interfaceType,
        Status: eni.status,
      })),
      NextToken: next,
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
