import { euclid, symmetricEigenvalues } from "../procedural-search";
import type { Box, Hessian, Minimum, Vec2 } from "../types";

/*
 * How a surface given by its box (a teacher's formula, F5, or the class's data, F10) gets its
 * start, η_max and the bot's η: the same choices for both, so a data round and a formula round
 * of the same function play alike.
 */

/**
 * The start (F5): of a 9 × 9 grid of points inside the box (at 10%…90% of each side), the one
 * highest above L* among those at least 40% of the box diagonal from every global minimum
 * (failing that, the farthest point).
 */
export function pickStart(
  fns: { loss: (t: Vec2) => number },
  minima: readonly Minimum[],
  box: Box,
): Vec2 {
  const diag = euclid(box.max[0] - box.min[0], box.max[1] - box.min[1]);
  let best: Vec2 | null = null;
  let bestValue = -Infinity;
  let farthest: Vec2 = [box.min[0], box.min[1]];
  let farthestDistance = -Infinity;
  for (let i = 0; i < 9; i++) {
    for (let j = 0; j < 9; j++) {
      const w = Number((box.min[0] + (0.1 + 0.1 * i) * (box.max[0] - box.min[0])).toFixed(2));
      const b = Number((box.min[1] + (0.1 + 0.1 * j) * (box.max[1] - box.min[1])).toFixed(2));
      const d = Math.min(...minima.map((m) => euclid(w - m.theta[0], b - m.theta[1])));
      if (d > farthestDistance) {
        farthestDistance = d;
        farthest = [w, b];
      }
      if (d < 0.4 * diag) continue;
      const v = fns.loss([w, b]);
      if (v > bestValue) {
        bestValue = v;
        best = [w, b];
      }
    }
  }
  return best ?? farthest;
}

/** x rounded down to two significant digits. */
export function floor2(x: number): number {
  const exponent = Number(x.toExponential().split("e")[1]);
  const unit = Number(`1e${exponent - 1}`);
  return Number((Math.floor(x / unit) * unit).toPrecision(2));
}

/** The bot's η (F5): 1/λ_max on a 41 × 41 grid, rounded down, halved until GD descends. */
export function chooseBotEta(
  fns: { loss: (t: Vec2) => number; gradient: (t: Vec2) => Vec2; hessian: (t: Vec2) => Hessian },
  start: Vec2,
  box: Box,
): number {
  let lambda = 0;
  for (let i = 0; i < 41; i++) {
    for (let j = 0; j < 41; j++) {
      const w = box.min[0] + (i / 40) * (box.max[0] - box.min[0]);
      const b = box.min[1] + (j / 40) * (box.max[1] - box.min[1]);
      const [lo, hi] = symmetricEigenvalues(fns.hessian([w, b]));
      lambda = Math.max(lambda, Math.abs(lo), Math.abs(hi));
    }
  }
  let eta = floor2(1 / Math.max(lambda, 1e-6));
  for (let k = 0; k < 8; k++) {
    let w = start[0];
    let b = start[1];
    let value = fns.loss(start);
    let ok = true;
    for (let s = 0; s < 200 && ok; s++) {
      const g = fns.gradient([w, b]);
      w = Math.min(box.max[0], Math.max(box.min[0], w - eta * g[0]));
      b = Math.min(box.max[1], Math.max(box.min[1], b - eta * g[1]));
      const next = fns.loss([w, b]);
      ok = next <= value + 1e-12 * (1 + Math.abs(value));
      value = next;
    }
    if (ok) break;
    eta = floor2(eta / 2);
  }
  return eta;
}
