// connect's plan and a connection's additions in the live view: the same lines as the plain renderer's
// (connect-text.ts), each wrapped to the width, its first word in its tone.
import { Box, Text } from "ink";
import type { CarrierState, ConnectPlanView } from "../../steps/events.js";
import { additionLines, type ConnectLine, connectPlanLines } from "../connect-text.js";
import { wrapLines } from "../format.js";
import { usePaint } from "./rows.js";

/** The plan: doctor's table with what each hop gets and who owns it, our stacks, the carriers, notes. */
export function ConnectPlan({ plan, width }: { readonly plan: ConnectPlanView; readonly width: number }) {
  return <Block lines={connectPlanLines(plan)} width={width} />;
}

/** status of a connection: each user resource with our additions, and whether each is still there. */
export function Additions({ carriers, width }: { readonly carriers: readonly CarrierState[]; readonly width: number }) {
  return <Block lines={additionLines(carriers)} width={width} />;
}

function Block({ lines, width }: { readonly lines: readonly ConnectLine[]; readonly width: number }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Line key={i} line={line} width={width} />
      ))}
    </Box>
  );
}

function Line({ line, width }: { readonly line: ConnectLine; readonly width: number }) {
  const paint = usePaint();
  const [first = "", ...rest] = wrapLines([line.text], width, 4);
  const indent = /^ */.exec(first)![0];
  const body = first.slice(indent.length);
  const space = body.indexOf(" ");
  const word = space === -1 ? body : body.slice(0, space);
  return (
    <Box flexDirection="column">
      <Text bold={line.heading === true} dimColor={line.dim === true}>
        {indent}
        <Text color={line.tone && paint(line.tone)}>{word}</Text>
        {body.slice(word.length)}
      </Text>
      {rest.map((text, i) => (
        <Text key={i} bold={line.heading === true} dimColor={line.dim === true}>
          {text}
        </Text>
      ))}
    </Box>
  );
}
