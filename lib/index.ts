/**
 * Blind Descent's shared library: the maths of the game, pure TypeScript for the browser and the
 * server alike (no Node, DOM, network or database imports; every random number from a seed).
 *
 * - Surfaces L(θ), θ = [w, b]: the textbook catalog (`surfaces`, `getSurface`) and seeded
 *   procedural terrain (`proceduralSurface`), each with an analytic gradient ∇L and Hessian H.
 * - Optimizers: the bot's pure steps θ ← step(θ, ∇L, …) (`optimizers`, `getOptimizer`).
 * - Taylor helpers from the seed article: L(θ + ηu) ≈ L(θ) + η uᵀ∇L + ½ η² uᵀHu, the angle β
 *   between u and ∇L, and the steepest-descent direction −∇L/‖∇L‖.
 * - The game's rules (`./game`) and the wire protocol (`./protocol`) live in their own entry
 *   points so that a page importing the maths does not pull in the reducer or zod.
 */
export type { Box, Difficulty, Hessian, Minimum, Surface, Vec2 } from "./types";
export { DIFFICULTIES } from "./types";
export { createRng, deriveSeed, mulberry32, toSeed } from "./random";
export { nicknameKey } from "./nickname";
export type { Rng } from "./random";
export {
  add,
  angleOf,
  clampToBox,
  directionFromAngle,
  dot,
  inBox,
  norm,
  scale,
  stepWithinBox,
  sub,
  toDegrees,
  toRadians,
} from "./geometry";
export { centralGradient, centralHessian } from "./numeric";
export {
  angleToGradient,
  firstOrderChange,
  predictLoss,
  quadraticForm,
  secondOrderChange,
  steepestDescentDirection,
} from "./taylor";
export { getSurface, surfaceIds, surfaces } from "./surfaces";
export {
  parseProceduralId,
  PROCEDURAL_DOMAIN,
  proceduralId,
  proceduralSurface,
  proceduralTerrain,
} from "./procedural";
export type { ProceduralOptions, Terrain } from "./procedural";
export { resolveSurface, surfaceRefKey } from "./surface-ref";
export type { SurfaceRef } from "./surface-ref";
export { gridPoint, sampleGrid } from "./grid";
export type { Grid } from "./grid";
export {
  dampedNewtonDirection,
  getOptimizer,
  isOptimizerId,
  OPTIMIZER_IDS,
  optimizers,
  runOptimizer,
  validateOptimizerParams,
} from "./optimizers";
export type {
  Optimizer,
  OptimizerId,
  OptimizerParams,
  OptimizerState,
  OptimizerStep,
} from "./optimizers";
