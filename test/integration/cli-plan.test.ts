import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { templateFacts } from "../../src/aws/template-facts.js";
import { deploymentHash, renderTemplate } from "../../src/steps/deploy/deployment-id.js";
import { filesIn, runCli, tempDir } from "../helpers/cli.js";

const TEMPLATES = resolve(import.meta.dirname, "../../templates");
const REGIONS = ["--api-region", "us-east-1", "--client-region", "eu-west-1"];
// Any AWS call would go here and fail: plan must not need it.

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("plan", () => {
  it("writes the three templates, a parameter file per stage and the plan, offline", () => {
    const run = runCli(["plan", "--name", "demo", ...REGIONS, "--out", "out"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(filesIn(join(run.cwd, "out"))).toEqual([
      "1-api.parameters.json",
      "1-api.yaml",
      "2-client.parameters.json",
      "2-client.yaml",
      "3-routes.parameters.json",
      "3-routes.yaml",
      "plan.json",
    ]);
    for (const template of ["2-client.yaml", "3-routes.yaml"]) {
      expect(readFileSync(join(run.cwd, "out", template), "utf8")).toBe(readFileSync(join(TEMPLATES, template), "utf8"));
    }
    const api = readJson(join(run.cwd, "out", "1-api.parameters.json"));
    // The API Deployment's id hashes stage 1's values, and its zones are not known yet: the template as shipped.
    expect(readFileSync(join(run.cwd, "out", "1-api.yaml"), "utf8")).toBe(readFileSync(join(TEMPLATES, "1-api.yaml"), "utf8"));
    expect(api.Parameters).toEqual({
      DeploymentName: "demo",
      VpcCidr: "10.10.0.0/16",
      Subnet1Cidr: "10.10.0.0/24",
      Subnet2Cidr: "10.10.1.0/24",
      AvailabilityZone1: "<zone 1 of us-east-1, chosen at deploy time (or pass --api-azs)>",
      AvailabilityZone2: "<zone 2 of us-east-1, chosen at deploy time (or pass --api-azs)>",
      ClientVpcCidr: "10.20.0.0/16",
    });
    expect(api.Tags).toEqual({ "xregion-private-api:deployment": "demo", "xregion-private-api:stage": "1" });
    const client = readJson(join(run.cwd, "out", "2-client.parameters.json"));
    expect(client.Parameters.ApiRegion).toBe("us-east-1");
    expect(client.Parameters.ApiVpcId).toBe("<output VpcId of stack demo-api in us-east-1>");
    const routes = readJson(join(run.cwd, "out", "3-routes.parameters.json"));
    expect(routes.Parameters.RouteTableIds).toBe("/xregion-private-api/demo/route-table-ids");
    expect(routes.Parameters.PeeringConnectionId).toBe("<output PeeringConnectionId of stack demo-client in eu-west-1>");

    expect(run.stdout).toMatch(/Stage 1\/3 .*stack demo-api in us-east-1/);
    expect(run.stdout).toMatch(/Stage 2\/3 .*stack demo-client in eu-west-1/);
    expect(run.stdout).toMatch(/Stage 3\/3 .*stack demo-routes in us-east-1/);
    expect(run.stdout).toMatch(/AZ-hour/);
    expect(run.stdout).toMatch(/per GB/);
    expect(run.stdout).toMatch(/Zones +are chosen at deploy time/);
  });

  it("writes the zones of --api-azs and --client-azs into the parameter files and the plan, offline", () => {
    const run = runCli(["plan", "--name", "demo", ...REGIONS, "--api-azs", "us-east-1c,us-east-1f", "--client-azs", "eu-west-1b,eu-west-1a", "--out", "out"]);
    expect(run.code).toBe(0);
    const api = readJson(join(run.cwd, "out", "1-api.parameters.json"));
    expect([api.Parameters.AvailabilityZone1, api.Parameters.AvailabilityZone2]).toEqual(["us-east-1c", "us-east-1f"]);
    // Stage 1 as deploy sends it: the API Deployment's id hashes the template and these very values.
    const shipped = readFileSync(join(TEMPLATES, "1-api.yaml"), "utf8");
    expect(readFileSync(join(run.cwd, "out", "1-api.yaml"), "utf8")).toBe(renderTemplate(shipped, api.Parameters, templateFacts(shipped)).body);
    expect(readFileSync(join(run.cwd, "out", "1-api.yaml"), "utf8")).toContain(
      `DeploymentId: !Ref Deployment${deploymentHash(shipped, api.Parameters)}\n`,
    );
    const client = readJson(join(run.cwd, "out", "2-client.parameters.json"));
    expect([client.Parameters.AvailabilityZone1, client.Parameters.AvailabilityZone2]).toEqual(["eu-west-1b", "eu-west-1a"]);
    expect(run.stdout).toMatch(/Zones +API us-east-1c, us-east-1f; client eu-west-1b, eu-west-1a/);
    expect(run.stdout).toMatch(/Wrote 7 files/);
  });

  it("takes values from the answers file and lets flags override them", () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, "xregion-private-api.json"),
      JSON.stringify({ name: "fromfile", apiRegion: "eu-central-1", clientRegion: "us-west-2", apiCidr: "172.16.0.0/20" }),
    );
    const run = runCli(["plan", "--client-region", "ap-southeast-2", "--json", "--out", "p"], { cwd });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const { plan } = JSON.parse(lines[0] ?? "");
    expect(plan.answers).toEqual({
      name: "fromfile",
      apiRegion: "eu-central-1",
      clientRegion: "ap-southeast-2",
      apiCidr: "172.16.0.0/20",
      clientCidr: "10.20.0.0/16",
    });
    expect(plan.stages.map((s: { stackName: string; region: string }) => `${s.stackName}@${s.region}`)).toEqual([
      "fromfile-api@eu-central-1",
      "fromfile-client@ap-southeast-2",
      "fromfile-routes@eu-central-1",
    ]);
  });

  it("moves the default client range out of the way of a chosen API range", () => {
    const run = runCli(["plan", ...REGIONS, "--api-cidr", "10.20.0.0/16", "--json", "--out", "p"]);
    expect(run.code).toBe(0);
    const { plan } = JSON.parse(run.stdout);
    expect(plan.answers.clientCidr).not.toBe("10.20.0.0/16");
    expect(plan.answers.clientCidr).toMatch(/\/16$/);
  });

  it("warns, without failing, about a range outside the private address space", () => {
    const run = runCli(["plan", ...REGIONS, "--api-cidr", "8.8.0.0/16", "--out", "p"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/warning: --api-cidr 8\.8\.0\.0\/16 is outside the private ranges/);
  });
});
