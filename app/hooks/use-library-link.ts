"use client";

import { useEffect, useRef } from "react";

/**
 * F14: a library link (`?surface=ID` on the page's address) opens a saved surface. After
 * hydration, fetch it once from `/api/surfaces/ID` and hand its name and surface to `onLoad`, or
 * a sentence saying why the link opens nothing to `onError`. Without `?surface=` nothing happens.
 */
export function useLibraryLink<S>(
  onLoad: (name: string, surface: S) => void,
  onError: (message: string) => void,
): void {
  // The latest handlers, so the fetch runs once per page load whatever the caller re-renders.
  const handlers = useRef({ onLoad, onError });
  useEffect(() => {
    handlers.current = { onLoad, onError };
  });
  useEffect(() => {
    const id = new URLSearchParams(window.location.search).get("surface");
    if (!id) return;
    let cancelled = false;
    void fetch(`/api/surfaces/${encodeURIComponent(id)}`)
      .then(async (res) => {
        const body = (await res.json()) as {
          name?: string;
          surface?: S;
          error?: { message: string };
        };
        if (cancelled) return;
        if (!res.ok || !body.surface || !body.name) {
          handlers.current.onError(
            `The library link does not open a surface: ${body.error?.message ?? res.status}`,
          );
        } else {
          handlers.current.onLoad(body.name, body.surface);
        }
      })
      .catch((e: unknown) => {
        if (!cancelled) handlers.current.onError(String(e));
      });
    return () => {
      cancelled = true;
    };
  }, []);
}
