import { createContext, useContext } from "react";

// chalk (Ink's colouring) ignores NO_COLOR and looks at process.stdout, not our stream; the renderer
// decides once and components only name a colour when colour is on.
export const ColorContext = createContext(true);

export type Colour = "green" | "red" | "yellow" | "cyan";

export function usePaint(): (colour: Colour) => Colour | undefined {
  const enabled = useContext(ColorContext);
  return (colour) => (enabled ? colour : undefined);
}
