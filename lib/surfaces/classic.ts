import type { Hessian, Surface, Vec2 } from "../types";
import { defineSurface } from "./define-surface";

/*
 * The classic 2-D optimisation test functions with polynomial formulas, in their textbook form
 * (no rescaling). References: Surjanovic & Bingham, "Virtual Library of Simulation Experiments"
 * (sfu.ca/~ssurjano); Jamil & Yang, "A literature survey of benchmark functions for global
 * optimization problems" (2013). Derivatives are hand-derived; the tests check them against
 * central differences.
 */

// ---------------------------------------------------------------------------------------------
// Booth

function boothLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const r1 = w + 2 * b - 7;
  const r2 = 2 * w + b - 5;
  return r1 * r1 + r2 * r2;
}

function boothGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  return [10 * w + 8 * b - 34, 8 * w + 10 * b - 38];
}

function boothHessian(_theta: Vec2): Hessian {
  return [
    [10, 8],
    [8, 10],
  ];
}

/**
 * Booth's function (as listed by Jamil & Yang 2013), L(w, b) = (w + 2b − 7)² + (2w + b − 5)²: a
 * convex quadratic bowl with Hessian
 * [[10, 8], [8, 10]] (eigenvalues 18 and 2). Domain [−10, 10]²; global minimum L* = 0 at (1, 3).
 */
export const booth: Surface = defineSurface({
  id: "booth",
  name: "Booth",
  description:
    "A smooth, slightly stretched bowl with a single minimum: walk against the gradient and you get there. The warm-up surface.",
  formula: "L(w, b) = (w + 2b − 7)² + (2w + b − 5)²",
  loss: boothLoss,
  gradient: boothGradient,
  hessian: boothHessian,
  domain: { min: [-10, -10], max: [10, 10] },
  minima: [{ theta: [1, 3], loss: 0 }],
  start: [-6, -7],
  etaMax: 4,
  botEta: 0.02,
  difficulty: "easy",
});

// ---------------------------------------------------------------------------------------------
// Matyas

function matyasLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  return 0.26 * (w * w + b * b) - 0.48 * w * b;
}

function matyasGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  return [0.52 * w - 0.48 * b, 0.52 * b - 0.48 * w];
}

function matyasHessian(_theta: Vec2): Hessian {
  return [
    [0.52, -0.48],
    [-0.48, 0.52],
  ];
}

/**
 * Matyas' function (Matyas 1965, as listed by Jamil & Yang 2013),
 * L(w, b) = 0.26 (w² + b²) − 0.48 wb: a convex quadratic whose Hessian has eigenvalues 1 (across
 * the diagonal w = −b) and 0.04 (along w = b). Domain [−10, 10]²; global minimum L* = 0 at (0, 0).
 */
export const matyas: Surface = defineSurface({
  id: "matyas",
  name: "Matyas",
  description:
    "A bowl stretched along the diagonal: the gradient points mostly across the long valley, not down it, so steps shrink as the floor flattens.",
  formula: "L(w, b) = 0.26 (w² + b²) − 0.48 w b",
  loss: matyasLoss,
  gradient: matyasGradient,
  hessian: matyasHessian,
  domain: { min: [-10, -10], max: [10, 10] },
  minima: [{ theta: [0, 0], loss: 0 }],
  start: [8.5, 4],
  etaMax: 4,
  botEta: 1,
  difficulty: "easy",
});

// ---------------------------------------------------------------------------------------------
// Three-hump camel

function threeHumpCamelLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const w2 = w * w;
  return 2 * w2 - 1.05 * w2 * w2 + (w2 * w2 * w2) / 6 + w * b + b * b;
}

function threeHumpCamelGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const w2 = w * w;
  return [4 * w - 4.2 * w2 * w + w2 * w2 * w + b, w + 2 * b];
}

function threeHumpCamelHessian(theta: Vec2): Hessian {
  const w2 = theta[0] * theta[0];
  return [
    [4 - 12.6 * w2 + 5 * w2 * w2, 1],
    [1, 2],
  ];
}

/**
 * The three-hump camel function, L(w, b) = 2w² − 1.05w⁴ + w⁶/6 + wb + b² (Dixon & Szegő 1978):
 * one global minimum and two local minima near ±(1.7476, −0.8738). Domain [−5, 5]²; global
 * minimum L* = 0 at (0, 0).
 */
export const threeHumpCamel: Surface = defineSurface({
  id: "three-hump-camel",
  name: "Three-hump camel",
  description:
    "A valley with three dips: the middle one is the deepest, the two side dips are traps that stop the bot if it slides into one.",
  formula: "L(w, b) = 2w² − 1.05w⁴ + w⁶/6 + w b + b²",
  loss: threeHumpCamelLoss,
  gradient: threeHumpCamelGradient,
  hessian: threeHumpCamelHessian,
  domain: { min: [-5, -5], max: [5, 5] },
  minima: [{ theta: [0, 0], loss: 0 }],
  start: [2.6, 1.5],
  etaMax: 2,
  botEta: 0.01,
  difficulty: "medium",
});

// ---------------------------------------------------------------------------------------------
// Six-hump camel

function sixHumpCamelLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const w2 = w * w;
  const b2 = b * b;
  return (4 - 2.1 * w2 + (w2 * w2) / 3) * w2 + w * b + (-4 + 4 * b2) * b2;
}

function sixHumpCamelGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const w2 = w * w;
  return [8 * w - 8.4 * w2 * w + 2 * w2 * w2 * w + b, w - 8 * b + 16 * b * b * b];
}

function sixHumpCamelHessian(theta: Vec2): Hessian {
  const w2 = theta[0] * theta[0];
  const b2 = theta[1] * theta[1];
  return [
    [8 - 25.2 * w2 + 10 * w2 * w2, 1],
    [1, -8 + 48 * b2],
  ];
}

/** θ* of the six-hump camel function (the published (0.0898, −0.7126), to double precision). */
const SIX_HUMP_W = 0.08984201310031806;
const SIX_HUMP_B = -0.7126564030207396;
const SIX_HUMP_MIN = sixHumpCamelLoss([SIX_HUMP_W, SIX_HUMP_B]);

/**
 * The six-hump camel function, L(w, b) = (4 − 2.1w² + w⁴/3)w² + wb + (4b² − 4)b² (Dixon & Szegő
 * 1978): six local minima, two of them global and symmetric through the origin. Domain
 * [−3, 3] × [−2, 2]; global minima L* ≈ −1.0316284534898774 at ±(0.0898420131, −0.7126564030).
 */
export const sixHumpCamel: Surface = defineSurface({
  id: "six-hump-camel",
  name: "Six-hump camel",
  description:
    "Six dips of different depths, two of them tied for deepest: a start between dips makes the first direction a real choice, and the bot only finds the dip it rolls into.",
  formula: "L(w, b) = (4 − 2.1w² + w⁴/3) w² + w b + (−4 + 4b²) b²",
  loss: sixHumpCamelLoss,
  gradient: sixHumpCamelGradient,
  hessian: sixHumpCamelHessian,
  domain: { min: [-3, -2], max: [3, 2] },
  minima: [
    { theta: [SIX_HUMP_W, SIX_HUMP_B], loss: SIX_HUMP_MIN },
    { theta: [-SIX_HUMP_W, -SIX_HUMP_B], loss: SIX_HUMP_MIN },
  ],
  start: [-2, 1.4],
  etaMax: 1,
  botEta: 0.01,
  difficulty: "medium",
});

// ---------------------------------------------------------------------------------------------
// Himmelblau

function himmelblauLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const r1 = w * w + b - 11;
  const r2 = w + b * b - 7;
  return r1 * r1 + r2 * r2;
}

function himmelblauGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const r1 = w * w + b - 11;
  const r2 = w + b * b - 7;
  return [4 * w * r1 + 2 * r2, 2 * r1 + 4 * b * r2];
}

function himmelblauHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  const hwb = 4 * (w + b);
  return [
    [12 * w * w + 4 * b - 42, hwb],
    [hwb, 12 * b * b + 4 * w - 26],
  ];
}

/**
 * Himmelblau's function, L(w, b) = (w² + b − 11)² + (w + b² − 7)² (Himmelblau 1972): four global
 * minima with L* = 0, at (3, 2), (−2.805118, 3.131313), (−3.779310, −3.283186) and (3.584428,
 * −1.848127), and a local maximum near (−0.2708, −0.9230). Domain [−5, 5]².
 */
export const himmelblau: Surface = defineSurface({
  id: "himmelblau",
  name: "Himmelblau",
  description:
    "Four valleys, all equally deep: starting near the central peak, whichever way you go down is a right answer, but you have to commit to one.",
  formula: "L(w, b) = (w² + b − 11)² + (w + b² − 7)²",
  loss: himmelblauLoss,
  gradient: himmelblauGradient,
  hessian: himmelblauHessian,
  domain: { min: [-5, -5], max: [5, 5] },
  minima: [
    { theta: [3, 2], loss: 0 },
    { theta: [-2.805118086952745, 3.131312518250573], loss: 0 },
    { theta: [-3.779310253377747, -3.2831859912861696], loss: 0 },
    { theta: [3.5844283403304917, -1.8481265269644036], loss: 0 },
  ],
  start: [-0.5, -0.3],
  etaMax: 2,
  botEta: 0.005,
  difficulty: "medium",
});

// ---------------------------------------------------------------------------------------------
// Styblinski–Tang

function styblinskiTangLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const w2 = w * w;
  const b2 = b * b;
  return 0.5 * (w2 * w2 - 16 * w2 + 5 * w + b2 * b2 - 16 * b2 + 5 * b);
}

function styblinskiTangGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  return [2 * w * w * w - 16 * w + 2.5, 2 * b * b * b - 16 * b + 2.5];
}

function styblinskiTangHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  return [
    [6 * w * w - 16, 0],
    [0, 6 * b * b - 16],
  ];
}

/** The root x* ≈ −2.903534 of 4x³ − 32x + 5 = 0, the 1-D Styblinski–Tang minimiser. */
const STYBLINSKI_TANG_X = -2.903534027771177;
const STYBLINSKI_TANG_MIN = styblinskiTangLoss([STYBLINSKI_TANG_X, STYBLINSKI_TANG_X]);

/**
 * The Styblinski–Tang function in two dimensions, L(w, b) = ½ Σ (x⁴ − 16x² + 5x) over x ∈ {w, b}
 * (Styblinski & Tang 1990): four local minima, one per quadrant; the global one is at
 * w = b ≈ −2.903534 with L* ≈ −78.33233140754283. Domain [−5, 5]².
 */
export const styblinskiTang: Surface = defineSurface({
  id: "styblinski-tang",
  name: "Styblinski–Tang",
  description:
    "Four basins of different depths, one per corner: the nearest one downhill is not the deepest, so the bot settles for second best.",
  formula: "L(w, b) = ½ (w⁴ − 16w² + 5w + b⁴ − 16b² + 5b)",
  loss: styblinskiTangLoss,
  gradient: styblinskiTangGradient,
  hessian: styblinskiTangHessian,
  domain: { min: [-5, -5], max: [5, 5] },
  minima: [{ theta: [STYBLINSKI_TANG_X, STYBLINSKI_TANG_X], loss: STYBLINSKI_TANG_MIN }],
  start: [4.5, 0.1],
  etaMax: 2,
  botEta: 0.01,
  difficulty: "medium",
});

// ---------------------------------------------------------------------------------------------
// Rosenbrock

function rosenbrockLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const r = b - w * w;
  const s = 1 - w;
  return s * s + 100 * r * r;
}

function rosenbrockGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const r = b - w * w;
  return [-2 * (1 - w) - 400 * w * r, 200 * r];
}

function rosenbrockHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  const hwb = -400 * w;
  return [
    [2 - 400 * b + 1200 * w * w, hwb],
    [hwb, 200],
  ];
}

/**
 * Rosenbrock's function with a = 1, b = 100, L(w, b) = (1 − w)² + 100 (b − w²)² (Rosenbrock
 * 1960): a long, curved, flat-bottomed parabolic valley. Domain [−2, 2] × [−1, 3] (the usual plot
 * of the valley); global minimum L* = 0 at (1, 1).
 */
export const rosenbrock: Surface = defineSurface({
  id: "rosenbrock",
  name: "Rosenbrock's banana",
  description:
    "Falling into the curved valley is easy; walking along its almost flat floor to the minimum is not, because the gradient points at the walls, not along the floor.",
  formula: "L(w, b) = (1 − w)² + 100 (b − w²)²",
  loss: rosenbrockLoss,
  gradient: rosenbrockGradient,
  hessian: rosenbrockHessian,
  domain: { min: [-2, -1], max: [2, 3] },
  minima: [{ theta: [1, 1], loss: 0 }],
  start: [-1.2, 1],
  etaMax: 1,
  botEta: 0.001,
  difficulty: "hard",
});

// ---------------------------------------------------------------------------------------------
// Beale

function bealeLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const wb = w * b;
  const wb2 = wb * b;
  const r1 = 1.5 - w + wb;
  const r2 = 2.25 - w + wb2;
  const r3 = 2.625 - w + wb2 * b;
  return r1 * r1 + r2 * r2 + r3 * r3;
}

function bealeGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const b2 = b * b;
  const b3 = b2 * b;
  const r1 = 1.5 - w + w * b;
  const r2 = 2.25 - w + w * b2;
  const r3 = 2.625 - w + w * b3;
  return [
    2 * (r1 * (b - 1) + r2 * (b2 - 1) + r3 * (b3 - 1)),
    2 * w * (r1 + 2 * b * r2 + 3 * b2 * r3),
  ];
}

function bealeHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  const b2 = b * b;
  const b3 = b2 * b;
  const r1 = 1.5 - w + w * b;
  const r2 = 2.25 - w + w * b2;
  const r3 = 2.625 - w + w * b3;
  const u1 = b - 1;
  const u2 = b2 - 1;
  const u3 = b3 - 1;
  const hww = 2 * (u1 * u1 + u2 * u2 + u3 * u3);
  const hwb = 2 * (w * u1 + r1 + 2 * w * b * u2 + 2 * b * r2 + 3 * w * b2 * u3 + 3 * b2 * r3);
  const hbb = 2 * (w * w * (1 + 4 * b2 + 9 * b2 * b2) + 2 * w * r2 + 6 * w * b * r3);
  return [
    [hww, hwb],
    [hwb, hbb],
  ];
}

/**
 * Beale's function, L(w, b) = (1.5 − w + wb)² + (2.25 − w + wb²)² + (2.625 − w + wb³)² (Beale
 * 1958): flat near the axis b = 0 and in a broad valley, with walls that rise like b⁶ towards
 * the corners. Domain [−4.5, 4.5]²; global minimum L* = 0 at (3, 0.5).
 */
export const beale: Surface = defineSurface({
  id: "beale",
  name: "Beale",
  description:
    "Flat plains next to walls thousands of units high: the same step size that crawls on the plain throws you far off near a wall.",
  formula: "L(w, b) = (1.5 − w + w b)² + (2.25 − w + w b²)² + (2.625 − w + w b³)²",
  loss: bealeLoss,
  gradient: bealeGradient,
  hessian: bealeHessian,
  domain: { min: [-4.5, -4.5], max: [4.5, 4.5] },
  minima: [{ theta: [3, 0.5], loss: 0 }],
  start: [1, -1],
  etaMax: 1.8,
  botEta: 0.005,
  difficulty: "hard",
});

// ---------------------------------------------------------------------------------------------
// Goldstein–Price

/*
 * With s = w + b and q = 2w − 3b the two factors of the Goldstein–Price function are polynomials
 * of one variable each:
 *   1 + (s + 1)²(19 − 14w + 3w² − 14b + 6wb + 3b²) = A(s) = 3s⁴ − 8s³ − 6s² + 24s + 20,
 *   30 + q²(18 − 32w + 12w² + 48b − 36wb + 27b²) = B(q) = 3q⁴ − 16q³ + 18q² + 30,
 * so L = A(s)·B(q) exactly (the tests compare it with the textbook expansion).
 */

function goldsteinPriceLoss(theta: Vec2): number {
  const w = theta[0];
  const b = theta[1];
  const s = w + b;
  const q = 2 * w - 3 * b;
  const a = (((3 * s - 8) * s - 6) * s + 24) * s + 20;
  const c = ((3 * q - 16) * q + 18) * q * q + 30;
  return a * c;
}

function goldsteinPriceGradient(theta: Vec2): Vec2 {
  const w = theta[0];
  const b = theta[1];
  const s = w + b;
  const q = 2 * w - 3 * b;
  const a = (((3 * s - 8) * s - 6) * s + 24) * s + 20;
  const da = ((12 * s - 24) * s - 12) * s + 24;
  const c = ((3 * q - 16) * q + 18) * q * q + 30;
  const dc = ((12 * q - 48) * q + 36) * q;
  const x = da * c;
  const y = a * dc;
  return [x + 2 * y, x - 3 * y];
}

function goldsteinPriceHessian(theta: Vec2): Hessian {
  const w = theta[0];
  const b = theta[1];
  const s = w + b;
  const q = 2 * w - 3 * b;
  const a = (((3 * s - 8) * s - 6) * s + 24) * s + 20;
  const da = ((12 * s - 24) * s - 12) * s + 24;
  const dda = (36 * s - 48) * s - 12;
  const c = ((3 * q - 16) * q + 18) * q * q + 30;
  const dc = ((12 * q - 48) * q + 36) * q;
  const ddc = (36 * q - 96) * q + 36;
  const ss = dda * c;
  const sq = da * dc;
  const qq = a * ddc;
  const hwb = ss - sq - 6 * qq;
  return [
    [ss + 4 * sq + 4 * qq, hwb],
    [hwb, ss - 6 * sq + 9 * qq],
  ];
}

/**
 * The Goldstein–Price function (Goldstein & Price 1971),
 * L(w, b) = [1 + (w + b + 1)²(19 − 14w + 3w² − 14b + 6wb + 3b²)] ·
 *           [30 + (2w − 3b)²(18 − 32w + 12w² + 48b − 36wb + 27b²)]:
 * several local minima and values from 3 to about 10⁶. Domain [−2, 2]²; global minimum L* = 3 at
 * (0, −1).
 */
export const goldsteinPrice: Surface = defineSurface({
  id: "goldstein-price",
  name: "Goldstein–Price",
  description:
    "Heights from 3 to a million, and several dips that are not the bottom: the loss tells you little about how close you are until you are almost there.",
  formula:
    "L(w, b) = [1 + (w + b + 1)² (19 − 14w + 3w² − 14b + 6wb + 3b²)] × [30 + (2w − 3b)² (18 − 32w + 12w² + 48b − 36wb + 27b²)]",
  loss: goldsteinPriceLoss,
  gradient: goldsteinPriceGradient,
  hessian: goldsteinPriceHessian,
  domain: { min: [-2, -2], max: [2, 2] },
  minima: [{ theta: [0, -1], loss: 3 }],
  start: [1, 1],
  etaMax: 0.8,
  botEta: 3e-6,
  difficulty: "expert",
});
