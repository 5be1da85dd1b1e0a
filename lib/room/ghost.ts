import { replayRound } from "../game";
import type { RoundEnv, RoundRecord, RoundState } from "../game";
import { ackError, ErrorCode } from "../protocol";
import type { AckFailure, ClientPayload, GhostSourceKind, GhostView } from "../protocol";
import { surfaceRefKey } from "../surface-ref";
import type { SurfaceRef } from "../surface-ref";
import type { RoomGhost, RoomState } from "./state";

export type { GhostMove, RoomGhost } from "./state";

/** A host's choice of ghost, as `ghost:add` carries it. */
export type GhostSource = ClientPayload<"ghost:add">["from"];

/**
 * Ghosts (docs/SPEC.md G1–G5): a stored round's player as an entrant of a room's rounds. A ghost
 * is its moves, never its path: each turn the room's rules play its move of that turn through
 * lib/game's reducer, on the same surface, start and settings, so its path is computed again.
 */

/** The ghost's player id in a round (members' ids are 12 characters of base64url: no clash). */
export const GHOST_PLAYER_ID = "ghost:0";

/** The most characters of a ghost's nickname (a member's nickname may have 24). */
const GHOST_NAME_MAX = 32;

/** The name a ghost races under. */
export function ghostNickname(nickname: string): string {
  const name = `Ghost: ${nickname.trim() === "" ? "player" : nickname.trim()}`;
  return [...name].slice(0, GHOST_NAME_MAX).join("");
}

/**
 * G1: a stored round's player as a ghost, by replaying its record through lib/game's reducer
 * (R16): refused with `GHOST_NOT_FINISHED` when the record does not replay to a revealed round,
 * `GHOST_NOT_FOUND` when the seat is not a player of it. `seat` defaults to the round's winner
 * (rank 1 among its players who are not ghosts themselves).
 */
export function ghostOfRecord(
  record: RoundRecord,
  input: { readonly roundId: string; readonly source: GhostSourceKind; readonly seat?: number },
  env?: RoundEnv,
): { readonly ok: true; readonly ghost: RoomGhost } | AckFailure {
  const replayed = replayRound(record, env);
  if (!replayed.ok || replayed.state.phase !== "revealed" || !replayed.state.results) {
    return ackError(
      ErrorCode.GHOST_NOT_FINISHED,
      `round ${input.roundId} is not a finished round that replays: a ghost needs a whole stored round`,
    );
  }
  const state: RoundState = replayed.state;
  const seat =
    input.seat ??
    state.results!.ranking.find((r) => state.players[r.seat]?.ghost !== true)?.seat ??
    -1;
  const track = state.players[seat];
  if (!track) {
    return ackError(
      ErrorCode.GHOST_NOT_FOUND,
      `round ${input.roundId} has no player in seat ${seat}: seats are 0 to ${state.players.length - 1}`,
    );
  }
  return {
    ok: true,
    ghost: {
      source: input.source,
      roundId: input.roundId,
      seat,
      nickname: ghostNickname(track.nickname.replace(/^Ghost: /u, "")),
      surface: state.surface,
      settings: state.settings,
      moves: track.feedback.map((f) => (f.move ? { angle: f.move.angle, eta: f.move.eta } : null)),
    },
  };
}

/**
 * G4: the ghost as a connection sees it: its name, how it was chosen and its number of turns; the
 * stored round's id only for the host, or for everyone once the room's round is revealed.
 */
export function ghostViewFor(ghost: RoomGhost, isHost: boolean, revealed: boolean): GhostView {
  return {
    nickname: ghost.nickname,
    source: ghost.source,
    turns: ghost.moves.length,
    ...((isHost || revealed) && { roundId: ghost.roundId }),
  };
}

/** G2: a ghost's room plays the ghost's settings; changing them is refused while it is there. */
export function ghostSettingsRefusal(): AckFailure {
  return ackError(
    ErrorCode.INVALID_SETTINGS,
    "a ghost is in the room: its rounds play the ghost's surface and settings (remove the ghost to choose others)",
  );
}

/** What the runtime must look up in the database for a ghost (G1). */
export type GhostQuery =
  | { readonly kind: "round"; readonly roundId: string; readonly seat?: number }
  | { readonly kind: "best"; readonly surfaceKey: string }
  | { readonly kind: "best"; readonly challengeId: string }
  | { readonly kind: "winner"; readonly competitionId?: string; readonly except?: string };

/**
 * G1: which stored round a host's one-click choice means in this room: `best` on the room's
 * challenge, else on the surface of its last round, else on the lobby's named catalog surface;
 * `last` the host's own seat in the room's last stored round; `winner` the latest other
 * competition's (or the given one's) best player; `round` a replay by id.
 */
export function ghostQueryFor(
  state: RoomState,
  from: GhostSource,
): { readonly ok: true; readonly query: GhostQuery } | AckFailure {
  // Checked again by the reducer; here so that nothing is looked up for a room mid-round.
  if (state.gate === "playing" || state.gate === "sealed") {
    return ackError(
      ErrorCode.ROUND_IN_PROGRESS,
      "a round is being played: add a ghost after the reveal",
    );
  }
  switch (from.kind) {
    case "round":
      return {
        ok: true,
        query: {
          kind: "round",
          roundId: from.roundId,
          ...(from.seat !== undefined && { seat: from.seat }),
        },
      };
    case "winner":
      return {
        ok: true,
        query: {
          kind: "winner",
          ...(from.competitionId !== undefined && { competitionId: from.competitionId }),
          ...(state.classroom && { except: state.classroom.setup.id }),
        },
      };
    case "best": {
      const tag = state.fixed?.tag;
      if (tag?.kind === "challenge")
        return { ok: true, query: { kind: "best", challengeId: tag.id } };
      const ref: SurfaceRef | null =
        state.round?.surface ??
        (state.settings.surface.kind === "catalog"
          ? { kind: "catalog", id: state.settings.surface.id }
          : null);
      if (!ref) {
        return ackError(
          ErrorCode.GHOST_NOT_FOUND,
          "this room has no surface yet: name a catalog surface or play a round first, then race the best on it",
        );
      }
      return { ok: true, query: { kind: "best", surfaceKey: surfaceRefKey(ref) } };
    }
    case "last": {
      const host = state.members.find((m) => m.host);
      const seat =
        host && state.round ? state.round.players.findIndex((p) => p.id === host.playerId) : -1;
      const stored = state.stored;
      if (!stored || stored.roundNumber !== state.roundNumber || seat < 0) {
        return ackError(
          ErrorCode.GHOST_NOT_FOUND,
          "you have no stored round in this room yet: finish a round first, then race your last attempt",
        );
      }
      return { ok: true, query: { kind: "round", roundId: stored.id, seat } };
    }
  }
}
