/**
 * The PostgreSQL server the tests use: `TEST_DATABASE_URL`, default the one CI runs
 * (`postgresql://postgres@127.0.0.1:5432/test`). Each run works in a schema of its own and drops
 * it at the end. In CI (`CI=true`) an unreachable server fails the suite; elsewhere it is skipped.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server's URL. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";

/** Whether an unreachable server must fail the tests instead of skipping them. */
export const REQUIRE_POSTGRES = process.env.CI === "true";

/** Null when the server answers, else why not. */
export async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 3_000,
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh schema name and the URL that selects it. */
export function scratchSchema(prefix: string): { schema: string; url: string } {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("schema", schema);
  return { schema, url: url.toString() };
}

/** Drop a schema made by {@link scratchSchema}. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
