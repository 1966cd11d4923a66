// connect's plan and a connection's additions in words, the same for the plain lines and the live view:
// doctor's table with what each hop gets and who owns it, our two stacks, the user's resources that carry
// our additions, what is not touched, notes; and, for status, whether each addition is still there.
import type { CarrierState, ConnectPlanView } from "../steps/events.js";
import { hopLine } from "./wording.js";

/** One line of a block, with the mark's tone and whether it is a heading. */
export interface ConnectLine {
  readonly text: string;
  // The colour of the line's first word (a mark, "note:").
  readonly tone?: "green" | "red" | "yellow" | undefined;
  readonly heading?: boolean;
  readonly dim?: boolean;
}

const ACTION = "      → ";

/** The plan, line by line: the hops (verdict now, then what connect adds and who owns it), the stacks, the carriers, what is not touched, notes. */
export function connectPlanLines(plan: ConnectPlanView): ConnectLine[] {
  const lines: ConnectLine[] = [{ text: `Plan for connection "${plan.name}"${plan.region ? ` from client region ${plan.region}` : ""}: doctor's verdict now, what connect adds and who owns it`, heading: true }];
  for (const hop of plan.hops) {
    const line = hopLine({ hop: hop.hop, ok: hop.ok, detail: hop.detail, fix: null });
    lines.push({ text: `${line.mark} ${line.name}  ${line.detail}`, tone: line.tone });
    lines.push({ text: `${ACTION}${hop.action === "nothing" ? "nothing" : hop.action}  (${hop.owner})`, dim: hop.action === "nothing" });
  }
  if (plan.refusals.length > 0) {
    lines.push({ text: `Refused before anything is created (${plan.refusals.length}, each below with its fix).`, heading: true });
    return lines;
  }
  lines.push({ text: "Our stacks:", heading: true });
  for (const stack of plan.stacks) {
    const where = `stage ${stack.stage}/2 ${stack.stackName} (${stack.region})`;
    if (!stack.needed) {
      lines.push({ text: `  ${where}: not needed, nothing is missing on this side`, dim: true });
      continue;
    }
    lines.push({ text: `  ${where}:` });
    for (const r of stack.resources) lines.push({ text: `    ${r.text}${r.kept ? " (ours already)" : ""}` });
  }
  if (plan.carriers.length > 0) {
    lines.push({ text: "Your resources that will carry our additions (removed again by disconnect):", heading: true });
    for (const c of plan.carriers) lines.push({ text: `  ${c.id} (${c.kind}, ${c.region}): ${c.additions.join("; ")}` });
  }
  if (plan.untouched.length > 0) lines.push({ text: `Not touched: ${plan.untouched.join("; ")}.`, dim: true });
  for (const note of plan.notes) lines.push({ text: `note: ${note}`, tone: "yellow" });
  return lines;
}

/** Each user resource with our additions, and whether each is still there. */
export function additionLines(carriers: readonly CarrierState[]): ConnectLine[] {
  if (carriers.length === 0) return [{ text: "No resource of yours carries an addition of this connection." }];
  const lines: ConnectLine[] = [{ text: "Your resources that carry this connection's additions:", heading: true }];
  for (const c of carriers) {
    lines.push({ text: `  ${c.id} (${c.kind}, ${c.region}):` });
    for (const a of c.additions) {
      const [mark, tone, state] = a.present === true ? (["✔", "green", "there"] as const) : a.present === false ? (["✘", "red", "gone"] as const) : (["–", undefined, "could not be read"] as const);
      lines.push({ text: `    ${mark} ${a.text}: ${state}`, tone });
    }
  }
  const gone = carriers.flatMap((c) => c.additions).filter((a) => a.present === false).length;
  if (gone > 0) {
    lines.push({
      text: `${gone} addition${gone === 1 ? " is" : "s are"} gone: something removed ${gone === 1 ? "it" : "them"} (the owner's IaC, which may own the table's routes or the group's rules inline); run disconnect, then connect, to put ${gone === 1 ? "it" : "them"} back.`,
      tone: "yellow",
    });
  }
  return lines;
}
