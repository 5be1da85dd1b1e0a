/**
 * Core types shared by every module of lib/. A point of the parameter space is θ = [w, b]
 * (a weight and a bias, as in the seed article); every vector here is a pair of numbers.
 */

/** A point θ = [w, b] of the parameter space, or any 2-vector (a gradient, a direction). */
export type Vec2 = readonly [number, number];

/**
 * The 2×2 Hessian ∇²L(θ) = [[∂²L/∂w², ∂²L/∂w∂b], [∂²L/∂b∂w, ∂²L/∂b²]], symmetric for every
 * surface of this library.
 */
export type Hessian = readonly [Vec2, Vec2];

/** An axis-aligned box min ≤ θ ≤ max (component-wise): the playing field of a round. */
export interface Box {
  readonly min: Vec2;
  readonly max: Vec2;
}

/** A global minimum θ* of a surface and its value L* = L(θ*). */
export interface Minimum {
  readonly theta: Vec2;
  readonly loss: number;
}

/** How hard a surface is to descend by hand: shapes the catalog and the procedural generator. */
export type Difficulty = "easy" | "medium" | "hard" | "expert";

/** The difficulties in increasing order. */
export const DIFFICULTIES: readonly Difficulty[] = ["easy", "medium", "hard", "expert"];

/**
 * An error surface L(w, b) with its analytic derivatives and everything a round needs.
 *
 * Invariants (checked by the test-suite for every surface): `gradient` and `hessian` agree
 * with central differences of `loss`; every entry of `minima` has a (near) zero gradient, lies in
 * `domain`, and no point of a dense grid over `domain` is lower than it; `start` lies in `domain`.
 */
export interface Surface {
  /** Stable identifier, e.g. `rosenbrock` or `procedural-42-medium`. */
  readonly id: string;
  /** Human name shown at the reveal. */
  readonly name: string;
  /** One or two sentences: what the surface is and what it teaches. */
  readonly description: string;
  /** The formula as plain text (Unicode), shown at the reveal. */
  readonly formula: string;
  /** L(θ). */
  loss(theta: Vec2): number;
  /** ∇L(θ) = [∂L/∂w, ∂L/∂b]. */
  gradient(theta: Vec2): Vec2;
  /** ∇²L(θ). */
  hessian(theta: Vec2): Hessian;
  /** The playing field. */
  readonly domain: Box;
  /** Every global minimum inside the domain (all share the same loss L*). */
  readonly minima: readonly Minimum[];
  /** The default start θ₀ (the same for every player and the bot). */
  readonly start: Vec2;
  /** Suggested largest step size η_max a player may choose. */
  readonly etaMax: number;
  /** Suggested learning rate for the gradient-descent bot. */
  readonly botEta: number;
  /** How hard the surface is. */
  readonly difficulty: Difficulty;
}
