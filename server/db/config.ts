/**
 * Which database the server uses: no `DATABASE_URL` → embedded PGlite in `DATA_DIR` (nothing to
 * install); `DATABASE_URL=postgresql://…` → a PostgreSQL server. Both run the same schema, the
 * same migrations and the same data-layer code.
 */
import { resolve } from "node:path";

/** Where the data lives. */
export type DatabaseConfig =
  | {
      readonly kind: "pglite";
      /** The PGlite data folder, or `memory://` for a throw-away in-memory database (tests). */
      readonly dataDir: string;
    }
  | {
      readonly kind: "postgres";
      /**
       * A `postgresql://` connection string. A `schema` query parameter (Prisma's convention)
       * selects a PostgreSQL schema other than `public`.
       */
      readonly url: string;
    };

/** The PGlite folder inside `DATA_DIR`. */
export const PGLITE_SUBDIR = "pglite";

/**
 * Read the database configuration from the environment (`DATABASE_URL`, `DATA_DIR`, default
 * `./data`). Throws, naming the variable, when `DATABASE_URL` is not a PostgreSQL URL.
 */
export function databaseConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        `DATABASE_URL must be a postgresql:// URL, got "${url.replace(/\/\/[^@/]*@/, "//…@")}"; ` +
          "leave it unset to use the embedded database in DATA_DIR",
      );
    }
    return { kind: "postgres", url };
  }
  const dataDir = resolve(env.DATA_DIR?.trim() || "data", PGLITE_SUBDIR);
  return { kind: "pglite", dataDir };
}

/** Connection settings derived from a PostgreSQL URL. */
export interface PostgresTarget {
  /** The URL without Prisma's `schema` parameter (what `pg` understands). */
  readonly connectionString: string;
  /** The schema to use, `public` unless the URL says otherwise. */
  readonly schema: string;
  /** `host:port/database`, for messages (never the password). */
  readonly label: string;
}

/** Split Prisma's `?schema=` parameter off a PostgreSQL URL; throws on a malformed URL. */
export function postgresTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("DATABASE_URL is not a valid URL");
  }
  const schema = parsed.searchParams.get("schema") || "public";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL's schema parameter must be a plain identifier, got "${schema}"`);
  }
  parsed.searchParams.delete("schema");
  const label = `${parsed.hostname || "localhost"}:${parsed.port || "5432"}${parsed.pathname}`;
  return { connectionString: parsed.toString(), schema, label };
}
