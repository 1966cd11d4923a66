// How a run ends on screen: the failure box, each stage's outputs, doctor's hops, the result and next commands.
import { Box, Text } from "ink";
import { wrapCommand, wrapLines } from "../format.js";
import type { DoctorHop, Failure, Outcome, StageOutputs } from "../progress-state.js";
import { DETAIL_COLUMN, hopLine } from "../wording.js";
import { Glyph, usePaint } from "./rows.js";

/** A next command wider than the terminal breaks before a flag with " \", so it still pastes and runs. */
export function ResultView({ outcome, width }: { readonly outcome: Outcome; readonly width: number }) {
  const paint = usePaint();
  return (
    <Box flexDirection="column" marginTop={1}>
      {outcome.outputs.length > 0 && <OutputsList stages={outcome.outputs} />}
      {!outcome.ok && outcome.failure && <FailureBox failure={outcome.failure} />}
      <Text bold color={paint(outcome.ok ? "green" : "red")}>
        <Glyph kind={outcome.ok ? "done" : "failed"} /> {outcome.summary}
      </Text>
      {outcome.next.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>next:</Text>
          {outcome.next.map((command) => (
            <Text key={command}>{wrapCommand(command, 2, width).join("\n")}</Text>
          ))}
        </Box>
      )}
    </Box>
  );
}

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
    title: `stage ${stage.stage}/3 failed: ${stage.failure?.status ?? "FAILED"}`,
    layer: `CloudFormation, stack ${stage.stackName} in ${stage.region}`,
    cause: cause && `${cause.logicalId} (${cause.resourceType}): ${cause.reason}`,
    todo: stage.failure?.message ?? "",
  };
}

/** The one failure that explains the run, boxed so it is the first thing the eye lands on. */
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

// The ids a user pastes into the console or a script, not the plumbing one stage hands the next (the
// endpoint's hosted zone, the SSM parameter name): those are in --outputs-file and `status`.
const SHOWN = ["VpcId", "ApiId", "InvokeUrl", "EndpointId", "PeeringConnectionId", "FunctionName", "HostedZoneId"];

/** Each stage's outputs, once the run has them. */
export function OutputsList({ stages }: { readonly stages: readonly StageOutputs[] }) {
  const shown = stages
    .map((s) => ({ ...s, entries: SHOWN.flatMap((key) => (s.outputs[key] === undefined ? [] : [[key, s.outputs[key]] as const])) }))
    .filter((s) => s.entries.length > 0);
  if (shown.length === 0) return null;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text dimColor>outputs:</Text>
      {shown.map((s) => {
        // Per stack, so that one long key does not push every value (and the invoke URL) to a wrap.
        const keyWidth = Math.max(...s.entries.map(([key]) => key.length));
        return (
          <Box key={s.stage} flexDirection="column" paddingLeft={2}>
            <Text>
              {s.stackName} <Text dimColor>({s.region})</Text>
            </Text>
            {s.entries.map(([key, value]) => (
              <Box key={key} paddingLeft={2}>
                <Box width={keyWidth + 2} flexShrink={0}>
                  <Text dimColor>{key}</Text>
                </Box>
                <Text>{value}</Text>
              </Box>
            ))}
          </Box>
        );
      })}
      <Text dimColor>all outputs: status, or --outputs-file FILE</Text>
    </Box>
  );
}

const FIX = "    fix: ";

/**
 * A doctor hop, printed once: the mark, the hop and its evidence, and under a broken hop its fix.
 * Wrapped here (see NoteLine): continuation lines line up under the evidence and under the command.
 */
export function HopLine({ hop, width }: { readonly hop: DoctorHop; readonly width: number }) {
  const paint = usePaint();
  const line = hopLine(hop);
  const [first = "", ...rest] = wrapLines([line.detail], width - DETAIL_COLUMN, 0);
  const fix = line.fix ? wrapLines([line.fix], width - FIX.length, 0) : [];
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={line.tone && paint(line.tone)}>{line.mark}</Text>
        {` ${line.name}  ${[first, ...rest.map((l) => " ".repeat(DETAIL_COLUMN) + l)].join("\n")}`}
      </Text>
      {fix.length > 0 && <Text dimColor>{[FIX + fix[0], ...fix.slice(1).map((l) => " ".repeat(FIX.length) + l)].join("\n")}</Text>}
    </Box>
  );
}
