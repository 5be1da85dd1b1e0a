import type { OptimizerParams } from "./types";

/**
 * Checks of hyper-parameters, kept out of the step functions so that the hot path stays cheap:
 * call `validateOptimizerParams` once where parameters enter (a room's settings, a test,
 * `runOptimizer`).
 */

function show(value: unknown): string {
  return typeof value === "number" ? String(value) : typeof value;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Throw a RangeError unless `params` are valid hyper-parameters: η a positive finite number;
 * β, β₁, β₂ (when given) in [0, 1); ε (when given) a positive finite number; λ (when given) a
 * finite number ≥ 0. Every field that is present is checked, whichever optimizer uses it.
 * Messages (asserted by the tests) have the form `eta must be a positive finite number, got 0`.
 */
export function checkParams(params: OptimizerParams): void {
  if (typeof params !== "object" || params === null) {
    throw new RangeError(
      `optimizer params must be an object, got ${params === null ? "null" : typeof params}`,
    );
  }
  const { eta, beta, beta1, beta2, epsilon, damping } = params as unknown as Record<
    string,
    unknown
  >;
  if (!isFiniteNumber(eta) || eta <= 0) {
    throw new RangeError(`eta must be a positive finite number, got ${show(eta)}`);
  }
  for (const [name, value] of [
    ["beta", beta],
    ["beta1", beta1],
    ["beta2", beta2],
  ] as const) {
    if (value !== undefined && (!isFiniteNumber(value) || value < 0 || value >= 1)) {
      throw new RangeError(`${name} must be a number in [0, 1), got ${show(value)}`);
    }
  }
  if (epsilon !== undefined && (!isFiniteNumber(epsilon) || epsilon <= 0)) {
    throw new RangeError(`epsilon must be a positive finite number, got ${show(epsilon)}`);
  }
  if (damping !== undefined && (!isFiniteNumber(damping) || damping < 0)) {
    throw new RangeError(`damping must be a finite number ≥ 0, got ${show(damping)}`);
  }
}
