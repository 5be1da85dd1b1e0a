import { RoundErrorCode } from "../game/errors";

/**
 * Error codes and acknowledgement shapes. Every client event is acknowledged with either
 * `{ ok: true, … }` or `{ ok: false, error: { code, message } }`; `code` is one of
 * {@link ErrorCode} (stable, for programs) and `message` says what to do (for people).
 */

/**
 * The protocol version. A client may send it in the Socket.IO handshake
 * (`io(url, { auth: { protocolVersion: PROTOCOL_VERSION } })`); a different version is refused
 * at connection time with `PROTOCOL_MISMATCH`. The server also announces it in `server:hello`.
 */
export const PROTOCOL_VERSION = 1 as const;

/**
 * Every error code an acknowledgement can carry: the round rules' own codes (lib/game, e.g.
 * `WRONG_TURN`, `ALREADY_MOVED`, `INVALID_MOVE`, `INVALID_SETTINGS`) plus the transport and room
 * codes below. docs/protocol.md lists which event can fail with which code.
 */
export const ErrorCode = {
  ...RoundErrorCode,
  /** The payload does not match the event's schema (wrong type, missing or unknown field). */
  BAD_REQUEST: "BAD_REQUEST",
  /** The event name is not part of the protocol. */
  UNKNOWN_EVENT: "UNKNOWN_EVENT",
  /** The event was sent without an acknowledgement callback (nothing was done). */
  MISSING_ACK: "MISSING_ACK",
  /** The payload is larger than the protocol allows. */
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** Too many events too fast; slow down (a socket that keeps flooding is disconnected). */
  RATE_LIMITED: "RATE_LIMITED",
  /** The client speaks another protocol version (connection refused). */
  PROTOCOL_MISMATCH: "PROTOCOL_MISMATCH",
  /** No open room has this code (never existed, or closed). */
  ROOM_NOT_FOUND: "ROOM_NOT_FOUND",
  /** The room has as many players as it may seat. */
  ROOM_FULL: "ROOM_FULL",
  /** The server holds as many rooms as it may; try again later. */
  SERVER_FULL: "SERVER_FULL",
  /** Another player of the room already uses this nickname (compared case-insensitively). */
  NICKNAME_TAKEN: "NICKNAME_TAKEN",
  /** The nickname is empty, longer than 24 characters or contains control characters. */
  NICKNAME_INVALID: "NICKNAME_INVALID",
  /** A host-only action without the room's host token, or with a wrong one. */
  NOT_HOST: "NOT_HOST",
  /** The connection is not attached to a room (join, resume, watch or create one first). */
  NOT_IN_ROOM: "NOT_IN_ROOM",
  /** The connection is already attached to a room (leave it first). */
  ALREADY_IN_ROOM: "ALREADY_IN_ROOM",
  /** The connection has no seat in the current round (spectator, host who does not play, or a
   *  player who joined mid-round and plays from the next round). */
  NOT_A_PLAYER: "NOT_A_PLAYER",
  /** The seat token is unknown in this room, or the seat expired (grace period over, or left). */
  SEAT_NOT_FOUND: "SEAT_NOT_FOUND",
  /** A round is being played: the action waits until the reveal. */
  ROUND_IN_PROGRESS: "ROUND_IN_PROGRESS",
  /** No round is being played (lobby, or the round is already revealed). */
  NO_ROUND: "NO_ROUND",
  /** No player of the room has this nickname (`room:kick`). */
  PLAYER_NOT_FOUND: "PLAYER_NOT_FOUND",
  /** A round needs at least one seated player. */
  NO_PLAYERS: "NO_PLAYERS",
  /** Classroom: the host has locked joining (players already seated may still resume). */
  JOINING_LOCKED: "JOINING_LOCKED",
  /** Classroom: the host removed a player with this nickname; it cannot rejoin the competition. */
  NICKNAME_BANNED: "NICKNAME_BANNED",
  /** Classroom: the nickname is on the profanity list; choose another one. */
  NICKNAME_NOT_ALLOWED: "NICKNAME_NOT_ALLOWED",
  /** Classroom: the host paused the timer; moves wait until the host resumes. */
  PAUSED: "PAUSED",
  /** A classroom control sent to a room that is not a classroom competition. */
  NOT_A_CLASSROOM: "NOT_A_CLASSROOM",
  /** Classroom: the competition has ended; nothing more can be played or joined. */
  COMPETITION_ENDED: "COMPETITION_ENDED",
  /** Classroom: every planned round has been played; end the competition. */
  NO_MORE_ROUNDS: "NO_MORE_ROUNDS",
  /**
   * The host's formula surface is refused (docs/SPEC.md F1–F4, F7): the message says which check
   * failed and where, or that its analysis ran past the time budget.
   */
  INVALID_FORMULA: "INVALID_FORMULA",
  /**
   * The host's data points are refused (docs/SPEC.md F9, F11): the message names the point, the
   * box or says the best fit is on the box's edge.
   */
  INVALID_DATA: "INVALID_DATA",
  /** No challenge has this id (`challenge:play`; docs/SPEC.md C1, C5). */
  CHALLENGE_NOT_FOUND: "CHALLENGE_NOT_FOUND",
  /** No stored round (or no player of it) matches the ghost asked for (`ghost:add`, G1). */
  GHOST_NOT_FOUND: "GHOST_NOT_FOUND",
  /** The ghost's round is not finished, or does not replay (`ghost:add`, G1). */
  GHOST_NOT_FINISHED: "GHOST_NOT_FINISHED",
  /** The server has no database: challenges and the daily descent are not available. */
  UNAVAILABLE: "UNAVAILABLE",
  /** The server failed; the request changed nothing. Report it if it happens again. */
  INTERNAL_ERROR: "INTERNAL_ERROR",
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Why a request was refused. */
export interface ProtocolError {
  readonly code: ErrorCode;
  /** A sentence a person can act on, e.g. `turn 3 is not the current turn 4`. */
  readonly message: string;
}

/** A refused request: nothing changed on the server. */
export interface AckFailure {
  readonly ok: false;
  readonly error: ProtocolError;
}

/** An accepted request, with the event's result fields. */
export type AckSuccess<T extends object> = { readonly ok: true } & T;

/** Every acknowledgement: success with the event's result, or a failure. */
export type AckResponse<T extends object> = AckSuccess<T> | AckFailure;

/** The acknowledgement callback every client event takes as its last argument. */
export type AckCallback<T extends object> = (response: AckResponse<T>) => void;

/** A failure acknowledgement. */
export function ackError(code: ErrorCode, message: string): AckFailure {
  return { ok: false, error: { code, message } };
}

/** Whether a string is one of the {@link ErrorCode} values. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ErrorCode, value);
}
