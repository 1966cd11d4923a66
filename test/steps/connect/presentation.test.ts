// The plan in words: the user's resources that will carry our additions, what is not touched, and a kept
// slot someone removed from the user's table, named.
import { describe, expect, it } from "vitest";
import { halfPathPlanner } from "../../helpers/connect-plan.js";
import { A, API_ID, B, peering, VPCE } from "../../helpers/connect-snapshots.js";

const plan = halfPathPlanner();

describe("the plan's words", () => {
  it("names the user's resources that will carry our additions, and what it will not touch", async () => {
    const p = await plan();
    expect(p.carriers).toEqual([
      { id: "vpc-0b", region: B, kind: "VPC", additions: ["a peering connection to vpc-0a", `the private zone ${API_ID}.execute-api.${A}…`, "the probe function's network interfaces and security group"] },
      { id: "rtb-0client", region: B, kind: "route table", additions: ["route 10.10.0.0/23"] },
      { id: "sg-0fn", region: B, kind: "security group", additions: ["egress TCP 443 → 10.10.0.0/23"] },
      { id: "rtb-0api", region: A, kind: "route table", additions: ["route 10.20.0.0/23"] },
      { id: "sg-0vpce", region: A, kind: "security group", additions: ["ingress TCP 443 ← 10.20.0.0/23"] },
    ]);
    expect(p.untouched).toEqual(expect.arrayContaining([`the API ${API_ID} (${A}), its stages and its resource policy`, `the endpoint ${VPCE} and its policy`, "the network ACLs of both VPCs", "the function demo-client"]));
  });

  it("a kept route that someone removed from the table is named (CloudFormation will not put it back)", async () => {
    const p = await plan((h) => (h.peerings = [peering("pcx-0f1e2d3c4b")]), {}, {
      owned: { client: { status: "CREATE_COMPLETE", parameters: { ClientRoute1Table: "rtb-0client", ClientRoute1Destination: "10.10.0.0/23", PeeringConnectionId: "" }, outputs: { PeeringConnectionId: "pcx-0f1e2d3c4b" } }, api: undefined },
    });
    expect(p.notes).toContain("ClientRoute1 (rtb-0client 10.10.0.0/23) is in our stack but no longer on rtb-0client: something removed it (the owner's IaC?); run disconnect, then connect, to put it back.");
  });
});
