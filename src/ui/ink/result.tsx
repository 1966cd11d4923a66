// How a run ends on screen: the failure box, each stage's outputs, doctor's hops, the result and next commands.
import { Box, Text } from "ink";
import { failureStatus, splitAtCommand, wrapCommand, wrapLines } from "../format.js";
import type { DoctorHop, Failure, Outcome, StageOutputs } from "../progress-view.js";
import { stageCount } from "../../steps/stages.js";
import { DETAIL_COLUMN, hopLine } from "../wording.js";
import { Glyph, Lines, usePaint } from "./rows.js";

/** A next command wider than the terminal breaks before a flag with " \", so it still pastes and runs. */
export function ResultView({ outcome, width }: { readonly outcome: Outcome; readonly width: number }) {
  const paint = usePaint();
  return (
    <Box flexDirection="column" marginTop={1}>
      {outcome.outputs.length > 0 && <OutputsList stages={outcome.outputs} width={width} />}
      {!outcome.ok && outcome.failure && <FailureBox failure={outcome.failure} width={width} />}
      <Box>
        <Glyph kind={outcome.neutral ? "pending" : outcome.ok ? "done" : "failed"} />
        <Text> </Text>
        <Lines lines={wrapLines([outcome.summary], width - 2, 0)} bold color={outcome.neutral ? undefined : paint(outcome.ok ? "green" : "red")} />
      </Box>
      {outcome.next.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>next:</Text>
          {outcome.next.map((command) => (
            <Lines key={command} lines={wrapCommand(command, 2, width)} />
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
    const title = failure.region ? `verification of ${failure.region} failed` : "verification failed";
    return { title, layer: `${layer} (${WHAT_FAILED[layer] ?? "the client's request to the private API"})`, cause: message, todo: advice };
  }
  const { stage } = failure;
  const cause = stage.failure?.rootCause;
  return {
    title: `stage ${stage.stage}/${stageCount(stage.key)}${failure.region ? ` of ${failure.region}` : ""} failed${failureStatus(stage.failure?.status) ? `: ${failureStatus(stage.failure?.status)}` : ""}`,
    layer: `CloudFormation, stack ${stage.stackName} in ${stage.region}`,
    cause: cause && `${cause.logicalId} (${cause.resourceType}): ${cause.reason}`,
    todo: stage.failure?.message ?? "",
  };
}

// Narrower than this, a border would cost more words per line than it is worth.
const BORDER_MIN = 60;

/**
 * The one failure that explains the run, boxed so it is the first thing the eye lands on. A command in
 * what to do goes under the box: copied from inside, it would bring the border along.
 */
export function FailureBox({ failure, width }: { readonly failure: Failure; readonly width: number }) {
  const paint = usePaint();
  const told = tell(failure);
  const { title, layer, cause } = told;
  const [todo, command] = splitAtCommand(told.todo);
  const bordered = width >= BORDER_MIN;
  // Inside the border and its padding: 4 columns; ids in the cause are never split (Lines, rows.tsx).
  const room = bordered ? width - 4 : width;
  const field = (label: string, text: string) => (
    <Lines lines={wrapLines([`${label} ${text}`], room, 2)} render={(line, i) => (i === 0 ? <><Text dimColor>{label}</Text>{line.slice(label.length)}</> : line)} />
  );
  return (
    <Box flexDirection="column">
      <Box borderStyle={bordered ? "round" : undefined} borderColor={paint("red")} flexDirection="column" paddingX={bordered ? 1 : 0}>
        <Lines lines={wrapLines([title], room, 2)} bold color={paint("red")} />
        {field("layer:", layer)}
        {cause !== undefined && field("cause:", cause)}
        {todo !== "" && field("what to do:", todo)}
      </Box>
      {command !== "" && <Lines lines={wrapLines([`  ${command}`], width)} />}
    </Box>
  );
}

// The ids a user pastes into the console or a script, not the plumbing one stage hands the next (the
// endpoint's hosted zone, the SSM parameter name): those are in --outputs-file and `status`.
const SHOWN = ["VpcId", "ApiId", "InvokeUrl", "EndpointId", "PeeringConnectionId", "FunctionName", "HostedZoneId"];

/** Each stage's outputs, once the run has them. */
export function OutputsList({ stages, width }: { readonly stages: readonly StageOutputs[]; readonly width: number }) {
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
          <Box key={`${s.stackName} ${s.region}`} flexDirection="column" paddingLeft={2}>
            <Text>
              {s.stackName} <Text dimColor>({s.region})</Text>
            </Text>
            {s.entries.map(([key, value]) =>
              // An id or URL is never split: one that does not fit beside its key goes under it, whole.
              4 + keyWidth + 2 + value.length <= width ? (
                <Box key={key} paddingLeft={2}>
                  <Box width={keyWidth + 2} flexShrink={0}>
                    <Text dimColor>{key}</Text>
                  </Box>
                  <Text>{value}</Text>
                </Box>
              ) : (
                <Box key={key} paddingLeft={2} flexDirection="column">
                  <Text dimColor>{key}</Text>
                  <Box paddingLeft={2}>
                    <Lines lines={[value]} />
                  </Box>
                </Box>
              ),
            )}
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
 * Wrapped here (see NoteLine): continuation lines line up under the evidence; the fix is a command,
 * broken before its flags with " \\" (format.ts) and shown whole, so that it pastes as one.
 */
export function HopLine({ hop, width }: { readonly hop: DoctorHop; readonly width: number }) {
  const paint = usePaint();
  const line = hopLine(hop);
  const [first = "", ...rest] = wrapLines([line.detail], width - DETAIL_COLUMN, 0);
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={line.tone && paint(line.tone)}>{line.mark}</Text>
        {` ${line.name}  ${[first, ...rest.map((l) => " ".repeat(DETAIL_COLUMN) + l)].join("\n")}`}
      </Text>
      {line.fix && <Lines lines={wrapLines([FIX + line.fix], width, FIX.length - 4)} dimColor />}
    </Box>
  );
}
