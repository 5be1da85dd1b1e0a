import { createRound, reduce, viewFor } from "../../lib/game";
import type { RoundState } from "../../lib/game";
import { createRng } from "../../lib/random";
import type { SurfaceRef } from "../../lib/surface-ref";
import { surfaces } from "../../lib/surfaces";
import type { Box, Vec2 } from "../../lib/types";
import { pickSurface } from "../../server/surface-picker";
import type { CatalogEntry, PickerRandom } from "../../server/surface-picker";

/**
 * The fingerprinting adversary's side of a round (issue 17): everything a non-host connection
 * receives before the reveal, as lib/game's `viewFor` (the one filter of secret state) serves it
 * to a player, up to and including the first turn's feedback.
 */

export const CATALOG: readonly CatalogEntry[] = surfaces.map((s) => ({
  id: s.id,
  difficulty: s.difficulty,
}));

/** A seeded stand-in for the server's CSPRNG, so that "many surprise rounds" are reproducible. */
export function seededPicker(seed: number): PickerRandom {
  const rng = createRng(seed);
  return { below: (n) => rng.int(n), uint32: () => rng.int(4294967296) >>> 0 };
}

/** What the adversary saw in one round. */
export interface Observation {
  /** `field.domain`. */
  readonly domain: Box;
  /** `field.start`, θ₀. */
  readonly start: Vec2;
  /** `settings.etaMax`. */
  readonly etaMax: number;
  /** Own L(θ₀). */
  readonly loss0: number;
  /** ∇L(θ₀) (hint `gradient`). */
  readonly gradient0: Vec2;
  /** The first turn: own feedback and the gradient at the new position. */
  readonly move: { readonly angle: number; readonly eta: number };
  readonly loss1: number;
  readonly deltaLoss: number;
  readonly predicted: number;
  readonly beta: number;
  readonly clamped: boolean;
  readonly stepLength: number;
  readonly gradient1: Vec2;
  /** The bot's loss after the first turn (the public race). */
  readonly botLoss1: number;
}

const ME = "adversary";

/**
 * Play the first turn of a round on `ref` as the adversary: read the first frame, move straight
 * down the shown gradient with the largest step allowed, read the feedback.
 */
export function observe(ref: SurfaceRef, seed: number): Observation {
  const created = createRound({
    surface: ref,
    settings: { turns: 3, secondsPerTurn: 0, hint: "gradient" },
    seed,
    players: [{ id: ME, nickname: "Eve" }],
    startedAt: 0,
  });
  if (!created.ok) throw new Error(created.error.message);
  let state: RoundState = created.state;
  const first = viewFor(state, { role: "player", playerId: ME });
  const you = first.you;
  if (!you || !you.gradient) throw new Error("the adversary sees no gradient");
  const g0 = you.gradient;
  const angle = Math.atan2(-g0[1], -g0[0]);
  const eta = first.settings.etaMax;
  const moved = reduce(state, { type: "move", playerId: ME, angle, eta, at: 1, turn: 0 });
  if (!moved.ok) throw new Error(moved.error.message);
  const resolved = reduce(moved.state, { type: "resolve", at: 2, turn: 0 });
  if (!resolved.ok) throw new Error(resolved.error.message);
  state = resolved.state;
  const second = viewFor(state, { role: "player", playerId: ME });
  if (second.reveal !== null) throw new Error("the round was revealed after one turn");
  const own = second.you;
  const feedback = own?.feedback[0];
  if (!own || !own.gradient || !feedback) throw new Error("no first-turn feedback");
  return {
    domain: first.field.domain,
    start: first.field.start,
    etaMax: eta,
    loss0: you.losses[0]!,
    gradient0: g0,
    move: { angle, eta },
    loss1: feedback.loss,
    deltaLoss: feedback.deltaLoss,
    predicted: feedback.predicted ?? 0,
    beta: feedback.beta ?? 0,
    clamped: feedback.clamped,
    stepLength: feedback.stepLength,
    gradient1: own.gradient,
    botLoss1: second.race.bot?.losses[1] ?? NaN,
  };
}

/** One seeded surprise round: the ref the server's picker chose, and what the adversary saw. */
export interface SurpriseRound {
  readonly ref: SurfaceRef;
  readonly seen: Observation;
}

/**
 * `count` surprise rounds as the server starts them (server/surface-picker with a seeded random
 * source). Procedural rounds are kept only when `procedural` is true (they cost a generation each).
 */
export function surpriseRounds(
  seed: number,
  count: number,
  options: { procedural?: boolean } = {},
): SurpriseRound[] {
  const random = seededPicker(seed);
  const rounds: SurpriseRound[] = [];
  for (let i = 0; i < count; i++) {
    const ref = pickSurface({ kind: "surprise" }, CATALOG, random);
    if (ref.kind !== "catalog" && !options.procedural) continue;
    rounds.push({ ref, seen: observe(ref, random.uint32()) });
  }
  return rounds;
}

/** The adversary's answer: a catalog id, or `procedural`. */
export type Guess = string;

/** The catalog id a ref names, or `procedural`. */
export function truth(ref: SurfaceRef): Guess {
  return ref.kind === "catalog" ? ref.id : "procedural";
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed exactly in log space. */
export function binomialTail(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const logs: number[] = [];
  let logC = 0; // log C(n, i), built up from i = 0
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    if (i >= k) logs.push(logC + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  const top = Math.max(...logs);
  return Math.min(1, Math.exp(top) * logs.reduce((s, l) => s + Math.exp(l - top), 0));
}

/**
 * The smallest k with P(X ≥ k) ≤ alpha under chance (X ~ Binomial(n, p)): an adversary at chance
 * scores k hits or more with probability at most alpha, so a count below k is "not better than
 * chance" at level alpha.
 */
export function chanceThreshold(n: number, p: number, alpha: number): number {
  let k = Math.ceil(n * p);
  while (k <= n && binomialTail(n, p, k) > alpha) k++;
  return k;
}
