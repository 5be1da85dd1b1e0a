import type { Hessian, Vec2 } from "../types";
import { finishStep, initialState } from "./shared";
import type { Optimizer } from "./types";
import { hypot } from "../math";

/** Default Levenberg damping λ of the Newton bot. */
const NEWTON_DAMPING = 1e-3;

/**
 * The damped Newton direction d solving (H + λI) d = g for a symmetric 2×2 Hessian H, by
 * Cramer's rule, or `null` when no finite direction comes out. H is symmetrised first,
 * H ← (H + Hᵀ)/2.
 *
 * If H + λI is not positive definite (its smallest eigenvalue μ_min(H) + λ ≤ 0, with
 * μ_min(H) = (a + d)/2 − √(((a − d)/2)² + c²) in closed form), λ is raised Levenberg-style, in
 * closed form rather than by trial multiplication: λ ← λ − 2μ_min(H). The smallest eigenvalue
 * of the damped Hessian is then |μ_min(H)| + λ > 0: the negative curvature is mirrored, so the
 * step −d is a descent direction (gᵀ(H + λI)⁻¹g > 0) whose length along that eigenvector is
 * what Newton's method would take on a surface curved up as much as this one curves down.
 * When even that leaves H + λI singular (H has a zero eigenvalue and λ = 0), `null` is
 * returned and the caller falls back to a gradient step.
 */
export function dampedNewtonDirection(g: Vec2, h: Hessian, damping: number): Vec2 | null {
  const a = h[0][0];
  const d = h[1][1];
  const c = (h[0][1] + h[1][0]) / 2;
  const muMin = (a + d) / 2 - hypot((a - d) / 2, c);
  if (!Number.isFinite(muMin)) return null;
  const lambda = muMin + damping > 0 ? damping : damping - 2 * muMin;
  const a2 = a + lambda;
  const d2 = d + lambda;
  const det = a2 * d2 - c * c;
  if (!(det > 0) || !(a2 > 0)) return null;
  const x = (d2 * g[0] - c * g[1]) / det;
  const y = (a2 * g[1] - c * g[0]) / det;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  return [x, y];
}

/**
 * Damped Newton's method (Levenberg 1944): solve (∇²L(θ) + λI) d = ∇L(θ), then θ ← θ − ηd. On
 * a convex quadratic with η = 1 and λ = 0 one step lands on the minimum. Where the damped
 * Hessian is not positive definite (a saddle, a ridge), λ is raised until it is (see
 * {@link dampedNewtonDirection}); if the system stays singular or overflows, the step falls back
 * to gradient descent, θ ← θ − η∇L(θ).
 * @default damping 1e-3
 */
export const newton: Optimizer = {
  id: "newton",
  name: "Newton's method",
  description:
    "Uses the curvature to jump to the bottom of the local bowl: solve (∇²L + λI)d = ∇L, then θ ← θ − ηd.",
  defaults: { damping: NEWTON_DAMPING },
  init: initialState,
  step(state, surface, params) {
    const { eta } = params;
    const damping = params.damping ?? NEWTON_DAMPING;
    const g = surface.gradient(state.theta);
    const d = dampedNewtonDirection(g, surface.hessian(state.theta), damping) ?? g;
    return finishStep(
      state,
      surface.domain,
      state.theta[0] - eta * d[0],
      state.theta[1] - eta * d[1],
      state.m,
      state.v,
    );
  },
};
