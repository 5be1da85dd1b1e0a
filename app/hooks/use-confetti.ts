"use client";

import { useEffect, useRef } from "react";

/** How a burst of confetti looks. */
export interface ConfettiBurst {
  readonly particleCount: number;
  readonly spread: number;
  /** Where it starts, from the top of the window (0 to 1). */
  readonly originY: number;
}

/**
 * canvas-confetti once per `key` while `on` (skipped for reduced motion). With `delayMs`, it starts
 * that much later (cancelled, and tried again, if `on` or `key` changes before then).
 */
export function useConfetti(on: boolean, key: string, burst: ConfettiBurst, delayMs = 0): void {
  const done = useRef<string | null>(null);
  const { particleCount, spread, originY } = burst;
  useEffect(() => {
    if (!on || done.current === key) return;
    const fire = () => {
      done.current = key;
      void import("canvas-confetti").then(({ default: confetti }) => {
        void confetti({
          particleCount,
          spread,
          origin: { y: originY },
          disableForReducedMotion: true,
        });
      });
    };
    if (delayMs <= 0) {
      fire();
      return;
    }
    const id = window.setTimeout(fire, delayMs);
    return () => window.clearTimeout(id);
  }, [on, key, particleCount, spread, originY, delayMs]);
}
