/**
 * Checking a stored round against its own record (R16): recompute it with the round's reducer
 * (the rules the server ran) and compare with what was stored. Pure, like the rest of lib/game:
 * the data layer (server/db) writes the result columns with {@link participantResults}, the
 * replay page checks with {@link verifyReplay} on the server, and the replay viewer runs the very
 * same check in the browser.
 */
import { replayRound } from "./replay";
import type { RoundRecord } from "./replay";
import type { RoundState } from "./state";

/**
 * A participant's result columns as stored: the players by seat (a ghost flagged `isBot`, G5), the
 * bot seated after them.
 */
export interface ParticipantResult {
  readonly seat: number;
  readonly isBot: boolean;
  readonly finalLoss: number;
  readonly progress: number;
  readonly score: number;
  /** Null for the bot. */
  readonly rank: number | null;
  /** Null for the bot, or in a round without a bot. */
  readonly beatBot: boolean | null;
  /** The earliest turn from which the loss stayed at its final value (0 for the bot). */
  readonly reachedTurn: number;
}

/** A stored participant as {@link verifyReplay} reads it: its results and, for messages, a name. */
export interface CheckedParticipant extends ParticipantResult {
  readonly nickname: string;
}

/**
 * The outcome of {@link verifyReplay}. On a mismatch, `state` is the recomputed round when the
 * record could be replayed at all (a viewer still draws it, under the error), else null.
 */
export type ReplayCheck =
  | { readonly ok: true; readonly state: RoundState; readonly moves: number }
  | {
      readonly ok: false;
      readonly message: string;
      readonly state: RoundState | null;
      readonly moves: number;
    };

/** What {@link verifyReplay} reads of a stored replay. */
export interface VerifiableReplay {
  readonly record: RoundRecord;
  readonly participants: readonly CheckedParticipant[];
}

/** The fields of a participant that must equal their recomputed values. */
const CHECKED = [
  "finalLoss",
  "progress",
  "score",
  "rank",
  "beatBot",
  "reachedTurn",
  "isBot",
] as const;

/**
 * A finished round's result columns per participant, as stored (server/db writes these) and as
 * checked: the players in ranking order, then the bot, whose seat follows the players'. Empty for
 * a round that is not finished.
 */
export function participantResults(state: RoundState): ParticipantResult[] {
  const results = state.results;
  if (!results) return [];
  const rows: ParticipantResult[] = results.ranking.map((r) => ({
    seat: r.seat,
    // G5: a ghost is stored with the bot flag, so that leaderboards leave it out.
    isBot: state.players[r.seat]?.ghost === true,
    finalLoss: r.finalLoss,
    progress: r.progress,
    score: r.score,
    rank: r.rank,
    beatBot: r.beatBot,
    reachedTurn: r.reachedTurn,
  }));
  if (results.bot) {
    rows.push({
      seat: state.players.length,
      isBot: true,
      finalLoss: results.bot.finalLoss,
      progress: results.bot.progress,
      score: results.bot.score,
      rank: null,
      beatBot: null,
      reachedTurn: 0,
    });
  }
  return rows;
}

/**
 * Why a recomputed round differs from the stored participants (final losses, scores, ranks,
 * beat-the-bot, the turn each reached their final loss, the bot's result), or null when every
 * stored value equals its recomputed value exactly (`Object.is`).
 */
export function mismatchOf(
  state: RoundState,
  participants: readonly CheckedParticipant[],
): string | null {
  if (!state.results) return "the recomputed round is not finished";
  const recomputed = new Map(participantResults(state).map((r) => [r.seat, r]));
  if (recomputed.size !== participants.length) {
    return `${participants.length} participants stored, ${recomputed.size} recomputed`;
  }
  for (const stored of participants) {
    const again = recomputed.get(stored.seat);
    if (!again) return `seat ${stored.seat} is not in the recomputed round`;
    for (const field of CHECKED) {
      if (!Object.is(stored[field], again[field])) {
        return `seat ${stored.seat} (${stored.nickname}): stored ${field} ${String(stored[field])}, recomputed ${String(again[field])}`;
      }
    }
  }
  return null;
}

/**
 * Recompute a stored round with lib/game's rules and compare it with what was stored (final
 * losses, scores, ranks, beat-the-bot, the bot's result). A viewer shows a mismatch as an error.
 * `moves` counts the record's move actions: what the recomputation replayed.
 */
export function verifyReplay(replay: VerifiableReplay): ReplayCheck {
  const actions = Array.isArray(replay.record.actions) ? replay.record.actions : [];
  const moves = actions.filter((action) => action.type === "move").length;
  const outcome = replayRound(replay.record);
  if (!outcome.ok) return { ok: false, message: outcome.error.message, state: null, moves };
  const mismatch = mismatchOf(outcome.state, replay.participants);
  return mismatch === null
    ? { ok: true, state: outcome.state, moves }
    : { ok: false, message: mismatch, state: outcome.state, moves };
}
