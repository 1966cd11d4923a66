import { Box, Text, type TextProps } from "ink";
import { stripVTControlCharacters } from "node:util";

export interface LinesProps extends Pick<TextProps, "bold" | "dimColor" | "color"> {
  // Already fitted to the width (wrap.ts): whole words, an id or URL wider than the room on a line of its own.
  readonly lines: readonly string[];
  // Draws a line's content when it needs more than one style (a coloured first word).
  readonly render?: (line: string, index: number) => React.ReactNode;
  // false in the live rows: Ink redraws those in place, counting its own lines, so nothing may run past
  // the edge there (the terminal would fold it and the next redraw leave the fold behind).
  readonly whole?: boolean;
}

// Lines shown exactly as fitted. Ink would wrap them again at the box's edge, splitting a word wider than
// the box mid-token and starting continuation lines with a space; a box as wide as the widest line lets
// such a word run past the edge whole, for the terminal to fold without breaking a copy.
export function Lines({ lines, render, whole = true, ...style }: LinesProps) {
  const widest = Math.max(1, ...lines.map((line) => stripVTControlCharacters(line).length));
  return (
    <Box flexDirection="column" {...(whole ? { width: widest, flexShrink: 0 } : {})}>
      {lines.map((line, i) => (
        <Text key={i} {...style}>
          {render ? render(line, i) : line}
        </Text>
      ))}
    </Box>
  );
}
