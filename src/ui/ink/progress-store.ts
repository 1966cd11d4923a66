// The bridge between `onEvent` (called by the engine, outside React) and the screen: one state, folded by
// the pure reducer, read through useSyncExternalStore.
import type { ProgressEvent } from "../../steps/events.js";
import { initialState, reduce, type ProgressState } from "../progress-state.js";

export interface ProgressStore {
  getState(): ProgressState;
  dispatch(event: ProgressEvent): void;
  subscribe(listener: () => void): () => void;
}

export function createProgressStore(): ProgressStore {
  let state = initialState;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(event) {
      state = reduce(state, event);
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
