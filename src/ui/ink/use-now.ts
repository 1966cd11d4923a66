import { useEffect, useState } from "react";

// Elapsed times keep moving while a stage waits with no events (stage 2's delete can be quiet for 30
// minutes): re-render once a second while `active`, and read the clock fresh on every render.
export function useNow(clock: () => number, active: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    // A renderer nobody closed must not keep the process alive.
    timer.unref();
    return () => clearInterval(timer);
  }, [active]);
  return clock();
}
