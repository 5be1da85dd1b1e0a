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

/**
 * A contour map ready to paint: one Path2D per band, in grid coordinates (x = column, y = row,
 * as d3-contour gives them), and the colours. Computing it is the expensive part (levels and
 * d3-contour); painting it again at another size (a resize, a rotated phone) is only the fill.
 */
export interface ContourPicture {
  readonly nx: number;
  readonly ny: number;
  /** The band of values ≥ thresholds[k], as one even-odd path per band. */
  readonly paths: readonly Path2D[];
  /** colours[0] fills the background (below the first threshold); colours[k + 1] band k. */
  readonly colours: readonly string[];
  /** Milliseconds spent choosing the levels. */
  readonly levelsMs: number;
  /** Milliseconds spent in d3-contour and building the paths. */
  readonly contourMs: number;
}

/** Levels, d3-contour's bands and their paths for `grid` (browser only: it needs Path2D). */
export function contourPicture(grid: GridData, bands = 14): ContourPicture {
  const t0 = performance.now();
  const levels = contourLevels(grid, bands);
  const t1 = performance.now();
  const { nx, ny } = grid;
  const multipolygons = contours()
    .size([nx, ny])
    .thresholds(levels.thresholds as number[])(levels.clean as unknown as number[]);
  const paths = multipolygons.map((band) => {
    const path = new Path2D();
    for (const polygon of band.coordinates) {
      for (const ring of polygon) {
        const first = ring[0];
        if (!first) continue;
        path.moveTo(first[0] as number, first[1] as number);
        for (let r = 1; r < ring.length; r++) {
          const p = ring[r] as number[];
          path.lineTo(p[0] as number, p[1] as number);
        }
        path.closePath();
      }
    }
    return path;
  });
  return {
    nx,
    ny,
    paths,
    colours: levels.colours,
    levelsMs: t1 - t0,
    contourMs: performance.now() - t1,
  };
}

/**
 * Paint a {@link ContourPicture} into a `width × height` canvas region (device pixels). One
 * transform maps grid coordinates to pixels (grid value i sits at contour coordinate i + 0.5,
 * and b grows upwards). Returns the milliseconds the painting took.
 */
export function paintContourPicture(
  ctx: CanvasRenderingContext2D,
  picture: ContourPicture,
  width: number,
  height: number,
): number {
  const t0 = performance.now();
  const { nx, ny, paths, colours } = picture;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = colours[0] ?? "#440154";
  ctx.fillRect(0, 0, width, height);
  const sx = width / (nx - 1);
  const sy = height / (ny - 1);
  // x_px = (x − 0.5)·sx, y_px = height − (y − 0.5)·sy
  ctx.setTransform(sx, 0, 0, -sy, -0.5 * sx, height + 0.5 * sy);
  paths.forEach((path, k) => {
    ctx.fillStyle = colours[k + 1] ?? "#fde725";
    ctx.fill(path, "evenodd");
  });
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return performance.now() - t0;
}
