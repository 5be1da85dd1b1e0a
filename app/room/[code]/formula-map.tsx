"use client";

import { useEffect, useRef } from "react";
import type { Box, Vec2 } from "../../../lib/types";

const N = 64;

/**
 * The host's small preview of its own formula (docs/SPEC.md F8): the loss sampled on a 64 × 64
 * grid of the box as filled contours, and the start θ₀ as a white dot. Drawn in the host's
 * browser from the text the host typed (nothing more comes from the server); the parser and the
 * contour code load only when a formula has been accepted. With `points` instead of `text` it
 * previews the neuron on the host's data (F11), drawn from the points the host typed.
 */
export function FormulaMap({
  text,
  points,
  box,
  start,
}: {
  text?: string;
  points?: readonly Vec2[];
  box: Box;
  start: readonly [number, number];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let cancelled = false;
    const lossOf = async (): Promise<(w: number, b: number) => number> => {
      if (points) {
        const { dataFunctions } = await import("../../../lib/surfaces/data");
        const f = dataFunctions(points).loss;
        return (w, b) => f([w, b]);
      }
      const { compileFormula } = await import("../../../lib/surfaces/formula");
      return compileFormula(text ?? "").loss;
    };
    void Promise.all([lossOf(), import("../../lib/contours")]).then(
      ([loss, { contourPicture, paintContourPicture }]) => {
        const el = canvas.current;
        const ctx = el?.getContext("2d");
        if (cancelled || !el || !ctx) return;
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
  }, [text, points, box, start]);
  return (
    <canvas
      ref={canvas}
      width={320}
      height={320}
      className="formula-map"
      role="img"
      aria-label={`Preview of your ${points ? "data's" : "formula's"} surface on its box, the start as a white dot (only you see it)`}
      data-testid="formula-map"
    />
  );
}
