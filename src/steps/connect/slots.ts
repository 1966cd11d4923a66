// The templates' fixed slots (templates/connect-*.yaml say why they have slots): which route or rule goes in
// which numbered slot. A slot that our stack already fills keeps its number, so that a re-run changes no
// resource it already holds (CloudFormation would replace a route whose slot moved, and the new one would
// collide with the old: RouteAlreadyExists); new ones take the free slots in plan order.

/** Slot counts of the templates: the tests compare them with the YAML. */
export const SLOTS = {
  ClientRoute: { count: 16, keys: ["Table", "Destination"] },
  ClientEgress: { count: 8, keys: ["Group", "Cidr"] },
  ReturnRoute: { count: 16, keys: ["Table", "Destination"] },
  EndpointIngress: { count: 8, keys: ["Group", "Cidr"] },
} as const;

/** A family of slots: ClientRoute1..16 (Table, Destination), EndpointIngress1..8 (Group, Cidr), … */
export type SlotFamily = keyof typeof SLOTS;

/** One filled slot: its number, the user resource and the block. */
export interface Slot {
  readonly index: number;
  readonly on: string;
  readonly cidr: string;
  /** Already in our stack before this run. */
  readonly kept: boolean;
}

/** The slots of a family that a stack's parameters fill. */
export function filledSlots(family: SlotFamily, parameters: Readonly<Record<string, string>> | undefined): Slot[] {
  const [onKey, cidrKey] = SLOTS[family].keys;
  const out: Slot[] = [];
  for (let index = 1; index <= SLOTS[family].count; index++) {
    const on = parameters?.[`${family}${index}${onKey}`] ?? "";
    const cidr = parameters?.[`${family}${index}${cidrKey}`] ?? "";
    if (on !== "" && cidr !== "") out.push({ index, on, cidr, kept: true });
  }
  return out;
}

/** Kept slots where they are, new pairs in the free slots; `overflow` counts those that found none. */
export function assignSlots(family: SlotFamily, kept: readonly Slot[], wanted: readonly { readonly on: string; readonly cidr: string }[]): { slots: Slot[]; overflow: number } {
  const slots = [...kept];
  const taken = new Set(kept.map((s) => s.index));
  let next = 1;
  let overflow = 0;
  for (const want of wanted) {
    if (slots.some((s) => s.on === want.on && s.cidr === want.cidr)) continue;
    while (taken.has(next)) next++;
    if (next > SLOTS[family].count) {
      overflow++;
      continue;
    }
    taken.add(next);
    slots.push({ index: next, on: want.on, cidr: want.cidr, kept: false });
  }
  return { slots: slots.toSorted((a, b) => a.index - b.index), overflow };
}

/** Every parameter of a family: filled slots with their values, the others empty. */
export function slotParameters(family: SlotFamily, slots: readonly Slot[]): Record<string, string> {
  const [onKey, cidrKey] = SLOTS[family].keys;
  const out: Record<string, string> = {};
  for (let index = 1; index <= SLOTS[family].count; index++) {
    const slot = slots.find((s) => s.index === index);
    out[`${family}${index}${onKey}`] = slot?.on ?? "";
    out[`${family}${index}${cidrKey}`] = slot?.cidr ?? "";
  }
  return out;
}
