// Turns a failed sample, or a function Lambda will not run, into "which layer failed and what to check".
// Pure: the advice names the stage that owns the fix, so the reader knows which template or stack to look at.
import { describeAwsError } from "../../aws/errors.js";
import type { FunctionStatus } from "../../aws/function.js";
import type { ClientAnswer, VerifyReport, VerifySample } from "./client-answer.js";
import { overlapOf, parseCidr } from "../../net/index.js";

/** A failure explained: where it broke, why, and what to check. */
export type Diagnosis = NonNullable<VerifyReport["failure"]>;

const PEERING_PATH =
  "the client VPC's route to the API VPC range through the peering connection (stage 2, client), " +
  "the API VPC's route back to the client range (stage 3, routes), " +
  "the endpoint security group allowing 443 from the client range (stage 1, api), " +
  "and the peering connection being active";

/**
 * `apiCidr` is the API VPC's range: the endpoint's addresses live there, so anything else the name
 * resolved to proves the client VPC is not using our private hosted zone.
 */
export function diagnoseSample(sample: VerifySample, apiCidr: string): Diagnosis | undefined {
  if (sample.kind === "unexpected") return unexpected(sample.detail);
  const answer = sample.answer;
  if (answer.ok || answer.error === null) return undefined;
  const { layer, message } = answer.error;
  const host = hostOf(answer.url);
  const addresses = resolvedNote(answer, apiCidr);
  switch (layer) {
    case "dns":
      return {
        layer,
        message,
        advice:
          `${host} did not resolve to the API's endpoint${addresses}. Check the private hosted zone for ` +
          `${host} (stage 2, client) exists and is associated with the client VPC, and that the VPC has ` +
          "DNS support and DNS hostnames enabled.",
      };
    case "connect":
      return {
        layer,
        message,
        advice: `No TCP connection to ${host}:443${addresses}. Check ${PEERING_PATH}.`,
      };
    case "tls":
      return {
        layer,
        message,
        advice:
          `The TLS handshake with ${host} failed. The client must call the API's default hostname ` +
          `({apiId}.execute-api.{region}.${urlSuffixOf(host)}): the endpoint's certificate covers that name only.`,
      };
    case "http":
      return { layer, message: httpMessage(answer, message), advice: httpAdvice(answer) };
    case "timeout":
      return {
        layer,
        message,
        advice:
          `No answer from ${host} in time${addresses}. Packets dropped silently usually mean a missing ` +
          `route or security group rule: check ${PEERING_PATH}. Otherwise raise the function's timeout.`,
      };
  }
}

/** Why Invoke itself failed (permissions, throttling, the function), as a diagnosis. */
export function diagnoseInvokeError(error: unknown, functionName: string, region: string): Diagnosis {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "ResourceNotFoundException") {
    return { layer: "invoke", message, advice: `The function ${functionName} does not exist in ${region}: run deploy first.` };
  }
  if (name === "AccessDeniedException") {
    return { layer: "invoke", message, advice: `Your identity needs lambda:InvokeFunction on ${functionName} in ${region}.` };
  }
  return { layer: "invoke", message: describeAwsError(error), advice: `Invoking ${functionName} in ${region} failed; retry, or check the function in the Lambda console.` };
}

/** One line on where the function stands: its state, and the reasons Lambda gives when it is not ready. */
export function describeFunction(status: FunctionStatus): string {
  const why = (code: string | undefined, reason: string | undefined) =>
    code || reason ? ` (${[code, reason].filter(Boolean).join(": ")})` : "";
  const state = `State ${status.state}${status.state === "Active" ? "" : why(status.stateReasonCode, status.stateReason)}`;
  if (status.lastUpdateStatus === undefined) return state;
  const update = status.lastUpdateStatus === "Successful" ? "" : why(status.lastUpdateStatusReasonCode, status.lastUpdateStatusReason);
  return `${state}, LastUpdateStatus ${status.lastUpdateStatus}${update}`;
}

// What to do about each StateReasonCode a VPC function can fail with (Lambda API reference, StateReasonCode).
const FIX: Readonly<Record<string, string>> = {
  SubnetOutOfIPAddresses:
    "The client subnets have no free addresses for Lambda's network interfaces: free some, or deploy with a larger --client-cidr.",
  InvalidSubnet: "A subnet of the function no longer exists or cannot be used: deploy stage 2 (client) again.",
  InvalidSecurityGroup: "The function's security group no longer exists or cannot be used: deploy stage 2 (client) again.",
  EniLimitExceeded:
    "The account reached its network interface quota in this region: remove unused interfaces or ask for a higher quota (Service Quotas, Amazon VPC), then deploy again.",
  InsufficientRolePermissions:
    "The function's role may not manage network interfaces: check that it still has AWSLambdaVPCAccessExecutionRole (stage 2, client).",
};

/** A function Lambda could not make ready (State Failed), or whose last update failed. */
export function functionFailed(status: FunctionStatus): Diagnosis {
  const where = `${status.functionName} in ${status.region}`;
  if (status.state !== "Failed") {
    const fix = FIX[status.lastUpdateStatusReasonCode ?? ""] ?? "Fix the cause Lambda gives and deploy again.";
    return {
      layer: "function",
      message: `the last update of ${where} failed: ${describeFunction(status)}`,
      advice: `Lambda keeps running the function's previous configuration. ${fix}`,
    };
  }
  const fix = FIX[status.stateReasonCode ?? ""] ?? "Fix the cause Lambda gives.";
  return {
    layer: "function",
    message: `Lambda could not make ${where} ready: ${describeFunction(status)}`,
    // AWS: "When function creation fails, Lambda sets the function state to failed, and you must delete and
    // recreate the function."
    advice: `${fix} A function in the Failed state must be created again: run teardown, then deploy.`,
  };
}

/** An inactive function Lambda could not bring back (it went Inactive again). */
export function functionNotRestored(status: FunctionStatus): Diagnosis {
  return {
    layer: "function",
    message: `Lambda could not restore the inactive function ${status.functionName} in ${status.region}: ${describeFunction(status)}`,
    advice: `${FIX[status.stateReasonCode ?? ""] ?? "Fix the cause Lambda gives."} Then run verify again; if it stays Inactive, deploy stage 2 (client) again.`,
  };
}

/** Still not ready when the wait's limit ran out. */
export function functionTimedOut(status: FunctionStatus, limit: number): Diagnosis {
  return {
    layer: "function",
    message: `${status.functionName} in ${status.region} was still not ready after ${span(limit)}: ${describeFunction(status)}`,
    advice: "Lambda is still preparing the function (usually its network interfaces in the client subnets). Run verify again in a few minutes; if it stays Pending, look at the function in the Lambda console.",
  };
}

function span(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/** Ctrl-C during the wait. */
export function functionCancelled(status: FunctionStatus): Diagnosis {
  return {
    layer: "function",
    message: `cancelled while waiting for ${status.functionName} to be ready: ${describeFunction(status)}`,
    advice: "Run verify again once the function is Active.",
  };
}

/** Why reading the function's state failed, and what to do. */
export function diagnoseFunctionReadError(error: unknown, functionName: string, region: string): Diagnosis {
  const name = error instanceof Error ? error.name : "";
  const where = `${functionName} in ${region}`;
  if (name === "ResourceNotFoundException") {
    return { layer: "function", message: describeAwsError(error), advice: `The function ${where} does not exist: run deploy first.` };
  }
  if (name === "AccessDeniedException") {
    return { layer: "function", message: describeAwsError(error), advice: `Your identity needs lambda:GetFunctionConfiguration on ${where}.` };
  }
  return { layer: "function", message: describeAwsError(error), advice: `Reading the state of ${where} failed; retry, or check the function in the Lambda console.` };
}

function unexpected(detail: string): Diagnosis {
  if (/Task timed out/i.test(detail)) {
    return {
      layer: "timeout",
      message: detail,
      advice:
        `The function hit its own timeout before the call finished. A silent drop is the usual cause: check ${PEERING_PATH}. ` +
        "Otherwise raise the function's timeout (stage 2, client).",
    };
  }
  return {
    layer: "unexpected",
    message: detail,
    advice:
      "The function did not return the answer verify expects. Check its CloudWatch logs " +
      "and that stage 2 (client) was deployed from this version's template.",
  };
}

// The client's own message usually names the status already; say it once.
function httpMessage(answer: ClientAnswer, message: string): string {
  return answer.status === null || message.includes(String(answer.status)) ? message : `HTTP ${answer.status}: ${message}`;
}

function httpAdvice(answer: ClientAnswer): string {
  const body = answer.body ?? "";
  if (answer.status === null) {
    return "The client never got an HTTP answer: check its API_URL (stage 2, client) is the API's https URL, and its logs.";
  }
  if (answer.status === 403 && body.includes("Missing Authentication Token")) {
    return "API Gateway has no such resource or stage: check the path and stage name in the client's URL (stage 2) against the API's outputs (stage 1).";
  }
  if (answer.status === 403) {
    return (
      "API Gateway refused the call: check the API's resource policy allows execute-api:Invoke only with " +
      "aws:SourceVpce equal to the API VPC's endpoint (stage 1, api), and that the call went through the endpoint " +
      "(the hostname resolved to private addresses). Callers get the policy of the stage's deployment, not the one " +
      `set since ("If you update the resource policy, you'll need to deploy the API", API Gateway): ${redeployAdvice(answer.url)}`
    );
  }
  return `The API answered ${answer.status ?? "without a status"}; its body says: ${excerpt(body, 300)}`;
}

// The client calls https://{apiId}.execute-api.{region}.{suffix}/{stage}/…: the URL names what to redeploy.
function redeployAdvice(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const api = parsed && /^([a-z0-9]{10})\.execute-api\.([a-z0-9-]+)\./.exec(parsed.hostname);
  const stage = parsed?.pathname.split("/")[1];
  const then = "when doctor's api-policy hop passes, the policy as set allows the call and the stage still serves an older deployment";
  if (!api || !stage) return `${then}: deploy the API's stage again.`;
  return `${then}: aws apigateway create-deployment --rest-api-id ${api[1]} --stage-name ${decodeURIComponent(stage)} --region ${api[2]}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "the API hostname";
  }
}

// The partition's URL suffix as the called hostname spells it (template 2 builds it from
// ${AWS::URLSuffix}); a hostname of another shape says nothing about the partition.
function urlSuffixOf(host: string): string {
  return /\.execute-api\.[a-z0-9-]+\.(amazonaws\.[a-z.]+)$/.exec(host)?.[1] ?? "amazonaws.com, amazonaws.com.cn in China";
}

function resolvedNote(answer: ClientAnswer, apiCidr: string): string {
  const addresses = answer.resolvedAddresses;
  if (addresses.length === 0) return "";
  const list = addresses.join(", ");
  const api = parseCidr(apiCidr);
  const outside = addresses.filter((a) => {
    const host = parseCidr(`${a}/32`);
    return api !== undefined && (host === undefined || overlapOf(api, host) === undefined);
  });
  if (outside.length > 0) {
    return ` (it resolved to ${list}, outside the API VPC range ${apiCidr}: the client VPC is not using the private hosted zone)`;
  }
  return ` (it resolved to ${list})`;
}

/** At most `max` characters of text, on one line, for messages. */
export function excerpt(text: string, max = 200): string {
  if (text === "") return "(empty)";
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
