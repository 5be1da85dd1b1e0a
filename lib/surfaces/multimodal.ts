import type { Hessian, Surface, Vec2 } from "../types";
import { defineSurface } from "./define-surface";
import { cos, exp, sin } from "../math";

/*
 * The two classic "egg-crate" test functions: a simple trend (a bowl, a cone) covered by a
 * regular grid of cosine ripples, so that every ripple is a local minimum.
 */

const TWO_PI = 2 * Math.PI;
const PI_SQUARED = Math.PI * Math.PI;

// ---------------------------------------------------------------------------------------------
// Rastrigin

function rastriginLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  return 20 + w * w - 10 * cos(TWO_PI * w) + b * b - 10 * cos(TWO_PI * b);
}

function rastriginGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  return [2 * w + 20 * Math.PI * sin(TWO_PI * w), 2 * b + 20 * Math.PI * sin(TWO_PI * b)];
}

function rastriginHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  return [
    [2 + 40 * PI_SQUARED * cos(TWO_PI * w), 0],
    [0, 2 + 40 * PI_SQUARED * cos(TWO_PI * b)],
  ];
}

/**
 * Rastrigin's function in two dimensions with A = 10, L(w, b) = 20 + Σ (x² − 10 cos 2πx) over
 * x ∈ {w, b} (Rastrigin 1974; Mühlenbein et al. 1991): a bowl under a grid of ripples with a local
 * minimum near every integer point. Domain [−5.12, 5.12]²; global minimum L* = 0 at (0, 0).
 */
export const rastrigin: Surface = defineSurface({
  id: "rastrigin",
  name: "Rastrigin",
  description:
    "An egg crate on top of a bowl: every small step ends in a nearby dimple, so only steps long enough to jump the ripples follow the bowl down.",
  formula: "L(w, b) = 20 + w² − 10 cos(2πw) + b² − 10 cos(2πb)",
  loss: rastriginLoss,
  gradient: rastriginGradient,
  hessian: rastriginHessian,
  domain: { min: [-5.12, -5.12], max: [5.12, 5.12] },
  minima: [{ theta: [0, 0], loss: 0 }],
  start: [3.7, -3.2],
  etaMax: 2,
  botEta: 0.002,
  difficulty: "expert",
});

// ---------------------------------------------------------------------------------------------
// Ackley

function ackleyLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const r = Math.sqrt(0.5 * (w * w + b * b));
  const e1 = exp(-0.2 * r);
  const e2 = exp(0.5 * (cos(TWO_PI * w) + cos(TWO_PI * b)));
  // Grouped so that L(0, 0) is exactly 0: (20 − 20·1) + (e − e¹).
  return 20 - 20 * e1 + (Math.E - e2);
}

function ackleyGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const r = Math.sqrt(0.5 * (w * w + b * b));
  const e2 = exp(0.5 * (cos(TWO_PI * w) + cos(TWO_PI * b)));
  const ripple = Math.PI * e2;
  // The cone term −20·e^(−0.2r) has gradient 2e^(−0.2r)·θ/r; at r = 0 we use the subgradient 0.
  const cone = r > 0 ? (2 * exp(-0.2 * r)) / r : 0;
  return [cone * w + ripple * sin(TWO_PI * w), cone * b + ripple * sin(TWO_PI * b)];
}

function ackleyHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  const s2 = w * w + b * b;
  const r = Math.sqrt(0.5 * s2);
  const e2 = exp(0.5 * (cos(TWO_PI * w) + cos(TWO_PI * b)));
  const sw = sin(TWO_PI * w);
  const sb = sin(TWO_PI * b);
  const k = PI_SQUARED * e2;
  let hww = k * (2 * cos(TWO_PI * w) - sw * sw);
  let hbb = k * (2 * cos(TWO_PI * b) - sb * sb);
  let hwb = -k * sw * sb;
  if (r > 0) {
    // The cone −20e^(−cρ), ρ = ‖θ‖, c = 0.2/√2, is radial: H = f''·θθᵀ/ρ² + (f'/ρ)(I − θθᵀ/ρ²)
    // with f'/ρ = 2e^(−0.2r)/r and f'' = −0.4e^(−0.2r). At the tip (r = 0) it is left out.
    const e1 = exp(-0.2 * r);
    const radial = (2 * e1) / r;
    const along = (-0.4 * e1 - radial) / s2;
    hww += radial + along * w * w;
    hbb += radial + along * b * b;
    hwb += along * w * b;
  }
  return [
    [hww, hwb],
    [hwb, hbb],
  ];
}

/**
 * Ackley's function in two dimensions with a = 20, b = 0.2, c = 2π (Ackley 1987),
 * L(w, b) = −20 exp(−0.2 √(½(w² + b²))) − exp(½(cos 2πw + cos 2πb)) + 20 + e: a cone, sharp at its
 * tip, covered by ripples. Domain [−5, 5]² (the search domain of Surjanovic & Bingham is
 * [−32.768, 32.768]²; the smaller box keeps the ripples visible at the reveal); global minimum
 * L* = 0 at (0, 0), where the gradient is taken as the subgradient 0 and the Hessian leaves out the
 * cone's (infinite) curvature.
 */
export const ackley: Surface = defineSurface({
  id: "ackley",
  name: "Ackley",
  description:
    "A nearly flat, rippled plain around a deep, sharp hole: far out the gradient mostly points to the nearest ripple, not to the hole.",
  formula: "L(w, b) = −20 exp(−0.2 √(½ (w² + b²))) − exp(½ (cos 2πw + cos 2πb)) + 20 + e",
  loss: ackleyLoss,
  gradient: ackleyGradient,
  hessian: ackleyHessian,
  domain: { min: [-5, -5], max: [5, 5] },
  minima: [{ theta: [0, 0], loss: 0 }],
  start: [3.4, -2.6],
  etaMax: 2,
  botEta: 0.01,
  difficulty: "expert",
});
