import { Box, Text } from "ink";
import type { Note } from "../progress-state.js";
import { wrapLines } from "../wrap.js";
import { Lines } from "./Lines.js";
import { usePaint } from "./use-paint.js";

const WARNING = "warning:";

// Wrapped here rather than by Ink (Lines.tsx): whole words, ids and URLs never split.
export function NoteLine({ note, indent = 0, width, live = false }: { readonly note: Note; readonly indent?: number; readonly width: number; readonly live?: boolean }) {
  const paint = usePaint();
  const warning = note.tone === "warning";
  const text = warning ? `${WARNING} ${note.text}` : note.text;
  const lines = wrapLines(text.split("\n"), width - indent, warning ? 2 : 0);
  return (
    <Box paddingLeft={indent}>
      {note.tone === "heading" && <Lines whole={!live} lines={lines} bold />}
      {warning && (
        <Lines
          lines={lines}
          dimColor
          render={(line, i) => (i === 0 ? <><Text color={paint("yellow")}>{WARNING}</Text>{line.slice(WARNING.length)}</> : line)}
        />
      )}
      {note.tone === "info" && <Lines whole={!live} lines={lines} dimColor />}
      {note.tone === "attention" && <Lines whole={!live} lines={lines} color={paint("yellow")} />}
    </Box>
  );
}
