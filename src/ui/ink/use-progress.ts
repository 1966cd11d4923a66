import { useSyncExternalStore } from "react";
import type { ProgressState } from "../progress-state.js";
import type { ProgressStore } from "./progress-store.js";

export function useProgress(store: ProgressStore): ProgressState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
