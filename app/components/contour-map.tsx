"use client";

import { useEffect, useMemo, useRef } from "react";
import type { ReactNode } from "react";
import type { Vec2 } from "../../lib/types";
import { contourLevels, drawContours } from "../lib/contours";
import type { GridData } from "../lib/contours";
import type { Frame } from "../lib/plot";
import { MinimaLayer, PathsLayer, PLOT_SIZE } from "./plot-layers";
import type { PathSpec } from "./plot-layers";

/**
 * A filled contour map of a sampled surface (canvas, d3-contour, viridis) with SVG layers on top:
 * paths cut at `step` (for the turn-by-turn animation), global minima as stars, and any extra
 * overlay. The map is square and sized by CSS, so it never shifts the layout when it draws.
 * The canvas records its last draw time in `data-draw-ms` (read by bench/reveal).
 */
export function ContourMap({
  grid,
  paths = [],
  step = Infinity,
  minima = [],
  label,
  overlay,
  children,
}: {
  grid: GridData;
  paths?: readonly PathSpec[];
  step?: number;
  minima?: readonly Vec2[];
  /** What the map shows, for screen readers. */
  label: string;
  overlay?: (frame: Frame) => ReactNode;
  children?: ReactNode;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const frame: Frame = useMemo(
    () => ({ box: grid.box, width: PLOT_SIZE, height: PLOT_SIZE }),
    [grid.box],
  );

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let drawnFor = "";
    const draw = () => {
      const rect = canvas.getBoundingClientRect();
      const dpr = Math.min(window.devicePixelRatio || 1, 2);
      const w = Math.max(1, Math.round(rect.width * dpr));
      const h = Math.max(1, Math.round(rect.height * dpr));
      const key = `${w}x${h}`;
      if (key === drawnFor) return;
      drawnFor = key;
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      // Timed from the raw grid: levels (a sort of nx·ny values), contouring and filling.
      const t0 = performance.now();
      drawContours(ctx, grid, w, h, contourLevels(grid));
      canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [grid]);

  return (
    <figure className="plot" aria-label={label} role="img">
      <canvas
        ref={canvasRef}
        className="plot-canvas"
        data-testid="contour-canvas"
        aria-hidden="true"
      />
      <svg className="plot-svg" viewBox={`0 0 ${PLOT_SIZE} ${PLOT_SIZE}`} aria-hidden="true">
        <MinimaLayer frame={frame} minima={minima} />
        <PathsLayer frame={frame} paths={paths} step={step} />
        {overlay ? overlay(frame) : null}
      </svg>
      {children}
    </figure>
  );
}
