/**
 * What the hub needs from storage for challenge links and the daily descent (docs/SPEC.md C1–C5,
 * D3–D5), and its implementation on the database (server/db/challenges.ts, server/db/daily.ts).
 * Effects only: which challenge a round makes, which surface it plays and which attempt is scored
 * are lib/challenge's rules and the data layer's constraints.
 */
import type { ChallengeSettings } from "../lib/challenge";
import type { FinishedRound, GhostQuery, RoomTag } from "../lib/room";
import { addChallengeRound, getChallenge, saveChallenge } from "./db/challenges";
import type { FormulaCheck, StoredChallenge } from "./db/challenges";
import { dailyAttemptOf, playerStreak, recordDailyAttempt } from "./db/daily";
import { findGhostRound } from "./db/ghosts";
import type { GhostRound } from "./db/ghosts";
import type { Database } from "./db/types";

export type { RoomTag } from "../lib/room";

/** Storage for challenges and the daily (the hub's `challenges` option). */
export interface ChallengeBackend {
  /** Store a challenge (C1, C2); resolves with its id. Throws `DataError` on bad input. */
  save(challenge: ChallengeSettings): Promise<string>;
  /**
   * The challenge with this id, or null (C1). A formula challenge's formula is checked by
   * `checkFormula` first (off the main thread, F7); a refusal throws `DataError`.
   */
  open(id: string, checkFormula?: FormulaCheck): Promise<StoredChallenge | null>;
  /** Link a stored round to its challenge (C3) or record it as a daily attempt (D3). Idempotent. */
  linkRound(tag: RoomTag, round: FinishedRound): Promise<void>;
  /** The token's scored round on `dayKey` (null: none yet) and its streak at `now` (D3). */
  dailyStatus(
    dayKey: string,
    playerToken: string,
    now: number,
  ): Promise<{ scoredRoundId: string | null; streak: number }>;
  /** The stored round a ghost comes from (G1), or null. Throws `DataError` for a malformed id. */
  ghostRound(query: GhostQuery): Promise<GhostRound | null>;
}

/** The {@link ChallengeBackend} of a database. */
export function databaseChallenges(db: Database): ChallengeBackend {
  return {
    save: (challenge) => saveChallenge(db, challenge),
    open: (id, checkFormula) => getChallenge(db, id, checkFormula),
    linkRound: async (tag, round) => {
      if (tag.kind === "challenge") await addChallengeRound(db, tag.id, round.id);
      else
        await recordDailyAttempt(db, {
          day: tag.dayKey,
          playerKey: tag.playerKey,
          roundId: round.id,
        });
    },
    dailyStatus: async (dayKey, playerToken, now) => {
      const [scoredRoundId, streak] = await Promise.all([
        dailyAttemptOf(db, dayKey, playerToken),
        playerStreak(db, playerToken, now),
      ]);
      return { scoredRoundId, streak };
    },
    ghostRound: (query) => findGhostRound(db, query),
  };
}
