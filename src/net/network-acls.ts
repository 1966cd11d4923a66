// Network ACLs as AWS evaluates them: stateless (the answers of a connection are checked again, on the
// client's ephemeral ports), one ACL per subnet, each direction's rules read in ascending rule number,
// the first rule that matches a packet decides, and the final `*` rule denies whatever is left.
import { intersect, isEmpty, parseBlock, subtract, type AddressSet } from "./address-set.js";

/** One network ACL rule as EC2 describes it. */
export interface AclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly action: "allow" | "deny";
  /** "-1" (all) or a protocol number: "6" tcp, "17" udp. */
  readonly protocol: string;
  readonly cidr: string;
  /** Absent: every port (an all-protocols rule has none). */
  readonly ports?: PortRange | undefined;
}

/** The ports a rule covers, inclusive. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** A network ACL: its rules and the subnets it is associated with. */
export interface NetworkAcl {
  readonly id: string;
  readonly isDefault: boolean;
  readonly subnetIds: readonly string[];
  readonly entries: readonly AclEntry[];
}

/** Packets of one kind: protocol number, destination ports, and the other end's addresses. */
export interface Flow {
  readonly protocol: string;
  readonly ports: PortRange;
  readonly peers: AddressSet;
}

/** The rule number AWS shows for the final catch-all rule of each direction. */
export const CATCH_ALL_RULE = 32767;

/** What the ACL does with a flow: allowed or denied, by which rule. */
export type AclDecision =
  | { readonly allowed: true; readonly by: readonly AclEntry[] }
  | {
      readonly allowed: false;
      /** The rule that denies, or undefined for the catch-all `*`. */
      readonly rule: AclEntry | undefined;
      readonly ports: PortRange;
      readonly addresses: AddressSet;
    };

/** The ACL of a subnet: the one associated with it, else the VPC's default ACL. */
export function aclOfSubnet(acls: readonly NetworkAcl[], subnetId: string): NetworkAcl | undefined {
  return acls.find((a) => a.subnetIds.includes(subnetId)) ?? acls.find((a) => a.isDefault);
}

function takesProtocol(entry: AclEntry, protocol: string): boolean {
  return entry.protocol === "-1" || entry.protocol === protocol;
}

function portsOf(entry: AclEntry): PortRange {
  return entry.protocol === "-1" || !entry.ports ? { from: 0, to: 65535 } : entry.ports;
}

// The flow's ports cut where any rule's port range starts or ends: within one piece every rule either
// takes all the ports or none.
function pieces(entries: readonly AclEntry[], ports: PortRange): PortRange[] {
  const cuts = new Set([ports.from, ports.to + 1]);
  for (const entry of entries) {
    const { from, to } = portsOf(entry);
    if (from > ports.from && from <= ports.to) cuts.add(from);
    if (to + 1 > ports.from && to + 1 <= ports.to) cuts.add(to + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((from, i) => ({ from, to: (sorted[i + 1] as number) - 1 }));
}

/** Whether the ACL lets the flow through in one direction; the first denying rule when it does not. */
export function aclDecision(acl: NetworkAcl, direction: "inbound" | "outbound", flow: Flow): AclDecision {
  const rules = acl.entries
    .filter((e) => e.egress === (direction === "outbound") && e.ruleNumber !== CATCH_ALL_RULE && takesProtocol(e, flow.protocol))
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
  const by = new Set<AclEntry>();
  for (const ports of pieces(rules, flow.ports)) {
    let rest = flow.peers;
    for (const rule of rules) {
      const range = portsOf(rule);
      if (range.from > ports.from || range.to < ports.to) continue;
      const block = parseBlock(rule.cidr);
      if (!block) continue;
      const decided = intersect(rest, block);
      if (isEmpty(decided)) continue;
      if (rule.action === "deny") return { allowed: false, rule, ports, addresses: decided };
      by.add(rule);
      rest = subtract(rest, decided);
      if (isEmpty(rest)) break;
    }
    if (!isEmpty(rest)) return { allowed: false, rule: undefined, ports, addresses: rest };
  }
  return { allowed: true, by: [...by] };
}
