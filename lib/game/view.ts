import type { OptimizerId } from "../optimizers/types";
import type { SurfaceRef } from "../surface-ref";
import type { Box, Difficulty, Minimum, Surface, Vec2 } from "../types";
import { defaultRoundEnv } from "./env";
import type { RoundEnv } from "./env";
import { deadlineOf, surfaceOf } from "./rules";
import type { Hint, RoundSettings } from "./settings";
import type { BotResult, Move, RoundPhase, RoundState, ScoreScale, TurnFeedback } from "./state";

/**
 * What each viewer may see of a round (docs/SPEC.md R10, R11): the ONE place where secret state is
 * filtered. Nothing else may serialise a {@link RoundState} to a client.
 *
 * Before the reveal the surface is secret: no id, name, description, formula, parameters, seed,
 * difficulty, minima or L*, nobody's position but your own, nobody's move but your own, never the
 * bot's position. Players are shown to others by seat and nickname only, never by id.
 */

/** Who is looking. */
export type Viewer =
  | { readonly role: "player"; readonly playerId: string }
  | { readonly role: "host" }
  | { readonly role: "spectator" };

/**
 * How the other players appear to a viewer (docs/SPEC.md R21, a classroom's "no rankings"):
 * `named` (the default) shows everyone by nickname; `anonymous` blanks every nickname (seats and
 * losses stay) and withholds the ranking; `hidden` keeps only the viewer's own entries (and the
 * bot's), with the viewer's rank withheld (0).
 */
export type PeerVisibility = "named" | "anonymous" | "hidden";

/** Options of {@link viewFor}. */
export interface ViewOptions {
  /** @default "named" */
  readonly peers?: PeerVisibility;
  /**
   * R11b: show a finished round as it was after its last turn, before the reveal (R10 applies:
   * phase `playing`, `turn` = the number of turns, no reveal, blind feedback still blind, no
   * gradient, no deadline). A server shows every turn's result at once and holds the reveal back
   * until the round is stored. No effect on a round still being played. @default false
   */
  readonly sealed?: boolean;
}

/** The settings everyone may know (the bot's hyper-parameters wait for the reveal). */
export interface PublicSettings {
  readonly turns: number;
  readonly secondsPerTurn: number;
  readonly etaMax: number;
  readonly hint: Hint;
  readonly bot: OptimizerId | "none";
}

/** One player in the loss race: their loss after each turn and whether they moved this turn. */
export interface RacePlayer {
  readonly seat: number;
  readonly nickname: string;
  /** A ghost: a stored round's player played again (docs/SPEC.md G1–G5). */
  readonly ghost?: true;
  /** Whether this is the viewer. */
  readonly you: boolean;
  readonly losses: readonly number[];
  /** Whether they have moved in the current turn (never what the move is). */
  readonly moved: boolean;
}

/** The live loss race (R10): everyone's loss per turn, the bot's included. */
export interface LossRace {
  readonly players: readonly RacePlayer[];
  readonly bot: { readonly optimizer: OptimizerId; readonly losses: readonly number[] } | null;
}

/** The viewer's own seat (players only). */
export interface OwnView {
  readonly seat: number;
  readonly nickname: string;
  /** θ₀, θ₁, … */
  readonly path: readonly Vec2[];
  readonly losses: readonly number[];
  /** Under the `blind` hint, `predicted` and `beta` are null until the reveal (they would leak the gradient). */
  readonly feedback: readonly TurnFeedback[];
  /** ∇L at the current position while playing under the `gradient` or `taylor` hint, else null. */
  readonly gradient: Vec2 | null;
  /** The move already sent this turn, or null. */
  readonly pendingMove: Move | null;
}

/** A revealed path: a player's whole history. */
export interface RevealedPlayer {
  readonly seat: number;
  readonly nickname: string;
  /** A ghost: a stored round's player played again (docs/SPEC.md G1–G5). */
  readonly ghost?: true;
  readonly you: boolean;
  readonly path: readonly Vec2[];
  readonly losses: readonly number[];
  readonly feedback: readonly TurnFeedback[];
}

/** A ranked player at the reveal (no ids: seat and nickname). */
export interface RankedPlayer {
  readonly seat: number;
  readonly nickname: string;
  /** A ghost: a stored round's player played again (docs/SPEC.md G1–G5). */
  readonly ghost?: true;
  readonly you: boolean;
  /** 1, 2, …; 0 when withheld (a classroom without rankings, R21). */
  readonly rank: number;
  readonly finalLoss: number;
  readonly progress: number;
  readonly score: number;
  readonly reachedTurn: number;
  readonly reachedAt: number | null;
  readonly beatBot: boolean | null;
}

/** Everything, once the round is over (R11). */
export interface RevealView {
  readonly surface: {
    readonly ref: SurfaceRef;
    readonly id: string;
    readonly name: string;
    readonly description: string;
    readonly formula: string;
    readonly difficulty: Difficulty;
    readonly domain: Box;
    readonly start: Vec2;
    readonly minima: readonly Minimum[];
  };
  readonly settings: RoundSettings;
  readonly seed: number;
  readonly players: readonly RevealedPlayer[];
  readonly bot: {
    readonly optimizer: OptimizerId;
    readonly path: readonly Vec2[];
    readonly losses: readonly number[];
  } | null;
  readonly results: {
    readonly scale: ScoreScale;
    readonly ranking: readonly RankedPlayer[];
    readonly bot: BotResult | null;
  };
}

/** A viewer's view of a round: plain JSON, safe to send as is. */
export interface RoundView {
  /** The viewer's role as served (an unknown player id is served as a spectator). */
  readonly role: Viewer["role"];
  readonly phase: RoundPhase;
  /** Resolved turns so far (the current turn's index while playing). */
  readonly turn: number;
  readonly settings: PublicSettings;
  /** When the current turn closes (ms, the server's clock), or null. */
  readonly deadline: number | null;
  /** The playing field and the common start θ₀ (needed to draw your map; they hide no formula). */
  readonly field: { readonly domain: Box; readonly start: Vec2 };
  readonly race: LossRace;
  /** The viewer's own seat, for players; null for host and spectators. */
  readonly you: OwnView | null;
  /** Null until the round is revealed. */
  readonly reveal: RevealView | null;
}

function copyVec(v: Vec2): Vec2 {
  return [v[0], v[1]];
}

function blindFeedback(feedback: TurnFeedback): TurnFeedback {
  return { ...feedback, predicted: null, beta: null };
}

/**
 * The view of `state` for `viewer` (R10, R11). A player id that is not in the round is served the
 * spectator view. Before the reveal: public settings, the field, the loss race and who has moved,
 * plus, for a player, their own path, losses and feedback and (hint `gradient` or `taylor`) the
 * gradient at their position. After the reveal: all of that plus the surface, every path, the
 * bot's, the full settings and the results. Throws only if the state's surface ref no longer
 * resolves (impossible for a state made by `createRound` with the same environment).
 */
export function viewFor(
  state: RoundState,
  viewer: Viewer,
  env: RoundEnv = defaultRoundEnv,
  options: ViewOptions = {},
): RoundView {
  return viewMaker(state, env, options)(viewer);
}

/**
 * {@link viewFor} for many viewers of one state: the parts every viewer shares (the race, the
 * reveal) are built once and shared between the views, so a server can serve a room of N
 * players in O(N) work instead of O(N²) (and serialise the shared parts once). Each returned
 * view equals `viewFor(state, viewer, env, options)`; treat them as read-only.
 */
export function viewMaker(
  state: RoundState,
  env: RoundEnv = defaultRoundEnv,
  options: ViewOptions = {},
): (viewer: Viewer) => RoundView {
  const resolved = surfaceOf(state.surface, env);
  if (!resolved.ok) throw new Error(resolved.error.message);
  const surface = resolved.surface;
  const peers = options.peers ?? "named";
  const sealed = options.sealed === true && state.phase === "revealed";
  const base = baseView(state, surface, sealed);
  const host: RoundView = { ...base, role: "host" };
  return (viewer) => {
    const seat =
      viewer?.role === "player"
        ? state.players.findIndex((player) => player.id === viewer.playerId)
        : -1;
    let view: RoundView;
    if (seat < 0) {
      view = viewer?.role === "host" ? host : base;
    } else {
      const reveal = base.reveal;
      view = {
        ...base,
        role: "player",
        race: {
          ...base.race,
          players: base.race.players.map((p) => (p.seat === seat ? { ...p, you: true } : p)),
        },
        you: ownView(state, seat, surface, sealed),
        reveal: reveal && {
          ...reveal,
          players: reveal.players.map((p) => (p.seat === seat ? { ...p, you: true } : p)),
          results: {
            ...reveal.results,
            ranking: reveal.results.ranking.map((r) => (r.seat === seat ? { ...r, you: true } : r)),
          },
        },
      };
    }
    return peers === "named" ? view : withPeers(view, peers);
  };
}

/** R21: blank or drop the other players' entries of a view. */
function withPeers(view: RoundView, peers: "anonymous" | "hidden"): RoundView {
  const race: LossRace = {
    ...view.race,
    players:
      peers === "hidden"
        ? view.race.players.filter((p) => p.you)
        : view.race.players.map((p) => (p.you ? p : { ...p, nickname: "" })),
  };
  const reveal = view.reveal;
  return {
    ...view,
    race,
    reveal: reveal && {
      ...reveal,
      players:
        peers === "hidden"
          ? reveal.players.filter((p) => p.you)
          : reveal.players.map((p) => (p.you ? p : { ...p, nickname: "" })),
      results: {
        ...reveal.results,
        ranking:
          peers === "hidden"
            ? reveal.results.ranking.filter((r) => r.you).map((r) => ({ ...r, rank: 0 }))
            : [],
      },
    },
  };
}

/** A player's own seat (R10): path, losses, feedback, the gradient under `gradient`/`taylor`. */
function ownView(
  state: RoundState,
  seat: number,
  surface: Surface,
  sealed: boolean,
): OwnView | null {
  const me = state.players[seat];
  if (!me) return null;
  const playing = state.phase === "playing";
  const hidden = playing || sealed;
  const hint = state.settings.hint;
  const position = me.path[me.path.length - 1];
  const pending = state.pending.find((move) => move.playerId === me.id);
  return {
    seat,
    nickname: me.nickname,
    path: me.path.map(copyVec),
    losses: [...me.losses],
    feedback: me.feedback.map((f) => (hidden && hint === "blind" ? blindFeedback(f) : { ...f })),
    gradient: playing && hint !== "blind" && position ? copyVec(surface.gradient(position)) : null,
    pendingMove: pending ? { angle: pending.angle, eta: pending.eta, at: pending.at } : null,
  };
}

/** The spectator's view (every `you` false, no own seat): what all viewers share. */
function baseView(state: RoundState, surface: Surface, sealed: boolean): RoundView {
  const playing = state.phase === "playing";
  const moved = new Set(state.pending.map((move) => move.playerId));
  const hint = state.settings.hint;

  const race: LossRace = {
    players: state.players.map((player, index) => ({
      seat: index,
      nickname: player.nickname,
      ...(player.ghost === true && { ghost: true as const }),
      you: false,
      losses: [...player.losses],
      moved: playing && moved.has(player.id),
    })),
    bot: state.bot ? { optimizer: state.bot.optimizer, losses: [...state.bot.losses] } : null,
  };

  let reveal: RevealView | null = null;
  if (!playing && !sealed && state.results) {
    const results = state.results;
    reveal = {
      surface: {
        ref: state.surface,
        id: surface.id,
        name: surface.name,
        description: surface.description,
        formula: surface.formula,
        difficulty: surface.difficulty,
        domain: { min: copyVec(surface.domain.min), max: copyVec(surface.domain.max) },
        start: copyVec(surface.start),
        minima: surface.minima.map((m) => ({ theta: copyVec(m.theta), loss: m.loss })),
      },
      settings: state.settings,
      seed: state.seed,
      players: state.players.map((player, index) => ({
        seat: index,
        nickname: player.nickname,
        ...(player.ghost === true && { ghost: true as const }),
        you: false,
        path: player.path.map(copyVec),
        losses: [...player.losses],
        feedback: player.feedback.map((f) => ({ ...f })),
      })),
      bot: state.bot
        ? {
            optimizer: state.bot.optimizer,
            path: state.bot.path.map(copyVec),
            losses: [...state.bot.losses],
          }
        : null,
      results: {
        scale: results.scale,
        ranking: results.ranking.map((r) => ({
          seat: r.seat,
          nickname: r.nickname,
          ...(state.players[r.seat]?.ghost === true && { ghost: true as const }),
          you: false,
          rank: r.rank,
          finalLoss: r.finalLoss,
          progress: r.progress,
          score: r.score,
          reachedTurn: r.reachedTurn,
          reachedAt: r.reachedAt,
          beatBot: r.beatBot,
        })),
        bot: results.bot,
      },
    };
  }

  return {
    role: "spectator",
    phase: sealed ? "playing" : state.phase,
    turn: state.turn,
    settings: {
      turns: state.settings.turns,
      secondsPerTurn: state.settings.secondsPerTurn,
      etaMax: state.settings.etaMax,
      hint,
      bot: state.settings.bot.optimizer,
    },
    deadline: deadlineOf(state),
    field: {
      domain: { min: copyVec(surface.domain.min), max: copyVec(surface.domain.max) },
      start: copyVec(surface.start),
    },
    race,
    you: null,
    reveal,
  };
}
