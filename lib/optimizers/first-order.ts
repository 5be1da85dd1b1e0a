import { clampToBox } from "../geometry";
import { finishStep, initialState } from "./shared";
import type { Optimizer } from "./types";
import { pow } from "../math";

/**
 * First-order optimizers: they only evaluate the gradient g = ∇L(θ). Each step is followed by
 * the projection onto the box (see {@link finishStep}). Element-wise operations on 2-vectors are
 * written out per component.
 */

/** Default momentum coefficient β of heavy-ball and Nesterov momentum. */
const MOMENTUM_BETA = 0.9;
/** RMSprop defaults (Hinton, Neural Networks for Machine Learning, lecture 6e, 2012). */
const RMSPROP_BETA2 = 0.9;
/** Adam defaults (Kingma & Ba 2015, Algorithm 1). */
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
/** Numerical-stability constant ε of RMSprop and Adam. */
const EPSILON = 1e-8;

/**
 * Plain gradient descent, θ ← θ − η∇L(θ) (Cauchy 1847): the seed article's rule and the default
 * bot. Hyper-parameters: η only.
 */
export const gd: Optimizer = {
  id: "gd",
  name: "Gradient descent",
  description: "Steps straight down the slope: θ ← θ − η∇L(θ).",
  defaults: {},
  init: initialState,
  step(state, surface, params) {
    const { eta } = params;
    const g = surface.gradient(state.theta);
    return finishStep(
      state,
      surface.domain,
      state.theta[0] - eta * g[0],
      state.theta[1] - eta * g[1],
      state.m,
      state.v,
    );
  },
};

/**
 * Heavy-ball momentum (Polyak 1964), in the form PyTorch's SGD uses (dampening 0):
 * m ← βm + ∇L(θ), θ ← θ − ηm. The velocity m is a running sum of past gradients, so steps grow
 * along a consistent slope and oscillations across a valley partly cancel.
 * @default beta 0.9
 */
export const momentum: Optimizer = {
  id: "momentum",
  name: "Momentum",
  description:
    "Rolls like a heavy ball, accumulating a velocity from past gradients: m ← βm + ∇L(θ), θ ← θ − ηm.",
  defaults: { beta: MOMENTUM_BETA },
  init: initialState,
  step(state, surface, params) {
    const { eta } = params;
    const beta = params.beta ?? MOMENTUM_BETA;
    const g = surface.gradient(state.theta);
    const m0 = beta * state.m[0] + g[0];
    const m1 = beta * state.m[1] + g[1];
    return finishStep(
      state,
      surface.domain,
      state.theta[0] - eta * m0,
      state.theta[1] - eta * m1,
      [m0, m1],
      state.v,
    );
  },
};

/**
 * Nesterov momentum in Sutskever et al.'s formulation (ICML 2013, eq. 3–4), written with the
 * velocity scaled as in {@link momentum}: the gradient is taken at the look-ahead point
 * θ̃ = θ − ηβm, then m ← βm + ∇L(θ̃), θ ← θ − ηm. (PyTorch's `nesterov=True` is the same method
 * after the change of variables θ' = θ̃; here the reported position is θ itself.) The look-ahead
 * point is projected onto the box too, so the surface is never evaluated outside its domain.
 * @default beta 0.9
 */
export const nesterov: Optimizer = {
  id: "nesterov",
  name: "Nesterov momentum",
  description:
    "Momentum that first looks ahead and measures the slope there: m ← βm + ∇L(θ − ηβm), θ ← θ − ηm.",
  defaults: { beta: MOMENTUM_BETA },
  init: initialState,
  step(state, surface, params) {
    const { eta } = params;
    const beta = params.beta ?? MOMENTUM_BETA;
    const lookAhead = clampToBox(
      [state.theta[0] - eta * beta * state.m[0], state.theta[1] - eta * beta * state.m[1]],
      surface.domain,
    );
    const g = surface.gradient(lookAhead);
    const m0 = beta * state.m[0] + g[0];
    const m1 = beta * state.m[1] + g[1];
    return finishStep(
      state,
      surface.domain,
      state.theta[0] - eta * m0,
      state.theta[1] - eta * m1,
      [m0, m1],
      state.v,
    );
  },
};

/**
 * RMSprop (Hinton, lecture 6e, 2012; the form of PyTorch's `RMSprop` with ε outside the root):
 * v ← β₂v + (1 − β₂)g², θ ← θ − η g / (√v + ε), element-wise. Each coordinate's step is
 * normalised by a running root-mean-square of its gradients, so steep and shallow directions
 * move at similar speeds.
 * @default beta2 0.9
 * @default epsilon 1e-8
 */
export const rmsprop: Optimizer = {
  id: "rmsprop",
  name: "RMSprop",
  description:
    "Divides each coordinate's step by a running average of its squared gradients: v ← β₂v + (1−β₂)∇L², θ ← θ − η∇L/(√v + ε).",
  defaults: { beta2: RMSPROP_BETA2, epsilon: EPSILON },
  init: initialState,
  step(state, surface, params) {
    const { eta } = params;
    const beta2 = params.beta2 ?? RMSPROP_BETA2;
    const epsilon = params.epsilon ?? EPSILON;
    const g = surface.gradient(state.theta);
    const v0 = beta2 * state.v[0] + (1 - beta2) * g[0] * g[0];
    const v1 = beta2 * state.v[1] + (1 - beta2) * g[1] * g[1];
    return finishStep(
      state,
      surface.domain,
      state.theta[0] - (eta * g[0]) / (Math.sqrt(v0) + epsilon),
      state.theta[1] - (eta * g[1]) / (Math.sqrt(v1) + epsilon),
      state.m,
      [v0, v1],
    );
  },
};

/**
 * Adam (Kingma & Ba, ICLR 2015, Algorithm 1): with g = ∇L(θ) and t the number of steps taken,
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m / (1 − β₁^{t+1}), v̂ = v / (1 − β₂^{t+1}),
 * θ ← θ − η m̂ / (√v̂ + ε), element-wise. The bias corrections undo the zero initialisation of
 * m and v, so the first step has length ≈ η in each coordinate whatever the gradient's scale.
 * @default beta1 0.9
 * @default beta2 0.999
 * @default epsilon 1e-8
 */
export const adam: Optimizer = {
  id: "adam",
  name: "Adam",
  description:
    "Momentum plus per-coordinate scaling, with bias correction: m ← β₁m + (1−β₁)∇L, v ← β₂v + (1−β₂)∇L², θ ← θ − η m̂/(√v̂ + ε).",
  defaults: { beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: EPSILON },
  init: initialState,
  step(state, surface, params) {
    const { eta } = params;
    const beta1 = params.beta1 ?? ADAM_BETA1;
    const beta2 = params.beta2 ?? ADAM_BETA2;
    const epsilon = params.epsilon ?? EPSILON;
    const g = surface.gradient(state.theta);
    const m0 = beta1 * state.m[0] + (1 - beta1) * g[0];
    const m1 = beta1 * state.m[1] + (1 - beta1) * g[1];
    const v0 = beta2 * state.v[0] + (1 - beta2) * g[0] * g[0];
    const v1 = beta2 * state.v[1] + (1 - beta2) * g[1] * g[1];
    const t = state.t + 1;
    const c1 = 1 - pow(beta1, t);
    const c2 = 1 - pow(beta2, t);
    return finishStep(
      state,
      surface.domain,
      state.theta[0] - (eta * (m0 / c1)) / (Math.sqrt(v0 / c2) + epsilon),
      state.theta[1] - (eta * (m1 / c1)) / (Math.sqrt(v1 / c2) + epsilon),
      [m0, m1],
      [v0, v1],
    );
  },
};
