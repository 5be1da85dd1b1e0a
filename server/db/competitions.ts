/**
 * Classroom competitions in the database (issue 6): the competition row — its plan, settings,
 * status and the standings after each round — written by the game server as the competition
 * goes, and read back for the CSV export (also after a restart). Its rounds are stored by
 * `saveRound` with the competition's id, so `/leaderboard` filters by it and each has its replay.
 */
import { z } from "zod";
import { standingsCsv } from "../../lib/game";
import type { Standing, StudentRounds } from "../../lib/game";
import type { Database } from "./types";
import type { Prisma } from "./generated/client";
import { parseInput } from "./inputs";

const standingSchema = z.object({
  key: z.string().max(100),
  nickname: z.string().max(100),
  rank: z.number().int().min(0),
  total: z.number().int().min(0),
  scores: z.array(z.number().int().min(0).nullable()).max(100),
  roundsWon: z.number().int().min(0),
  botBeaten: z.number().int().min(0),
  roundsPlayed: z.number().int().min(0),
  /** Stored with the standings: a kicked student's line (R22), out of the ranking. */
  kicked: z.literal(true).optional(),
  /** L5: the student's rounds' learning numbers (absent in rows stored before the report). */
  learning: z
    .array(
      z
        .object({
          meanCosBeta: z.number().nullable(),
          overshoots: z.number().int().min(0),
          steps: z.number().int().min(0),
          stepRatio: z.number().nullable(),
        })
        .nullable(),
    )
    .max(100)
    .optional(),
});

const studentRoundsSchema = z.object({
  key: z.string().max(100),
  nickname: z.string().max(100),
  rounds: standingSchema.shape.learning.unwrap(),
});

/** A competition as the game server hands it over (server/classroom.ts `CompetitionSnapshot`). */
export const competitionInputSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "must be 1 to 100 letters, digits, - or _"),
  name: z.string().min(1).max(200),
  code: z.string().min(1).max(32),
  noRankings: z.boolean(),
  status: z.enum(["lobby", "playing", "between", "ended"]),
  plan: z.array(z.unknown()).max(100),
  roundsPlayed: z.number().int().min(0),
  standings: z.array(standingSchema).max(10_000),
  kicked: z.array(standingSchema).max(10_000).default([]),
  learning: z.array(studentRoundsSchema).max(20_000).default([]),
  createdAt: z.number().positive(),
  endedAt: z.number().positive().nullable(),
  hostTokenHash: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 hex digest"),
});

/** What {@link saveCompetition} accepts (read-only arrays welcome). */
export type CompetitionInput = Omit<
  z.input<typeof competitionInputSchema>,
  "plan" | "standings" | "kicked" | "learning"
> & {
  readonly plan: readonly unknown[];
  readonly standings: readonly Standing[];
  readonly kicked?: readonly Standing[];
  /** L5: the students' rounds by standings `key` (stored in their standings lines). */
  readonly learning?: readonly StudentRounds[];
};

/** A stored competition. */
export interface StoredCompetition {
  readonly id: string;
  readonly name: string;
  readonly code: string | null;
  readonly noRankings: boolean;
  readonly status: string;
  readonly plannedRounds: number;
  readonly roundsPlayed: number;
  readonly standings: readonly Standing[];
  /** The students the host kicked, with their points (R22). */
  readonly kicked: readonly Standing[];
  /** L5: the students' rounds (standings and kicked lines that have them). */
  readonly learning: readonly StudentRounds[];
  readonly hostTokenHash: string | null;
  readonly createdAt: Date;
  readonly endedAt: Date | null;
}

/**
 * Store a competition's current state (insert or update by id). Rounds stored before it (which
 * create a bare competition row) keep pointing at it. Throws `DataError` on a malformed input.
 */
export async function saveCompetition(db: Database, input: CompetitionInput): Promise<void> {
  const c = parseInput(competitionInputSchema, input, "competition");
  const learning = new Map(c.learning.map((l) => [l.key, l.rounds]));
  const withLearning = <T extends { key: string }>(s: T) => {
    const rounds = learning.get(s.key);
    return rounds ? { ...s, learning: rounds } : s;
  };
  const data = {
    name: c.name,
    code: c.code,
    noRankings: c.noRankings,
    status: c.status,
    plan: c.plan as Prisma.InputJsonValue,
    roundsPlayed: c.roundsPlayed,
    // Kicked students' lines travel in the same column, marked (older rows have none), and each
    // line carries the student's learning numbers (L5).
    standings: [
      ...c.standings.map((s) => withLearning(s)),
      ...c.kicked.map((s) => ({ ...withLearning(s), kicked: true as const })),
    ] as unknown as Prisma.InputJsonValue,
    hostTokenHash: c.hostTokenHash,
    endedAt: c.endedAt === null ? null : new Date(c.endedAt),
    updatedAt: new Date(),
  };
  await db.prisma.competition.upsert({
    where: { id: c.id },
    create: { id: c.id, createdAt: new Date(c.createdAt), ...data },
    update: data,
  });
}

function stored(row: {
  id: string;
  name: string;
  code: string | null;
  noRankings: boolean;
  status: string;
  plan: Prisma.JsonValue;
  roundsPlayed: number;
  standings: Prisma.JsonValue;
  hostTokenHash: string | null;
  createdAt: Date;
  endedAt: Date | null;
}): StoredCompetition {
  const parsed = z.array(standingSchema).safeParse(row.standings);
  const lines = parsed.success ? parsed.data : [];
  const strip = ({
    kicked: _kicked,
    learning: _learning,
    ...line
  }: z.infer<typeof standingSchema>): Standing => line;
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    noRankings: row.noRankings,
    status: row.status,
    plannedRounds: Array.isArray(row.plan) ? row.plan.length : 0,
    roundsPlayed: row.roundsPlayed,
    standings: lines.filter((s) => !s.kicked).map(strip),
    kicked: lines.filter((s) => s.kicked).map(strip),
    learning: lines.flatMap((s) =>
      s.learning ? [{ key: s.key, nickname: s.nickname, rounds: s.learning }] : [],
    ),
    hostTokenHash: row.hostTokenHash,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
  };
}

/** A competition by id, or null. */
export async function getCompetition(db: Database, id: string): Promise<StoredCompetition | null> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) return null;
  const row = await db.prisma.competition.findUnique({ where: { id } });
  return row ? stored(row) : null;
}

/** The newest competition played under a room code, or null. */
export async function latestCompetitionByCode(
  db: Database,
  code: string,
): Promise<StoredCompetition | null> {
  if (!/^[A-Z0-9]{1,32}$/.test(code)) return null;
  const row = await db.prisma.competition.findFirst({
    where: { code },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return row ? stored(row) : null;
}

/**
 * The competitions that used `code` (codes are reused once a room has closed), newest first, at
 * most `limit`: a host token picks its own among them.
 */
export async function competitionsByCode(
  db: Database,
  code: string,
  limit = 50,
): Promise<StoredCompetition[]> {
  if (!/^[A-Z0-9]{1,32}$/.test(code)) return [];
  const rows = await db.prisma.competition.findMany({
    where: { code },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map(stored);
}

/**
 * The stored standings as CSV (R20, L8: nickname, score per round, total, rank, bot beaten count,
 * then cos β per round, its change, overshoots and steps).
 */
export function competitionCsv(competition: StoredCompetition): string {
  return standingsCsv(
    competition.roundsPlayed,
    competition.standings,
    competition.kicked,
    competition.learning,
  );
}
