// endpoint, api-policy and api-stage: the API's execute-api endpoint is available (and its own policy,
// if custom, lets the call through); the API is PRIVATE and its resource policy, evaluated for a call
// through that endpoint, allows every method; the stage exists with a deployment.
//
// Who the call is: the client sends no SigV4 signature, and API Gateway judges an unsigned request as the
// anonymous caller ("User: anonymous is not authorized to perform: execute-api:Invoke", its 403 body in
// ASFHyP3/hyp3#2283 and aws-samples/aws-cross-account-private-api-demo#1; with no authorization type
// the resource policy alone decides, "How API Gateway resource policies affect authorization workflow").
// Only Principal "*" (or {"AWS": "*"}) admits that caller, in the resource policy as in a custom endpoint
// policy. A method whose authorization is AWS_IAM lets no unsigned call in, so whatever gets through it
// signs: it is judged as the function's role.
//
// The policy judged is the one GetRestApi answers, as set now; callers get the policy of the stage's
// deployment ("If you update the resource policy, you'll need to deploy the API", API Gateway Developer
// Guide, apigateway-resource-policies-create-attach). The API says nothing of when its policy last
// changed, so the verdict says which policy it is about and how to make callers see it.
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
  const how = { "api-configuration": "the API's endpoint configuration", "resource-policy": "the resource policy's aws:SourceVpce", "dns-record": "the DNS record", option: "--endpoint" }[chosen.source];
  const shown = `${e.id}: ${e.state} in ${e.vpcId} (subnets ${e.subnetIds.join(", ")}; ${e.securityGroupIds.join(", ")}), named by ${how}`;
  if (e.state !== "available") {
    return fail(shown, e.state === "pendingacceptance" ? `aws ec2 accept-vpc-endpoint-connections --service-id <service> --vpc-endpoint-ids ${e.id} --region ${region}` : `wait until ${e.id} is available: aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${e.id} --region ${region} --query 'VpcEndpoints[0].State'`);
  }
  if (!e.policy || isFullAccess(e.policy)) return pass(`${shown}; endpoint policy: full access`);
  const verdict = evaluateCalls(ctx, e.policy);
  const judged = `${shown}; its custom endpoint policy: ${verdict.detail}`;
  if (verdict.ok === null) return unknown(judged);
  if (verdict.ok) return pass(judged);
  return fail(judged, `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.id} --reset-policy --region ${region}`);
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
  const stages = snapshot.stages.ok ? snapshot.stages.value.map((s) => s.name) : [];
  const stage = snapshot.stage ?? (stages.length === 1 ? stages[0] : undefined) ?? "<stage>";
  const deploy = `aws apigateway create-deployment --rest-api-id ${api.id} --stage-name ${stage} --region ${region}`;
  const allowOurs = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": vpce } } },
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
    ],
  });
  // The patch in the CLI's JSON form: its shorthand (op=…,value=…) splits the policy at its commas.
  const patch = JSON.stringify([{ op: "replace", path: "/policy", value: allowOurs }]);
  const fix = `aws apigateway update-rest-api --rest-api-id ${api.id} --patch-operations '${patch}' --region ${region} && ${deploy}`;
  const redeployNote = "a new policy reaches callers with the next deployment";
  if (!api.policy) return fail(`${api.id} (PRIVATE) has no resource policy: a private API refuses every call until one allows it; ${redeployNote}`, fix);
  const verdict = evaluateCalls(ctx, api.policy);
  const shown = `${api.id} (PRIVATE), its resource policy as set: ${verdict.detail}`;
  if (verdict.ok === null) return unknown(shown);
  if (!verdict.ok) return fail(`${shown}; ${redeployNote}`, fix);
  return pass(`${shown}; callers get it once a deployment carries it: if calls still get 403, redeploy: ${deploy}`);
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
  const stageNames = snapshot.stage !== undefined ? [snapshot.stage] : snapshot.stages.ok ? snapshot.stages.value.map((s) => s.name) : [];
  const methods: readonly MethodFacts[] = snapshot.methods.ok && snapshot.methods.value.length > 0 ? snapshot.methods.value : [{ path: "/", method: "GET", authorization: undefined }];
  const stages = stageNames.length > 0 ? stageNames : ["*"];
  const decisions: { call: string; caller: string; decision: PolicyDecision }[] = [];
  for (const stage of stages) {
    for (const m of methods) {
      const verb = m.method === "ANY" ? "GET" : m.method;
      const arn = `arn:${snapshot.partition}:execute-api:${snapshot.apiRegion}:${ctx.account ?? "*"}:${snapshot.apiId}/${stage}/${verb}/${m.path.replace(/^\//, "")}`;
      const caller = callerOf(ctx, m);
      const decision: PolicyDecision = caller.principals
        ? evaluatePolicy(policy, { arn, action: "execute-api:Invoke", principals: caller.principals, request } satisfies ApiCall)
        : { allowed: null, outcome: "unknown", statement: undefined, reason: caller.text };
      decisions.push({ call: `${verb} ${m.path} on ${stage}`, caller: caller.text, decision });
    }
  }
  const through = endpoint ? ` through ${endpoint.id}` : " (the endpoint is not known)";
  const as = (d: (typeof decisions)[number]) => `${d.call}${through}, ${d.caller}`;
  const denied = decisions.find((d) => d.decision.allowed === false);
  if (denied) return fail(`${as(denied)}, is ${denied.decision.reason}`, "");
  const open = decisions.find((d) => d.decision.allowed === null);
  if (open) return unknown(`${as(open)}: ${open.decision.reason}`);
  const callers = [...new Set(decisions.map((d) => d.caller))];
  const calls = callers.length === 1 ? `${decisions.map((d) => d.call).join(", ")}${through}, ${callers[0]}` : decisions.map(as).join("; ");
  return pass(`${calls}: ${decisions[0]!.decision.reason}`);
}

/** Who API Gateway sees calling the method: the anonymous caller, or for AWS_IAM the function's role. */
function callerOf(ctx: PathContext, method: MethodFacts): { principals: readonly string[] | undefined; text: string } {
  if (method.authorization !== "AWS_IAM") return { principals: [], text: "unsigned (the anonymous caller)" };
  if (!ctx.fn.ok || !ctx.fn.value.role) return { principals: undefined, text: "the method needs a signed call (AWS_IAM) and the function's role could not be read" };
  return { principals: [ctx.fn.value.role], text: `signed by ${ctx.fn.value.role} (the method's authorization is AWS_IAM)` };
}
