import { Box, Text } from "ink";
import { failureStatus } from "../format.js";
import type { Failure } from "../progress-state.js";
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

// The one failure that explains the run, boxed so it is the first thing the eye lands on.
export function FailureBox({ failure }: { readonly failure: Failure }) {
  const paint = usePaint();
  const { title, layer, cause, todo } = tell(failure);
  return (
    <Box borderStyle="round" borderColor={paint("red")} flexDirection="column" paddingX={1}>
      <Text bold color={paint("red")}>
        {title}
      </Text>
      <Text>
        <Text dimColor>layer: </Text>
        {layer}
      </Text>
      {cause !== undefined && (
        <Text>
          <Text dimColor>cause: </Text>
          {cause}
        </Text>
      )}
      {todo !== "" && (
        <Text>
          <Text dimColor>what to do: </Text>
          {todo}
        </Text>
      )}
    </Box>
  );
}
