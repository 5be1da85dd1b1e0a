"use client";

import { useEffect, useState } from "react";

/**
 * Whole seconds left until `deadline` (server clock, ms), given `offset` = server − local clock;
 * null when there is no deadline. Never more than `max` seconds (a 30 s turn never shows "31 s
 * left": the clock read before a new deadline arrived, or a skewed offset, would add one).
 * Re-renders four times a second while counting.
 */
export function useCountdown(
  deadline: number | null,
  offset: number,
  max = Infinity,
): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const tick = () => setNow(Date.now());
    const first = window.setTimeout(tick, 0);
    const id = window.setInterval(tick, 250);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(id);
    };
  }, [deadline]);
  if (deadline === null) return null;
  return Math.min(max, Math.max(0, Math.ceil((deadline - (now + offset)) / 1000)));
}
