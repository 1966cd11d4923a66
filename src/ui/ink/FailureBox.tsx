import { Box, Text } from "ink";
import { failureStatus } from "../format.js";
import type { Failure } from "../progress-state.js";
import { wrapLines } from "../wrap.js";
import { Lines } from "./Lines.js";
import { usePaint } from "./use-paint.js";

interface Told {
  readonly title: string;
  readonly layer: string;
  readonly cause: string | undefined;
  readonly todo: string;
}

// Layers that are not the client's own request: the function never ran it.
const WHAT_FAILED: Readonly<Record<string, string>> = {
  function: "Lambda has not made the client function ready",
  invoke: "calling the client function",
};

function tell(failure: Failure): Told {
  if (failure.kind === "verify") {
    const { layer, message, advice } = failure.failure;
    return { title: "verification failed", layer: `${layer} (${WHAT_FAILED[layer] ?? "the client's request to the private API"})`, cause: message, todo: advice };
  }
  const { stage } = failure;
  const cause = stage.failure?.rootCause;
  return {
    title: `stage ${stage.stage}/3 failed${failureStatus(stage.failure?.status) ? `: ${failureStatus(stage.failure?.status)}` : ""}`,
    layer: `CloudFormation, stack ${stage.stackName} in ${stage.region}`,
    cause: cause && `${cause.logicalId} (${cause.resourceType}): ${cause.reason}`,
    todo: stage.failure?.message ?? "",
  };
}

// Narrower than this, a border would cost more words per line than it is worth.
const BORDER_MIN = 60;

// The one failure that explains the run, boxed so it is the first thing the eye lands on.
export function FailureBox({ failure, width }: { readonly failure: Failure; readonly width: number }) {
  const paint = usePaint();
  const { title, layer, cause, todo } = tell(failure);
  const bordered = width >= BORDER_MIN;
  // Inside the border and its padding: 4 columns; ids in the cause are never split (Lines.tsx).
  const room = bordered ? width - 4 : width;
  const field = (label: string, text: string) => (
    <Lines lines={wrapLines([`${label} ${text}`], room, 2)} render={(line, i) => (i === 0 ? <><Text dimColor>{label}</Text>{line.slice(label.length)}</> : line)} />
  );
  return (
    <Box borderStyle={bordered ? "round" : undefined} borderColor={paint("red")} flexDirection="column" paddingX={bordered ? 1 : 0}>
      <Lines lines={wrapLines([title], room, 2)} bold color={paint("red")} />
      {field("layer:", layer)}
      {cause !== undefined && field("cause:", cause)}
      {todo !== "" && field("what to do:", todo)}
    </Box>
  );
}
