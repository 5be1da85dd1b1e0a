import type { Box, Surface, Vec2 } from "./types";

/**
 * Sampling a surface on a regular grid: the values behind the reveal's contour map.
 *
 * The grid has nx points along w and ny along b, both ends included:
 * w_i = min_w + i·(max_w − min_w)/(nx − 1) for i = 0 … nx − 1, and likewise b_j. Values are
 * stored row-major with w fastest, values[j·nx + i] = L(w_i, b_j), row j = 0 being b = min_b:
 * the layout d3-contour's `contours().size([nx, ny])` expects (x = w to the right, y = b).
 */

/** L sampled on a regular nx × ny grid over a box. */
export interface Grid {
  /** Number of points along w (columns). */
  readonly nx: number;
  /** Number of points along b (rows). */
  readonly ny: number;
  /** The sampled box; the grid's corners are its corners. */
  readonly box: Box;
  /** values[j·nx + i] = L(w_i, b_j), row-major, w fastest, b increasing with j. */
  readonly values: Float64Array;
  /** The smallest finite value (NaN if no value is finite). */
  readonly min: number;
  /** The largest finite value (NaN if no value is finite). */
  readonly max: number;
}

/** The k-th of n evenly spaced coordinates from lo to hi, both ends exact. */
function coordinate(lo: number, hi: number, n: number, k: number): number {
  return k === n - 1 ? hi : lo + ((hi - lo) * k) / (n - 1);
}

/** θ = (w_i, b_j) of grid point (i, j), with w_i = min_w + i·(max_w − min_w)/(nx − 1), etc. */
export function gridPoint(grid: Pick<Grid, "nx" | "ny" | "box">, i: number, j: number): Vec2 {
  const { nx, ny, box } = grid;
  return [coordinate(box.min[0], box.max[0], nx, i), coordinate(box.min[1], box.max[1], ny, j)];
}

function checkSize(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`${name} must be an integer ≥ 2, got ${n}`);
  }
}

/**
 * Sample L on an nx × ny grid over `box` (default: the surface's domain); see the module comment
 * for the layout. `min` and `max` are taken over finite values only, so a surface that overflows
 * somewhere still gives a usable colour scale. Throws a RangeError for a bad size
 * (`nx must be an integer ≥ 2, got 1`) or a box that is not finite with min < max.
 */
export function sampleGrid(
  surface: Surface,
  nx: number,
  ny: number,
  box: Box = surface.domain,
): Grid {
  checkSize("nx", nx);
  checkSize("ny", ny);
  for (const k of [0, 1] as const) {
    const lo = box.min[k];
    const hi = box.max[k];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new RangeError(`box must be finite with min < max, got [${lo}, ${hi}] on axis ${k}`);
    }
  }
  const ws = new Float64Array(nx);
  for (let i = 0; i < nx; i++) ws[i] = coordinate(box.min[0], box.max[0], nx, i);
  const values = new Float64Array(nx * ny);
  let min = Infinity;
  let max = -Infinity;
  let k = 0;
  for (let j = 0; j < ny; j++) {
    const b = coordinate(box.min[1], box.max[1], ny, j);
    for (let i = 0; i < nx; i++) {
      // A fresh tuple per point: surfaces may keep the θ they are given.
      const value = surface.loss([ws[i] as number, b]);
      values[k++] = value;
      // NaN fails both tests; ±Infinity is excluded explicitly.
      if (value < min && value !== -Infinity) min = value;
      if (value > max && value !== Infinity) max = value;
    }
  }
  if (min === Infinity) min = NaN;
  if (max === -Infinity) max = NaN;
  return { nx, ny, box, values, min, max };
}
