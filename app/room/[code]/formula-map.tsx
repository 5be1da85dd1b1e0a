"use client";

import { useEffect, useRef } from "react";
import type { Box } from "../../../lib/types";

const N = 64;

/**
 * The host's small preview of its own formula (docs/SPEC.md F8): the loss sampled on a 64 × 64
 * grid of the box as filled contours, and the start θ₀ as a white dot. Drawn in the host's
 * browser from the text the host typed (nothing more comes from the server); the parser and the
 * contour code load only when a formula has been accepted.
 */
export function FormulaMap({
  text,
  box,
  start,
}: {
  text: string;
  box: Box;
  start: readonly [number, number];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let cancelled = false;
    void Promise.all([import("../../../lib/surfaces/formula"), import("../../lib/contours")]).then(
      ([{ compileFormula }, { contourPicture, paintContourPicture }]) => {
        const el = canvas.current;
        const ctx = el?.getContext("2d");
        if (cancelled || !el || !ctx) return;
        const loss = compileFormula(text).loss;
        const values = new Float64Array(N * N);
        let min = Infinity;
        let max = -Infinity;
        for (let j = 0; j < N; j++) {
          const b = box.min[1] + (j / (N - 1)) * (box.max[1] - box.min[1]);
          for (let i = 0; i < N; i++) {
            const w = box.min[0] + (i / (N - 1)) * (box.max[0] - box.min[0]);
            const v = loss(w, b);
            values[j * N + i] = v;
            if (Number.isFinite(v)) {
              min = Math.min(min, v);
              max = Math.max(max, v);
            }
          }
        }
        const size = el.width;
        paintContourPicture(
          ctx,
          contourPicture({ nx: N, ny: N, box, values, min, max }),
          size,
          size,
        );
        const x = ((start[0] - box.min[0]) / (box.max[0] - box.min[0])) * size;
        const y = size - ((start[1] - box.min[1]) / (box.max[1] - box.min[1])) * size;
        ctx.fillStyle = "#fff";
        ctx.strokeStyle = "#0f172a";
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x, y, 5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
        el.dataset.drawn = "yes";
      },
    );
    return () => {
      cancelled = true;
    };
  }, [text, box, start]);
  return (
    <canvas
      ref={canvas}
      width={320}
      height={320}
      className="formula-map"
      role="img"
      aria-label="Preview of your formula's surface on its box, the start as a white dot (only you see it)"
      data-testid="formula-map"
    />
  );
}
