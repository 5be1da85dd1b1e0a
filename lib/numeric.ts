import type { Hessian, Vec2 } from "./types";

/**
 * Finite-difference derivatives, used to check the analytic ones and as a fallback reference.
 * Central differences have error O(h²); the default step h = 1e-5 · max(1, |θᵢ|) balances that
 * truncation error against floating-point cancellation for double precision.
 */

function stepFor(x: number, h: number): number {
  return h * Math.max(1, Math.abs(x));
}

/** ∇L(θ) by central differences: ∂L/∂θᵢ ≈ (L(θ + hᵢeᵢ) − L(θ − hᵢeᵢ)) / 2hᵢ. */
export function centralGradient(loss: (theta: Vec2) => number, theta: Vec2, h = 1e-5): Vec2 {
  const [w, b] = theta;
  const hw = stepFor(w, h);
  const hb = stepFor(b, h);
  return [
    (loss([w + hw, b]) - loss([w - hw, b])) / (2 * hw),
    (loss([w, b + hb]) - loss([w, b - hb])) / (2 * hb),
  ];
}

/** ∇²L(θ) by central differences of the analytic gradient (symmetrised). */
export function centralHessian(gradient: (theta: Vec2) => Vec2, theta: Vec2, h = 1e-5): Hessian {
  const [w, b] = theta;
  const hw = stepFor(w, h);
  const hb = stepFor(b, h);
  const gwp = gradient([w + hw, b]);
  const gwm = gradient([w - hw, b]);
  const gbp = gradient([w, b + hb]);
  const gbm = gradient([w, b - hb]);
  const hww = (gwp[0] - gwm[0]) / (2 * hw);
  const hbb = (gbp[1] - gbm[1]) / (2 * hb);
  const hwb = ((gwp[1] - gwm[1]) / (2 * hw) + (gbp[0] - gbm[0]) / (2 * hb)) / 2;
  return [
    [hww, hwb],
    [hwb, hbb],
  ];
}

/**
 * Whether `actual` matches `expected` within a relative-and-absolute tolerance:
 * |a − e| ≤ atol + rtol·max(|a|, |e|).
 */
export function close(actual: number, expected: number, rtol = 1e-6, atol = 1e-8): boolean {
  return (
    Math.abs(actual - expected) <= atol + rtol * Math.max(Math.abs(actual), Math.abs(expected))
  );
}
