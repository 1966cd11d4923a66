// deploy repairing a teardown that stopped half-way: the client function put back in its VPC.
import { guarded } from "../../aws/errors.js";
import { attachToVpc, functionVpcState, type FunctionVpcState } from "../../aws/function.js";
import { type EngineContext, info } from "../context.js";
import type { StageRef } from "../events.js";
import { DETACH_LIMIT_MS, type FunctionJob, updateDone } from "./function-vpc.js";
import { type ClientPlace, clientPlace } from "./release-interfaces.js";

/** What a no-op deploy of the client stage found: the function in its VPC, put back in it, not put back, or not checked. */
export type Reattached =
  | { readonly kind: "in-place" }
  | { readonly kind: "reattached"; readonly functionName: string }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "unchecked"; readonly message: string };

/**
 * A teardown stopped after the detach leaves the function out of its VPC, which CloudFormation does not
 * see (its template still says the VPC): an unchanged deploy puts it back in the stack's subnets with the
 * stack's security group and waits for Lambda to finish (LastUpdateStatus Successful).
 */
export async function reattachClientFunction(ctx: EngineContext, ref: StageRef): Promise<Reattached> {
  const read = await guarded<{ place: ClientPlace | undefined; fn: FunctionVpcState | undefined } | { refused: string }>(async () => {
    const place = await clientPlace(ctx.clients, ref);
    const fn = place?.functionName ? await functionVpcState(ctx.clients.lambda(ref.region), place.functionName) : undefined;
    return { place, fn };
  }, (refused) => ({ refused }));
  if ("refused" in read) return { kind: "unchecked", message: `Could not check that the client function is in its VPC: ${read.refused}` };
  const { place, fn } = read;
  const functionName = place?.functionName;
  if (!place || !functionName || !fn || place.subnetIds.length === 0 || fn.vpcId === place.owner.vpcId) return { kind: "in-place" };
  const { owner, subnetIds } = place;
  info(ctx, ref,
    `${functionName} is out of its VPC (a teardown stopped after detaching it, or it was changed by hand): ` +
      `putting it back in ${subnetIds.join(", ")} with ${owner.groupIds.join(", ")}.`);
  const command = `aws lambda update-function-configuration --region ${ref.region} --function-name ${functionName} --vpc-config SubnetIds=${subnetIds.join(",")},SecurityGroupIds=${owner.groupIds.join(",")}`;
  const failed = (why: string): Reattached => ({ kind: "failed", message: `${functionName} could not be put back in its VPC (${why}). Put it back yourself: ${command}` });
  const job: FunctionJob = { ctx, ref, signal: ctx.signal, functionName, owner, lambda: ctx.clients.lambda(ref.region), ec2: ctx.clients.ec2(ref.region), polls: 0 };
  const refused = await guarded<string | undefined>(() => attachToVpc(job.lambda, functionName, subnetIds, owner.groupIds).then(() => undefined), (reason) => reason);
  if (refused) return failed(refused);
  const updated = await updateDone(job, DETACH_LIMIT_MS);
  if (updated.kind === "aborted") return failed("cancelled while Lambda was applying it; it may still finish");
  if (updated.kind === "gone") return failed("the function no longer exists");
  if (updated.kind === "not-possible") return failed(updated.reason);
  info(ctx, ref, `${functionName} is back in its VPC.`);
  return { kind: "reattached", functionName };
}
