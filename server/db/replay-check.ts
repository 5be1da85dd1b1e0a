/**
 * Checking a stored round against its own record: recompute it with lib/game's reducer (the rules
 * the server ran) and compare with what was stored. Pure (lib/ imports only, no Node, no
 * database), so the replay viewer runs the very same check in the browser.
 */
import { replayRound } from "../../lib/game";
import type { RoundRecord, RoundState } from "../../lib/game";
import type { StoredParticipant } from "./rounds";

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
  readonly participants: readonly StoredParticipant[];
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

type Checked = Pick<StoredParticipant, (typeof CHECKED)[number] | "seat">;

/**
 * A finished round's result columns per participant, as stored (server/db/rounds.ts writes these)
 * and as checked: the players in ranking order, then the bot, whose seat follows the players'.
 */
export function participantResults(state: RoundState): Checked[] {
  const results = state.results!;
  const rows: Checked[] = results.ranking.map((r) => ({
    seat: r.seat,
    isBot: false,
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
  participants: readonly StoredParticipant[],
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
