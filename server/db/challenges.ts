/**
 * Challenge links in the database (issue 16 §1, docs/SPEC.md C1–C3): a challenge row (surface ref
 * and resolved settings under a random id), the rounds played on it, and its own leaderboard.
 */
import { randomBytes } from "node:crypto";
import {
  challengeIdFromBytes,
  challengeIdSchema,
  challengeSurfaceRef,
  resolveChallenge,
} from "../../lib/challenge";
import type { ChallengeSettings } from "../../lib/challenge";
import { DataError, parseInput } from "./inputs";
import type { Box } from "../../lib/types";
import type { Database } from "./types";
import type { Prisma } from "./generated/client";

/** A stored challenge, as the server opens it (never sent to a client before a reveal). */
export interface StoredChallenge extends ChallengeSettings {
  readonly id: string;
  readonly createdAt: Date;
}

/** One row of a challenge's leaderboard: no surface (C3: the board never names it). */
export interface ChallengeBoardRow {
  readonly position: number;
  readonly roundId: string;
  readonly nickname: string;
  readonly score: number;
  readonly beatBot: boolean | null;
  readonly turnsPlayed: number;
  readonly reachedTurn: number;
  /** ISO 8601. */
  readonly finishedAt: string;
}

/**
 * Store a challenge (C1, C2): checked by lib/challenge's `resolveChallenge` (a bad one throws
 * `DataError` `INVALID_INPUT` and stores nothing), under an id drawn from the CSPRNG (`bytes` for
 * tests). Returns the id.
 */
export async function saveChallenge(
  db: Database,
  input: unknown,
  bytes: () => Uint8Array = () => randomBytes(16),
): Promise<string> {
  const checked = resolveChallenge(input);
  if (!checked.ok) throw new DataError("INVALID_INPUT", `invalid challenge: ${checked.message}`);
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = challengeIdFromBytes(bytes());
    const taken = await db.prisma.challenge.findUnique({ where: { id }, select: { id: true } });
    if (taken) continue;
    await db.prisma.challenge.create({
      data: {
        id,
        surfaceKey: checked.surfaceKey,
        surface: checked.challenge.surface as unknown as Prisma.InputJsonValue,
        settings: checked.challenge.settings as unknown as Prisma.InputJsonValue,
      },
    });
    await db.afterWrite();
    return id;
  }
  throw new DataError("INVALID_INPUT", "could not draw a free challenge id");
}

/**
 * Checks a formula before a challenge resolves it (the server's analysis thread, F7), so that
 * resolving it afterwards finds it in lib's cache; a refusal's message says why.
 */
export type FormulaCheck = (formula: {
  readonly text: string;
  readonly box: Box;
}) => Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }>;

/**
 * A stored challenge, re-checked as when it was made; null when there is none with that id.
 * Throws `DataError` `INVALID_INPUT` for a malformed id, or when `checkFormula` refuses the
 * challenge's formula (then nothing is resolved on this thread).
 */
export async function getChallenge(
  db: Database,
  id: string,
  checkFormula?: FormulaCheck,
): Promise<StoredChallenge | null> {
  const checkedId = parseInput(challengeIdSchema, id, "challenge id");
  const row = await db.prisma.challenge.findUnique({ where: { id: checkedId } });
  if (!row) return null;
  const surface = challengeSurfaceRef(row.surface);
  if (checkFormula && surface?.kind === "formula") {
    const checked = await checkFormula({ text: surface.text, box: surface.box });
    if (!checked.ok) {
      throw new DataError("INVALID_INPUT", `challenge ${checkedId}: ${checked.message}`);
    }
  }
  const checked = resolveChallenge({ surface: row.surface, settings: row.settings });
  if (!checked.ok) return null;
  return { id: row.id, createdAt: row.createdAt, ...checked.challenge };
}

/** Record that a stored round was played on a challenge (idempotent). */
export async function addChallengeRound(
  db: Database,
  challengeId: string,
  roundId: string,
): Promise<void> {
  const id = parseInput(challengeIdSchema, challengeId, "challenge id");
  await db.prisma.challengeRound.upsert({
    where: { roundId },
    create: { challengeId: id, roundId },
    update: {},
  });
  await db.afterWrite();
}

/**
 * C3: a challenge's own leaderboard: the players (never the bot) of the rounds played on it, best
 * first by the public leaderboard's order (score, then reached turn, then the earlier round).
 */
export async function challengeLeaderboard(
  db: Database,
  challengeId: string,
  limit = 50,
): Promise<readonly ChallengeBoardRow[]> {
  const id = parseInput(challengeIdSchema, challengeId, "challenge id");
  const links = await db.prisma.challengeRound.findMany({
    where: { challengeId: id },
    select: { roundId: true },
  });
  return boardOfRounds(
    db,
    links.map((l) => l.roundId),
    limit,
  );
}

/**
 * The players (never the bot) of `roundIds`, best first by the public leaderboard's order (score,
 * then reached turn, then the earlier round): a challenge's board (C3) and the day's (D4).
 */
export async function boardOfRounds(
  db: Database,
  roundIds: readonly string[],
  limit: number,
): Promise<readonly ChallengeBoardRow[]> {
  if (roundIds.length === 0) return [];
  const rows = await db.prisma.participant.findMany({
    where: { isBot: false, roundId: { in: [...roundIds] } },
    orderBy: [{ score: "desc" }, { reachedTurn: "asc" }, { finishedAt: "asc" }, { id: "asc" }],
    take: limit,
    select: {
      roundId: true,
      nickname: true,
      score: true,
      beatBot: true,
      turnsPlayed: true,
      reachedTurn: true,
      finishedAt: true,
    },
  });
  return rows.map((row, index) => ({
    position: index + 1,
    ...row,
    finishedAt: row.finishedAt.toISOString(),
  }));
}
