import type { OptimizerId, OptimizerState } from "../optimizers/types";
import type { SurfaceRef } from "../surface-ref";
import type { Vec2 } from "../types";
import type { RoundSettings } from "./settings";

/**
 * The state of a round: plain JSON data (no functions, no class instances, no NaN or ±Infinity),
 * so it can be stored, sent to the server's own storage and compared bit for bit with a replay.
 * The surface itself is not in the state, only its {@link SurfaceRef}; the rules resolve it.
 * Never serialise a state to a client: {@link viewFor} is the only way out (docs/SPEC.md R10).
 */

/** `playing` until the last turn is resolved, then `revealed` (R12). */
export type RoundPhase = "playing" | "revealed";

/** A player as the round knows them: an opaque id (never shown to others) and a nickname. */
export interface PlayerInfo {
  readonly id: string;
  readonly nickname: string;
  /**
   * A ghost (docs/SPEC.md G1–G5): the moves of a stored round's player, played again by the
   * room's rules. Played and scored like a player; stored with the bot flag (off leaderboards).
   */
  readonly ghost?: true;
}

/**
 * A move: a direction u = [cos angle, sin angle] (angle in radians, counter-clockwise from +w)
 * and a step size η, with the time `at` (ms, from the caller's clock) at which it was accepted.
 */
export interface Move {
  readonly angle: number;
  readonly eta: number;
  readonly at: number;
}

/** A move waiting for the end of the current turn. */
export interface PendingMove extends Move {
  readonly playerId: string;
}

/**
 * What a turn did to one player (R9). With θ the position before the turn and θ' after it:
 * `loss` = L(θ'), `deltaLoss` = L(θ') − L(θ), `predicted` = s·uᵀ∇L(θ) where s is the length of
 * the step actually taken (s = η unless the step stopped at the edge), `beta` = the angle in
 * [0, π] between u and ∇L(θ). A player who did not move has `move`, `predicted` and `beta` null.
 */
export interface TurnFeedback {
  /** The move taken this turn, or null: the player stayed put (R6). */
  readonly move: Move | null;
  /** L(θ') after the turn. */
  readonly loss: number;
  /** ΔL = L(θ') − L(θ). */
  readonly deltaLoss: number;
  /** The length s = ‖θ' − θ‖ of the step taken: η, or less when it stopped at the edge. */
  readonly stepLength: number;
  /** First-order prediction s·uᵀ∇L(θ) of ΔL; null when the player stayed. */
  readonly predicted: number | null;
  /** β ∈ [0, π] between u and ∇L(θ), in radians; null when staying or at a stationary point. */
  readonly beta: number | null;
  /** Whether θ + ηu lay outside the box, so the step stopped at its edge (R7). */
  readonly clamped: boolean;
}

/** A player's whole history. Invariant: `path.length === losses.length === feedback.length + 1`. */
export interface PlayerTrack extends PlayerInfo {
  /** θ₀, θ₁, …: the position after each resolved turn, θ₀ = the surface's start. */
  readonly path: readonly Vec2[];
  /** L(θ₀), L(θ₁), … */
  readonly losses: readonly number[];
  /** One entry per resolved turn. */
  readonly feedback: readonly TurnFeedback[];
}

/** The bot: its optimizer, the optimizer's state, and its history (R8). */
export interface BotTrack {
  readonly optimizer: OptimizerId;
  readonly state: OptimizerState;
  readonly path: readonly Vec2[];
  readonly losses: readonly number[];
}

/** Reference values of the scoring (R13). */
export interface ScoreScale {
  /** L(θ₀), the loss at the common start. */
  readonly startLoss: number;
  /** L*, the loss of the surface's global minimum (`surface.minima[0].loss`). */
  readonly minLoss: number;
}

/**
 * One player's result (R13–R15). `reachedTurn` is the earliest turn k such that the player's loss
 * after every turn from k on equals their final loss (0: they never left their final loss, e.g.
 * never moved); `reachedAt` is the `at` of the move of turn k (null when k = 0).
 */
export interface PlayerResult {
  readonly playerId: string;
  readonly nickname: string;
  /** Index in {@link RoundState.players}. */
  readonly seat: number;
  /** 1, 2, …: unique, by score, then final loss, reachedTurn, reachedAt, seat (R14). */
  readonly rank: number;
  readonly finalLoss: number;
  /** (L(θ₀) − L_final)/(L(θ₀) − L*) clamped to [0, 1]. */
  readonly progress: number;
  /** round(1000 · progress). */
  readonly score: number;
  readonly reachedTurn: number;
  readonly reachedAt: number | null;
  /** Final loss strictly below the bot's; null when there is no bot (R15). */
  readonly beatBot: boolean | null;
}

/** The bot's result: scored like a player, but it takes no rank (R15). */
export interface BotResult {
  readonly optimizer: OptimizerId;
  readonly finalLoss: number;
  readonly progress: number;
  readonly score: number;
}

/** The results, computed once when the round is revealed. */
export interface RoundResults {
  readonly scale: ScoreScale;
  /** Every player, best first (rank 1 first). */
  readonly ranking: readonly PlayerResult[];
  readonly bot: BotResult | null;
}

/** A player's move (R3). `turn`, when given, must be the current turn (guards late messages). */
export interface MoveAction {
  readonly type: "move";
  readonly playerId: string;
  readonly angle: number;
  readonly eta: number;
  /** The caller's clock in ms when the move arrived (never read inside the rules). */
  readonly at: number;
  readonly turn?: number;
}

/**
 * Close the current turn (R5). `turn`, when given, must be the current turn: a turn timer that
 * fires after the turn was already closed early is then refused instead of closing the next one.
 */
export interface ResolveAction {
  readonly type: "resolve";
  readonly at: number;
  readonly turn?: number;
}

/** Every action of the reducer. */
export type RoundAction = MoveAction | ResolveAction;

/** The state of a round. */
export interface RoundState {
  /** The surface, by name (resolved by the rules). */
  readonly surface: SurfaceRef;
  /** The resolved settings (R2). */
  readonly settings: RoundSettings;
  /** The round's seed, as given (stored for the record; the rules themselves use no randomness). */
  readonly seed: number;
  /** When turn 0 opened (ms, the caller's clock), or null when unknown (no deadline then). */
  readonly startedAt: number | null;
  readonly phase: RoundPhase;
  /** Number of resolved turns: the current turn while playing, `settings.turns` when revealed. */
  readonly turn: number;
  /** When the current turn opened (ms): `startedAt`, then the `at` of each resolve. */
  readonly turnStartedAt: number | null;
  /** The players in their fixed order (their seat is their index). */
  readonly players: readonly PlayerTrack[];
  /** Moves of the current turn, in the order they were accepted. */
  readonly pending: readonly PendingMove[];
  /** The bot, or null when `settings.bot.optimizer` is "none". */
  readonly bot: BotTrack | null;
  /** Null until the reveal. */
  readonly results: RoundResults | null;
  /** Every accepted action, in order (the replay record's actions, R16). */
  readonly log: readonly RoundAction[];
}
