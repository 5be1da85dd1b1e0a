"use client";

import { useEffect, useState } from "react";

/**
 * Whole seconds left until `deadline` (server clock, ms), given `offset` = server − local clock;
 * null when there is no deadline. Re-renders four times a second while counting.
 */
export function useCountdown(deadline: number | null, offset: number): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const id = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(id);
  }, [deadline]);
  if (deadline === null) return null;
  return Math.max(0, Math.ceil((deadline - (now + offset)) / 1000));
}
