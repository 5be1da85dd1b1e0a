import type { Hessian, Surface, Vec2 } from "../types";
import { defineSurface } from "./define-surface";
import { exp } from "../math";

/*
 * The seed article's setting: one sigmoid neuron f(x) = σ(wx + b), σ(z) = 1/(1 + e^(−z)), fitted
 * to two points (x₁, y₁) = (0.5, 0.2) and (x₂, y₂) = (2.5, 0.9) by the squared error
 * L(w, b) = ½ Σ (f(xᵢ) − yᵢ)².
 *
 * With fᵢ = σ(zᵢ), zᵢ = wxᵢ + b and σ' = σ(1 − σ):
 *   ∂L/∂w = Σ gᵢ xᵢ, ∂L/∂b = Σ gᵢ, gᵢ = (fᵢ − yᵢ) fᵢ(1 − fᵢ);
 *   ∇²L = Σ hᵢ [xᵢ², xᵢ; xᵢ, 1], hᵢ = fᵢ(1 − fᵢ) [fᵢ(1 − fᵢ) + (fᵢ − yᵢ)(1 − 2fᵢ)].
 */

function neuronLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const e1 = 1 / (1 + exp(-(0.5 * w + b))) - 0.2;
  const e2 = 1 / (1 + exp(-(2.5 * w + b))) - 0.9;
  return 0.5 * (e1 * e1 + e2 * e2);
}

function neuronGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const f1 = 1 / (1 + exp(-(0.5 * w + b)));
  const f2 = 1 / (1 + exp(-(2.5 * w + b)));
  const g1 = (f1 - 0.2) * f1 * (1 - f1);
  const g2 = (f2 - 0.9) * f2 * (1 - f2);
  return [0.5 * g1 + 2.5 * g2, g1 + g2];
}

function neuronHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  const f1 = 1 / (1 + exp(-(0.5 * w + b)));
  const f2 = 1 / (1 + exp(-(2.5 * w + b)));
  const d1 = f1 * (1 - f1);
  const d2 = f2 * (1 - f2);
  const h1 = d1 * (d1 + (f1 - 0.2) * (1 - 2 * f1));
  const h2 = d2 * (d2 + (f2 - 0.9) * (1 - 2 * f2));
  const hwb = 0.5 * h1 + 2.5 * h2;
  return [
    [0.25 * h1 + 6.25 * h2, hwb],
    [hwb, h1 + h2],
  ];
}

/**
 * The exact fit: σ(0.5w + b) = 0.2 and σ(2.5w + b) = 0.9 give 0.5w + b = −ln 4 and
 * 2.5w + b = ln 9, so w* = ln 6 ≈ 1.791759 and b* = −ln 4 − ½ ln 6 ≈ −2.282174 (double-rounded).
 */
const NEURON_W = 1.791759469228055;
const NEURON_B = -2.282174095733918;

/**
 * The loss of one sigmoid neuron on the two points of the seed article ("why gradient descent
 * moves opposite to the gradient"), L(w, b) = ½ Σ (σ(wxᵢ + b) − yᵢ)²
 * with (xᵢ, yᵢ) = (0.5, 0.2), (2.5, 0.9): plateaus where the sigmoid saturates, a curved valley
 * towards the fit. Domain [−6, 6]²; global minimum L* = 0 (an exact fit) at
 * (ln 6, −ln 4 − ½ ln 6) ≈ (1.791759, −2.282174).
 */
export const neuron: Surface = defineSurface({
  id: "neuron",
  name: "One sigmoid neuron",
  description:
    "The error of a single sigmoid neuron f(x) = σ(wx + b) fitting two data points, the setting of the article behind the game: a saturated sigmoid makes a flat plateau, then the loss drops into a curved valley.",
  formula: "L(w, b) = ½ [(σ(0.5w + b) − 0.2)² + (σ(2.5w + b) − 0.9)²], σ(z) = 1 / (1 + e⁻ᶻ)",
  loss: neuronLoss,
  gradient: neuronGradient,
  hessian: neuronHessian,
  domain: { min: [-6, -6], max: [6, 6] },
  minima: [{ theta: [NEURON_W, NEURON_B], loss: 0 }],
  start: [-2, -2],
  etaMax: 2,
  botEta: 2,
  difficulty: "medium",
});
