"use client";

import { useEffect } from "react";

/**
 * Scroll to the top whenever `key` changes (a new phase: round start, reveal, next round), so the
 * turn counter or the verdict is in view on a phone instead of wherever the last phase was
 * scrolled to. The first render of a page load scrolls too, which a fresh page does anyway.
 */
export function useScrollToTop(key: string): void {
  useEffect(() => {
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
  }, [key]);
}
