// Security groups as AWS evaluates them: stateful (an admitted connection's answers pass by themselves),
// allow-only (no deny rules), and the union of every rule of every group on the interface. Rules name
// CIDR blocks, managed prefix lists (their ranges are not read here: "cannot check") or other groups,
// which cannot match traffic from a peer VPC in another region.
import { EMPTY, intersect, isEmpty, parseBlock, subtract, union, type AddressSet } from "./address-set.js";

/** One security group rule as EC2 describes it. */
export interface SgRule {
  /** "-1" (all), or a name or number: "tcp"/"6", "udp"/"17", "icmp"/"1". */
  readonly protocol: string;
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly cidrs: readonly string[];
  readonly prefixListIds: readonly string[];
  readonly groupIds: readonly string[];
}

/** A security group: its ingress and egress rules. */
export interface SecurityGroup {
  readonly id: string;
  readonly ingress: readonly SgRule[];
  readonly egress: readonly SgRule[];
}

/** A connection as a security group sees it: protocol, the port it is made to, the peer's addresses. */
export interface Connection {
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly peers: AddressSet;
}

/** Whether the groups allow a flow, and by which rule. */
export interface SgDecision {
  /** true: every peer admitted; false: some are not; null: the rest hangs on prefix lists. */
  readonly allowed: boolean | null;
  /** The rules that admit some of the peers, with their group. */
  readonly matched: readonly { readonly groupId: string; readonly rule: SgRule }[];
  /** Peers no CIDR rule admits. */
  readonly missing: AddressSet;
  /** Prefix lists and groups that a rule for this port names: not checkable across regions. */
  readonly prefixLists: readonly string[];
  readonly groupRefs: readonly string[];
}

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: "6", udp: "17", icmp: "1" };

/** Whether a rule's protocol and ports take this connection. */
function ruleTakes(rule: Pick<SgRule, "protocol" | "fromPort" | "toPort">, protocol: string, port: number): boolean {
  const ruleProtocol = PROTOCOL_NUMBERS[rule.protocol.toLowerCase()] ?? rule.protocol;
  if (ruleProtocol === "-1") return true;
  if (ruleProtocol !== (PROTOCOL_NUMBERS[protocol] ?? protocol)) return false;
  // tcp/udp rules always carry a port range; -1..-1 would mean all ports of the protocol.
  const from = rule.fromPort ?? -1;
  const to = rule.toPort ?? -1;
  return (from === -1 && to === -1) || (from <= port && port <= to);
}

/** Whether the groups admit the connection in one direction (ingress: from peers; egress: to peers). */
export function sgAdmits(groups: readonly SecurityGroup[], direction: "ingress" | "egress", connection: Connection): SgDecision {
  const matched: { groupId: string; rule: SgRule }[] = [];
  const blocks: AddressSet[] = [];
  const prefixLists = new Set<string>();
  const groupRefs = new Set<string>();
  for (const group of groups) {
    for (const rule of group[direction]) {
      if (!ruleTakes(rule, connection.protocol, connection.port)) continue;
      rule.prefixListIds.forEach((id) => prefixLists.add(id));
      rule.groupIds.forEach((id) => groupRefs.add(id));
      const ruleBlocks = union(...rule.cidrs.map((c) => parseBlock(c) ?? EMPTY));
      if (!isEmpty(intersect(connection.peers, ruleBlocks))) matched.push({ groupId: group.id, rule });
      blocks.push(ruleBlocks);
    }
  }
  const admitted = union(...blocks);
  const missing = subtract(connection.peers, admitted);
  const allowed = isEmpty(missing) ? true : prefixLists.size > 0 ? null : false;
  return { allowed, matched, missing, prefixLists: [...prefixLists], groupRefs: [...groupRefs] };
}
