import { describe, expect, it } from "vitest";
import { directionFromAngle, toRadians } from "./geometry";
import {
  angleToGradient,
  firstOrderChange,
  predictLoss,
  quadraticForm,
  secondOrderChange,
  steepestDescentDirection,
} from "./taylor";
import type { Hessian, Vec2 } from "./types";

/**
 * A smooth, non-quadratic test function with every third derivative non-zero somewhere:
 * L(w, b) = eʷ + sin(b)·w + b⁴,
 * ∇L = [eʷ + sin b, w cos b + 4b³], ∇²L = [[eʷ, cos b], [cos b, −w sin b + 12b²]].
 */
const L = ([w, b]: Vec2): number => Math.exp(w) + Math.sin(b) * w + b ** 4;
const gradL = ([w, b]: Vec2): Vec2 => [Math.exp(w) + Math.sin(b), w * Math.cos(b) + 4 * b ** 3];
const hessL = ([w, b]: Vec2): Hessian => [
  [Math.exp(w), Math.cos(b)],
  [Math.cos(b), -w * Math.sin(b) + 12 * b * b],
];

describe("Taylor predictions", () => {
  const theta: Vec2 = [0.3, 0.7];
  const u = directionFromAngle(toRadians(200));
  const g = gradL(theta);
  const h = hessL(theta);

  /** Errors of the first- and second-order predictions of L(θ + ηu) for η = η₀/2ᵏ. */
  function errors(order: 1 | 2): number[] {
    const out: number[] = [];
    for (let k = 0; k < 6; k++) {
      const eta = 0.1 / 2 ** k;
      const actual = L([theta[0] + eta * u[0], theta[1] + eta * u[1]]);
      out.push(Math.abs(actual - predictLoss(L(theta), g, h, u, eta, order)));
    }
    return out;
  }

  it("the first-order error shrinks like η² (halving η divides it by ≈ 4)", () => {
    const e = errors(1);
    for (let k = 1; k < e.length; k++) {
      expect(e[k - 1]! / e[k]!).toBeGreaterThan(3.6);
      expect(e[k - 1]! / e[k]!).toBeLessThan(4.4);
    }
    // The last ratio is the asymptotic one.
    expect(e[e.length - 2]! / e[e.length - 1]!).toBeCloseTo(4, 1);
  });

  it("the second-order error shrinks like η³ (halving η divides it by ≈ 8)", () => {
    const e = errors(2);
    for (let k = 1; k < e.length; k++) {
      expect(e[k - 1]! / e[k]!).toBeGreaterThan(7.2);
      expect(e[k - 1]! / e[k]!).toBeLessThan(8.8);
    }
    expect(e[e.length - 2]! / e[e.length - 1]!).toBeCloseTo(8, 0);
  });

  it("the first-order error matches its leading term (η²/2)·uᵀ∇²L u", () => {
    const eta = 1e-3;
    const actual = L([theta[0] + eta * u[0], theta[1] + eta * u[1]]);
    const error = actual - L(theta) - firstOrderChange(g, u, eta);
    expect(error / (0.5 * eta * eta * quadraticForm(h, u))).toBeCloseTo(1, 2);
  });

  it("the second-order prediction is exact on a quadratic", () => {
    // L = w² + 3wb − b², ∇L = [2w + 3b, 3w − 2b], ∇²L = [[2, 3], [3, −2]].
    const q = ([w, b]: Vec2): number => w * w + 3 * w * b - b * b;
    const at: Vec2 = [0.5, -1.5];
    const gq: Vec2 = [2 * at[0] + 3 * at[1], 3 * at[0] - 2 * at[1]];
    const hq: Hessian = [
      [2, 3],
      [3, -2],
    ];
    const v: Vec2 = [0.6, 0.8];
    for (const eta of [0.01, 0.5, 3]) {
      const actual = q([at[0] + eta * v[0], at[1] + eta * v[1]]);
      expect(predictLoss(q(at), gq, hq, v, eta, 2)).toBeCloseTo(actual, 12);
      expect(q(at) + secondOrderChange(gq, hq, v, eta)).toBeCloseTo(actual, 12);
    }
  });

  it("predictLoss defaults to first order", () => {
    expect(predictLoss(2, [1, -2], h, [0.6, 0.8], 0.5)).toBeCloseTo(2 + 0.5 * (0.6 - 1.6), 15);
  });

  it("quadraticForm computes uᵀHu, using both off-diagonal entries", () => {
    // [1, 2]·[[2, 3], [5, 7]]·[1, 2] = 2 + (3 + 5)·2 + 7·4 = 46.
    expect(
      quadraticForm(
        [
          [2, 3],
          [5, 7],
        ],
        [1, 2],
      ),
    ).toBe(46);
  });
});

describe("the steepest way down is opposite to the gradient (β = 180°)", () => {
  const g: Vec2 = [1.7, -0.6];

  it("steepestDescentDirection gives the most negative first-order change of 360 directions", () => {
    const best = steepestDescentDirection(g)!;
    expect(Math.hypot(best[0], best[1])).toBeCloseTo(1, 15);
    const bestChange = firstOrderChange(g, best, 0.1);
    expect(bestChange).toBeCloseTo(-0.1 * Math.hypot(g[0], g[1]), 15);
    let sampledBest = Infinity;
    let sampledAngle = NaN;
    for (let k = 0; k < 360; k++) {
      const u = directionFromAngle(toRadians(k));
      const change = firstOrderChange(g, u, 0.1);
      expect(change).toBeGreaterThanOrEqual(bestChange - 1e-15);
      if (change < sampledBest) {
        sampledBest = change;
        sampledAngle = angleToGradient(u, g)!;
      }
    }
    // The best sampled direction is within half a degree of β = 180°.
    expect(Math.abs(sampledAngle - Math.PI)).toBeLessThanOrEqual(toRadians(0.5) + 1e-12);
    expect(angleToGradient(best, g)).toBeCloseTo(Math.PI, 7);
  });

  it("is null at a stationary point", () => {
    expect(steepestDescentDirection([0, 0])).toBeNull();
  });
});

describe("angleToGradient", () => {
  const g: Vec2 = [3, -4];
  it("is π for u = −g, 0 for u = g, π/2 for an orthogonal u", () => {
    expect(angleToGradient([-3, 4], g)).toBeCloseTo(Math.PI, 7);
    expect(angleToGradient([-0.6, 0.8], g)).toBeCloseTo(Math.PI, 7);
    expect(angleToGradient([3, -4], g)).toBeCloseTo(0, 7);
    expect(angleToGradient([4, 3], g)).toBeCloseTo(Math.PI / 2, 15);
    expect(angleToGradient([-4, -3], g)).toBeCloseTo(Math.PI / 2, 15);
  });
  it("is null at a zero gradient or for a zero direction", () => {
    expect(angleToGradient([1, 0], [0, 0])).toBeNull();
    expect(angleToGradient([0, 0], g)).toBeNull();
  });
  it("is symmetric: β(u, g) ∈ [0, π] does not depend on the side", () => {
    expect(angleToGradient([0, 1], [1, 0])).toBeCloseTo(angleToGradient([0, -1], [1, 0])!, 15);
  });
});
