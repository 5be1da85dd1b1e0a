/**
 * The data layer: store finished rounds, read leaderboards and replays. The same code runs on
 * PGlite and PostgreSQL; it sees only the Prisma client of a {@link Database}.
 *
 * Stored rounds are anonymised: the players' opaque ids (which the game server may use as
 * secrets) are replaced by `p0`, `p1`, … (their seats) in the record and its actions. The rules
 * only compare ids for equality, so the record replays to the same results.
 */
import { createHash } from "node:crypto";
import { replayRound } from "../../lib/game";
import type { RoundAction, RoundRecord, RoundState } from "../../lib/game";
import { surfaceRefKey } from "../../lib/surface-ref";
import type { SurfaceRef } from "../../lib/surface-ref";
import type { Difficulty } from "../../lib/types";
import type { Database } from "./database";
import { participantResults } from "./replay-check";
import type { Prisma } from "./generated/client";
import {
  competitionLimitSchema,
  DataError,
  leaderboardQuerySchema,
  parseInput,
  replayListQuerySchema,
  roundIdSchema,
  saveRoundInputSchema,
} from "./inputs";
import type { LeaderboardQuery, Period, ReplayListQuery, SaveRoundInput } from "./inputs";

export { verifyReplay } from "./replay-check";
export type { ReplayCheck } from "./replay-check";

/** What {@link saveRound} did. */
export interface SaveRoundResult {
  /** `saved`: stored now; `duplicate`: a round with this id was already stored (a retry). */
  readonly status: "saved" | "duplicate";
  readonly id: string;
}

const DAY_MS = 86_400_000;

/** The id {@link saveRound} gives a round without one: a hash of what identifies it. */
export function roundIdOf(
  input: Pick<SaveRoundInput, "id" | "roomCode" | "roundNumber" | "finishedAt"> & {
    readonly record: unknown;
  },
): string {
  if (input.id) return input.id;
  const identity = JSON.stringify([
    input.roomCode,
    input.roundNumber ?? null,
    input.finishedAt,
    input.record,
  ]);
  return createHash("sha256").update(identity).digest("base64url").slice(0, 22);
}

/** The record with player ids replaced by `p<seat>` (see the module comment). */
export function anonymiseRecord(record: RoundRecord): RoundRecord {
  const ids = new Map(record.players.map((player, seat) => [player.id, `p${seat}`]));
  const actions: RoundAction[] = record.actions.map((action) =>
    action.type === "move"
      ? { ...action, playerId: ids.get(action.playerId) ?? action.playerId }
      : action,
  );
  return {
    ...record,
    players: record.players.map((player, seat) => ({ id: `p${seat}`, nickname: player.nickname })),
    actions,
  };
}

/** Replay a record and insist that it is a finished round. */
function replayFinished(record: RoundRecord): RoundState {
  const outcome = replayRound(record);
  if (!outcome.ok) throw new DataError("INVALID_RECORD", outcome.error.message);
  if (outcome.state.phase !== "revealed" || !outcome.state.results) {
    throw new DataError(
      "INVALID_RECORD",
      `the round is not finished: ${outcome.state.turn} of ${outcome.state.settings.turns} turns resolved`,
    );
  }
  return outcome.state;
}

function surfaceColumns(ref: SurfaceRef) {
  return ref.kind === "catalog"
    ? {
        surfaceKind: "catalog",
        surfaceId: ref.id,
        proceduralSeed: null,
        proceduralDifficulty: null,
      }
    : {
        surfaceKind: "procedural",
        surfaceId: null,
        proceduralSeed: ref.seed,
        proceduralDifficulty: ref.difficulty,
      };
}

function surfaceRefOfKey(key: string): SurfaceRef {
  const [kind, a = "", b = ""] = key.split(":");
  return kind === "procedural"
    ? { kind: "procedural", seed: Number(a), difficulty: b as Difficulty }
    : { kind: "catalog", id: a };
}

/** Which Room row a round belongs to (inside the saving transaction). */
async function roomIdFor(
  tx: Prisma.TransactionClient,
  input: { roomCode: string; roomId?: string; roundNumber?: number },
  roundId: string,
  finishedAt: Date,
): Promise<string> {
  if (input.roomId) {
    await tx.room.createMany({
      data: [{ id: input.roomId, code: input.roomCode, createdAt: finishedAt }],
      skipDuplicates: true,
    });
    return input.roomId;
  }
  // Room codes are reused over time: a room's first round opens a new Room row, later rounds
  // join the newest Room with their code.
  if (input.roundNumber !== undefined && input.roundNumber > 1) {
    const latest = await tx.room.findFirst({
      where: { code: input.roomCode },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    if (latest) return latest.id;
  }
  const id = `${input.roomCode}-${roundId.slice(0, 12)}`;
  await tx.room.createMany({
    data: [{ id, code: input.roomCode, createdAt: finishedAt }],
    skipDuplicates: true,
  });
  return id;
}

/** Options of {@link saveRound}. */
export interface SaveRoundOptions {
  /** Longest wait for the transaction to start, then longest run, in ms. @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Store a finished round in one transaction: its room (and competition), the round, every
 * participant (the bot included, seated after the players), every move of every turn, final
 * losses, scores and ranks, all recomputed by replaying the record with lib/game's rules.
 * Idempotent by round id: saving the same round again stores nothing and returns `duplicate`.
 * Throws {@link DataError} for a malformed input or a record that does not replay (retrying
 * cannot help), or the database's error (retrying may help).
 */
export async function saveRound(
  db: Database,
  input: SaveRoundInput,
  options: SaveRoundOptions = {},
): Promise<SaveRoundResult> {
  const parsed = parseInput(saveRoundInputSchema, input, "round");
  const id = roundIdOf(parsed);
  const existing = await db.prisma.round.findUnique({ where: { id }, select: { id: true } });
  if (existing) return { status: "duplicate", id };

  const record = anonymiseRecord(parsed.record as unknown as RoundRecord);
  const state = replayFinished(record);
  const results = state.results!;
  const finishedAt = new Date(parsed.finishedAt);
  const surfaceKey = surfaceRefKey(record.surface);
  const competitionId = parsed.competition?.id ?? null;
  // The result columns are the ones verifyReplay checks (one definition, replay-check.ts).
  const participants = participantResults(state).map((columns) => {
    const human = columns.isBot ? null : results.ranking.find((r) => r.seat === columns.seat)!;
    const nickname = human ? human.nickname : `Bot (${results.bot!.optimizer})`;
    const reachedAt = human?.reachedAt ?? null;
    return {
      ...columns,
      roundId: id,
      nickname,
      nicknameKey: nickname.trim().toLowerCase(),
      turnsPlayed: human
        ? state.players[columns.seat]!.feedback.filter((turn) => turn.move !== null).length
        : state.bot!.path.length - 1,
      reachedAt: reachedAt === null ? null : new Date(reachedAt),
      surfaceKey,
      competitionId,
      finishedAt,
    };
  });
  const moves = state.players.flatMap((track, seat) =>
    track.feedback.map((turn, index) => ({
      roundId: id,
      turn: index,
      seat,
      angle: turn.move?.angle ?? null,
      eta: turn.move?.eta ?? null,
      at: turn.move ? new Date(turn.move.at) : null,
    })),
  );
  const timeout = options.timeoutMs ?? 10_000;

  const result = await db.prisma.$transaction(
    async (tx) => {
      const roomId = await roomIdFor(tx, parsed, id, finishedAt);
      if (parsed.competition) {
        await tx.competition.createMany({
          data: [
            { id: parsed.competition.id, name: parsed.competition.name, createdAt: finishedAt },
          ],
          skipDuplicates: true,
        });
      }
      const created = await tx.round.createMany({
        data: [
          {
            id,
            roomId,
            competitionId,
            ...surfaceColumns(record.surface),
            surfaceKey,
            settings: record.settings as unknown as Prisma.InputJsonValue,
            seed: record.seed,
            turns: record.settings.turns,
            hint: record.settings.hint,
            botOptimizer: record.settings.bot.optimizer,
            playerCount: record.players.length,
            startLoss: results.scale.startLoss,
            minLoss: results.scale.minLoss,
            startedAt: record.startedAt === null ? null : new Date(record.startedAt),
            finishedAt,
            record: record as unknown as Prisma.InputJsonValue,
          },
        ],
        skipDuplicates: true,
      });
      // A concurrent save of the same round won the race: it stored everything.
      if (created.count === 0) return { status: "duplicate" as const, id };
      // Participants and moves in one statement: rows travel as one JSON parameter each
      // (Prisma's createMany binds every value separately, several times slower per row).
      await tx.$executeRaw`
        WITH participants AS (
          INSERT INTO "Participant" ("roundId", seat, nickname, "nicknameKey", "isBot", "finalLoss",
            progress, score, rank, "beatBot", "turnsPlayed", "reachedTurn", "reachedAt", "surfaceKey",
            "competitionId", "finishedAt")
          SELECT ${id}, p.seat, p.nickname, p."nicknameKey", p."isBot", p."finalLoss", p.progress,
            p.score, p.rank, p."beatBot", p."turnsPlayed", p."reachedTurn", p."reachedAt", ${surfaceKey},
            ${competitionId}, ${finishedAt}
          FROM jsonb_to_recordset(${JSON.stringify(participants)}::jsonb) AS p(seat int,
            nickname text, "nicknameKey" text, "isBot" boolean, "finalLoss" float8, progress float8,
            score int, rank int, "beatBot" boolean, "turnsPlayed" int, "reachedTurn" int,
            "reachedAt" timestamptz)
          RETURNING seat
        )
        INSERT INTO "Move" ("roundId", turn, seat, angle, eta, at)
        SELECT ${id}, m.turn, m.seat, m.angle, m.eta, m.at
        FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS m(turn int, seat int,
          angle float8, eta float8, at timestamptz)`;
      return { status: "saved" as const, id };
    },
    { maxWait: timeout, timeout },
  );
  // Housekeeping (a PGlite checkpoint now and then) must never turn a stored round into an error.
  if (result.status === "saved") await db.afterWrite().catch(() => {});
  return result;
}

/** Something that logs (console fits). */
export interface DataLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link saveRoundWithRetry}. */
export interface RetryOptions {
  /** Attempts in all. @default 6 */
  readonly attempts?: number;
  /** Delay before the first retry; doubles each time, ±20 % jitter. @default 250 */
  readonly baseDelayMs?: number;
  /** @default console */
  readonly logger?: DataLogger;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * {@link saveRound} with retries and exponential back-off, for callers that must never fail
 * (a room). Never throws: resolves to the result, or to null after logging why the round could
 * not be stored. A {@link DataError} is not retried (the same input fails the same way).
 */
export async function saveRoundWithRetry(
  db: Database,
  input: SaveRoundInput,
  options: RetryOptions = {},
): Promise<SaveRoundResult | null> {
  const attempts = Math.max(1, options.attempts ?? 6);
  const base = options.baseDelayMs ?? 250;
  const logger = options.logger ?? console;
  const sleep =
    options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  let id = "?";
  try {
    id = roundIdOf(input);
  } catch {
    // A malformed input: saveRound reports it below.
  }
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await saveRound(db, input);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof DataError) {
        logger.error("a round cannot be stored", { round: id, code: error.code, error: message });
        return null;
      }
      if (attempt === attempts) {
        logger.error("storing a round failed for good", { round: id, attempt, error: message });
        return null;
      }
      const delay = Math.round(base * 2 ** (attempt - 1) * (0.8 + 0.4 * Math.random()));
      logger.error("storing a round failed; retrying", {
        round: id,
        attempt,
        delayMs: delay,
        error: message,
      });
      await sleep(delay);
    }
  }
  return null;
}

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
      ...(q.surface !== undefined && { surfaceKey: q.surface }),
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

/** A participant as lists and replays show them. */
export interface StoredParticipant {
  readonly seat: number;
  readonly nickname: string;
  readonly isBot: boolean;
  readonly finalLoss: number;
  readonly progress: number;
  readonly score: number;
  /** Null for the bot. */
  readonly rank: number | null;
  readonly beatBot: boolean | null;
  readonly turnsPlayed: number;
  readonly reachedTurn: number;
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
 * nickname (case-insensitive). Throws {@link DataError} `INVALID_INPUT` for a bad query.
 */
export async function listReplays(
  db: Database,
  query: ReplayListQuery = {},
): Promise<ReplayListPage> {
  const q = parseInput(replayListQuerySchema, query, "replay list query");
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const rounds = await db.prisma.round.findMany({
    where: {
      // R21: rounds of a competition without rankings are not listed in public.
      OR: [{ competitionId: null }, { competition: { noRankings: false } }],
      ...(q.surface !== undefined && { surfaceKey: q.surface }),
      ...(q.nickname !== undefined && {
        participants: { some: { nicknameKey: q.nickname.toLowerCase(), isBot: false } },
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
    record: unranked
      ? {
          ...record,
          players: record.players.map((p, seat) => ({ ...p, nickname: anonymousName(seat) })),
        }
      : record,
    startLoss: round.startLoss,
    minLoss: round.minLoss,
    participants: round.participants
      .map(toParticipant)
      .map((p) => (unranked && !p.isBot ? { ...p, nickname: anonymousName(p.seat) } : p))
      .sort(byRankThenBot),
  };
}

/** How a replay of a competition without rankings names the player in `seat`. */
export function anonymousName(seat: number): string {
  return `Student ${seat + 1}`;
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
