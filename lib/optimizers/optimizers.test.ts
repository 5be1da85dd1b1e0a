import { describe, expect, it } from "vitest";
import { inBox } from "../geometry";
import type { Box, Hessian, Surface, Vec2 } from "../types";
import {
  OPTIMIZER_IDS,
  dampedNewtonDirection,
  getOptimizer,
  optimizers,
  runOptimizer,
  validateOptimizerParams,
} from "./index";
import type { OptimizerId, OptimizerParams, OptimizerState } from "./index";

// ---------------------------------------------------------------------------------------------
// Test surfaces, built here (the catalog is written elsewhere).

const BOX: Box = { min: [-3, -3], max: [3, 3] };

function surfaceFrom(
  id: string,
  loss: (t: Vec2) => number,
  gradient: (t: Vec2) => Vec2,
  hessian: (t: Vec2) => Hessian,
  minimum: Vec2,
  domain: Box = BOX,
): Surface {
  return {
    id,
    name: id,
    description: "test surface",
    formula: id,
    loss,
    gradient,
    hessian,
    domain,
    minima: [{ theta: minimum, loss: loss(minimum) }],
    start: [1, 1],
    etaMax: 1,
    botEta: 0.1,
    difficulty: "easy",
  };
}

/** L(θ) = ½θᵀAθ − cᵀθ with A symmetric positive definite: ∇L = Aθ − c, ∇²L = A, θ* = A⁻¹c. */
function quadratic(id: string, A: Hessian, c: Vec2, domain: Box = BOX): Surface {
  const [[a, k], [, d]] = A;
  const det = a * d - k * k;
  const minimum: Vec2 = [(d * c[0] - k * c[1]) / det, (a * c[1] - k * c[0]) / det];
  return surfaceFrom(
    id,
    ([w, b]) => 0.5 * (a * w * w + 2 * k * w * b + d * b * b) - c[0] * w - c[1] * b,
    ([w, b]) => [a * w + k * b - c[0], k * w + d * b - c[1]],
    () => A,
    minimum,
    domain,
  );
}

/** A = [[3, 1], [1, 2]], c = [1, −1]: A⁻¹ = [[2, −1], [−1, 3]]/5, so θ* = [0.6, −0.8]. */
const bowl = quadratic(
  "bowl",
  [
    [3, 1],
    [1, 2],
  ],
  [1, -1],
);

/**
 * An ill-conditioned valley: eigenvalues 1 and 25 along axes rotated by 30°, centred at
 * θ* = [1, −0.5]: A = R diag(1, 25) Rᵀ, c = Aθ*.
 */
const valley = (() => {
  const cs = Math.cos(Math.PI / 6);
  const sn = Math.sin(Math.PI / 6);
  const l1 = 1;
  const l2 = 25;
  const a = l1 * cs * cs + l2 * sn * sn;
  const k = (l1 - l2) * cs * sn;
  const d = l1 * sn * sn + l2 * cs * cs;
  const star: Vec2 = [1, -0.5];
  return quadratic(
    "valley",
    [
      [a, k],
      [k, d],
    ],
    [a * star[0] + k * star[1], k * star[0] + d * star[1]],
  );
})();

/** A saddle L = ½(w² − b²): ∇L = [w, −b], ∇²L = diag(1, −1). */
const saddle = surfaceFrom(
  "saddle",
  ([w, b]) => 0.5 * (w * w - b * b),
  ([w, b]) => [w, -b],
  () => [
    [1, 0],
    [0, -1],
  ],
  [0, 0],
);

/** A plane L = w: ∇L = [1, 0], ∇²L = 0 (singular). */
const plane = surfaceFrom(
  "plane",
  ([w]) => w,
  () => [1, 0],
  () => [
    [0, 0],
    [0, 0],
  ],
  [-3, 0],
);

/** A surface whose gradient is not finite. */
function brokenSurface(gradient: Vec2): Surface {
  return surfaceFrom(
    "broken",
    () => 0,
    () => gradient,
    () => [
      [1, 0],
      [0, 1],
    ],
    [0, 0],
  );
}

function distance(a: Vec2, b: Vec2): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function deepFreeze(state: OptimizerState): OptimizerState {
  Object.freeze(state.theta);
  Object.freeze(state.m);
  Object.freeze(state.v);
  return Object.freeze(state);
}

function last<T>(xs: readonly T[]): T {
  const x = xs[xs.length - 1];
  if (x === undefined) throw new Error("empty");
  return x;
}

// ---------------------------------------------------------------------------------------------

describe("registry", () => {
  it("holds every optimizer id, in order, each under its own id", () => {
    expect(Object.keys(optimizers)).toEqual([...OPTIMIZER_IDS]);
    for (const id of OPTIMIZER_IDS) {
      expect(optimizers[id].id).toBe(id);
      expect(getOptimizer(id)).toBe(optimizers[id]);
    }
  });

  it("rejects an unknown id, naming it and the valid ones", () => {
    expect(() => getOptimizer("sgd")).toThrow(
      new Error('unknown optimizer "sgd" (valid: gd, momentum, nesterov, rmsprop, adam, newton)'),
    );
  });

  it("documents each optimizer for players: a name and one sentence with the update rule", () => {
    for (const id of OPTIMIZER_IDS) {
      const o = optimizers[id];
      expect(o.name.length).toBeGreaterThan(0);
      expect(o.description).toMatch(/^[A-Z].*θ ← .*\.$/);
      expect(o.description.split(/\.\s/)).toHaveLength(1);
    }
  });

  it("has the documented defaults", () => {
    expect(optimizers.gd.defaults).toEqual({});
    expect(optimizers.momentum.defaults).toEqual({ beta: 0.9 });
    expect(optimizers.nesterov.defaults).toEqual({ beta: 0.9 });
    expect(optimizers.rmsprop.defaults).toEqual({ beta2: 0.9, epsilon: 1e-8 });
    expect(optimizers.adam.defaults).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(optimizers.newton.defaults).toEqual({ damping: 1e-3 });
  });

  it("starts at t = 0 with zero buffers", () => {
    for (const id of OPTIMIZER_IDS) {
      expect(optimizers[id].init([0.5, -2])).toEqual({
        theta: [0.5, -2],
        t: 0,
        m: [0, 0],
        v: [0, 0],
      });
    }
  });

  it("uses the defaults when a hyper-parameter is omitted", () => {
    for (const id of OPTIMIZER_IDS) {
      const o = optimizers[id];
      const a = runOptimizer(o, valley, { eta: 0.01 }, 5);
      const b = runOptimizer(o, valley, { eta: 0.01, ...o.defaults }, 5);
      expect(a).toEqual(b);
    }
  });
});

describe("validateOptimizerParams", () => {
  const bad: [OptimizerParams, string][] = [
    [{ eta: 0 }, "eta must be a positive finite number, got 0"],
    [{ eta: -0.1 }, "eta must be a positive finite number, got -0.1"],
    [{ eta: NaN }, "eta must be a positive finite number, got NaN"],
    [{ eta: Infinity }, "eta must be a positive finite number, got Infinity"],
    [{ eta: "0.1" as unknown as number }, "eta must be a positive finite number, got string"],
    [{ eta: 0.1, beta: 1 }, "beta must be a number in [0, 1), got 1"],
    [{ eta: 0.1, beta: -0.5 }, "beta must be a number in [0, 1), got -0.5"],
    [{ eta: 0.1, beta1: 1.5 }, "beta1 must be a number in [0, 1), got 1.5"],
    [{ eta: 0.1, beta2: NaN }, "beta2 must be a number in [0, 1), got NaN"],
    [{ eta: 0.1, epsilon: 0 }, "epsilon must be a positive finite number, got 0"],
    [{ eta: 0.1, epsilon: -1e-8 }, "epsilon must be a positive finite number, got -1e-8"],
    [{ eta: 0.1, damping: -1 }, "damping must be a finite number ≥ 0, got -1"],
    [{ eta: 0.1, damping: Infinity }, "damping must be a finite number ≥ 0, got Infinity"],
  ];
  it.each(bad)("rejects %o", (params, message) => {
    expect(() => validateOptimizerParams("adam", params)).toThrow(new RangeError(message));
  });

  it("throws RangeError for bad parameters", () => {
    expect(() => validateOptimizerParams("gd", { eta: 0 })).toThrow(RangeError);
  });

  it("rejects a non-object", () => {
    expect(() => validateOptimizerParams("gd", null as unknown as OptimizerParams)).toThrow(
      new RangeError("optimizer params must be an object, got null"),
    );
  });

  it("rejects an unknown id", () => {
    expect(() => validateOptimizerParams("lbfgs", { eta: 1 })).toThrow(
      'unknown optimizer "lbfgs" (valid: gd, momentum, nesterov, rmsprop, adam, newton)',
    );
  });

  it("accepts the edges of the valid ranges and every default", () => {
    expect(() =>
      validateOptimizerParams("adam", {
        eta: 1e-12,
        beta: 0,
        beta1: 0,
        beta2: 0.999999,
        damping: 0,
      }),
    ).not.toThrow();
    for (const id of OPTIMIZER_IDS) {
      expect(() =>
        validateOptimizerParams(id, { eta: 0.1, ...optimizers[id].defaults }),
      ).not.toThrow();
    }
  });
});

describe("runOptimizer", () => {
  it("returns steps + 1 states, starting with init(start), t counting up", () => {
    const trajectory = runOptimizer(optimizers.gd, bowl, { eta: 0.1 }, 7, [2, -1]);
    expect(trajectory).toHaveLength(8);
    expect(trajectory[0]).toEqual(optimizers.gd.init([2, -1]));
    trajectory.forEach((s, k) => expect(s.t).toBe(k));
  });

  it("starts from the surface's start by default", () => {
    expect(runOptimizer(optimizers.gd, bowl, { eta: 0.1 }, 0)).toEqual([
      optimizers.gd.init([1, 1]),
    ]);
  });

  it("validates its arguments", () => {
    expect(() => runOptimizer(optimizers.gd, bowl, { eta: -1 }, 3)).toThrow(
      new RangeError("eta must be a positive finite number, got -1"),
    );
    expect(() => runOptimizer(optimizers.gd, bowl, { eta: 1 }, 2.5)).toThrow(
      new RangeError("steps must be a non-negative integer, got 2.5"),
    );
    expect(() => runOptimizer(optimizers.gd, bowl, { eta: 1 }, 3, [4, 0])).toThrow(
      new RangeError("start must lie in the surface's domain, got [4, 0]"),
    );
  });

  it("is deterministic", () => {
    for (const id of OPTIMIZER_IDS) {
      const a = runOptimizer(optimizers[id], valley, { eta: 0.02 }, 50);
      const b = runOptimizer(optimizers[id], valley, { eta: 0.02 }, 50);
      expect(a).toEqual(b);
    }
  });
});

describe("convergence on convex quadratics", () => {
  // η and step counts chosen from the theory: GD needs η < 2/λ_max (λ_max = 3.62 for the bowl,
  // 25 for the valley); heavy-ball and Nesterov contract like √β per step; RMSprop and Adam take
  // steps of length ≈ η near the minimum, so they are held to a tolerance proportional to η.
  const cases: [OptimizerId, string, OptimizerParams, number, number][] = (
    [
      ["gd", bowl, { eta: 0.3 }, 100, 1e-9],
      ["gd", valley, { eta: 0.07 }, 600, 1e-9],
      ["momentum", bowl, { eta: 0.1 }, 600, 1e-9],
      ["momentum", valley, { eta: 0.02 }, 800, 1e-9],
      ["nesterov", bowl, { eta: 0.1 }, 600, 1e-9],
      ["nesterov", valley, { eta: 0.02 }, 800, 1e-9],
      ["rmsprop", bowl, { eta: 1e-3 }, 5000, 3e-3],
      ["rmsprop", valley, { eta: 1e-3 }, 5000, 3e-3],
      ["adam", bowl, { eta: 1e-2 }, 3000, 1e-6],
      ["adam", valley, { eta: 1e-2 }, 3000, 1e-6],
      ["newton", bowl, { eta: 1 }, 5, 1e-9],
      ["newton", valley, { eta: 1 }, 5, 1e-9],
    ] as const
  ).map(([id, surface, ...rest]) => [id, surface.id, ...rest]);
  const byId: Record<string, Surface> = { bowl, valley };
  it.each(cases)("%s on %s", (id, surfaceId, params, steps, tolerance) => {
    const surface = byId[surfaceId]!;
    const minimum = surface.minima[0]!.theta;
    const end = last(runOptimizer(optimizers[id], surface, params, steps, [-2, 2.5]));
    expect(distance(end.theta, minimum)).toBeLessThan(tolerance);
  });
});

describe("hand-computed steps on the bowl (A = [[3, 1], [1, 2]], c = [1, −1], θ₀ = [1, 1])", () => {
  // ∇L(θ) = Aθ − c = [3w + b − 1, w + 2b + 1], so ∇L(θ₀) = [3, 4].
  const s0 = optimizers.gd.init([1, 1]);

  it("gradient descent: θ₁ = θ₀ − 0.1·[3, 4] = [0.7, 0.6]", () => {
    const s1 = optimizers.gd.step(s0, bowl, { eta: 0.1 });
    expect(s1.theta[0]).toBeCloseTo(0.7, 14);
    expect(s1.theta[1]).toBeCloseTo(0.6, 14);
    expect(s1.t).toBe(1);
  });

  it("momentum (η = 0.1, β = 0.9): two steps", () => {
    const p = { eta: 0.1, beta: 0.9 };
    // m₁ = 0.9·0 + [3, 4] = [3, 4]; θ₁ = [1 − 0.3, 1 − 0.4] = [0.7, 0.6].
    const s1 = optimizers.momentum.step(s0, bowl, p);
    expect(s1.m[0]).toBeCloseTo(3, 14);
    expect(s1.m[1]).toBeCloseTo(4, 14);
    expect(s1.theta[0]).toBeCloseTo(0.7, 14);
    expect(s1.theta[1]).toBeCloseTo(0.6, 14);
    // ∇L(θ₁) = [2.1 + 0.6 − 1, 0.7 + 1.2 + 1] = [1.7, 2.9]; m₂ = [2.7 + 1.7, 3.6 + 2.9] = [4.4, 6.5];
    // θ₂ = [0.7 − 0.44, 0.6 − 0.65] = [0.26, −0.05].
    const s2 = optimizers.momentum.step(s1, bowl, p);
    expect(s2.m[0]).toBeCloseTo(4.4, 13);
    expect(s2.m[1]).toBeCloseTo(6.5, 13);
    expect(s2.theta[0]).toBeCloseTo(0.26, 13);
    expect(s2.theta[1]).toBeCloseTo(-0.05, 13);
    expect(s2.t).toBe(2);
    expect(s2.v).toEqual([0, 0]);
  });

  it("Nesterov (η = 0.1, β = 0.9): two steps, the second with the look-ahead gradient", () => {
    const p = { eta: 0.1, beta: 0.9 };
    // m₀ = 0, so the look-ahead is θ₀ and the first step is GD's: m₁ = [3, 4], θ₁ = [0.7, 0.6].
    const s1 = optimizers.nesterov.step(s0, bowl, p);
    expect(s1.theta[0]).toBeCloseTo(0.7, 14);
    expect(s1.theta[1]).toBeCloseTo(0.6, 14);
    // Look-ahead θ₁ − 0.1·0.9·[3, 4] = [0.43, 0.24]; its gradient [1.29 + 0.24 − 1, 0.43 + 0.48 + 1]
    // = [0.53, 1.91]; m₂ = [2.7 + 0.53, 3.6 + 1.91] = [3.23, 5.51]; θ₂ = [0.377, 0.049].
    const s2 = optimizers.nesterov.step(s1, bowl, p);
    expect(s2.m[0]).toBeCloseTo(3.23, 13);
    expect(s2.m[1]).toBeCloseTo(5.51, 13);
    expect(s2.theta[0]).toBeCloseTo(0.377, 13);
    expect(s2.theta[1]).toBeCloseTo(0.049, 13);
  });

  it("RMSprop (η = 0.1, β₂ = 0.9, ε = 1e-8): first step", () => {
    // v₁ = 0.1·[9, 16] = [0.9, 1.6]; θ₁ = 1 − 0.1·[3/(√0.9 + ε), 4/(√1.6 + ε)]
    //    = 1 − 0.1·[3.16227765, 3.16227765] = [0.683772237, 0.683772237].
    const s1 = optimizers.rmsprop.step(s0, bowl, { eta: 0.1 });
    expect(s1.v[0]).toBeCloseTo(0.9, 14);
    expect(s1.v[1]).toBeCloseTo(1.6, 14);
    expect(s1.theta[0]).toBeCloseTo(0.683772237, 8);
    expect(s1.theta[1]).toBeCloseTo(0.683772237, 8);
  });

  it("Adam (η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8): two steps", () => {
    const p = { eta: 0.1 };
    // m₁ = 0.1·[3, 4] = [0.3, 0.4]; v₁ = 0.001·[9, 16] = [0.009, 0.016];
    // m̂₁ = m₁/(1 − 0.9) = [3, 4]; v̂₁ = v₁/(1 − 0.999) = [9, 16];
    // θ₁ = 1 − 0.1·[3/(3 + ε), 4/(4 + ε)] ≈ [0.9, 0.9] (the first Adam step has length η per axis).
    const s1 = optimizers.adam.step(s0, bowl, p);
    expect(s1.m[0]).toBeCloseTo(0.3, 14);
    expect(s1.m[1]).toBeCloseTo(0.4, 14);
    expect(s1.v[0]).toBeCloseTo(0.009, 14);
    expect(s1.v[1]).toBeCloseTo(0.016, 14);
    expect(s1.theta[0]).toBeCloseTo(0.9, 8);
    expect(s1.theta[1]).toBeCloseTo(0.9, 8);
    // ∇L(θ₁) ≈ [2.7 + 0.9 − 1, 0.9 + 1.8 + 1] = [2.6, 3.7];
    // m₂ = 0.9·[0.3, 0.4] + 0.1·[2.6, 3.7] = [0.53, 0.73];
    // v₂ = 0.999·[0.009, 0.016] + 0.001·[6.76, 13.69] = [0.015751, 0.029674];
    // m̂₂ = m₂/(1 − 0.81) = m₂/0.19 = [2.789474, 3.842105];
    // v̂₂ = v₂/(1 − 0.998001) = v₂/0.001999 = [7.879440, 14.844422], √v̂₂ = [2.807034, 3.852846];
    // θ₂ = θ₁ − 0.1·m̂₂/√v̂₂ = 0.9 − 0.1·[0.993744, 0.997212] = [0.8006256, 0.8002788].
    const s2 = optimizers.adam.step(s1, bowl, p);
    expect(s2.t).toBe(2);
    expect(s2.m[0]).toBeCloseTo(0.53, 8);
    expect(s2.m[1]).toBeCloseTo(0.73, 8);
    expect(s2.v[0]).toBeCloseTo(0.015751, 8);
    expect(s2.v[1]).toBeCloseTo(0.029674, 8);
    expect(s2.theta[0]).toBeCloseTo(0.8006256, 6);
    expect(s2.theta[1]).toBeCloseTo(0.8002788, 6);
  });
});

describe("Newton", () => {
  it("reaches a quadratic's minimum in one step (η = 1, λ = 0 or tiny)", () => {
    for (const surface of [bowl, valley]) {
      for (const damping of [0, 1e-12]) {
        const s1 = optimizers.newton.step(optimizers.newton.init([2, -1]), surface, {
          eta: 1,
          damping,
        });
        expect(distance(s1.theta, surface.minima[0]!.theta)).toBeLessThan(1e-9);
      }
    }
  });

  it("with the default damping 1e-3, lands within O(λ) of the minimum", () => {
    const s1 = optimizers.newton.step(optimizers.newton.init([2, -1]), bowl, { eta: 1 });
    expect(distance(s1.theta, [0.6, -0.8])).toBeLessThan(2e-3);
  });

  it("η scales the Newton step", () => {
    // d = A⁻¹∇L(θ₀) = θ₀ − θ* = [1.4, −0.2]; θ₁ = θ₀ − 0.5d = [1.3, −0.9].
    const s1 = optimizers.newton.step(optimizers.newton.init([2, -1]), bowl, {
      eta: 0.5,
      damping: 0,
    });
    expect(s1.theta[0]).toBeCloseTo(1.3, 12);
    expect(s1.theta[1]).toBeCloseTo(-0.9, 12);
  });

  it("at a saddle raises λ to λ − 2μ_min, mirroring the negative curvature, and descends", () => {
    // H = diag(1, −1), μ_min = −1, λ = 1e-3 + 2 → H + λI = diag(3.001, 1.001).
    // At θ = [0.5, 0.5], ∇L = [0.5, −0.5]: d = [0.5/3.001, −0.5/1.001].
    const s = optimizers.newton.init([0.5, 0.5]);
    const s1 = optimizers.newton.step(s, saddle, { eta: 1, damping: 1e-3 });
    expect(s1.theta[0]).toBeCloseTo(0.5 - 0.5 / 3.001, 14);
    expect(s1.theta[1]).toBeCloseTo(0.5 + 0.5 / 1.001, 14);
    expect(saddle.loss(s1.theta)).toBeLessThan(saddle.loss(s.theta));
  });

  it("falls back to a gradient step when the damped Hessian stays singular", () => {
    // H = 0 and λ = 0: no Newton direction, so θ₁ = θ₀ − η∇L = [1 − 0.5, 1].
    expect(dampedNewtonDirection([1, 0], plane.hessian([1, 1]), 0)).toBeNull();
    const s1 = optimizers.newton.step(optimizers.newton.init([1, 1]), plane, {
      eta: 0.5,
      damping: 0,
    });
    expect(s1.theta).toEqual([0.5, 1]);
  });

  it("dampedNewtonDirection solves (H + λI)d = g", () => {
    // (A + 1·I) = [[4, 1], [1, 3]], det 11; d = [[3, −1], [−1, 4]]/11 · [1, 2] = [1/11, 7/11].
    const d = dampedNewtonDirection(
      [1, 2],
      [
        [3, 1],
        [1, 2],
      ],
      1,
    );
    expect(d![0]).toBeCloseTo(1 / 11, 15);
    expect(d![1]).toBeCloseTo(7 / 11, 15);
  });
});

describe("the box and non-finite guards", () => {
  it("a huge η pushes GD exactly onto the edge", () => {
    // θ₀ = [1, 1], ∇L = [3, 4]: θ₀ − 1e6·∇L is far beyond the corner [−3, −3].
    const s1 = optimizers.gd.step(optimizers.gd.init([1, 1]), bowl, { eta: 1e6 });
    expect(s1.theta).toEqual([-3, -3]);
  });

  it("no optimizer ever leaves the box, and a huge η ends on its edge", () => {
    for (const id of OPTIMIZER_IDS) {
      const trajectory = runOptimizer(
        optimizers[id],
        valley,
        { eta: 1e6, damping: 0 },
        20,
        [0.2, 0.3],
      );
      for (const s of trajectory) expect(inBox(s.theta, valley.domain)).toBe(true);
      const first = trajectory[1]!.theta;
      const onEdge = first.some((x) => x === 3 || x === -3);
      expect(onEdge, `${id}: ${first.join(", ")}`).toBe(true);
    }
  });

  it("stays put (t still advances) when a step would produce a non-finite θ", () => {
    const cases: Vec2[] = [
      [NaN, 1],
      [Infinity, 0],
      [1, -Infinity],
    ];
    for (const g of cases) {
      const surface = brokenSurface(g);
      for (const id of OPTIMIZER_IDS) {
        const s = optimizers[id].init([0.25, -0.5]);
        const s1 = optimizers[id].step(s, surface, { eta: 0.1 });
        expect(s1, id).toEqual({ ...s, t: 1 });
      }
    }
  });

  it("stays put on overflow instead of being clamped to the edge", () => {
    // −1e308·[3, 4] overflows to −Infinity: the step is discarded, not projected to [−3, −3].
    const s1 = optimizers.gd.step(optimizers.gd.init([1, 1]), bowl, { eta: 1e308 });
    expect(s1.theta).toEqual([1, 1]);
    expect(s1.t).toBe(1);
  });
});

describe("purity", () => {
  it("never mutates the input state (frozen) and gives the same result twice", () => {
    for (const id of OPTIMIZER_IDS) {
      const o = optimizers[id];
      let s = o.init([-2, 2.5]);
      for (let k = 0; k < 3; k++) s = o.step(s, valley, { eta: 0.01 });
      const frozen = deepFreeze(s);
      const copy = structuredClone(frozen);
      const a = o.step(frozen, valley, { eta: 0.01 });
      const b = o.step(frozen, valley, { eta: 0.01 });
      expect(frozen).toEqual(copy);
      expect(a).toEqual(b);
      expect(a).not.toBe(frozen);
    }
  });
});
