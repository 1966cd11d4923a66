// A connection's answers: flags over the answers file over questions over defaults, each id checked for its
// shape before anything is asked, the client as one answer (a function, or a VPC with its subnets and
// groups), and the file that says whose answers it holds.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { loadAnswersFile, saveAnswersFile } from "../../src/config/answers-file.js";
import { clientOf, type ConnectChooser, resolveConnectAnswers } from "../../src/config/connect-answers.js";
import { connectionRegions, joinClients } from "../../src/config/connection-regions.js";
import { checkKind } from "../../src/commands/context.js";
import { UsageError } from "../../src/errors.js";

const FILE = "/work/xregion-private-api.json";
const GIVEN = { apiRegion: "us-east-1", clientRegion: "eu-west-1", apiId: "a1b2c3d4e5", function: "orders-caller" };

function chooser(): ConnectChooser & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    name: vi.fn(async (initial: string) => (calls.push("name"), `${initial}-typed`)),
    region: vi.fn(async (role: "api" | "client") => (calls.push(`region:${role}`), role === "api" ? "us-east-1" : "eu-west-1")),
    api: vi.fn(async (region: string) => (calls.push(`api:${region}`), "z9y8x7w6v5")),
    stage: vi.fn(async (_region: string, apiId: string) => (calls.push(`stage:${apiId}`), "prod")),
    endpoint: vi.fn(async (_region: string, apiId: string) => (calls.push(`endpoint:${apiId}`), undefined)),
    client: vi.fn(async (region: string) => (calls.push(`client:${region}`), { kind: "network" as const, clientVpc: "vpc-0123456789abcdef0", clientSubnets: "subnet-0123456789abcdef0" })),
    moreClients: vi.fn(async () => false),
  };
}

describe("resolveConnectAnswers", () => {
  it("takes flags over the file, and the defaults of what neither gives (peering auto, the probe on)", async () => {
    const { answers, asked } = await resolveConnectAnswers(
      { flags: { ...GIVEN, stage: "v2" }, file: { name: "saved", apiId: "k0k0k0k0k0", stage: "v1", peering: "new", probe: false }, filePath: FILE },
      undefined,
    );
    expect(answers).toEqual({ name: "saved", ...GIVEN, stage: "v2", peering: "new", probe: false });
    expect(asked).toEqual([]);
    expect((await resolveConnectAnswers({ flags: GIVEN, file: undefined, filePath: FILE }, undefined)).answers).toMatchObject({ name: "xregion", peering: "auto", probe: true });
  });

  it("asks in a terminal only for what flags and the file leave open, in the order a person thinks of them", async () => {
    const terminal = chooser();
    const { answers, asked } = await resolveConnectAnswers({ flags: { apiRegion: "us-east-1" }, file: undefined, filePath: FILE }, terminal);
    expect(terminal.calls).toEqual(["name", "api:us-east-1", "stage:z9y8x7w6v5", "endpoint:z9y8x7w6v5", "region:client", "client:eu-west-1"]);
    expect(asked).toEqual(["name", "apiId", "stage", "endpoint", "clientRegion", "function"]);
    expect(answers).toMatchObject({ name: "xregion-typed", apiId: "z9y8x7w6v5", stage: "prod", clientVpc: "vpc-0123456789abcdef0", clientSubnets: "subnet-0123456789abcdef0" });
    expect(answers).not.toHaveProperty("endpoint");
    // --yes: the optional ones take their defaults; the required ones are still asked.
    const quick = chooser();
    await resolveConnectAnswers({ flags: { apiRegion: "us-east-1" }, file: undefined, filePath: FILE }, quick, true);
    expect(quick.calls).toEqual(["api:us-east-1", "region:client", "client:eu-west-1"]);
  });

  it("without a terminal names the flag that is missing", async () => {
    const without = (flags: object) => resolveConnectAnswers({ flags, file: undefined, filePath: FILE }, undefined);
    await expect(without({ ...GIVEN, apiId: undefined })).rejects.toThrow("--api-id is required when there is no terminal to ask on: pass --api-id a1b2c3d4e5");
    await expect(without({ ...GIVEN, function: undefined })).rejects.toThrow(/^the client is required when there is no terminal to ask on: pass --function .* or --client-vpc vpc-…/);
  });

  it("checks every given id for its shape before the first question, naming where it came from", async () => {
    const terminal = chooser();
    const resolve = (flags: object, file?: object) => resolveConnectAnswers({ flags: { ...GIVEN, ...flags }, file, filePath: FILE }, terminal);
    await expect(resolve({ apiId: "Orders-API" })).rejects.toThrow('--api-id "Orders-API" is not a REST API id');
    await expect(resolve({ endpoint: "vpce-xyz" })).rejects.toThrow('--endpoint "vpce-xyz" is not a vpce id');
    await expect(resolve({ peering: "pcx-1" })).rejects.toThrow('--peering "pcx-1" must be auto, new or a peering connection id');
    await expect(resolve({ function: undefined, clientVpc: "vpc-0123456789abcdef0", clientSubnets: "subnet-0123456789abcdef0,subnet-0123456789abcdef0" })).rejects.toThrow("--client-subnets names subnet-0123456789abcdef0 twice");
    await expect(resolve({}, { stage: "v 1" })).rejects.toThrow(`"stage" in ${FILE} "v 1" is not a stage name`);
    expect(terminal.calls).toEqual([]);
  });

  it("takes the client as one answer: the flags' replaces the file's, and a function and a VPC together are refused", async () => {
    const { answers } = await resolveConnectAnswers({ flags: { ...GIVEN, function: undefined, clientVpc: "vpc-0123456789abcdef0" }, file: { function: "old-caller" }, filePath: FILE }, undefined);
    expect(answers).toMatchObject({ clientVpc: "vpc-0123456789abcdef0" });
    expect(answers).not.toHaveProperty("function");
    await expect(resolveConnectAnswers({ flags: { ...GIVEN, clientVpc: "vpc-0123456789abcdef0" }, file: undefined, filePath: FILE }, undefined)).rejects.toThrow(
      "--function and --client-vpc name two clients: pass one",
    );
    await expect(resolveConnectAnswers({ flags: { ...GIVEN, clientSecurityGroups: "sg-0123456789abcdef0" }, file: undefined, filePath: FILE }, undefined)).rejects.toThrow(
      "--client-security-groups goes with --client-vpc: pass --client-vpc vpc-… too (a function's subnets and groups are its own: drop --client-security-groups)",
    );
  });
});

describe("the answers file of a connection", () => {
  const path = () => join(mkdtempSync(join(tmpdir(), "xregion-answers-")), "answers.json");

  it("says it holds a connection's answers and reads back as it was saved", () => {
    const file = path();
    const connection = { name: "orders", apiRegion: "us-east-1", clientRegion: "eu-west-1", apiId: "a1b2c3d4e5", function: "orders-caller", peering: "auto", probe: false };
    expect(saveAnswersFile(file, { kind: "connection", answers: { name: "orders", apiRegion: "us-east-1", clientRegion: "eu-west-1" }, connection })).toBeUndefined();
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ kind: "connection", ...connection });
    expect(loadAnswersFile(file, true)).toEqual({ kind: "connection", answers: { name: "orders", apiRegion: "us-east-1", clientRegion: "eu-west-1" }, connection, lastVerify: undefined });
  });

  it("refuses a kind it does not know and a probe that is not true or false", () => {
    const file = path();
    writeFileSync(file, JSON.stringify({ kind: "bridge" }));
    expect(() => loadAnswersFile(file, true)).toThrow(`${file}: "kind" must be "deployment" or "connection"`);
    writeFileSync(file, JSON.stringify({ kind: "connection", probe: "no" }));
    expect(() => loadAnswersFile(file, true)).toThrow(`${file}: "probe" must be true or false`);
  });

  it("is refused by deploy, plan and teardown, and a deployment's by connect and disconnect; status, verify and doctor take either", () => {
    const connection = { kind: "connection" as const, answers: { name: "orders" } };
    const deployment = { answers: { name: "shop", apiCidr: "10.1.0.0/16" } };
    expect(() => checkKind("deploy", connection, FILE)).toThrow(new UsageError(`${FILE} holds the answers of connection "orders" (connect's): pass --config with another file for a deployment, e.g. --config orders-deployment.json`));
    expect(() => checkKind("teardown", connection, FILE)).toThrow(/disconnect removes a connection/);
    expect(() => checkKind("connect", deployment, FILE)).toThrow(`${FILE} holds the answers of deployment "shop" (deploy's): pass --config with another file for the connection, e.g. --config shop-connection.json`);
    expect(() => checkKind("disconnect", deployment, FILE)).toThrow(/teardown removes a deployment/);
    for (const command of ["status", "verify", "doctor"] as const) {
      expect(() => checkKind(command, connection, FILE)).not.toThrow();
      expect(() => checkKind(command, deployment, FILE)).not.toThrow();
    }
    // An empty file is nobody's yet.
    expect(() => checkKind("connect", { answers: {} }, FILE)).not.toThrow();
  });
});

describe("a connection with several client regions", () => {
  const VPC_A = "vpc-0123456789abcdef0";
  const VPC_B = "vpc-0fedcba9876543210";
  const SUBNET_A = "subnet-0123456789abcdef0";
  const SUBNET_B = "subnet-0fedcba9876543210";
  const resolve = (flags: object, file?: object, terminal?: ConnectChooser) => resolveConnectAnswers({ flags: { ...GIVEN, ...flags }, file, filePath: FILE }, terminal);

  it("takes one --function per client region, in the order of --client-region, and splits them back per region", async () => {
    const { answers } = await resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: "caller-eu,caller-ap" });
    expect(answers).toMatchObject({ clientRegion: "eu-west-1,ap-southeast-2", function: "caller-eu,caller-ap" });
    expect(connectionRegions(answers).map((r) => [r.clientRegion, r.function])).toEqual([["eu-west-1", "caller-eu"], ["ap-southeast-2", "caller-ap"]]);
  });

  it("takes --client-vpc per region and each region's subnets and groups as a group of its own, ';' between regions (empty: that VPC's default)", async () => {
    const { answers } = await resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: undefined, clientVpc: `${VPC_A},${VPC_B}`, clientSubnets: `${SUBNET_A};${SUBNET_B}`, clientSecurityGroups: ";sg-0fedcba9876543210" });
    const regions = connectionRegions(answers);
    expect(regions.map((r) => clientOf(r))).toEqual([
      { kind: "network", vpcId: VPC_A, subnetIds: [SUBNET_A], securityGroupIds: [] },
      { kind: "network", vpcId: VPC_B, subnetIds: [SUBNET_B], securityGroupIds: ["sg-0fedcba9876543210"] },
    ]);
    // Saved and read again in the same form.
    expect(joinClients(regions)).toEqual({ clientVpc: `${VPC_A},${VPC_B}`, clientSubnets: `${SUBNET_A};${SUBNET_B}`, clientSecurityGroups: ";sg-0fedcba9876543210" });
  });

  it("refuses counts that do not match the client regions, in one line naming the flag and the form", async () => {
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: "caller-eu" })).rejects.toThrow(
      '--function names 1 function for 2 client regions (eu-west-1, ap-southeast-2): pass one per region in the same order, e.g. --function caller-eu-west-1,caller-ap-southeast-2',
    );
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: undefined, clientVpc: `${VPC_A},${VPC_B}`, clientSubnets: `${SUBNET_A},${SUBNET_B}` })).rejects.toThrow(
      /^--client-subnets names 1 subnet group for 2 client regions \(eu-west-1, ap-southeast-2\): pass one group per region separated by ";"/,
    );
    await expect(resolve({ function: undefined, clientVpc: VPC_A, clientSubnets: `${SUBNET_A};${SUBNET_B}` })).rejects.toThrow("--client-subnets names 2 subnet groups for 1 client region (eu-west-1)");
    await expect(resolve({ clientRegion: "eu-west-1,eu-west-1", function: "a,b" })).rejects.toThrow("--client-region names eu-west-1 twice");
    await expect(resolve({ clientRegion: "eu-west-1,us-east-1", function: "a,b" })).rejects.toThrow("--api-region and --client-region are both us-east-1");
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: undefined, clientVpc: `${VPC_A},${VPC_A}` })).rejects.toThrow(`--client-vpc names ${VPC_A} twice`);
  });

  it("a bad group id's fix shows the form that fits: one region's ids comma-separated, several regions' groups with ';' between regions", async () => {
    await expect(resolve({ function: undefined, clientVpc: VPC_A, clientSecurityGroups: "sg-0123456789abcdef0,sg-bad" })).rejects.toThrow(
      /^--client-security-groups: "sg-bad" is not a sg id \(sg- and 8 or 17 hex digits\): pass e\.g\. --client-security-groups sg-0123456789abcdef0,sg-0fedcba9876543210$/,
    );
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: undefined, clientVpc: `${VPC_A},${VPC_B}`, clientSecurityGroups: "sg-0123456789abcdef0;sg-bad" })).rejects.toThrow(
      /^--client-security-groups: "sg-bad" is not a sg id \(sg- and 8 or 17 hex digits\): pass e\.g\. --client-security-groups "sg-0123456789abcdef0,sg-0fedcba9876543210;sg-0223456789abcdef0" \(one group per client region, ";" between regions, commas inside a group\)$/,
    );
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2,us-west-2", function: undefined, clientVpc: `${VPC_A},${VPC_B},vpc-0a0b0c0d`, clientSubnets: `${SUBNET_A};subnet-x;` })).rejects.toThrow(
      '--client-subnets "subnet-0123456789abcdef0,subnet-0fedcba9876543210;subnet-0223456789abcdef0;subnet-0323456789abcdef0"',
    );
  });

  it("takes one function name in every region (a function per region, as a multi-region stack deploys it), and refuses an ARN out of its region's place", async () => {
    const { answers } = await resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: "orders-caller,orders-caller" });
    expect(connectionRegions(answers).map((r) => [r.clientRegion, r.function])).toEqual([["eu-west-1", "orders-caller"], ["ap-southeast-2", "orders-caller"]]);
    const arn = (region: string) => `arn:aws:lambda:${region}:123456789012:function:orders-caller`;
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: `${arn("eu-west-1")},${arn("ap-southeast-2")}` })).resolves.toBeDefined();
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: `${arn("ap-southeast-2")},${arn("eu-west-1")}` })).rejects.toThrow(
      `--function ${arn("ap-southeast-2")} is a function of ap-southeast-2, but its place in the list is eu-west-1's: pass one function per client region in the order of --client-region (eu-west-1,ap-southeast-2)`,
    );
    await expect(resolve({ function: arn("ap-southeast-2") })).rejects.toThrow(`--function ${arn("ap-southeast-2")} is a function of ap-southeast-2, but --client-region is eu-west-1: pass --client-region ap-southeast-2, or a function of eu-west-1`);
  });

  it("refuses one --peering pcx-… for several client regions before any AWS call (a peering joins one client VPC)", async () => {
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: "a,b", peering: "pcx-0123456789abcdef0" })).rejects.toThrow(
      "--peering pcx-0123456789abcdef0 names one peering connection, which joins one client VPC to the API VPC, and --client-region names 2 client regions: pass --peering auto",
    );
    await expect(resolve({ clientRegion: "eu-west-1,ap-southeast-2", function: "a,b", peering: "new" })).resolves.toBeDefined();
    await expect(resolve({ peering: "pcx-0123456789abcdef0" })).resolves.toBeDefined();
  });

  it("a file's clients follow their regions: a --client-region naming some of them connects those with their saved clients", async () => {
    const file = { clientRegion: "eu-west-1,ap-southeast-2", function: "caller-eu,caller-ap" };
    const { answers } = await resolveConnectAnswers({ flags: { apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "ap-southeast-2" }, file, filePath: FILE }, undefined);
    expect(answers).toMatchObject({ clientRegion: "ap-southeast-2", function: "caller-ap" });
    await expect(resolveConnectAnswers({ flags: { apiRegion: "us-east-1", apiId: "a1b2c3d4e5", clientRegion: "sa-east-1" }, file, filePath: FILE }, undefined)).rejects.toThrow(
      /^the client is required when there is no terminal to ask on/,
    );
  });

  it("the wizard asks each region's client right after the region, while more regions are wanted", async () => {
    const terminal = chooser();
    let more = 2;
    terminal.moreClients = vi.fn(async () => --more > 0);
    const regions = ["eu-west-1", "ap-southeast-2"];
    terminal.region = vi.fn(async (role: "api" | "client", _initial, _other, taken?: readonly string[]) => (terminal.calls.push(`region:${role}:${taken?.join(",") ?? ""}`), role === "api" ? "us-east-1" : regions[taken?.length ?? 0]!));
    const { answers } = await resolveConnectAnswers({ flags: { apiRegion: "us-east-1", apiId: "a1b2c3d4e5" }, file: undefined, filePath: FILE }, terminal, true);
    expect(terminal.calls).toEqual(["region:client:", "client:eu-west-1", "region:client:eu-west-1", "client:ap-southeast-2"]);
    expect(answers).toMatchObject({ clientRegion: "eu-west-1,ap-southeast-2", clientVpc: "vpc-0123456789abcdef0,vpc-0123456789abcdef0", clientSubnets: "subnet-0123456789abcdef0;subnet-0123456789abcdef0" });
  });

  it("a one-region connection's answers are as before: no ';', no list", async () => {
    const { answers } = await resolve({ function: undefined, clientVpc: VPC_A, clientSubnets: `${SUBNET_A},${SUBNET_B}` });
    expect(answers).toMatchObject({ clientRegion: "eu-west-1", clientVpc: VPC_A, clientSubnets: `${SUBNET_A},${SUBNET_B}` });
    expect(connectionRegions(answers)).toEqual([answers]);
  });
});
