/**
 * The daily descent in the database (issue 16 §2, docs/SPEC.md D3–D4): one scored attempt per
 * player token and UTC day (the first; later ones are unscored and change nothing), the day's
 * leaderboard and a player's streak. The attempt's round, moves included, is stored by saveRound.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { dailyStreak, PLAYER_TOKEN_PATTERN, utcDay } from "../../lib/challenge/daily";
import { parseInput } from "./inputs";
import type { Database } from "./types";
import { boardOfRounds } from "./challenges";
import type { ChallengeBoardRow } from "./challenges";

const DAY_MS = 86_400_000;

const daySchema = z
  .string({ error: "day must be a string" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "day must be a date YYYY-MM-DD")
  .refine((day) => {
    const ms = Date.parse(`${day}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(day);
  }, "day must be a real date");
const tokenSchema = z
  .string({ error: "player token must be a string" })
  .regex(PLAYER_TOKEN_PATTERN, "player token is malformed: 22 to 64 characters of A-Z a-z 0-9 _ -");
const roundIdSchema = z.string().min(1).max(200);
const playerKeySchema = z
  .string({ error: "player key must be a string" })
  .regex(/^[0-9a-f]{64}$/, "player key must be a SHA-256 hex digest");

/** How a player token is stored: its SHA-256 (hex), never the token (D3). */
export function playerKey(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function dayNumberOf(day: string): number {
  return utcDay(Date.parse(`${day}T00:00:00Z`));
}

/** Whether the player token already has the day's scored attempt (the UI says so first). */
export async function hasDailyAttempt(db: Database, day: string, token: string): Promise<boolean> {
  const d = parseInput(daySchema, day, "day");
  const t = parseInput(tokenSchema, token, "player token");
  const row = await db.prisma.dailyAttempt.findUnique({
    where: { day_playerKey: { day: d, playerKey: playerKey(t) } },
    select: { roundId: true },
  });
  return row !== null;
}

/** The round id of the token's scored attempt on `day`, or null when it has none (D3, D5). */
export async function dailyAttemptOf(
  db: Database,
  day: string,
  token: string,
): Promise<string | null> {
  const d = parseInput(daySchema, day, "day");
  const t = parseInput(tokenSchema, token, "player token");
  const row = await db.prisma.dailyAttempt.findUnique({
    where: { day_playerKey: { day: d, playerKey: playerKey(t) } },
    select: { roundId: true },
  });
  return row?.roundId ?? null;
}

/**
 * D3: record a stored round as the player's attempt of the day. The first attempt of a token on
 * a day is `scored`; any later one (a second round, or the same round sent again) is `unscored`
 * and the first is kept. Bad input throws `DataError` `INVALID_INPUT` and stores nothing.
 */
export async function recordDailyAttempt(
  db: Database,
  input: { readonly day: string; readonly roundId: string } & (
    | { readonly playerToken: string }
    /** The token's {@link playerKey}, as a live room keeps it (its log holds no token). */
    | { readonly playerKey: string }
  ),
): Promise<{ readonly status: "scored" | "unscored"; readonly roundId: string }> {
  const day = parseInput(daySchema, input.day, "day");
  const key =
    "playerKey" in input
      ? parseInput(playerKeySchema, input.playerKey, "player key")
      : playerKey(parseInput(tokenSchema, input.playerToken, "player token"));
  const roundId = parseInput(roundIdSchema, input.roundId, "round id");
  const created = await db.prisma.dailyAttempt.createMany({
    data: [{ day, playerKey: key, roundId }],
    skipDuplicates: true,
  });
  if (created.count === 1) {
    await db.afterWrite();
    return { status: "scored", roundId };
  }
  const first = await db.prisma.dailyAttempt.findUnique({
    where: { day_playerKey: { day, playerKey: key } },
    select: { roundId: true },
  });
  return {
    status: first?.roundId === roundId ? "scored" : "unscored",
    roundId: first?.roundId ?? roundId,
  };
}

/** D4: the day's leaderboard: the scored attempts' players, best first; no surface. */
export async function dailyLeaderboard(
  db: Database,
  day: string,
  limit = 50,
): Promise<readonly ChallengeBoardRow[]> {
  const d = parseInput(daySchema, day, "day");
  const attempts = await db.prisma.dailyAttempt.findMany({
    where: { day: d },
    select: { roundId: true },
  });
  return boardOfRounds(
    db,
    attempts.map((a) => a.roundId),
    limit,
  );
}

/** D3: the player's streak on the UTC day containing `now` (lib/challenge's dailyStreak). */
export async function playerStreak(db: Database, token: string, now: number): Promise<number> {
  const t = parseInput(tokenSchema, token, "player token");
  const today = utcDay(now);
  const since = new Date((today - 400) * DAY_MS).toISOString().slice(0, 10);
  const rows = await db.prisma.dailyAttempt.findMany({
    where: { playerKey: playerKey(t), day: { gte: since } },
    select: { day: true },
  });
  return dailyStreak(
    rows.map((row) => dayNumberOf(row.day)),
    today,
  );
}
