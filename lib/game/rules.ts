import { directionFromAngle, inBox, norm, stepWithinBox, sub } from "../geometry";
import { optimizers } from "../optimizers";
import type { SurfaceRef } from "../surface-ref";
import { angleToGradient, firstOrderChange } from "../taylor";
import type { Surface, Vec2 } from "../types";
import { defaultRoundEnv } from "./env";
import type { RoundEnv } from "./env";
import { fail, RoundErrorCode } from "./errors";
import type { RoundFailure } from "./errors";
import { computeResults } from "./scoring";
import { resolveSettings } from "./settings";
import type { RoundSettingsInput } from "./settings";
import type {
  BotTrack,
  MoveAction,
  PendingMove,
  PlayerInfo,
  PlayerTrack,
  ResolveAction,
  RoundAction,
  RoundState,
  TurnFeedback,
} from "./state";

/**
 * The round rules as one pure, deterministic reducer (docs/SPEC.md). Nothing here reads a clock
 * or a random source; nothing mutates its input; bad input is a returned {@link RoundFailure}.
 */

/** What {@link createRound}, {@link reduce} and `replayRound` return. */
export type RoundOutcome = { readonly ok: true; readonly state: RoundState } | RoundFailure;

/** The input of {@link createRound}. */
export interface CreateRoundInput {
  /** The surface, by name. */
  readonly surface: SurfaceRef;
  /** The host's settings (every field optional, see `roundSettingsSchema`). */
  readonly settings?: RoundSettingsInput | null;
  /** The round's seed, any finite number (stored; the rules use no randomness). */
  readonly seed: number;
  /** The players in their fixed order (seat = index): at least one, unique non-empty ids. */
  readonly players: readonly PlayerInfo[];
  /** When turn 0 opens (ms, the caller's clock); enables the deadline of timed rounds (R3). */
  readonly startedAt?: number | null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function vec(theta: Vec2): Vec2 {
  return [theta[0], theta[1]];
}

/** Resolve the surface of a ref, turning a throw into `UNKNOWN_SURFACE`. */
export function surfaceOf(
  ref: SurfaceRef,
  env: RoundEnv = defaultRoundEnv,
): { readonly ok: true; readonly surface: Surface } | RoundFailure {
  try {
    return { ok: true, surface: env.resolveSurface(ref) };
  } catch (error) {
    return fail(
      RoundErrorCode.UNKNOWN_SURFACE,
      `cannot resolve the surface ${JSON.stringify(ref)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function checkPlayers(players: unknown): string | null {
  if (!Array.isArray(players) || players.length === 0) return "a round needs at least one player";
  const seen = new Set<string>();
  for (const [seat, player] of players.entries()) {
    if (!isRecord(player) || typeof player.id !== "string" || player.id === "") {
      return `players[${seat}].id must be a non-empty string`;
    }
    if (typeof player.nickname !== "string") return `players[${seat}].nickname must be a string`;
    if (player.ghost !== undefined && player.ghost !== true) {
      return `players[${seat}].ghost must be true when given`;
    }
    if (seen.has(player.id)) return `duplicate player id ${JSON.stringify(player.id)}`;
    seen.add(player.id);
  }
  return null;
}

/**
 * Start a round (R1): resolve the surface and the settings (R2), seat the players in the given
 * order, put every player and the bot at θ₀ = surface.start, open turn 0. Fails with
 * `INVALID_PLAYERS` (no player, a duplicate or empty id), `INVALID_ROUND` (seed or startedAt not
 * finite), `UNKNOWN_SURFACE` or `INVALID_SETTINGS`.
 */
export function createRound(
  input: CreateRoundInput,
  env: RoundEnv = defaultRoundEnv,
): RoundOutcome {
  if (!isRecord(input))
    return fail(RoundErrorCode.INVALID_ROUND, "the round input must be an object");
  const playersError = checkPlayers(input.players);
  if (playersError) return fail(RoundErrorCode.INVALID_PLAYERS, playersError);
  if (!isFiniteNumber(input.seed)) {
    return fail(
      RoundErrorCode.INVALID_ROUND,
      `seed must be a finite number, got ${String(input.seed)}`,
    );
  }
  const startedAt = input.startedAt ?? null;
  if (startedAt !== null && !isFiniteNumber(startedAt)) {
    return fail(
      RoundErrorCode.INVALID_ROUND,
      `startedAt must be a finite number of milliseconds, got ${String(startedAt)}`,
    );
  }
  const resolved = surfaceOf(input.surface, env);
  if (!resolved.ok) return resolved;
  const surface = resolved.surface;
  const settingsResult = resolveSettings(input.settings, surface);
  if (!settingsResult.ok) return settingsResult;
  const settings = settingsResult.settings;

  const start = vec(surface.start);
  const startLoss = surface.loss(start);
  const players: PlayerTrack[] = input.players.map((player) => ({
    id: player.id,
    nickname: player.nickname,
    ...(player.ghost === true && { ghost: true as const }),
    path: [start],
    losses: [startLoss],
    feedback: [],
  }));
  const bot: BotTrack | null =
    settings.bot.optimizer === "none"
      ? null
      : {
          optimizer: settings.bot.optimizer,
          state: optimizers[settings.bot.optimizer].init(start),
          path: [start],
          losses: [startLoss],
        };
  return {
    ok: true,
    state: {
      surface: input.surface,
      settings,
      seed: input.seed,
      startedAt,
      phase: "playing",
      turn: 0,
      turnStartedAt: startedAt,
      players,
      pending: [],
      bot,
      results: null,
      log: [],
    },
  };
}

/**
 * The deadline of the current turn in ms (R3): turnStartedAt + 1000·secondsPerTurn, or null when
 * the round is untimed (secondsPerTurn = 0), the start time is unknown, or the round is over.
 */
export function deadlineOf(state: RoundState): number | null {
  if (state.phase !== "playing" || state.settings.secondsPerTurn === 0) return null;
  if (state.turnStartedAt === null) return null;
  return state.turnStartedAt + 1000 * state.settings.secondsPerTurn;
}

/** Ids of the players who have not moved yet this turn, in seat order (empty once revealed). */
export function waitingFor(state: RoundState): string[] {
  if (state.phase !== "playing") return [];
  const moved = new Set(state.pending.map((move) => move.playerId));
  return state.players.map((player) => player.id).filter((id) => !moved.has(id));
}

/**
 * Whether every one of `playerIds` (e.g. the connected players) has moved this turn, so the server
 * may resolve early. Ids not in the round are ignored. False when none of `playerIds` is in the
 * round (nobody connected: wait for the timer rather than resolve every turn at once) and once the
 * round is revealed.
 */
export function hasEveryoneMoved(state: RoundState, playerIds: Iterable<string>): boolean {
  if (state.phase !== "playing") return false;
  const seated = new Set(state.players.map((player) => player.id));
  const waiting = new Set(waitingFor(state));
  let anyone = false;
  for (const id of playerIds) {
    if (!seated.has(id)) continue;
    if (waiting.has(id)) return false;
    anyone = true;
  }
  return anyone;
}

function checkTurn(state: RoundState, turn: unknown): RoundFailure | null {
  if (turn === undefined) return null;
  if (!Number.isInteger(turn)) {
    return fail(RoundErrorCode.INVALID_ACTION, `turn must be an integer, got ${String(turn)}`);
  }
  if (turn !== state.turn) {
    return fail(
      RoundErrorCode.WRONG_TURN,
      `turn ${String(turn)} is not the current turn ${state.turn}`,
    );
  }
  return null;
}

function applyMove(state: RoundState, action: Record<string, unknown>): RoundOutcome {
  const { playerId, angle, eta, at, turn } = action;
  if (typeof playerId !== "string") {
    return fail(RoundErrorCode.INVALID_ACTION, "a move needs a playerId string");
  }
  if (!isFiniteNumber(at)) {
    return fail(
      RoundErrorCode.INVALID_ACTION,
      `at must be a finite number of ms, got ${String(at)}`,
    );
  }
  if (state.phase !== "playing") {
    return fail(RoundErrorCode.NOT_PLAYING, "the round is over: no more moves");
  }
  const turnError = checkTurn(state, turn);
  if (turnError) return turnError;
  if (!state.players.some((player) => player.id === playerId)) {
    return fail(
      RoundErrorCode.UNKNOWN_PLAYER,
      `no player ${JSON.stringify(playerId)} in this round`,
    );
  }
  const deadline = deadlineOf(state);
  if (deadline !== null && at > deadline) {
    return fail(
      RoundErrorCode.TURN_OVER,
      `turn ${state.turn} closed at ${deadline}, the move came at ${at}`,
    );
  }
  if (!isFiniteNumber(angle)) {
    return fail(
      RoundErrorCode.INVALID_MOVE,
      `angle must be a finite number of radians, got ${String(angle)}`,
    );
  }
  const etaMax = state.settings.etaMax;
  if (!isFiniteNumber(eta) || !(eta > 0) || eta > etaMax) {
    return fail(RoundErrorCode.INVALID_MOVE, `eta must be in (0, ${etaMax}], got ${String(eta)}`);
  }
  if (state.pending.some((move) => move.playerId === playerId)) {
    return fail(
      RoundErrorCode.ALREADY_MOVED,
      `player ${JSON.stringify(playerId)} has already moved in turn ${state.turn}; the first move stands`,
    );
  }
  const pending: PendingMove = { playerId, angle, eta, at };
  const logged: MoveAction = { type: "move", playerId, angle, eta, at, turn: state.turn };
  return {
    ok: true,
    state: { ...state, pending: [...state.pending, pending], log: [...state.log, logged] },
  };
}

/**
 * One player's turn (R5–R7, R9): the step θ' = θ + s·u stopped at the box's edge, and the feedback
 * measured against the gradient at the previous position θ.
 */
function stepPlayer(
  player: PlayerTrack,
  move: PendingMove | undefined,
  surface: Surface,
): PlayerTrack {
  const theta = player.path[player.path.length - 1] ?? vec(surface.start);
  const loss = player.losses[player.losses.length - 1] ?? surface.loss(theta);
  let next: Vec2;
  let feedback: TurnFeedback;
  if (!move) {
    next = theta;
    feedback = {
      move: null,
      loss,
      deltaLoss: 0,
      stepLength: 0,
      predicted: null,
      beta: null,
      clamped: false,
    };
  } else {
    const box = surface.domain;
    const u = directionFromAngle(move.angle);
    const gradient = surface.gradient(theta);
    const clamped = !inBox([theta[0] + move.eta * u[0], theta[1] + move.eta * u[1]], box);
    next = stepWithinBox(theta, u, move.eta, box);
    const stepLength = clamped ? norm(sub(next, theta)) : move.eta;
    const nextLoss = surface.loss(next);
    feedback = {
      move: { angle: move.angle, eta: move.eta, at: move.at },
      loss: nextLoss,
      deltaLoss: nextLoss - loss,
      stepLength,
      predicted: firstOrderChange(gradient, u, stepLength),
      beta: angleToGradient(u, gradient),
      clamped,
    };
  }
  return {
    ...player,
    path: [...player.path, next],
    losses: [...player.losses, feedback.loss],
    feedback: [...player.feedback, feedback],
  };
}

/** The bot's turn (R8): one step of its optimizer from its stored state. */
function stepBot(bot: BotTrack, state: RoundState, surface: Surface): BotTrack {
  const settings = state.settings.bot;
  if (settings.optimizer === "none") return bot;
  const next = optimizers[bot.optimizer].step(bot.state, surface, settings.params);
  const theta = vec(next.theta);
  return {
    ...bot,
    state: next,
    path: [...bot.path, theta],
    losses: [...bot.losses, surface.loss(theta)],
  };
}

function applyResolve(
  state: RoundState,
  action: Record<string, unknown>,
  env: RoundEnv,
): RoundOutcome {
  const { at, turn } = action;
  if (!isFiniteNumber(at)) {
    return fail(
      RoundErrorCode.INVALID_ACTION,
      `at must be a finite number of ms, got ${String(at)}`,
    );
  }
  if (state.phase !== "playing") {
    return fail(RoundErrorCode.NOT_PLAYING, "the round is over: nothing to resolve");
  }
  const turnError = checkTurn(state, turn);
  if (turnError) return turnError;
  const resolved = surfaceOf(state.surface, env);
  if (!resolved.ok) return resolved;
  const surface = resolved.surface;

  const players = state.players.map((player) =>
    stepPlayer(
      player,
      state.pending.find((move) => move.playerId === player.id),
      surface,
    ),
  );
  const bot = state.bot ? stepBot(state.bot, state, surface) : null;
  const turnIndex = state.turn + 1;
  const over = turnIndex >= state.settings.turns;
  const logged: ResolveAction = { type: "resolve", at, turn: state.turn };
  const startLoss = players[0]?.losses[0] ?? surface.loss(vec(surface.start));
  return {
    ok: true,
    state: {
      ...state,
      phase: over ? "revealed" : "playing",
      turn: turnIndex,
      turnStartedAt: at,
      players,
      pending: [],
      bot,
      results: over
        ? computeResults(players, bot, { startLoss, minLoss: minLossOf(surface, startLoss) })
        : null,
      log: [...state.log, logged],
    },
  };
}

/** L* = the loss of the surface's first global minimum (all share it); L(θ₀) if none is listed. */
function minLossOf(surface: Surface, startLoss: number): number {
  return surface.minima[0]?.loss ?? startLoss;
}

/**
 * The reducer: apply one action to a state and return the next state, or the reason it is
 * refused (the state is then unchanged). Never throws on bad input, never mutates `state`.
 *
 * - `move` (R3, R4): records a player's move for the current turn; refused with
 *   `INVALID_ACTION`, `NOT_PLAYING`, `WRONG_TURN`, `UNKNOWN_PLAYER`, `TURN_OVER`, `INVALID_MOVE`
 *   or `ALREADY_MOVED` (the first move of a turn stands; a second one is refused).
 * - `resolve` (R5–R9, R12): closes the turn. Every pending move resolves from its player's own
 *   position, independently of the others (simultaneous); a player without a move stays; each step
 *   stops at the box's edge; the bot takes one optimizer step; after the last turn the round is
 *   revealed and scored (R13–R15).
 *
 * Every accepted action is appended, normalised (with its `turn`), to `state.log` (R16).
 */
export function reduce(
  state: RoundState,
  action: RoundAction,
  env: RoundEnv = defaultRoundEnv,
): RoundOutcome {
  const input: unknown = action;
  if (!isRecord(input)) return fail(RoundErrorCode.INVALID_ACTION, "an action must be an object");
  if (input.type === "move") return applyMove(state, input);
  if (input.type === "resolve") return applyResolve(state, input, env);
  return fail(
    RoundErrorCode.INVALID_ACTION,
    `unknown action type ${JSON.stringify(input.type) ?? "undefined"}`,
  );
}

/**
 * R23: relabel a player (a host renaming an offensive nickname). The nickname is a label, not part
 * of the rules: positions, losses, scores and ranks stay; the player's entry and, once the round
 * is over, their line of the results carry the new name. Returns `state` itself when `playerId`
 * is not in the round.
 */
export function renamePlayer(state: RoundState, playerId: string, nickname: string): RoundState {
  const seat = state.players.findIndex((p) => p.id === playerId);
  if (seat < 0) return state;
  const results = state.results;
  return {
    ...state,
    players: state.players.map((p, i) => (i === seat ? { ...p, nickname } : p)),
    results: results && {
      ...results,
      ranking: results.ranking.map((r) => (r.seat === seat ? { ...r, nickname } : r)),
    },
  };
}
