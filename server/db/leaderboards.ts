/**
 * Leaderboards: the players' stored results (never the bot's), best first, filtered by surface,
 * competition and period; and the competitions a leaderboard can be filtered by.
 */
import type { SurfaceRef } from "../../lib/surface-ref";
import { competitionLimitSchema, leaderboardQuerySchema, parseInput } from "./inputs";
import type { LeaderboardQuery, Period } from "./inputs";
import { publicSurfaceFilter } from "./daily-spoilers";
import { surfaceRefOfKey } from "./surface-key";
import type { Database } from "./types";

const DAY_MS = 86_400_000;

/** One row of a leaderboard: a player's result in one round. */
export interface LeaderboardRow {
  /** 1-based position on the whole board (not only this page). */
  readonly position: number;
  /** The round, for the replay link `/replays/<roundId>`. */
  readonly roundId: string;
  readonly nickname: string;
  readonly score: number;
  readonly progress: number;
  readonly finalLoss: number;
  /** Null when the round had no bot. */
  readonly beatBot: boolean | null;
  /** Turns in which the player moved. */
  readonly turnsPlayed: number;
  readonly reachedTurn: number;
  /** ISO 8601. */
  readonly finishedAt: string;
  readonly surfaceKey: string;
  readonly surface: SurfaceRef;
  readonly competitionId: string | null;
}

/** A page of a leaderboard. */
export interface LeaderboardPage {
  readonly rows: readonly LeaderboardRow[];
  readonly page: number;
  readonly pageSize: number;
  readonly hasMore: boolean;
  readonly period: Period;
  readonly surface: string | null;
  readonly competition: string | null;
  /** Start of the period's window (ISO 8601), null for "all". */
  readonly since: string | null;
}

/** Options of {@link leaderboard}. */
export interface LeaderboardOptions {
  /** The clock that places the day and week windows. @default Date.now() */
  readonly now?: number;
}

/**
 * A leaderboard: players' results (never the bot's), best first: higher score, then fewer turns
 * to reach the final loss, then the earlier round, then the earlier save. Filters: a surface, a
 * competition, a period (the last 24 h, the last 7 days, all time). Served by one index scan.
 * Throws {@link DataError} `INVALID_INPUT` for a bad query.
 */
export async function leaderboard(
  db: Database,
  query: LeaderboardQuery = {},
  options: LeaderboardOptions = {},
): Promise<LeaderboardPage> {
  const q = parseInput(leaderboardQuerySchema, query, "leaderboard query");
  const period = q.period ?? "all";
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const now = options.now ?? Date.now();
  const since = period === "all" ? null : new Date(now - (period === "day" ? 1 : 7) * DAY_MS);
  const hidden = await unrankedCompetitionIds(db);
  const rows = await db.prisma.participant.findMany({
    where: {
      isBot: false,
      ...(hidden.length > 0 && {
        OR: [{ competitionId: null }, { competitionId: { notIn: hidden } }],
      }),
      // D6: not today's daily descent (the daily has a board of its own, without replays).
      surfaceKey: publicSurfaceFilter(q.surface, now),
      ...(q.competition !== undefined && { competitionId: q.competition }),
      ...(since && { finishedAt: { gte: since } }),
    },
    orderBy: [{ score: "desc" }, { reachedTurn: "asc" }, { finishedAt: "asc" }, { id: "asc" }],
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
    select: {
      roundId: true,
      nickname: true,
      score: true,
      progress: true,
      finalLoss: true,
      beatBot: true,
      turnsPlayed: true,
      reachedTurn: true,
      finishedAt: true,
      surfaceKey: true,
      competitionId: true,
    },
  });
  return {
    rows: rows.slice(0, pageSize).map((row, index) => ({
      position: (page - 1) * pageSize + index + 1,
      ...row,
      finishedAt: row.finishedAt.toISOString(),
      surface: surfaceRefOfKey(row.surfaceKey),
    })),
    page,
    pageSize,
    hasMore: rows.length > pageSize,
    period,
    surface: q.surface ?? null,
    competition: q.competition ?? null,
    since: since?.toISOString() ?? null,
  };
}

/** The competitions without rankings (R21): kept out of the public leaderboard and lists. */
async function unrankedCompetitionIds(db: Database): Promise<string[]> {
  const rows = await db.prisma.competition.findMany({
    where: { noRankings: true },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** A competition a leaderboard can be filtered by. */
export interface CompetitionChoice {
  readonly id: string;
  readonly name: string;
}

/**
 * The competitions that have stored rounds, newest first, for a leaderboard's competition menu.
 * @param limit how many at most (1 to 500). @default 100
 */
export async function competitionChoices(
  db: Database,
  limit = 100,
): Promise<readonly CompetitionChoice[]> {
  const take = parseInput(competitionLimitSchema, limit, "competition limit");
  return db.prisma.competition.findMany({
    where: { rounds: { some: {} }, noRankings: false },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take,
    select: { id: true, name: true },
  });
}
