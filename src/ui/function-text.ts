// The client function's readiness in words, shared by the plain lines and the Ink notes so both say the same.
import type { ProgressEvent } from "../steps/events.js";
import { describeFunction } from "../steps/diagnose.js";
import { formatDuration } from "./format.js";

type FunctionEvent = Extract<ProgressEvent, { kind: "function-waiting" | "function-ready" | "function-state" }>;

/** The line for a function event, and whether it deserves attention (not ready to invoke). */
export function functionText(event: FunctionEvent): { readonly text: string; readonly attention: boolean } {
  const f = event.function;
  const state = describeFunction(f);
  switch (event.kind) {
    case "function-waiting":
      return event.cause === "inactive"
        ? { text: `the function ${f.functionName} was inactive; Lambda is restoring its network interfaces (can take a minute): ${state}`, attention: true }
        : { text: `waiting for the function ${f.functionName} to be ready: ${state}`, attention: false };
    case "function-ready":
      return { text: `the function ${f.functionName} is ready (${state}) after ${formatDuration(event.waitedMs)}`, attention: false };
    case "function-state":
      return { text: `function ${f.functionName} (${f.region}): ${state}`, attention: !event.ready };
  }
}
