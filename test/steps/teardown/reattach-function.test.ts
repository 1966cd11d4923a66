// deploy putting back a client function that a stopped teardown took out of its VPC (reattach-function.ts),
// on the scripted Lambda and CloudFormation timelines teardown's release is tested on.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStage } from "../../../src/steps/deploy/deploy-stage.js";
import { CLIENT_RESOURCES, FUNCTION, GROUP, lambdaError, SUBNETS, VPC } from "../../helpers/function-network-timeline.js";
import { CLIENT_REGION, FIXTURES, harness, sequence, STAGE_2 } from "../../helpers/engine-harness.js";

type Harness = ReturnType<typeof harness>;
const notes = (h: Harness) => h.events.flatMap((e) => (e.kind === "info" ? [e.message] : []));

describe("an unchanged deploy of stage 2 puts back a function a stopped teardown took out of its VPC", () => {
  const PARAMS_2 = { DeploymentName: "demo", ApiVpcId: "vpc-0a1" };
  const template = () => readFileSync(join(FIXTURES, "2-client.yaml"), "utf8");

  function detachedEarlier(h: Harness) {
    h.cfn.stack("demo-client", { status: "UPDATE_COMPLETE", resources: CLIENT_RESOURCES, changeSet: "empty", outputs: { VpcId: VPC, FunctionName: FUNCTION } });
    h.net.fn = { state: "Active", lastUpdateStatus: "Successful", vpcId: "" };
  }

  it("re-attaches it with the stack's subnets and group, waits for Successful, and says so", async () => {
    const h = harness();
    detachedEarlier(h);
    const result = await runStage(h.ctx, STAGE_2, PARAMS_2, template());

    expect(result).toMatchObject({ kind: "no-op", outputs: { VpcId: VPC } });
    expect(h.net.calls.filter((c) => c.command === "UpdateFunctionConfiguration").map((c) => c.input)).toEqual([
      { FunctionName: FUNCTION, VpcConfig: { SubnetIds: SUBNETS, SecurityGroupIds: [GROUP] } },
    ]);
    expect(h.net.fn).toMatchObject({ vpcId: VPC, lastUpdateStatus: "Successful" });
    expect(notes(h)).toEqual([
      `${FUNCTION} is out of its VPC (a teardown stopped after detaching it, or it was changed by hand): putting it back in ${SUBNETS.join(", ")} with ${GROUP}.`,
      `${FUNCTION} is back in its VPC.`,
    ]);
    // Polled until Lambda finished, and only then the stage ends.
    const seq = sequence(h.events);
    expect(seq.lastIndexOf("info")).toBeLessThan(seq.indexOf("stage-finished:2:no-op"));
    expect(h.net.count("GetFunctionConfiguration")).toBe(4);
  });

  it("leaves a function in its VPC alone", async () => {
    const h = harness();
    detachedEarlier(h);
    h.net.fn = { state: "Active", lastUpdateStatus: "Successful", vpcId: VPC };
    expect(await runStage(h.ctx, STAGE_2, PARAMS_2, template())).toMatchObject({ kind: "no-op" });
    expect(h.net.count("UpdateFunctionConfiguration")).toBe(0);
    expect(notes(h)).toEqual([]);
  });

  it("fails the stage with the command that puts it back when Lambda refuses", async () => {
    const h = harness();
    detachedEarlier(h);
    h.net.failNext("UpdateFunctionConfiguration", lambdaError("AccessDeniedException", `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: lambda:UpdateFunctionConfiguration on resource: ${FUNCTION}`, 403));
    const result = await runStage(h.ctx, STAGE_2, PARAMS_2, template());

    expect(result).toMatchObject({ kind: "failed" });
    expect(result.kind === "failed" && result.message).toMatch(
      new RegExp(`could not be put back in its VPC \\(AccessDeniedException.*\\)\\. Put it back yourself: aws lambda update-function-configuration --region ${CLIENT_REGION} --function-name ${FUNCTION} --vpc-config SubnetIds=${SUBNETS.join(",")},SecurityGroupIds=${GROUP}$`),
    );
  });
});
