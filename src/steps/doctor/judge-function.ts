// The first two hops: the function itself (exists, Active, in a VPC) and what the client VPC's resolver
// answers for the API's hostname (DNS attributes, the most specific private zone, its record's target).
import { answerFor, normalName } from "../../net/private-zones.js";
import { fail, pass, unknown, type Judgement } from "./doctor.js";
import type { PathContext } from "./path-context.js";

/** The client function: in its VPC, ready to invoke. */
export function judgeFunction({ snapshot }: PathContext): Judgement {
  const region = snapshot.clientRegion;
  if (!snapshot.fn.ok) {
    if (/ResourceNotFoundException/.test(snapshot.fn.error)) {
      return fail(`no function found in ${region}: ${snapshot.fn.error}`, `check the name and --client-region: aws lambda list-functions --region ${region} --query 'Functions[].FunctionName'`);
    }
    return unknown(snapshot.fn.error);
  }
  const f = snapshot.fn.value;
  if (!f.vpcId || f.subnetIds.length === 0) {
    return fail(
      `${f.name} is not attached to a VPC: it cannot reach a private API over peering`,
      `aws lambda update-function-configuration --function-name ${f.name} --vpc-config SubnetIds=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg> --region ${region}`,
    );
  }
  const where = `${f.vpcId}, subnets ${f.subnetIds.join(", ")}, security groups ${f.securityGroupIds.join(", ") || "none"}`;
  // A client given as a network (connect --client-vpc) has no Lambda state: its place is all there is to judge.
  if (f.arn === "") return pass(`${f.name}: subnets ${f.subnetIds.join(", ")}, security groups ${f.securityGroupIds.join(", ") || "none"}`);
  if (f.state !== undefined && f.state !== "Active") {
    const why = f.stateReason ? ` (${f.stateReason})` : "";
    const fix =
      f.state === "Inactive"
        ? `invoke it once to wake it, then wait for Active: aws lambda wait function-active-v2 --function-name ${f.name} --region ${region}`
        : f.state === "Pending"
          ? `wait for Active: aws lambda wait function-active-v2 --function-name ${f.name} --region ${region}`
          : `read the reason, fix the function's configuration and update it: aws lambda get-function-configuration --function-name ${f.name} --region ${region}`;
    return fail(`${f.name} is ${f.state}${why}; ${where}`, fix);
  }
  if (f.lastUpdateStatus === "Failed") {
    return fail(`${f.name}'s last update failed; ${where}`, `aws lambda get-function-configuration --function-name ${f.name} --region ${region} --query LastUpdateStatusReason`);
  }
  return pass(`${f.name}: ${f.state ?? "Active"}, last update ${f.lastUpdateStatus ?? "Successful"}; ${where}`);
}

/** The API hostname resolves, in the client's VPC, to the endpoint's addresses. */
export function judgeDns(ctx: PathContext): Judgement {
  const { snapshot } = ctx;
  const host = snapshot.hostname;
  if (!ctx.clientSide.ok) return unknown(`cannot check DNS: ${ctx.clientSide.why}`);
  const side = ctx.clientSide.value;
  const region = snapshot.clientRegion;
  if (!side.vpc.ok) return unknown(side.vpc.error);
  for (const [attribute, read] of [["enableDnsSupport", side.vpc.value.dnsSupport], ["enableDnsHostnames", side.vpc.value.dnsHostnames]] as const) {
    if (!read.ok) return unknown(read.error);
    if (!read.value) {
      return fail(
        `${side.vpcId} has ${attribute} off: private hosted zones need enableDnsSupport and enableDnsHostnames`,
        `aws ec2 modify-vpc-attribute --vpc-id ${side.vpcId} --${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} '{"Value":true}' --region ${region}`,
      );
    }
  }
  if (!snapshot.zones) return unknown("the private hosted zones could not be read");
  if (!snapshot.zones.ok) return unknown(snapshot.zones.error);
  const zone = snapshot.zone;
  const endpoint = snapshot.endpoint?.facts;
  const target = endpoint?.dnsEntries[0];
  // Route 53 is global, but the CLI still needs a region to pick its partition's endpoint: the client's.
  const recordFix = (zoneId: string) =>
    target
      ? `aws route53 change-resource-record-sets --hosted-zone-id ${zoneId} --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"${host}","Type":"A","AliasTarget":{"HostedZoneId":"${target.hostedZoneId}","DNSName":"${target.name}","EvaluateTargetHealth":false}}}]}' --region ${region}`
      : `point ${host} in zone ${zoneId} at the API's execute-api endpoint (an alias A record to its regional DNS name)`;
  if (!zone) {
    return fail(
      `no private hosted zone associated with ${side.vpcId} covers ${host}: it resolves through public DNS, not to the endpoint`,
      `aws route53 create-hosted-zone --name ${host} --vpc VPCRegion=${region},VPCId=${side.vpcId} --caller-reference doctor-$(date +%s) --region ${region}, then add the record: ${recordFix("<new zone id>")}`,
    );
  }
  const zoneText = `zone ${zone.id} (${normalName(zone.name)})`;
  if (!snapshot.records) return unknown(`${zoneText}: its records could not be read`);
  if (!snapshot.records.ok) return unknown(snapshot.records.error);
  const answer = answerFor(snapshot.records.value, host, zone.name);
  if (answer.kind === "nxdomain" || answer.kind === "nodata") {
    const what = answer.kind === "nxdomain" ? "NXDOMAIN: it has no record" : `no A record (only ${answer.types.join(", ") || "names below it"})`;
    return fail(`${zoneText} is the most specific private zone for ${host} and answers ${what} for it (no fall-back to public DNS)`, recordFix(zone.id));
  }
  if (answer.kind === "address") {
    const addresses = snapshot.endpointAddresses;
    if (!addresses?.ok) return unknown(`${zoneText}: ${host} A ${answer.record.values.join(", ")}; the endpoint's addresses are not known to compare`);
    const stray = answer.record.values.filter((v) => !addresses.value.includes(v));
    const shown = `${zoneText}: ${host} A ${answer.record.values.join(", ")}`;
    return stray.length === 0 ? pass(`${shown} (the endpoint's addresses)`) : fail(`${shown}: ${stray.join(", ")} are not ${endpoint?.id ?? "the endpoint"}'s addresses (${addresses.value.join(", ")})`, recordFix(zone.id));
  }
  const pointsAt = answer.kind === "alias" ? answer.record.alias?.dnsName ?? "" : answer.record.values[0] ?? "";
  const shown = `${zoneText}: ${host} ${answer.kind === "alias" ? "A alias" : "CNAME"} → ${normalName(pointsAt)}`;
  if (!endpoint) return unknown(`${shown}; which endpoint is the API's is not known to compare`);
  const matches = endpoint.dnsEntries.some((d) => normalName(d.name) === normalName(pointsAt).replace(/^dualstack\./, ""));
  return matches ? pass(`${shown} (${endpoint.id})`) : fail(`${shown}: not a DNS name of ${endpoint.id}, the API's endpoint`, recordFix(zone.id));
}
