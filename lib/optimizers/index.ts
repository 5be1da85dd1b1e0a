import { inBox } from "../geometry";
import type { Surface, Vec2 } from "../types";
import { adam, gd, momentum, nesterov, rmsprop } from "./first-order";
import { newton } from "./newton";
import type { Optimizer, OptimizerId, OptimizerParams, OptimizerState } from "./types";
import { OPTIMIZER_IDS } from "./types";
import { checkParams } from "./validate";

/**
 * The bot's optimizers: pure step functions (state, surface, params) → next state, each one
 * followed by the projection onto the surface's box and guarded against non-finite numbers.
 * Sources: gradient descent (Cauchy 1847), heavy-ball momentum (Polyak 1964), Nesterov momentum
 * (Nesterov 1983, in Sutskever et al. 2013's form), RMSprop (Hinton 2012), Adam (Kingma & Ba
 * 2015), damped Newton (Levenberg 1944).
 */

export type {
  Optimizer,
  OptimizerId,
  OptimizerParams,
  OptimizerState,
  OptimizerStep,
} from "./types";
export { OPTIMIZER_IDS } from "./types";
export { dampedNewtonDirection } from "./newton";

/** Every optimizer by id, in the order of {@link OPTIMIZER_IDS} (the bot's difficulty levels). */
export const optimizers: Readonly<Record<OptimizerId, Optimizer>> = Object.freeze({
  gd,
  momentum,
  nesterov,
  rmsprop,
  adam,
  newton,
});

/** Whether a string is an optimizer id. */
export function isOptimizerId(id: string): id is OptimizerId {
  return (OPTIMIZER_IDS as readonly string[]).includes(id);
}

/**
 * The optimizer with this id. Throws an Error naming the id and listing the valid ones, e.g.
 * `unknown optimizer "sgd" (valid: gd, momentum, nesterov, rmsprop, adam, newton)`.
 */
export function getOptimizer(id: string): Optimizer {
  if (!isOptimizerId(id)) {
    throw new Error(`unknown optimizer ${JSON.stringify(id)} (valid: ${OPTIMIZER_IDS.join(", ")})`);
  }
  return optimizers[id];
}

/**
 * Check an optimizer id and its hyper-parameters once, at the entry (the step functions do not):
 * an unknown id throws as {@link getOptimizer} does; bad parameters throw a RangeError:
 * `eta must be a positive finite number, got …`, `beta must be a number in [0, 1), got …` (also
 * `beta1`, `beta2`), `epsilon must be a positive finite number, got …`,
 * `damping must be a finite number ≥ 0, got …`.
 */
export function validateOptimizerParams(id: string, params: OptimizerParams): void {
  getOptimizer(id);
  checkParams(params);
}

/**
 * The trajectory of `steps` steps from `start` (default: the surface's start θ₀): the states
 * s₀ = init(start), s₁ = step(s₀), …, s_steps, so `steps + 1` states. Validates the parameters
 * (see {@link validateOptimizerParams}), that `steps` is a non-negative integer and that `start`
 * lies in the surface's domain.
 */
export function runOptimizer(
  optimizer: Optimizer,
  surface: Surface,
  params: OptimizerParams,
  steps: number,
  start: Vec2 = surface.start,
): OptimizerState[] {
  validateOptimizerParams(optimizer.id, params);
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
  }
  if (!inBox(start, surface.domain)) {
    throw new RangeError(`start must lie in the surface's domain, got [${start[0]}, ${start[1]}]`);
  }
  let state = optimizer.init(start);
  const trajectory: OptimizerState[] = [state];
  for (let k = 0; k < steps; k++) {
    state = optimizer.step(state, surface, params);
    trajectory.push(state);
  }
  return trajectory;
}
