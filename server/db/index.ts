/**
 * Persistence: Prisma on embedded PGlite (no `DATABASE_URL`) or PostgreSQL, migrated offline at
 * start; finished rounds, leaderboards and replays. See prisma/schema.prisma for the tables.
 */
import { databaseConfigFromEnv } from "./config";
import { createDatabase } from "./database";
import type { Database } from "./database";

export { databaseConfigFromEnv, postgresTarget } from "./config";
export type { DatabaseConfig } from "./config";
export { createDatabase, createMigration, DatabaseUnavailableError } from "./database";
export type { Database, MigrateOptions, MigrateResult } from "./database";
export { DataError, PERIODS } from "./inputs";
export type { LeaderboardQuery, Period, ReplayListQuery, SaveRoundInput } from "./inputs";
export {
  anonymiseRecord,
  getReplay,
  leaderboard,
  listReplays,
  roundIdOf,
  saveRound,
  saveRoundWithRetry,
  verifyReplay,
} from "./rounds";
export type {
  LeaderboardPage,
  LeaderboardRow,
  ReplayCheck,
  ReplayListPage,
  ReplaySummary,
  SaveRoundResult,
  StoredParticipant,
  StoredReplay,
} from "./rounds";

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

const SHARED = Symbol.for("blind-descent.database");

/**
 * Make the server's database reachable from code bundled separately (Next.js route handlers and
 * server components run in the same process but load their own module instances).
 */
export function shareDatabase(db: Database | null): void {
  (globalThis as Record<symbol, unknown>)[SHARED] = db;
}

/** The database {@link shareDatabase} registered; throws when the server has not opened one. */
export function sharedDatabase(): Database {
  const db = (globalThis as Record<symbol, unknown>)[SHARED] as Database | null | undefined;
  if (!db) throw new Error("the database is not open (it is opened by server/main.ts at start)");
  return db;
}
