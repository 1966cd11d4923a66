// endpoint, api-policy and api-stage: the API's execute-api endpoint is available (and its own policy,
// if custom, lets the call through); the API is PRIVATE and its resource policy, evaluated for a call
// through that endpoint, allows every method; the stage exists with a deployment.
import { executeApiServiceName } from "../../aws/ec2-lookups.js";
import type { MethodFacts, PathSnapshot } from "../../aws/path-facts.js";
import type { RequestContext } from "../../policy/conditions.js";
import { evaluatePolicy, type ApiCall, type PolicyDecision } from "../../policy/resource-policy.js";
import { fail, pass, unknown, type Judgement } from "./doctor.js";
import type { PathContext } from "./path-context.js";

const SOURCE_KEYS = { vpce: "aws:sourcevpce", vpc: "aws:sourcevpc", account: "aws:vpceaccount" } as const;

/** The execute-api endpoint: available, private DNS on, in the API's VPC. */
export function judgeEndpoint(ctx: PathContext): Judgement {
  const { snapshot } = ctx;
  const region = snapshot.apiRegion;
  if (!snapshot.endpoints.ok) return unknown(snapshot.endpoints.error);
  const chosen = snapshot.endpoint;
  if (!chosen) {
    const known = snapshot.endpoints.value.map((e) => e.id).join(", ") || "none";
    return fail(
      `no execute-api endpoint in ${region} is named by the API's endpoint configuration, its resource policy's aws:SourceVpce or the DNS record (endpoints there: ${known})`,
      `aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --service-name ${executeApiServiceName(region)} --vpc-id <api vpc> --subnet-ids <subnets> --security-group-ids <sg> --region ${region}, then name it in the API's resource policy (aws:SourceVpce)`,
    );
  }
  const e = chosen.facts;
  const how = { "api-configuration": "the API's endpoint configuration", "resource-policy": "the resource policy's aws:SourceVpce", "dns-record": "the DNS record" }[chosen.source];
  const shown = `${e.id}: ${e.state} in ${e.vpcId} (subnets ${e.subnetIds.join(", ")}; ${e.securityGroupIds.join(", ")}), named by ${how}`;
  if (e.state !== "available") {
    return fail(shown, e.state === "pendingacceptance" ? `aws ec2 accept-vpc-endpoint-connections --service-id <service> --vpc-endpoint-ids ${e.id} --region ${region}` : `wait until ${e.id} is available: aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${e.id} --region ${region} --query 'VpcEndpoints[0].State'`);
  }
  if (!e.policy || isFullAccess(e.policy)) return pass(`${shown}; endpoint policy: full access`);
  const verdict = evaluateCalls(ctx, e.policy);
  if (verdict.ok === null) return unknown(`${shown}; its custom endpoint policy: ${verdict.detail}`);
  if (verdict.ok) return pass(`${shown}; its custom endpoint policy ${verdict.detail}`);
  return fail(`${shown}; its custom endpoint policy ${verdict.detail}`, `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.id} --reset-policy --region ${region}`);
}

/** The API's resource policy: allows the call through this endpoint. */
export function judgeApiPolicy(ctx: PathContext): Judgement {
  const { snapshot } = ctx;
  const region = snapshot.apiRegion;
  if (!snapshot.api.ok) return apiMissing(snapshot);
  const api = snapshot.api.value;
  if (!api.endpointTypes.includes("PRIVATE")) {
    return fail(`${api.id} is ${api.endpointTypes.join(", ") || "not PRIVATE"}, not PRIVATE`, `aws apigateway update-rest-api --rest-api-id ${api.id} --patch-operations op=replace,path=/endpointConfiguration/types/${api.endpointTypes[0] ?? "REGIONAL"},value=PRIVATE --region ${region}`);
  }
  const vpce = snapshot.endpoint?.facts.id ?? "<vpce-id>";
  const deploy = `aws apigateway create-deployment --rest-api-id ${api.id} --stage-name ${snapshot.stage ?? "<stage>"} --region ${region}`;
  const allowOurs = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": vpce } } },
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
    ],
  });
  const fix = `aws apigateway update-rest-api --rest-api-id ${api.id} --patch-operations 'op=replace,path=/policy,value=${allowOurs}' --region ${region} && ${deploy} (a policy reaches callers with the next deployment)`;
  if (!api.policy) return fail(`${api.id} (PRIVATE) has no resource policy: a private API refuses every call until one allows it`, fix);
  const verdict = evaluateCalls(ctx, api.policy);
  const shown = `${api.id} (PRIVATE): ${verdict.detail}`;
  if (verdict.ok === null) return unknown(shown);
  return verdict.ok ? pass(shown) : fail(shown, fix);
}

/** The API stage exists and serves the method. */
export function judgeApiStage(ctx: PathContext): Judgement {
  const { snapshot } = ctx;
  const region = snapshot.apiRegion;
  if (!snapshot.api.ok) return apiMissing(snapshot);
  if (!snapshot.stages.ok) return unknown(snapshot.stages.error);
  const deploy = (stage: string) => `aws apigateway create-deployment --rest-api-id ${snapshot.apiId} --stage-name ${stage} --region ${region}`;
  const stages = snapshot.stage === undefined ? snapshot.stages.value : snapshot.stages.value.filter((s) => s.name === snapshot.stage);
  if (stages.length === 0) {
    const have = snapshot.stages.value.map((s) => s.name).join(", ") || "none";
    return fail(`${snapshot.apiId} has no stage ${snapshot.stage ?? ""} (stages: ${have})`.replace("  ", " "), deploy(snapshot.stage ?? "v1"));
  }
  const undeployed = stages.find((s) => !s.deploymentId);
  if (undeployed) return fail(`stage ${undeployed.name} has no deployment`, deploy(undeployed.name));
  if (!snapshot.methods.ok) return unknown(snapshot.methods.error);
  if (snapshot.methods.value.length === 0) return fail(`${snapshot.apiId} has no method: a deployment of it serves nothing`, "add a method to the API, then deploy it: " + deploy(stages[0]!.name));
  return pass(`${stages.map((s) => `${s.name}: deployment ${s.deploymentId}`).join("; ")}; methods ${snapshot.methods.value.map((m) => `${m.method} ${m.path}`).join(", ")}`);
}

function apiMissing(snapshot: PathSnapshot): Judgement {
  if (!snapshot.api.ok && /NotFoundException/.test(snapshot.api.error)) {
    return fail(`no REST API ${snapshot.apiId} in ${snapshot.apiRegion}`, `check --api-id and --api-region: aws apigateway get-rest-apis --region ${snapshot.apiRegion} --query 'items[].[id,name]'`);
  }
  return unknown(snapshot.api.ok ? "" : snapshot.api.error);
}

function isFullAccess(policy: string): boolean {
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return list.some((s: { Effect?: string; Action?: unknown; Resource?: unknown; Principal?: unknown; Condition?: unknown }) =>
      s?.Effect === "Allow" && s.Action === "*" && s.Resource === "*" && s.Principal === "*" && s.Condition === undefined) && !policy.includes('"Deny"');
  } catch {
    return false;
  }
}

/** The policy evaluated for every method of every stage in question, as a call through the endpoint. */
function evaluateCalls(ctx: PathContext, policy: string): Judgement {
  const { snapshot } = ctx;
  const endpoint = snapshot.endpoint?.facts;
  const values: Record<string, string> = {};
  if (endpoint) {
    values[SOURCE_KEYS.vpce] = endpoint.id;
    values[SOURCE_KEYS.vpc] = endpoint.vpcId;
    const owner = endpoint.ownerId ?? ctx.account;
    if (owner) values[SOURCE_KEYS.account] = owner;
  }
  const request: RequestContext = { values, known: new Set(Object.keys(values)) };
  const principals = ctx.fn.ok && ctx.fn.value.role ? [ctx.fn.value.role] : [];
  const stageNames = snapshot.stage !== undefined ? [snapshot.stage] : snapshot.stages.ok ? snapshot.stages.value.map((s) => s.name) : [];
  const methods: readonly MethodFacts[] = snapshot.methods.ok && snapshot.methods.value.length > 0 ? snapshot.methods.value : [{ path: "/", method: "GET" }];
  const stages = stageNames.length > 0 ? stageNames : ["*"];
  const decisions: { call: string; decision: PolicyDecision }[] = [];
  for (const stage of stages) {
    for (const m of methods) {
      const verb = m.method === "ANY" ? "GET" : m.method;
      const arn = `arn:${snapshot.partition}:execute-api:${snapshot.apiRegion}:${ctx.account ?? "*"}:${snapshot.apiId}/${stage}/${verb}/${m.path.replace(/^\//, "")}`;
      const call: ApiCall = { arn, action: "execute-api:Invoke", principals, request };
      decisions.push({ call: `${verb} ${m.path} on ${stage}`, decision: evaluatePolicy(policy, call) });
    }
  }
  const through = endpoint ? ` through ${endpoint.id}` : " (the endpoint is not known)";
  const denied = decisions.find((d) => d.decision.allowed === false);
  if (denied) return fail(`${denied.call}${through} is ${denied.decision.reason}`, "");
  const open = decisions.find((d) => d.decision.allowed === null);
  if (open) return unknown(`${open.call}${through}: ${open.decision.reason}`);
  const first = decisions[0]!;
  return pass(`${decisions.map((d) => d.call).join(", ")}${through}: ${first.decision.reason}`);
}
