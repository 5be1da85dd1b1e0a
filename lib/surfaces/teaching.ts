import type { Hessian, Surface, Vec2 } from "../types";
import { defineSurface } from "./define-surface";
import { exp } from "../math";

/*
 * Surfaces designed for this game (no published source), each isolating one way gradient descent
 * goes wrong: a saddle, a plateau, an ill-conditioned bowl and a curved valley. All are smooth on
 * the whole plane and have closed-form global minima.
 */

// ---------------------------------------------------------------------------------------------
// Saddle pass

function saddlePassLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const u = w * w - 1;
  return 2 * u * u + 0.5 * b * b;
}

function saddlePassGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  return [8 * w * (w * w - 1), theta[1]];
}

function saddlePassHessian(theta: Vec2): Hessian {
  const w = theta[0];
  return [
    [24 * w * w - 8, 0],
    [0, 1],
  ];
}

/**
 * A double well, L(w, b) = 2(w² − 1)² + ½b²: a saddle point at (0, 0) with L = 2 (Hessian
 * diag(−8, 1)) between two global minima L* = 0 at (±1, 0). The start lies almost on the saddle's
 * attracting line w = 0, where ∂L/∂w ≈ 0. Domain [−2, 2] × [−3, 3].
 */
export const saddlePass: Surface = defineSurface({
  id: "saddle-pass",
  name: "Saddle pass",
  description:
    "You start on the ridge above a mountain pass: the gradient only points down into the pass, where it vanishes and the bot stalls, while the real valleys lie to either side.",
  formula: "L(w, b) = 2 (w² − 1)² + ½ b²",
  loss: saddlePassLoss,
  gradient: saddlePassGradient,
  hessian: saddlePassHessian,
  domain: { min: [-2, -3], max: [2, 3] },
  minima: [
    { theta: [-1, 0], loss: 0 },
    { theta: [1, 0], loss: 0 },
  ],
  start: [0.001, 2.5],
  etaMax: 1,
  botEta: 0.05,
  difficulty: "medium",
});

// ---------------------------------------------------------------------------------------------
// Plateau

function plateauLoss(theta: Vec2): number {
  const x = theta[0] - 1;
  const y = theta[1] + 1;
  const r2 = x * x + y * y;
  return 1 - exp(-0.5 * r2) + 0.005 * r2;
}

function plateauGradient(theta: Vec2): Vec2 {
  const x = theta[0] - 1;
  const y = theta[1] + 1;
  const k = exp(-0.5 * (x * x + y * y)) + 0.01;
  return [k * x, k * y];
}

function plateauHessian(theta: Vec2): Hessian {
  const x = theta[0] - 1;
  const y = theta[1] + 1;
  const e = exp(-0.5 * (x * x + y * y));
  const k = e + 0.01;
  const hwb = -e * x * y;
  return [
    [k - e * x * x, hwb],
    [hwb, k - e * y * y],
  ];
}

/**
 * A Gaussian well in a nearly flat plain, L(w, b) = 1 − exp(−r²/2) + r²/200 with
 * r² = (w − 1)² + (b + 1)²: beyond r ≈ 4 the well contributes nothing and the gradient is the
 * faint tilt r/100. Domain [−6, 6]²; global minimum L* = 0 at (1, −1).
 */
export const plateau: Surface = defineSurface({
  id: "plateau",
  name: "Plateau",
  description:
    "A huge, almost flat plain around one well: the gradient is tiny, so the bot's steps are tiny too, but a small gradient does not mean you have arrived.",
  formula: "L(w, b) = 1 − exp(−r²/2) + r²/200, r² = (w − 1)² + (b + 1)²",
  loss: plateauLoss,
  gradient: plateauGradient,
  hessian: plateauHessian,
  domain: { min: [-6, -6], max: [6, 6] },
  minima: [{ theta: [1, -1], loss: 0 }],
  start: [-4.5, 4],
  etaMax: 2.5,
  botEta: 1,
  difficulty: "hard",
});

// ---------------------------------------------------------------------------------------------
// Ill-conditioned bowl

function illConditionedBowlLoss(theta: Vec2): number {
  const x = theta[0] - 1;
  const y = theta[1] + 2;
  return 8.5 * x * x + 12 * x * y + 5 * y * y;
}

function illConditionedBowlGradient(theta: Vec2): Vec2 {
  const x = theta[0] - 1;
  const y = theta[1] + 2;
  return [17 * x + 12 * y, 12 * x + 10 * y];
}

function illConditionedBowlHessian(_theta: Vec2): Hessian {
  return [
    [17, 12],
    [12, 10],
  ];
}

/**
 * A rotated, stretched quadratic, L(w, b) = 8.5(w − 1)² + 12(w − 1)(b + 2) + 5(b + 2)²: Hessian
 * [[17, 12], [12, 10]] with eigenvalues 26 along (4, 3)/5 and 1 along (−3, 4)/5 (condition number
 * 26). Gradient descent is stable only for η < 2/26 and then zig-zags across the bowl; one Newton
 * step lands on the minimum. Domain [−5, 5]²; global minimum L* = 0 at (1, −2).
 */
export const illConditionedBowl: Surface = defineSurface({
  id: "ill-conditioned-bowl",
  name: "Tilted narrow bowl",
  description:
    "A bowl 26 times steeper one way than the other, and tilted: the gradient points mostly at the near wall, so steepest descent zig-zags while a step that knows the curvature (Newton) goes straight to the bottom.",
  formula: "L(w, b) = 8.5 (w − 1)² + 12 (w − 1)(b + 2) + 5 (b + 2)²",
  loss: illConditionedBowlLoss,
  gradient: illConditionedBowlGradient,
  hessian: illConditionedBowlHessian,
  domain: { min: [-5, -5], max: [5, 5] },
  minima: [{ theta: [1, -2], loss: 0 }],
  start: [-4, 2],
  etaMax: 2,
  botEta: 0.07,
  difficulty: "medium",
});

// ---------------------------------------------------------------------------------------------
// Crescent valley

function crescentValleyLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const ring = w * w + b * b - 4;
  const x = w - 2;
  return ring * ring + 0.5 * (x * x + b * b);
}

function crescentValleyGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const k = 4 * (w * w + b * b - 4);
  return [k * w + w - 2, (k + 1) * b];
}

function crescentValleyHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  const k = 4 * (w * w + b * b - 4) + 1;
  const hwb = 8 * w * b;
  return [
    [k + 8 * w * w, hwb],
    [hwb, k + 8 * b * b],
  ];
}

/**
 * A circular valley, L(w, b) = (w² + b² − 4)² + ½((w − 2)² + b²): the first term is a narrow
 * trench along the circle of radius 2 (curvature ≈ 33 across it), the second a gentle pull
 * (curvature 1) towards (2, 0), so the floor of the trench descends around the circle and the
 * direct route crosses a hump of height 18 at the centre. Domain [−3, 3]²; global minimum L* = 0
 * at (2, 0).
 */
export const crescentValley: Surface = defineSurface({
  id: "crescent-valley",
  name: "Crescent valley",
  description:
    "A narrow trench that bends around a hill: the bottom is on the far side, the straight line there climbs over the hill, and downhill always points at the trench's wall rather than along it.",
  formula: "L(w, b) = (w² + b² − 4)² + ½ ((w − 2)² + b²)",
  loss: crescentValleyLoss,
  gradient: crescentValleyGradient,
  hessian: crescentValleyHessian,
  domain: { min: [-3, -3], max: [3, 3] },
  minima: [{ theta: [2, 0], loss: 0 }],
  start: [-1.7, 1.1],
  etaMax: 1.2,
  botEta: 0.02,
  difficulty: "hard",
});
