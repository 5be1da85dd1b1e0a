/**
 * The one process-wide {@link Database}: server/main.ts opens it and registers it here; Next.js
 * server components (bundled separately, with their own module instances) read it back. This
 * module imports no database driver, so pages can import it without bundling Prisma or PGlite,
 * and a page can never open a second database on the same folder.
 */
import type { Database } from "./types";

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
