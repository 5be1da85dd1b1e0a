import { contours } from "d3-contour";
import { interpolateViridis } from "d3-scale-chromatic";
import type { Box } from "../../lib/types";

/**
 * Filled contour maps on a canvas with d3-contour: the reveal's picture of the surface. The grid
 * layout is lib/grid's (row-major, w fastest, row 0 at b = min_b, both box ends sampled).
 */

/** The sampled surface a contour map draws (the shape of lib/grid's `Grid`). */
export interface GridData {
  readonly nx: number;
  readonly ny: number;
  readonly box: Box;
  readonly values: ArrayLike<number>;
  readonly min: number;
  readonly max: number;
}

/** The threshold levels and their colours, computed once per grid. */
export interface ContourLevels {
  readonly thresholds: readonly number[];
  readonly colours: readonly string[];
  /** The grid's values with every non-finite value replaced by the largest finite one. */
  readonly clean: Float64Array;
}

/**
 * Thresholds at quantiles of the grid's values (so that every band covers a similar area however
 * many decades the surface spans), denser near the minimum, coloured with viridis.
 * @param levels number of bands (@default 14)
 */
export function contourLevels(grid: GridData, levels = 14): ContourLevels {
  const n = grid.nx * grid.ny;
  const clean = new Float64Array(n);
  const top = Number.isFinite(grid.max) ? grid.max : 0;
  for (let k = 0; k < n; k++) {
    const v = grid.values[k] as number;
    clean[k] = Number.isFinite(v) ? v : top;
  }
  // Quantiles from every 4th value: as good for choosing levels, a quarter of the sort.
  const sample = new Float64Array(Math.ceil(n / 4));
  for (let k = 0, j = 0; k < n; k += 4, j++) sample[j] = clean[k] as number;
  const sorted = sample.sort();
  const m = sorted.length;
  const thresholds: number[] = [];
  for (let k = 1; k < levels; k++) {
    // p = (k/levels)^1.6 puts more levels near the minimum, where the paths end.
    const p = Math.pow(k / levels, 1.6);
    const v = sorted[Math.min(m - 1, Math.floor(p * (m - 1)))] as number;
    if (thresholds.length === 0 || v > (thresholds[thresholds.length - 1] as number)) {
      thresholds.push(v);
    }
  }
  const colours = [sorted[0] as number, ...thresholds].map((_, k, all) =>
    interpolateViridis(all.length > 1 ? k / (all.length - 1) : 0.5),
  );
  return { thresholds, colours, clean };
}

/**
 * Draw the filled contours of `grid` into a `width × height` region of `ctx` (already scaled for
 * the device pixel ratio). Returns the milliseconds the contouring and drawing took.
 */
export function drawContours(
  ctx: CanvasRenderingContext2D,
  grid: GridData,
  width: number,
  height: number,
  levels: ContourLevels = contourLevels(grid),
): number {
  const t0 = performance.now();
  const { nx, ny } = grid;
  // Grid value i sits at contour coordinate x = i + 0.5; w_i = min + i·(max − min)/(nx − 1).
  const sx = width / (nx - 1);
  const sy = height / (ny - 1);
  const px = (x: number) => (x - 0.5) * sx;
  const py = (y: number) => height - (y - 0.5) * sy;

  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = levels.colours[0] ?? "#440154";
  ctx.fillRect(0, 0, width, height);

  const generator = contours()
    .size([nx, ny])
    .thresholds(levels.thresholds as number[]);
  const bands = generator(levels.clean as unknown as number[]);
  bands.forEach((band, k) => {
    ctx.beginPath();
    for (const polygon of band.coordinates) {
      for (const ring of polygon) {
        const first = ring[0];
        if (!first) continue;
        ctx.moveTo(px(first[0] as number), py(first[1] as number));
        for (let r = 1; r < ring.length; r++) {
          const p = ring[r] as number[];
          ctx.lineTo(px(p[0] as number), py(p[1] as number));
        }
        ctx.closePath();
      }
    }
    ctx.fillStyle = levels.colours[k + 1] ?? "#fde725";
    ctx.fill("evenodd");
  });
  return performance.now() - t0;
}
