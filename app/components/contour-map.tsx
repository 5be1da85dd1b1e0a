"use client";

import { useEffect, useMemo, useRef } from "react";
import type { ReactNode } from "react";
import type { Vec2 } from "../../lib/types";
import { contourPicture, paintContourPicture } from "../lib/contours";
import type { ContourPicture, GridData } from "../lib/contours";
import type { Frame } from "../lib/plot";
import { MinimaLayer, PathsLayer, PLOT_SIZE } from "./plot-layers";
import type { PathSpec } from "./plot-layers";

/**
 * A filled contour map of a sampled surface (canvas, d3-contour, viridis) with SVG layers on top:
 * paths cut at `step` (for the turn-by-turn animation), global minima as stars, and any extra
 * overlay. The map is square and sized by CSS, so it never shifts the layout when it draws.
 * The canvas records its draw times (read by bench/reveal): `data-first-draw-ms` (from the raw
 * grid to pixels: levels, d3-contour, paths and painting), `data-draw-ms` (the last draw; a
 * redraw after a resize only repaints), `data-first-frame-ms` (the same plus the wait for the
 * page's layout in between), and the parts `data-levels-ms`, `data-contour-ms`, `data-paint-ms`.
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

  // The picture (levels, d3-contour, paths) is computed once per grid; a resize only repaints.
  const cache = useRef<{ grid: GridData; picture: ContourPicture } | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const t0 = performance.now();
    let computeMs = 0;
    let picture = cache.current?.grid === grid ? cache.current.picture : null;
    if (!picture) {
      picture = contourPicture(grid);
      cache.current = { grid, picture };
      computeMs = performance.now() - t0;
      canvas.dataset.levelsMs = picture.levelsMs.toFixed(2);
      canvas.dataset.contourMs = picture.contourMs.toFixed(2);
    }
    const ready = picture;
    let drawnFor = "";

    // Painted when the ResizeObserver reports the canvas's size (after the browser's own layout,
    // so the draw never forces a synchronous layout of the page), and again on every resize.
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (!entry) return;
      const device = entry.devicePixelContentBoxSize?.[0];
      const dpr = window.devicePixelRatio || 1;
      const scale = Math.min(dpr, 2) / dpr; // at most 2 device pixels per CSS pixel
      const w = Math.max(
        1,
        Math.round(device ? device.inlineSize * scale : entry.contentRect.width * Math.min(dpr, 2)),
      );
      const h = Math.max(
        1,
        Math.round(device ? device.blockSize * scale : entry.contentRect.height * Math.min(dpr, 2)),
      );
      const key = `${w}x${h}`;
      if (key === drawnFor) return;
      drawnFor = key;
      const p0 = performance.now();
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext("2d");
      if (!ctx) return;
      paintContourPicture(ctx, ready, w, h);
      if (measureRaster()) ctx.getImageData(0, 0, 1, 1); // wait for the pixels, not the commands
      const end = performance.now();
      const paintMs = end - p0;
      canvas.dataset.paintMs = paintMs.toFixed(2);
      canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
      // The first draw: from the raw grid to pixels (levels, d3-contour, paths, painting); a
      // redraw at a new size is only the painting. data-first-frame-ms adds the wait for the
      // page's layout in between (wall-clock time from the grid to the painted map).
      const first = canvas.dataset.firstDrawMs === undefined;
      canvas.dataset.drawMs = (first ? computeMs + paintMs : paintMs).toFixed(2);
      if (first) {
        canvas.dataset.firstDrawMs = (computeMs + paintMs).toFixed(2);
        canvas.dataset.firstFrameMs = (end - t0).toFixed(2);
      }
    });
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

/** Whether draws wait for their pixels (set by bench/reveal: `localStorage["blind-descent:measure"]`). */
function measureRaster(): boolean {
  try {
    return window.localStorage.getItem("blind-descent:measure") === "1";
  } catch {
    return false;
  }
}
