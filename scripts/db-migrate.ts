/**
 * `npm run db:migrate`: apply the pending migrations of prisma/migrations to the configured
 * database (DATABASE_URL, or embedded PGlite in DATA_DIR), offline. The server does the same at
 * start; this is for deployments that migrate as a separate step.
 */
import { databaseConfigFromEnv } from "../server/db/config";
import { createDatabase } from "../server/db/database";

try {
  const db = await createDatabase(databaseConfigFromEnv());
  try {
    const { applied } = await db.migrate();
    console.log(
      applied.length > 0
        ? `${db.label}: applied ${applied.join(", ")}`
        : `${db.label}: up to date, no migration to apply`,
    );
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
