import { clampToBox } from "../geometry";
import type { Box, Vec2 } from "../types";
import type { OptimizerState } from "./types";

/**
 * Helpers shared by the step functions: the initial state and the one place where a step is
 * projected onto the box and guarded against non-finite numbers.
 */

const ZERO: Vec2 = [0, 0];

/** The state before the first step: θ₀, t = 0, m = v = [0, 0]. */
export function initialState(theta: Vec2): OptimizerState {
  return { theta: [theta[0], theta[1]], t: 0, m: ZERO, v: ZERO };
}

/**
 * Finish a step: project the proposed θ onto the box, θ ← Π_box(θ) = clamp(θ, min, max) (the
 * projected-gradient convention), and increment t. If the proposed θ or a buffer is not finite
 * (overflow, a NaN gradient), the optimizer stays put: θ, m and v keep their previous values and
 * only t advances, so one bad evaluation never throws the bot out of the field or poisons later
 * steps with NaN.
 */
export function finishStep(
  state: OptimizerState,
  box: Box,
  w: number,
  b: number,
  m: Vec2,
  v: Vec2,
): OptimizerState {
  if (
    !Number.isFinite(w) ||
    !Number.isFinite(b) ||
    !Number.isFinite(m[0]) ||
    !Number.isFinite(m[1]) ||
    !Number.isFinite(v[0]) ||
    !Number.isFinite(v[1])
  ) {
    return { theta: state.theta, t: state.t + 1, m: state.m, v: state.v };
  }
  return { theta: clampToBox([w, b], box), t: state.t + 1, m, v };
}
