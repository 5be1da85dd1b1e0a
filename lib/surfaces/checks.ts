import { clampToBox, inBox } from "../geometry";
import { centralGradient, centralHessian, close } from "../numeric";
import { createRng } from "../random";
import type { Box, Surface, Vec2 } from "../types";
import { hypot } from "../math";

/*
 * The invariants every Surface promises (lib/types.ts), as pure checks that return a list of
 * human-readable failures (empty when the surface is sound). Each failure names the surface and
 * the point, so a failing test says where to look. Used by the catalog's tests; any other surface
 * (e.g. a procedural one) can be checked the same way.
 */

/** θ printed with full precision, so that a failure can be reproduced. */
function at(theta: Vec2): string {
  return `θ = [${theta[0]}, ${theta[1]}]`;
}

/**
 * Index of the first component where `actual` differs from `expected` by more than
 * tolerance·(|e| + 1 + max|e|) (relative to the component and to the whole vector, so that a
 * component near zero is judged on the scale of the others), or −1 if all agree. NaN never agrees.
 */
export function firstMismatch(
  actual: readonly number[],
  expected: readonly number[],
  tolerance: number,
): number {
  let scale = 0;
  for (const e of expected) scale = Math.max(scale, Math.abs(e));
  const atol = tolerance * (1 + scale);
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i] ?? Number.NaN, expected[i] ?? Number.NaN, tolerance, atol)) return i;
  }
  return -1;
}

/** `n` points drawn uniformly from the box by the seeded generator {@link createRng}(seed). */
export function samplePoints(box: Box, n: number, seed: number): Vec2[] {
  const rng = createRng(seed);
  const points: Vec2[] = [];
  for (let i = 0; i < n; i++) {
    points.push([rng.uniform(box.min[0], box.max[0]), rng.uniform(box.min[1], box.max[1])]);
  }
  return points;
}

/** The points of a `size` × `size` grid spanning the box, edges included. */
export function gridPoints(box: Box, size: number): Vec2[] {
  const points: Vec2[] = [];
  for (let i = 0; i < size; i++) {
    const w = box.min[0] + ((box.max[0] - box.min[0]) * i) / (size - 1);
    for (let j = 0; j < size; j++) {
      points.push([w, box.min[1] + ((box.max[1] - box.min[1]) * j) / (size - 1)]);
    }
  }
  return points;
}

const GRADIENT_LABELS = ["∂L/∂w", "∂L/∂b"] as const;
const HESSIAN_LABELS = ["∂²L/∂w²", "∂²L/∂w∂b", "∂²L/∂b∂w", "∂²L/∂b²"] as const;

/**
 * Points where the analytic gradient disagrees with central differences of the loss
 * ({@link centralGradient}) beyond `tolerance` (see {@link firstMismatch}).
 */
export function gradientFailures(
  surface: Surface,
  points: readonly Vec2[],
  tolerance = 1e-6,
): string[] {
  const failures: string[] = [];
  for (const theta of points) {
    const analytic = surface.gradient(theta);
    const numeric = centralGradient((t) => surface.loss(t), theta);
    const i = firstMismatch(analytic, numeric, tolerance);
    if (i >= 0) {
      failures.push(
        `${surface.id} at ${at(theta)}: ${GRADIENT_LABELS[i]} analytic ${analytic[i]} vs central difference ${numeric[i]}`,
      );
    }
  }
  return failures;
}

/**
 * Points where the analytic Hessian is not symmetric or disagrees with central differences of the
 * analytic gradient ({@link centralHessian}) beyond `tolerance` (see {@link firstMismatch}).
 */
export function hessianFailures(
  surface: Surface,
  points: readonly Vec2[],
  tolerance = 1e-6,
): string[] {
  const failures: string[] = [];
  for (const theta of points) {
    const [[hww, hwb], [hbw, hbb]] = surface.hessian(theta);
    const [[nww, nwb], [nbw, nbb]] = centralHessian((t) => surface.gradient(t), theta);
    const analytic = [hww, hwb, hbw, hbb];
    const numeric = [nww, nwb, nbw, nbb];
    if (hwb !== hbw) {
      failures.push(`${surface.id} at ${at(theta)}: Hessian not symmetric (${hwb} vs ${hbw})`);
      continue;
    }
    const i = firstMismatch(analytic, numeric, tolerance);
    if (i >= 0) {
      failures.push(
        `${surface.id} at ${at(theta)}: ${HESSIAN_LABELS[i]} analytic ${analytic[i]} vs central difference ${numeric[i]}`,
      );
    }
  }
  return failures;
}

/**
 * Points where the loss, the gradient or the Hessian is not a finite number (NaN or ±∞).
 */
export function finiteFailures(surface: Surface, points: readonly Vec2[]): string[] {
  const failures: string[] = [];
  for (const theta of points) {
    const [gw, gb] = surface.gradient(theta);
    const [[hww, hwb], [hbw, hbb]] = surface.hessian(theta);
    const values = [surface.loss(theta), gw, gb, hww, hwb, hbw, hbb];
    if (!values.every(Number.isFinite)) {
      failures.push(`${surface.id} at ${at(theta)}: L, ∇L, ∇²L = ${values.join(", ")}`);
    }
  }
  return failures;
}

/** Options of {@link minimaFailures}. */
export interface MinimaCheckOptions {
  /** Side of the grid over the box. @default 401 */
  readonly gridSize?: number;
  /** More points (e.g. seeded random ones) that must not be lower than L*. @default [] */
  readonly extraPoints?: readonly Vec2[];
}

/**
 * Checks `surface.minima`: non-empty; each inside the box, its loss equal to L(θ*), ∇L(θ*) ≈ 0
 * with a positive semi-definite Hessian and a Newton step H⁻¹∇L below 10⁻¹⁴ (1 + ‖θ*‖) (θ* given
 * to full double precision, up to a few units in the last place); all with the same L*; no point
 * of a grid over the box (nor any extra point) below L*; and no global minimum left out: from
 * every grid point that is a local minimum of the grid with L ≤ L* + 10⁻³ (L(θ₀) − L*) and is not
 * next to a listed minimum, a damped Newton descent must not reach L* away from the listed minima.
 */
export function minimaFailures(surface: Surface, options: MinimaCheckOptions = {}): string[] {
  const { gridSize = 401, extraPoints = [] } = options;
  const failures: string[] = [];
  const { id, domain, minima } = surface;
  const first = minima[0];
  if (first === undefined) return [`${id}: no minimum listed`];
  const best = first.loss;
  const tiny = 1e-12 * (1 + Math.abs(best));

  for (const { theta, loss } of minima) {
    if (!inBox(theta, domain)) failures.push(`${id}: minimum ${at(theta)} is outside the box`);
    const value = surface.loss(theta);
    if (!close(value, loss, 1e-12, 1e-12)) {
      failures.push(`${id}: minimum ${at(theta)} lists L* = ${loss} but L(θ*) = ${value}`);
    }
    if (Math.abs(loss - best) > tiny) {
      failures.push(`${id}: minimum ${at(theta)} has L* = ${loss}, another has ${best}`);
    }
    const [gw, gb] = surface.gradient(theta);
    const [[a, c], [, d]] = surface.hessian(theta);
    const hmax = Math.max(Math.abs(a), Math.abs(c), Math.abs(d));
    if (!(hypot(gw, gb) <= 1e-9 * (1 + hmax))) {
      failures.push(`${id}: gradient at minimum ${at(theta)} is [${gw}, ${gb}], not ≈ 0`);
    }
    const det = a * d - c * c;
    if (!(a + d >= 0 && det >= -1e-12 * (1 + hmax * hmax))) {
      failures.push(`${id}: Hessian at minimum ${at(theta)} is not positive semi-definite`);
    } else if (det > 0) {
      const step = hypot((d * gw - c * gb) / det, (a * gb - c * gw) / det);
      if (!(step <= 1e-14 * (1 + hypot(theta[0], theta[1])))) {
        failures.push(`${id}: minimum ${at(theta)} is ${step} (one Newton step) from θ*`);
      }
    }
  }

  const floor = best - 1e-9 * (1 + Math.abs(best));
  const grid = gridPoints(domain, gridSize);
  const values = grid.map((theta) => surface.loss(theta));
  const report = (theta: Vec2, value: number): void => {
    if (!(value >= floor)) failures.push(`${id}: L(${at(theta)}) = ${value} is not ≥ L* = ${best}`);
  };
  grid.forEach((theta, k) => report(theta, values[k] ?? Number.NaN));
  for (const theta of extraPoints) report(theta, surface.loss(theta));

  // Every near-optimal local minimum of the grid either sits next to a listed minimum or does
  // not lead down to L*.
  const dw = (domain.max[0] - domain.min[0]) / (gridSize - 1);
  const db = (domain.max[1] - domain.min[1]) / (gridSize - 1);
  const radius = 2 * hypot(dw, db);
  const diagonal = hypot(domain.max[0] - domain.min[0], domain.max[1] - domain.min[1]);
  const nearListed = (theta: Vec2, r: number): boolean =>
    minima.some((m) => hypot(m.theta[0] - theta[0], m.theta[1] - theta[1]) <= r);
  const threshold = best + 1e-3 * (surface.loss(surface.start) - best);
  const value = (i: number, j: number): number =>
    i < 0 || j < 0 || i >= gridSize || j >= gridSize
      ? Number.POSITIVE_INFINITY
      : (values[i * gridSize + j] ?? Number.NaN);
  for (let i = 0; i < gridSize; i++) {
    for (let j = 0; j < gridSize; j++) {
      const v = value(i, j);
      if (!(v <= threshold)) continue;
      let isLocalMin = true;
      for (let di = -1; di <= 1 && isLocalMin; di++) {
        for (let dj = -1; dj <= 1; dj++) {
          if ((di !== 0 || dj !== 0) && value(i + di, j + dj) < v) {
            isLocalMin = false;
            break;
          }
        }
      }
      if (!isLocalMin) continue;
      const theta = grid[i * gridSize + j] ?? first.theta;
      if (nearListed(theta, radius)) continue;
      // Not next to a listed minimum (e.g. a point on the floor of a narrow valley): descend from
      // it; if that reaches L*, it found a global minimum that is not listed.
      const found = polish(surface, theta);
      const reached = surface.loss(found);
      if (reached <= best + 1e-9 * (1 + Math.abs(best)) && !nearListed(found, 1e-4 * diagonal)) {
        failures.push(
          `${id}: descending from the grid point ${at(theta)} reaches L(${at(found)}) = ${reached}, a global minimum that is not listed`,
        );
      }
    }
  }
  return failures;
}

/**
 * A local minimum near θ, by damped Newton steps (gradient steps where the Hessian is not positive
 * definite) with a backtracking line search on L, kept inside the box.
 */
function polish(surface: Surface, start: Vec2): Vec2 {
  let theta = start;
  let value = surface.loss(theta);
  for (let k = 0; k < 200; k++) {
    const [gw, gb] = surface.gradient(theta);
    const [[a, c], [, d]] = surface.hessian(theta);
    const det = a * d - c * c;
    const newton = a > 0 && det > 0;
    const sw = newton ? -(d * gw - c * gb) / det : -gw;
    const sb = newton ? -(a * gb - c * gw) / det : -gb;
    let moved = false;
    for (let t = 1; t > 1e-12; t /= 2) {
      const next = clampToBox([theta[0] + t * sw, theta[1] + t * sb], surface.domain);
      const nextValue = surface.loss(next);
      if (nextValue < value) {
        theta = next;
        value = nextValue;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return theta;
}

/**
 * Runs plain gradient descent θ ← clamp(θ − η_bot ∇L(θ)) from `surface.start` for `steps` steps
 * and reports a NaN, any step that raises the loss (beyond rounding, 1e-12 relative), or a final
 * loss not below the initial one.
 */
export function descentFailures(surface: Surface, steps: number): string[] {
  const failures: string[] = [];
  const eta = surface.botEta;
  let theta = surface.start;
  const initial = surface.loss(theta);
  let previous = initial;
  for (let k = 1; k <= steps; k++) {
    const [gw, gb] = surface.gradient(theta);
    theta = clampToBox([theta[0] - eta * gw, theta[1] - eta * gb], surface.domain);
    const value = surface.loss(theta);
    if (Number.isNaN(value) || Number.isNaN(theta[0]) || Number.isNaN(theta[1])) {
      failures.push(`${surface.id}: gradient descent (η = ${eta}) reached NaN at step ${k}`);
      return failures;
    }
    if (value > previous + 1e-12 * (1 + Math.abs(previous))) {
      failures.push(
        `${surface.id}: gradient descent (η = ${eta}) raised the loss from ${previous} to ${value} at step ${k}, ${at(theta)}`,
      );
    }
    previous = value;
  }
  if (!(previous < initial)) {
    failures.push(
      `${surface.id}: after ${steps} steps of gradient descent (η = ${eta}) the loss is ${previous}, not below L(θ₀) = ${initial}`,
    );
  }
  return failures;
}
