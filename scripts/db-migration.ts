/**
 * `npm run db:migration -- NAME`: write a new migration from the difference between
 * prisma/migrations and prisma/schema.prisma, offline (see createMigration in server/db).
 */
import { createMigration } from "../server/db/database";

const name = process.argv[2];
if (!name || process.argv.length > 3) {
  console.error("usage: npm run db:migration -- <name>   (a-z, 0-9 and _)");
  process.exit(2);
}
try {
  const created = await createMigration(name);
  if (created) {
    console.log(`Wrote ${created.path}`);
    console.log("Review it, then run `npm run db:migrate` (the server also applies it at start).");
  } else {
    console.log("The schema matches the migrations: nothing to write.");
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
