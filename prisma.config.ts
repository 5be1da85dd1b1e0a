import { defineConfig } from "prisma/config";

/**
 * Prisma CLI configuration. The app never reads it: server/db opens the database itself (PGlite
 * without DATABASE_URL) and applies migrations offline (server/db/migrate.ts). It is here so that
 * `prisma generate` finds the schema and `prisma migrate deploy` works on a connected machine.
 */
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
