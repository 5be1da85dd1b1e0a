/**
 * Replays: the list of stored rounds (newest first) and one stored round with everything the
 * replay viewer needs. A round of a competition without rankings names nobody (R21).
 */
import { anonymousName, replayRecordFor } from "../../lib/room";
import type { RoundRecord } from "../../lib/game";
import type { CheckedParticipant } from "../../lib/game/replay-check";
import type { SurfaceRef } from "../../lib/surface-ref";
import { parseInput, replayListQuerySchema, roundIdSchema } from "./inputs";
import type { ReplayListQuery } from "./inputs";
import { publicSurfaceFilter } from "./daily-spoilers";
import { storedNicknameKey } from "./nickname-keys";
import { surfaceRefOfKey } from "./surface-key";
import type { Database } from "./types";

/**
 * A participant as lists and replays show them: the result columns lib/game's replay check
 * compares (seat, final loss, progress, score, rank, beat-the-bot, reached turn), and more.
 */
export interface StoredParticipant extends CheckedParticipant {
  /** Turns in which the player moved (the bot: its steps). */
  readonly turnsPlayed: number;
  /** ms since the epoch, or null. */
  readonly reachedAt: number | null;
}

/** One entry of the replay list. */
export interface ReplaySummary {
  readonly id: string;
  readonly surfaceKey: string;
  readonly surface: SurfaceRef;
  /** ISO 8601. */
  readonly finishedAt: string;
  readonly turns: number;
  readonly hint: string;
  readonly botOptimizer: string;
  readonly playerCount: number;
  readonly roomCode: string;
  readonly competition: { readonly id: string; readonly name: string } | null;
  /** Players by rank, then the bot. */
  readonly participants: readonly StoredParticipant[];
}

/** A page of the replay list. */
export interface ReplayListPage {
  readonly items: readonly ReplaySummary[];
  readonly page: number;
  readonly pageSize: number;
  readonly hasMore: boolean;
}

const participantSelect = {
  seat: true,
  nickname: true,
  isBot: true,
  finalLoss: true,
  progress: true,
  score: true,
  rank: true,
  beatBot: true,
  turnsPlayed: true,
  reachedTurn: true,
  reachedAt: true,
} as const;

function toParticipant(
  row: Omit<StoredParticipant, "reachedAt"> & { reachedAt: Date | null },
): StoredParticipant {
  return { ...row, reachedAt: row.reachedAt?.getTime() ?? null };
}

function byRankThenBot(a: StoredParticipant, b: StoredParticipant): number {
  return (
    (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || a.seat - b.seat
  );
}

/**
 * The replay list, newest first, optionally only one surface and/or rounds with a player of a
 * nickname (compared by lib/nickname.ts's fold: "ann" finds "ANN" and a full-width "Ａｎｎ"). Throws {@link DataError} `INVALID_INPUT` for a bad query.
 */
export async function listReplays(
  db: Database,
  query: ReplayListQuery = {},
  options: { readonly now?: number } = {},
): Promise<ReplayListPage> {
  const q = parseInput(replayListQuerySchema, query, "replay list query");
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const rounds = await db.prisma.round.findMany({
    where: {
      // R21: rounds of a competition without rankings are not listed in public.
      OR: [{ competitionId: null }, { competition: { noRankings: false } }],
      // D6: not today's daily descent (its replays would show the day's surface).
      surfaceKey: publicSurfaceFilter(q.surface, options.now ?? Date.now()),
      ...(q.nickname !== undefined && {
        participants: { some: { nicknameKey: storedNicknameKey(q.nickname), isBot: false } },
      }),
    },
    orderBy: [{ finishedAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
    select: {
      id: true,
      surfaceKey: true,
      finishedAt: true,
      turns: true,
      hint: true,
      botOptimizer: true,
      playerCount: true,
      room: { select: { code: true } },
      competition: { select: { id: true, name: true } },
      participants: { select: participantSelect },
    },
  });
  return {
    items: rounds.slice(0, pageSize).map((round) => ({
      id: round.id,
      surfaceKey: round.surfaceKey,
      surface: surfaceRefOfKey(round.surfaceKey),
      finishedAt: round.finishedAt.toISOString(),
      turns: round.turns,
      hint: round.hint,
      botOptimizer: round.botOptimizer,
      playerCount: round.playerCount,
      roomCode: round.room.code,
      competition: round.competition,
      participants: round.participants.map(toParticipant).sort(byRankThenBot),
    })),
    page,
    pageSize,
    hasMore: rounds.length > pageSize,
  };
}

/** Everything a replay viewer needs: the record to recompute, and what was stored. */
export interface StoredReplay extends Omit<ReplaySummary, "participants"> {
  /** lib/game's record (players anonymised as p0, p1, …): `replayRound(record)` recomputes it. */
  readonly record: RoundRecord;
  /** The scoring scale stored with the round. */
  readonly startLoss: number;
  readonly minLoss: number;
  /** Players by rank, then the bot (seated after the players). */
  readonly participants: readonly StoredParticipant[];
}

/**
 * One stored round for the replay viewer, or null when no round has this id. Throws
 * {@link DataError} `INVALID_INPUT` for a malformed id.
 */
export async function getReplay(db: Database, id: string): Promise<StoredReplay | null> {
  const roundId = parseInput(roundIdSchema, id, "round id");
  const round = await db.prisma.round.findUnique({
    where: { id: roundId },
    select: {
      id: true,
      surfaceKey: true,
      finishedAt: true,
      turns: true,
      hint: true,
      botOptimizer: true,
      playerCount: true,
      startLoss: true,
      minLoss: true,
      record: true,
      room: { select: { code: true } },
      competition: { select: { id: true, name: true, noRankings: true } },
      participants: { select: participantSelect },
    },
  });
  if (!round) return null;
  const unranked = round.competition?.noRankings === true;
  const record = round.record as unknown as RoundRecord;
  return {
    id: round.id,
    surfaceKey: round.surfaceKey,
    surface: surfaceRefOfKey(round.surfaceKey),
    finishedAt: round.finishedAt.toISOString(),
    turns: round.turns,
    hint: round.hint,
    botOptimizer: round.botOptimizer,
    playerCount: round.playerCount,
    roomCode: round.room.code,
    competition: round.competition && { id: round.competition.id, name: round.competition.name },
    // R21: a round of a competition without rankings names nobody, even by its link.
    record: replayRecordFor(record, unranked),
    startLoss: round.startLoss,
    minLoss: round.minLoss,
    participants: round.participants
      .map(toParticipant)
      .map((p) => (unranked && !p.isBot ? { ...p, nickname: anonymousName(p.seat) } : p))
      .sort(byRankThenBot),
  };
}
