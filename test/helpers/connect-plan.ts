// connect's planner on doctor's snapshots of a half path (connect-snapshots.ts), as its tests call it: one
// client region's options, no quota counts and no stack of ours unless a test gives them.
import { afterAll, beforeEach } from "vitest";
import type { AwsClients } from "../../src/aws/clients.js";
import type { PathQuery } from "../../src/aws/path-snapshot.js";
import { planConnect, type ConnectFacts } from "../../src/steps/connect/plan.js";
import type { ConnectOptions, ConnectPlan, OwnedStacks, QuotaCounts } from "../../src/steps/connect/types.js";
import { testClients } from "./aws-fixtures.js";
import { A, API_ID, B, FUNCTION_QUERY, halfSnapshot, type HalfPath } from "./connect-snapshots.js";

export const OPTIONS: ConnectOptions = { name: "orders", apiRegion: A, apiId: API_ID, stage: undefined, endpointId: undefined, clientRegion: B, client: { kind: "function", name: "demo-client" }, peering: "auto", probe: true };
export const NO_COUNTS: QuotaCounts = { peerings: {}, routes: {}, rules: {}, otherInterfaces: {} };
const NOTHING_OURS: OwnedStacks = { client: undefined, api: undefined };

/** A stack's parameters without the empty ones (the slots left free). */
export const filled = (parameters: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== ""));

export type Planner = (change?: (h: HalfPath) => void, options?: Partial<ConnectOptions>, more?: Partial<Omit<ConnectFacts, "snapshot">>, query?: PathQuery) => Promise<ConnectPlan>;

/** The plan of the half path with `change` made to it; fresh SDK clients for each test of the calling file. */
export function halfPathPlanner(): Planner {
  let clients: AwsClients | undefined;
  beforeEach(() => {
    clients?.destroy();
    clients = testClients();
  });
  afterAll(() => clients?.destroy());
  return async (change = () => {}, options = {}, more = {}, query = FUNCTION_QUERY) => {
    const snapshot = await halfSnapshot(clients!, change, query);
    return planConnect({ ...OPTIONS, ...options }, { snapshot, counts: more.counts ?? NO_COUNTS, owned: more.owned ?? NOTHING_OURS });
  };
}
