import { dot, norm, scale } from "./geometry";
import type { Hessian, Vec2 } from "./types";
import { acos } from "./math";

/**
 * The seed article's argument, as functions. Taylor's series around θ gives
 *
 *   L(θ + ηu) = L(θ) + η uᵀ∇L(θ) + (η²/2) uᵀ∇²L(θ) u + O(η³),
 *
 * and since uᵀ∇L = ‖u‖‖∇L‖cos β, the first-order change is most negative when β = 180°: the
 * steepest way down is opposite to the gradient. The second-order term is why a large η
 * overshoots a curved valley.
 */

/** The quadratic form uᵀHu. */
export function quadraticForm(hessian: Hessian, u: Vec2): number {
  const [[a, c], [c2, d]] = hessian;
  return a * u[0] * u[0] + (c + c2) * u[0] * u[1] + d * u[1] * u[1];
}

/** First-order predicted change ΔL ≈ η uᵀ∇L(θ). */
export function firstOrderChange(gradient: Vec2, u: Vec2, eta: number): number {
  return eta * dot(u, gradient);
}

/** Second-order predicted change ΔL ≈ η uᵀ∇L(θ) + (η²/2) uᵀ∇²L(θ)u. */
export function secondOrderChange(gradient: Vec2, hessian: Hessian, u: Vec2, eta: number): number {
  return eta * dot(u, gradient) + 0.5 * eta * eta * quadraticForm(hessian, u);
}

/**
 * Predicted L(θ + ηu) from the value, gradient and (for order 2) Hessian at θ.
 * @param order 1 or 2 (@default 1)
 */
export function predictLoss(
  loss: number,
  gradient: Vec2,
  hessian: Hessian,
  u: Vec2,
  eta: number,
  order: 1 | 2 = 1,
): number {
  return (
    loss +
    (order === 1
      ? firstOrderChange(gradient, u, eta)
      : secondOrderChange(gradient, hessian, u, eta))
  );
}

/**
 * The angle β ∈ [0, π] between a direction u and the gradient, from cos β = uᵀ∇L / (‖u‖‖∇L‖).
 * Returns `null` when either vector is zero (at a stationary point every direction is flat to
 * first order, so β is undefined).
 */
export function angleToGradient(u: Vec2, gradient: Vec2): number | null {
  const k = norm(u) * norm(gradient);
  if (!(k > 0) || !Number.isFinite(k)) return null;
  const c = Math.max(-1, Math.min(1, dot(u, gradient) / k));
  return acos(c);
}

/**
 * The unit steepest-descent direction −∇L/‖∇L‖ (β = 180°), or `null` at a stationary point.
 */
export function steepestDescentDirection(gradient: Vec2): Vec2 | null {
  const n = norm(gradient);
  if (!(n > 0) || !Number.isFinite(n)) return null;
  return scale(gradient, -1 / n);
}
