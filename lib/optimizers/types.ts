import type { Surface, Vec2 } from "../types";

/** The bot's optimizers, in increasing order of sophistication (the bot's difficulty levels). */
export const OPTIMIZER_IDS = ["gd", "momentum", "nesterov", "rmsprop", "adam", "newton"] as const;

/** Identifier of an optimizer. */
export type OptimizerId = (typeof OPTIMIZER_IDS)[number];

/**
 * The complete state of an optimizer between steps: plain data, so that it can sit in a reducer
 * state and be serialised. `m` and `v` are the first- and second-moment buffers (momentum's
 * velocity is `m`; RMSprop and Adam use `v`); optimizers that need neither leave them at [0, 0].
 */
export interface OptimizerState {
  /** Current position θ (always inside the surface's domain). */
  readonly theta: Vec2;
  /** Number of steps taken so far. */
  readonly t: number;
  /** First-moment / velocity buffer. */
  readonly m: Vec2;
  /** Second-moment buffer. */
  readonly v: Vec2;
}

/** Hyper-parameters. Only `eta` is required; each optimizer documents its defaults. */
export interface OptimizerParams {
  /** Learning rate η. */
  readonly eta: number;
  /** Momentum coefficient (momentum, Nesterov). */
  readonly beta?: number;
  /** First-moment decay (Adam). */
  readonly beta1?: number;
  /** Second-moment decay (Adam, RMSprop). */
  readonly beta2?: number;
  /** Numerical-stability constant (RMSprop, Adam). */
  readonly epsilon?: number;
  /** Levenberg damping λ added to the Hessian's diagonal (Newton). */
  readonly damping?: number;
}

/** One step θ_{t+1} = step(θ_t, …) of an optimizer: a pure function, never leaving the domain. */
export type OptimizerStep = (
  state: OptimizerState,
  surface: Surface,
  params: OptimizerParams,
) => OptimizerState;

/** An optimizer: metadata, its defaults, its initial state and its step function. */
export interface Optimizer {
  readonly id: OptimizerId;
  readonly name: string;
  /** One sentence with the update rule, shown to players. */
  readonly description: string;
  /** Default hyper-parameters other than η. */
  readonly defaults: Omit<OptimizerParams, "eta">;
  /** The state before the first step. */
  init(theta: Vec2): OptimizerState;
  step: OptimizerStep;
}
