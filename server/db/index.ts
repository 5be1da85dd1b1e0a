/**
 * Persistence: Prisma on embedded PGlite (no `DATABASE_URL`) or PostgreSQL, migrated offline at
 * start; finished rounds, leaderboards and replays. See prisma/schema.prisma for the tables.
 */
import { databaseConfigFromEnv } from "./config";
import { createDatabase } from "./database";
import type { Database } from "./types";

export { databaseConfigFromEnv, postgresTarget } from "./config";
export type { DatabaseConfig } from "./config";
export { createDatabase, createMigration, DatabaseUnavailableError } from "./database";
export type { Database, MigrateOptions, MigrateResult } from "./types";
export { DataError, PERIODS } from "./inputs";
export {
  competitionCsv,
  getCompetition,
  competitionsByCode,
  latestCompetitionByCode,
  saveCompetition,
} from "./competitions";
export type { LeaderboardQuery, Period, ReplayListQuery, SaveRoundInput } from "./inputs";
export { anonymiseRecord, roundIdOf, saveRound, saveRounds } from "./save-round";
export type { RoundToSave, SaveRoundOutcome } from "./save-round";
export {
  batchedRoundSaver,
  MAX_ROUNDS_PER_BATCH,
  roundSaver,
  roundsPerBatch,
} from "./round-batcher";
export type { RoundSaver } from "./round-batcher";
export type { SaveRoundOptions, SaveRoundResult } from "./types";
export { competitionChoices, leaderboard } from "./leaderboards";
export type { CompetitionChoice, LeaderboardPage, LeaderboardRow } from "./leaderboards";
export { getReplay, listReplays } from "./replays";
export type { ReplayListPage, ReplaySummary, StoredParticipant, StoredReplay } from "./replays";
export { shareDatabase, sharedDatabase } from "./shared";

/**
 * The server's start-up step: open the database the environment names and apply pending
 * migrations. Throws one clear message (the caller prints it and exits non-zero) when the
 * database cannot be opened, reached or migrated.
 */
export async function openDatabase(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Database> {
  const db = await createDatabase(databaseConfigFromEnv(env));
  try {
    const { applied } = await db.migrate();
    if (applied.length > 0) console.log(`${db.label}: applied migrations ${applied.join(", ")}`);
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
export { addChallengeRound, challengeLeaderboard, getChallenge, saveChallenge } from "./challenges";
export type { ChallengeBoardRow, StoredChallenge } from "./challenges";
export { dailyLeaderboard, hasDailyAttempt, playerStreak, recordDailyAttempt } from "./daily";
