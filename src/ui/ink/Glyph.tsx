import { Text } from "ink";
import { usePaint, type Colour } from "./use-paint.js";

export type GlyphKind = "done" | "failed" | "running" | "skipped" | "pending" | "cancelled";

// Copilot's status marks; "running" is a still frame so every frame is predictable.
const SHAPES: Record<GlyphKind, readonly [string, Colour | undefined]> = {
  done: ["✔", "green"],
  failed: ["✖", "red"],
  running: ["…", "yellow"],
  skipped: ["-", undefined],
  pending: ["○", undefined],
  cancelled: ["⊘", "yellow"],
};

export function Glyph({ kind }: { readonly kind: GlyphKind }) {
  const paint = usePaint();
  const [shape, colour] = SHAPES[kind];
  return <Text color={colour && paint(colour)}>{shape}</Text>;
}
