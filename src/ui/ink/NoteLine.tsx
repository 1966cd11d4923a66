import { Box, Text } from "ink";
import type { Note } from "../progress-state.js";
import { wrapLines } from "../wrap.js";
import { usePaint } from "./use-paint.js";

// Wrapped here rather than by Ink, whose wrapping starts a continuation line with the space it broke at.
export function NoteLine({ note, indent = 0, width }: { readonly note: Note; readonly indent?: number; readonly width: number }) {
  const paint = usePaint();
  const text = wrapLines(note.text.split("\n"), width - indent - (note.tone === "warning" ? "warning: ".length : 0), 0).join("\n");
  return (
    <Box paddingLeft={indent}>
      {note.tone === "heading" && <Text bold>{text}</Text>}
      {note.tone === "warning" && (
        <Text dimColor>
          <Text color={paint("yellow")}>warning:</Text> {text}
        </Text>
      )}
      {note.tone === "info" && <Text dimColor>{text}</Text>}
      {note.tone === "attention" && <Text color={paint("yellow")}>{text}</Text>}
    </Box>
  );
}
