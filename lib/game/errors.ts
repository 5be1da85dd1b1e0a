/**
 * The round rules never throw on bad input: every entry point returns either `{ ok: true, … }`
 * with the new value or a {@link RoundFailure} carrying a {@link RoundError}: a stable
 * machine-readable code (shared with the network protocol) and a human-readable message.
 */

/** Every error code of the round rules (docs/SPEC.md cites them). */
export const RoundErrorCode = {
  /** The settings are malformed or out of range (R2). */
  INVALID_SETTINGS: "INVALID_SETTINGS",
  /** The player list is empty, has duplicate ids or malformed entries (R1). */
  INVALID_PLAYERS: "INVALID_PLAYERS",
  /** The seed is not a finite number, or `startedAt` is not a finite number (R1). */
  INVALID_ROUND: "INVALID_ROUND",
  /** The surface ref does not name a surface (R1). */
  UNKNOWN_SURFACE: "UNKNOWN_SURFACE",
  /** The action is not a well-formed action object (R3). */
  INVALID_ACTION: "INVALID_ACTION",
  /** The move names a player who is not in the round (R3). */
  UNKNOWN_PLAYER: "UNKNOWN_PLAYER",
  /** The round is already revealed: no more moves or resolves (R3, R12). */
  NOT_PLAYING: "NOT_PLAYING",
  /** The action names a turn other than the current one (R3, R5). */
  WRONG_TURN: "WRONG_TURN",
  /** The move arrives after the turn's deadline (R3). */
  TURN_OVER: "TURN_OVER",
  /** The move's angle or step size is not allowed (R3). */
  INVALID_MOVE: "INVALID_MOVE",
  /** The player has already moved this turn; the first move stands (R4). */
  ALREADY_MOVED: "ALREADY_MOVED",
  /** A stored record does not replay (R16). */
  INVALID_RECORD: "INVALID_RECORD",
} as const;

/** One of the {@link RoundErrorCode} values. */
export type RoundErrorCode = (typeof RoundErrorCode)[keyof typeof RoundErrorCode];

/** Why an action or a round was refused. */
export interface RoundError {
  readonly code: RoundErrorCode;
  readonly message: string;
}

/** A refusal: what every entry point returns instead of throwing. */
export interface RoundFailure {
  readonly ok: false;
  readonly error: RoundError;
}

/** A refusal with a code and a message. */
export function fail(code: RoundErrorCode, message: string): RoundFailure {
  return { ok: false, error: { code, message } };
}
