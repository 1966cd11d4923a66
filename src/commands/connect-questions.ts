// connect's questions in a terminal, each a list of what exists (aws/connect-reads.ts reads them): the
// private APIs of region A with their stages, the execute-api endpoints there marked by what admits them,
// the functions attached to a VPC and the VPCs of region B, a VPC's subnets. Each list is read once, when
// its question comes; a refusal to read (credentials, permissions) ends the run as any AWS failure does.
import type { AwsClients } from "../aws/clients.js";
import { listEndpointChoices, listPrivateApis, listSubnets, listVpcFunctions, type EndpointChoice, type PrivateApi } from "../aws/connect-reads.js";
import { listVpcs } from "../aws/ec2-lookups.js";
import { asFailure } from "../aws/errors.js";
import type { ClientChoice, ConnectChooser } from "../config/connect-answers.js";
import { findRegion } from "../config/regions.js";
import { UsageError } from "../errors.js";

type Prompts = typeof import("../ui/prompts.js");

/** The questions, reading what they list with `clients`. */
export function connectChooser(clients: Pick<AwsClients, "apiGateway" | "ec2" | "lambda" | "profile">, prompts: () => Promise<Prompts> = () => import("../ui/prompts.js")): ConnectChooser {
  const apis = new Map<string, Promise<PrivateApi[]>>();
  const privateApis = (region: string) => {
    let listed = apis.get(region);
    if (!listed) apis.set(region, (listed = read(async () => listPrivateApis(await clients.apiGateway(region)))));
    return listed;
  };
  const read = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw asFailure(error, clients.profile, undefined);
    }
  };
  const apiOf = async (region: string, apiId: string) => (await privateApis(region)).find((a) => a.id === apiId);

  return {
    name: async (initial) => (await prompts()).askConnectionName(initial),
    region: async (role, initial, other, taken) => (await prompts()).terminalAsker().region(role, initial, other, taken),
    moreClients: async (count) => (await prompts()).terminalAsker().moreClients(count),

    async api(region) {
      const list = await privateApis(region);
      if (list.length === 0) throw new UsageError(`${region} has no private REST API these credentials can see: pick the region the API is in, or pass --api-id and --api-region`);
      return (await prompts()).askChoice(
        `Private API in ${region} (of ${list.length})`,
        list.map((a) => ({
          value: a.id,
          name: `${a.name ?? "(no name)"}  ${a.id}`,
          description: `stages: ${a.stages.map((s) => s.name).join(", ") || "none (the API must be deployed to a stage first)"}`,
        })),
      );
    },

    async stage(region, apiId) {
      const stages = (await apiOf(region, apiId))?.stages ?? [];
      // None: connect refuses with the fix; one: there is nothing to choose.
      if (stages.length <= 1) return stages[0]?.name;
      return (await prompts()).askChoice(`Stage of ${apiId} the probe calls`, stages.map((s) => ({ value: s.name, name: s.name, description: `deployment ${s.deploymentId ?? "none"}` })));
    },

    async endpoint(region, apiId) {
      const api = await apiOf(region, apiId);
      if (!api) return undefined;
      const partition = findRegion(region)?.partition ?? "aws";
      const endpoints = await read(() => listEndpointChoices(clients.ec2(region), region, partition, api));
      // With one endpoint (or none) connect's own choice is that one (or its refusal).
      if (endpoints.length <= 1) return undefined;
      const choices = [
        { value: undefined, name: "Let connect choose: the endpoint the API names, else the one its policy admits" },
        ...endpoints.map((e) => ({ value: e.id as string | undefined, name: `${e.id}  ${e.vpcId}  ${marks(e)}`, description: `${e.state}, subnets ${e.subnetIds.join(", ") || "none"}` })),
      ];
      return (await prompts()).askChoice<string | undefined>(`execute-api endpoint in ${region} to reach ${apiId} through`, choices);
    },

    async client(region): Promise<ClientChoice> {
      const [functions, vpcs] = await read(() => Promise.all([listVpcFunctions(clients, region), listVpcs(clients, region)]));
      type Picked = { readonly function: string } | { readonly vpc: string };
      const choices = [
        ...functions.map((f) => ({ value: { function: f.name } as Picked, name: `function ${f.name}`, description: `in ${f.vpcId}, ${f.subnetIds.length} subnet${f.subnetIds.length === 1 ? "" : "s"}, groups ${f.securityGroupIds.join(", ")}` })),
        ...vpcs.map((v) => ({ value: { vpc: v.id } as Picked, name: `VPC ${v.id}${v.name ? ` (${v.name})` : ""}`, description: `${v.cidrs.join(", ")}: for ECS tasks, instances or anything else in it; its default security group unless --client-security-groups` })),
      ];
      if (choices.length === 0) throw new UsageError(`${region} has no VPC these credentials can see: pick the region the client is in`);
      const ask = await prompts();
      const picked = await ask.askChoice(`Client in ${region}: a function attached to a VPC, or a VPC`, choices);
      if ("function" in picked) return { kind: "function", function: picked.function };
      const subnets = await read(() => listSubnets(clients.ec2(region), picked.vpc));
      if (subnets.length <= 1) return { kind: "network", clientVpc: picked.vpc, clientSubnets: undefined };
      const chosen = await ask.askSome(
        `Subnets of ${picked.vpc} the client calls from (routes are added to their route tables)`,
        subnets.map((s) => ({ value: s.id, name: `${s.id}  ${s.cidr}  ${s.zone}${s.name ? `  ${s.name}` : ""}` })),
      );
      return { kind: "network", clientVpc: picked.vpc, clientSubnets: chosen.length === subnets.length ? undefined : chosen.join(",") };
    },
  };
}

// What makes an endpoint the API's, in the list's words.
function marks(e: EndpointChoice): string {
  const policy = e.admittedByPolicy === true ? "admitted by the API's policy" : e.admittedByPolicy === false ? "not admitted by the API's policy" : "the API's policy could not be judged";
  return [e.namedByApi ? "named by the API" : undefined, policy, e.privateDns ? "private DNS on" : "private DNS off"].filter(Boolean).join(" · ");
}
