"use client";

import { useCallback, useRef } from "react";
import type { PointerEvent as ReactPointerEvent } from "react";

/**
 * Pointer handlers that turn a drag (mouse, pen or touch) around a centre into an angle in
 * radians, counter-clockwise from +w (screen y grows downwards, so it is flipped). `centre`
 * returns the centre in client pixels at the time of the event.
 */
export function useAngleDrag(
  centre: (element: Element) => [number, number],
  onAngle: (angle: number) => void,
  disabled = false,
) {
  const dragging = useRef(false);
  const update = useCallback(
    (event: ReactPointerEvent<Element>) => {
      const [cx, cy] = centre(event.currentTarget);
      const dx = event.clientX - cx;
      const dy = cy - event.clientY;
      if (dx * dx + dy * dy < 4) return;
      onAngle(Math.atan2(dy, dx));
    },
    [centre, onAngle],
  );
  return {
    onPointerDown: (event: ReactPointerEvent<Element>) => {
      if (disabled || (event.pointerType === "mouse" && event.button !== 0)) return;
      dragging.current = true;
      (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
      update(event);
    },
    onPointerMove: (event: ReactPointerEvent<Element>) => {
      if (!dragging.current || disabled) return;
      update(event);
    },
    onPointerUp: (event: ReactPointerEvent<Element>) => {
      dragging.current = false;
      (event.currentTarget as Element).releasePointerCapture?.(event.pointerId);
    },
    onPointerCancel: () => {
      dragging.current = false;
    },
  };
}
