import { Box, Text } from "ink";
import type { Note } from "../progress-state.js";
import { usePaint } from "./use-paint.js";

export function NoteLine({ note, indent = 0 }: { readonly note: Note; readonly indent?: number }) {
  const paint = usePaint();
  return (
    <Box paddingLeft={indent}>
      {note.tone === "heading" && <Text bold>{note.text}</Text>}
      {note.tone === "warning" && (
        <Text dimColor>
          <Text color={paint("yellow")}>warning:</Text> {note.text}
        </Text>
      )}
      {note.tone === "info" && <Text dimColor>{note.text}</Text>}
    </Box>
  );
}
