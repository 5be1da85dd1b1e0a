import type { SurfaceRef } from "../surface-ref";
import type { Surface, Vec2 } from "../types";
import type { RoundEnv } from "./env";

/**
 * Small hand-made surfaces and helpers for the tests of lib/game (not used by production code).
 * Their minima sit at distinctive coordinates so that a serialised view can be searched for them.
 */

/** Distinctive minimum of {@link bowl}. */
export const BOWL_MIN: Vec2 = [0.7316, -0.4421];

/** L = (w − 0.7316)² + 2(b + 0.4421)² on [−3, 3]², start [−2.5, 2.2], L* = 0. */
export const bowl: Surface = {
  id: "test-bowl",
  name: "Test Bowl Zyx",
  description: "A convex bowl for the tests.",
  formula: "L = (w - 0.7316)^2 + 2(b + 0.4421)^2",
  loss: ([w, b]) =>
    (w - BOWL_MIN[0]) * (w - BOWL_MIN[0]) + 2 * (b - BOWL_MIN[1]) * (b - BOWL_MIN[1]),
  gradient: ([w, b]) => [2 * (w - BOWL_MIN[0]), 4 * (b - BOWL_MIN[1])],
  hessian: () => [
    [2, 0],
    [0, 4],
  ],
  domain: { min: [-3, -3], max: [3, 3] },
  minima: [{ theta: BOWL_MIN, loss: 0 }],
  start: [-2.5, 2.2],
  etaMax: 1,
  botEta: 0.1,
  difficulty: "easy",
};

/** The plane L = w + 2b + 20 on [−5, 5]², start [0, 0]; ∇L = [1, 2] everywhere; L* = 5 at [−5, −5]. */
export const plane: Surface = {
  id: "test-plane",
  name: "Test Plane",
  description: "A tilted plane: the first-order prediction is exact.",
  formula: "L = w + 2b + 20",
  loss: ([w, b]) => w + 2 * b + 20,
  gradient: () => [1, 2],
  hessian: () => [
    [0, 0],
    [0, 0],
  ],
  domain: { min: [-5, -5], max: [5, 5] },
  minima: [{ theta: [-5, -5], loss: 5 }],
  start: [0, 0],
  etaMax: 2,
  botEta: 0.5,
  difficulty: "easy",
};

/** L = w² + b² on [−1, 1]², starting at its minimum [0, 0] (L(θ₀) = L*). */
export const atMinimum: Surface = {
  id: "test-at-minimum",
  name: "Test At Minimum",
  description: "Starts at the global minimum.",
  formula: "L = w^2 + b^2",
  loss: ([w, b]) => w * w + b * b,
  gradient: ([w, b]) => [2 * w, 2 * b],
  hessian: () => [
    [2, 0],
    [0, 2],
  ],
  domain: { min: [-1, -1], max: [1, 1] },
  minima: [{ theta: [0, 0], loss: 0 }],
  start: [0, 0],
  etaMax: 0.5,
  botEta: 0.1,
  difficulty: "easy",
};

const testSurfaces = new Map<string, Surface>([bowl, plane, atMinimum].map((s) => [s.id, s]));

/** A catalog ref to a test surface. */
export function testRef(surface: Surface): SurfaceRef {
  return { kind: "catalog", id: surface.id };
}

/** An environment that resolves the test surfaces only. */
export const testEnv: RoundEnv = {
  resolveSurface(ref) {
    const surface = ref.kind === "catalog" ? testSurfaces.get(ref.id) : undefined;
    if (!surface) throw new Error(`no test surface ${JSON.stringify(ref)}`);
    return surface;
  },
};

/** Freeze a value and everything reachable from it (to prove the rules never mutate). */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value === "object" && value !== null && !seen.has(value)) {
    seen.add(value);
    Object.freeze(value);
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key], seen);
    }
  }
  return value;
}
