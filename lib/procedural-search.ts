import type { Box, Hessian, Minimum, Vec2 } from "./types";

/**
 * Numerical minimisation for surfaces with an analytic gradient and Hessian: a damped Newton
 * method and a multi-start search for the global minimum over a box.
 */

/**
 * √(x² + y²) with basic operations and one square root (`Math.hypot`'s rounding is left to each
 * engine; this gives the same bits everywhere, which keeps the construction deterministic).
 */
export function euclid(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}

/** A twice-differentiable function of θ = (w, b). */
export interface Smooth2 {
  loss(theta: Vec2): number;
  gradient(theta: Vec2): Vec2;
  hessian(theta: Vec2): Hessian;
}

/** The eigenvalues λ₋ ≤ λ₊ of a symmetric 2×2 matrix: m ∓ √(((a − d)/2)² + c²), m = (a + d)/2. */
export function symmetricEigenvalues(h: Hessian): [number, number] {
  const a = h[0][0];
  const c = h[0][1];
  const d = h[1][1];
  const m = 0.5 * (a + d);
  const r = euclid(0.5 * (a - d), c);
  return [m - r, m + r];
}

/** The result of one local minimisation. */
export interface LocalResult {
  readonly theta: Vec2;
  readonly loss: number;
  /** ‖∇L‖ at `theta`. */
  readonly gradNorm: number;
  /** Smallest Hessian eigenvalue at `theta` (> 0 at a strict local minimum). */
  readonly minCurvature: number;
}

/** Longest Newton step, so that an indefinite region does not throw the iterate far away. */
const MAX_STEP = 2;

/**
 * Damped Newton's method from `start`: the step p solves (∇²L + μI)p = −∇L, with μ = 0 where the
 * Hessian is positive definite and μ = −λ₋ + 10⁻³·max(1, |λ₊|) otherwise (so p is always a
 * descent direction), p is capped at length 2, and t ∈ {1, ½, ¼, …} is the first step fraction
 * passing Armijo's test L(θ + tp) ≤ L(θ) + 10⁻⁴ t pᵀ∇L. Close to a minimum, where rounding hides
 * any decrease of L, a full Newton step is still taken if it reduces ‖∇L‖, so the iterate
 * converges quadratically down to rounding level.
 */
export function newtonMinimize(f: Smooth2, start: Vec2, maxIterations = 100): LocalResult {
  let w = start[0];
  let b = start[1];
  let value = f.loss(start);
  let g = f.gradient(start);
  let gn = euclid(g[0], g[1]);
  for (let it = 0; it < maxIterations && gn > 0; it++) {
    const h = f.hessian([w, b]);
    const [lo, hi] = symmetricEigenvalues(h);
    const scale = Math.max(1, Math.abs(hi));
    const mu = lo > 1e-9 * scale ? 0 : -lo + 1e-3 * scale;
    const a = h[0][0] + mu;
    const c = h[0][1];
    const d = h[1][1] + mu;
    const det = a * d - c * c;
    let px = -(d * g[0] - c * g[1]) / det;
    let py = -(a * g[1] - c * g[0]) / det;
    const len = euclid(px, py);
    if (!(len > 0) || !Number.isFinite(len)) break;
    if (len > MAX_STEP) {
      px *= MAX_STEP / len;
      py *= MAX_STEP / len;
    }
    const slope = px * g[0] + py * g[1];
    let t = 1;
    let accepted = false;
    for (; t > 1e-10; t *= 0.5) {
      const next = f.loss([w + t * px, b + t * py]);
      if (next <= value + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
    }
    let gNext: Vec2;
    if (accepted) {
      gNext = f.gradient([w + t * px, b + t * py]);
    } else {
      // Rounding level: accept the full step only if it shrinks the gradient.
      t = 1;
      gNext = f.gradient([w + px, b + py]);
      if (!(euclid(gNext[0], gNext[1]) < gn)) break;
    }
    const nw = w + t * px;
    const nb = b + t * py;
    const moved = euclid(nw - w, nb - b);
    w = nw;
    b = nb;
    value = f.loss([w, b]);
    g = gNext;
    gn = euclid(g[0], g[1]);
    if (moved <= 1e-16 * (1 + euclid(w, b))) break;
  }
  const [lo] = symmetricEigenvalues(f.hessian([w, b]));
  return { theta: [w, b], loss: value, gradNorm: gn, minCurvature: lo };
}

/** Options of {@link findGlobalMinima}. */
export interface GlobalSearchOptions {
  /** Starts of the local searches, besides the grid. */
  readonly extraStarts?: readonly Vec2[];
  /** The grid of starts has gridSize × gridSize points, cell centres of the box. @default 7 */
  readonly gridSize?: number;
  /** Largest ‖∇L‖ accepted at a local minimum. @default 1e-7 */
  readonly gradientTolerance?: number;
  /** Relative tolerance under which two minima count as tied. @default 1e-9 */
  readonly tieTolerance?: number;
}

/**
 * Every strict local minimum found by {@link newtonMinimize} from a grid of starts over the box
 * plus the given extra starts, deduplicated (points closer than 10⁻⁶ are one minimum), restricted
 * to those inside the box, sorted by loss (ties by position, so the result does not depend on the
 * order of the starts). The first entry is the best local minimum found; every minimum whose
 * loss is within `tieTolerance`·max(1, |L*|) of it is a co-global minimum.
 */
export function findLocalMinima(
  f: Smooth2,
  box: Box,
  options: GlobalSearchOptions = {},
): LocalResult[] {
  const n = options.gridSize ?? 7;
  const gtol = options.gradientTolerance ?? 1e-7;
  const starts: Vec2[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      starts.push([
        box.min[0] + ((i + 0.5) / n) * (box.max[0] - box.min[0]),
        box.min[1] + ((j + 0.5) / n) * (box.max[1] - box.min[1]),
      ]);
    }
  }
  starts.push(...(options.extraStarts ?? []));
  const found: LocalResult[] = [];
  for (const start of starts) {
    const r = newtonMinimize(f, start);
    if (!(r.gradNorm <= gtol) || !(r.minCurvature > 0) || !Number.isFinite(r.loss)) continue;
    const [w, b] = r.theta;
    if (w < box.min[0] || w > box.max[0] || b < box.min[1] || b > box.max[1]) continue;
    const same = found.findIndex((m) => euclid(m.theta[0] - w, m.theta[1] - b) < 1e-6);
    if (same < 0) found.push(r);
    else if (r.loss < found[same]!.loss) found[same] = r;
  }
  found.sort((p, q) => p.loss - q.loss || p.theta[0] - q.theta[0] || p.theta[1] - q.theta[1]);
  return found;
}

/** The global minima among sorted local minima: all within `tol` relative of the best one. */
export function globalMinima(sorted: readonly LocalResult[], tol = 1e-9): Minimum[] {
  const best = sorted[0];
  if (!best) return [];
  const limit = best.loss + tol * Math.max(1, Math.abs(best.loss));
  return sorted
    .filter((m) => m.loss <= limit)
    .map((m) => ({ theta: [m.theta[0], m.theta[1]] as const, loss: m.loss }));
}

/** The lowest loss sampled at `samples` points along each of the box's four edges. */
export function edgeMinimum(loss: (theta: Vec2) => number, box: Box, samples: number): number {
  let lowest = Infinity;
  for (let i = 0; i < samples; i++) {
    const u = i / (samples - 1);
    const w = box.min[0] + u * (box.max[0] - box.min[0]);
    const b = box.min[1] + u * (box.max[1] - box.min[1]);
    lowest = Math.min(
      lowest,
      loss([w, box.min[1]]),
      loss([w, box.max[1]]),
      loss([box.min[0], b]),
      loss([box.max[0], b]),
    );
  }
  return lowest;
}
