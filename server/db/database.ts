/**
 * The client factory: the only place that knows whether the database is embedded PGlite or a
 * PostgreSQL server. Everything above it (migrations, the data layer) gets a {@link Database}.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { postgresTarget } from "./config";
import { lockFolder } from "./folder-lock";
import { refoldNicknameKeys } from "./nickname-keys";
import type { DatabaseConfig } from "./config";
import type { Database, MigrateOptions, MigrateResult } from "./types";
import { everyNth, MEASURE_EVERY_WRITES, walCheckpointer } from "./checkpoints";
import type { PgliteSql } from "./checkpoints";
import { PGliteThread } from "./pglite-thread";
import {
  moveLegacyRoomLog,
  moveOldPgliteRoomLog,
  OLD_ROOM_LOG_FOLDER_SUFFIX,
  ROOM_LOG_FILE_SUFFIX,
  roomLogDatabase,
} from "./room-log-database";
import type { RoomLogDatabase } from "./room-log-database";
import { PrismaClient } from "./generated/client";
import { MIGRATION_LOCK, NO_FILTERS, openSchemaEngine, readMigrations } from "./schema-engine";

export type { Database, MigrateOptions, MigrateResult } from "./types";

/** The repository's `prisma/` folder: the schema and its migrations. */
export const PRISMA_DIR = fileURLToPath(new URL("../../prisma/", import.meta.url));

/** The database could not be opened or reached; the message says which and why. */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${error.message} (${code})`
      : error.message;
  }
  return String(error);
}

/**
 * PGlite's Prisma adapter runs migration scripts without awaiting them, so a failing script would
 * pass unnoticed. This factory hands out the same adapter with an `executeScript` that waits and
 * reports errors. `shadow` opens the engine's throw-away "shadow database" (used only to create
 * migrations) and says how to close it.
 */
function pgliteAdapterFactory(
  client: PGlite,
  shadow: () => Promise<{ readonly pg: PGlite; readonly close: () => Promise<void> }>,
): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(client);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withAwaitedScripts(await inner.connect(), client),
    connectToShadowDb: () => connectShadow(shadow),
  };
}

function withAwaitedScripts(adapter: SqlDriverAdapter, pg: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await pg.exec(script);
  };
  return adapter;
}

async function connectShadow(
  shadow: () => Promise<{ readonly pg: PGlite; readonly close: () => Promise<void> }>,
): Promise<SqlDriverAdapter> {
  const { pg, close } = await shadow();
  const adapter = await new PrismaPGlite(pg).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await close();
  };
  return withAwaitedScripts(adapter, pg);
}

/**
 * A factory whose client connections run in a {@link PGliteThread} (the shadow database, used
 * only to create migrations, stays in this thread).
 */
function threadAdapterFactory(
  thread: PGliteThread,
  shadow: () => Promise<{ readonly pg: PGlite; readonly close: () => Promise<void> }>,
): SqlMigrationAwareDriverAdapterFactory {
  const adapter = thread.adapter();
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: async () => adapter,
    connectToShadowDb: () => connectShadow(shadow),
  };
}

function sqlOfPglite(client: PGlite): PgliteSql {
  return {
    rows: async <R>(sql: string) => (await client.query<R>(sql)).rows,
    exec: async (sql) => void (await client.exec(sql)),
  };
}

function sqlOfThread(thread: PGliteThread): PgliteSql {
  return { rows: (sql) => thread.query(sql), exec: (sql) => thread.exec(sql) };
}

/** A fresh in-memory PGlite as a shadow database. */
async function freshShadow() {
  const pg = await PGlite.create();
  return { pg, close: () => pg.close() };
}

interface Backend {
  readonly label: string;
  /** A factory for the Prisma client. */
  readonly clientAdapter: SqlMigrationAwareDriverAdapterFactory;
  /**
   * A factory for one schema-engine run and how to release what it opened. The engine takes a
   * session-level advisory lock and never releases it, so its session must end (PostgreSQL) or
   * unlock (PGlite's single session) once the run is over.
   */
  readonly engineAdapter: () => {
    readonly factory: SqlMigrationAwareDriverAdapterFactory;
    readonly release: () => Promise<void>;
  };
  readonly afterWrite: () => Promise<void>;
  readonly saveRoundInThread?: Database["saveRoundInThread"];
  /** The room log's own database (R35a), opened on first use. */
  readonly roomLog?: RoomLogDatabase;
  /** The log's PGlite folder of an older version (moved into `roomLog` at migrate). */
  readonly oldRoomLogFolder?: string;
  readonly close: () => Promise<void>;
}

/**
 * Where PGlite runs: `worker` (default), a worker thread of its own (see pglite-thread.ts), or
 * `main`, this thread (PGLITE_THREAD=main; for comparison in `npm run bench:rooms`).
 */
function pgliteThreadMode(): "worker" | "main" {
  return process.env.PGLITE_THREAD?.trim() === "main" ? "main" : "worker";
}

async function openPglite(dataDir: string): Promise<Backend> {
  const memory = dataDir.startsWith("memory://");
  if (!memory) await mkdir(dirname(dataDir), { recursive: true });
  const mode = pgliteThreadMode();
  const label = `${memory ? "PGlite in memory" : `PGlite in ${dataDir}`}${mode === "main" ? " (main thread)" : ""}`;
  let sql: PgliteSql;
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let closeClient: () => Promise<void>;
  let saveRoundInThread: Database["saveRoundInThread"];
  let roomLog: Backend["roomLog"];
  let unlock = async () => {};
  try {
    if (!memory) unlock = await lockFolder(dataDir);
    if (mode === "worker") {
      // R35a: the room log in a SQLite file of its own, next to this folder (the folder lock above
      // covers both: one process owns DATA_DIR). In memory (tests, a scratch server) it stays in
      // this database.
      const logFile = memory ? null : `${dataDir}${ROOM_LOG_FILE_SUFFIX}`;
      if (!memory && !existsSync(join(dataDir, "PG_VERSION"))) {
        await PGliteThread.create(dataDir, label);
      }
      const thread = await PGliteThread.open(memory ? null : dataDir, label);
      sql = sqlOfThread(thread);
      factory = threadAdapterFactory(thread, freshShadow);
      closeClient = () => thread.close();
      saveRoundInThread = (input, options) => thread.saveRound(input, options);
      if (logFile) roomLog = roomLogDatabase(logFile, `SQLite in ${logFile}`);
      thread.prepare();
    } else {
      const client = await PGlite.create(memory ? {} : { dataDir });
      await client.query("SELECT 1");
      sql = sqlOfPglite(client);
      factory = pgliteAdapterFactory(client, freshShadow);
      closeClient = () => client.close();
    }
  } catch (error) {
    await unlock();
    throw new DatabaseUnavailableError(
      `Cannot open the database (${label}): ${describeError(error)}`,
    );
  }
  const checkpoints = walCheckpointer(sql);
  // Also on a timer, for writes that do not go through the data layer (migrations, scripts).
  const timer = setInterval(() => {
    void checkpoints().catch(() => {});
  }, 60_000);
  timer.unref();
  return {
    label,
    clientAdapter: factory,
    afterWrite: everyNth(checkpoints, MEASURE_EVERY_WRITES),
    saveRoundInThread,
    ...(roomLog && { roomLog, oldRoomLogFolder: `${dataDir}${OLD_ROOM_LOG_FOLDER_SUFFIX}` }),
    engineAdapter: () => ({
      factory,
      release: async () => {
        await sql.rows("SELECT pg_advisory_unlock_all()");
      },
    }),
    close: async () => {
      clearInterval(timer);
      try {
        await roomLog?.close();
      } finally {
        await closeClient();
        await unlock();
      }
    },
  };
}

async function openPostgres(url: string): Promise<Backend> {
  const target = postgresTarget(url);
  const label = `PostgreSQL at ${target.label}${target.schema === "public" ? "" : ` (schema ${target.schema})`}`;
  const poolConfig = {
    connectionString: target.connectionString,
    max: 10,
    connectionTimeoutMillis: 5_000,
    // Unqualified names in migration scripts land in the chosen schema.
    options: `-c search_path="${target.schema}"`,
  };
  const options = { schema: target.schema };
  const clientAdapter = new PrismaPg(poolConfig, options);
  // Fail fast with a clear message when the server cannot be reached.
  const probe = new pg.Client({ ...poolConfig, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
    await probe.query("SELECT 1");
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot reach the database (${label}): ${describeError(error)}`,
    );
  } finally {
    await probe.end().catch(() => {});
  }
  return {
    label,
    clientAdapter,
    engineAdapter: () => {
      // One session, closed after the run: that releases the engine's advisory lock.
      const pool = new pg.Pool({ ...poolConfig, max: 1 });
      return { factory: new PrismaPg(pool, options), release: () => pool.end() };
    },
    afterWrite: async () => {},
    close: async () => {},
  };
}

/**
 * Open the database a {@link DatabaseConfig} names and check that it answers. Throws
 * {@link DatabaseUnavailableError} with one clear message when it cannot be opened or reached.
 * Call {@link Database.migrate} before the first query.
 */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  const backend =
    config.kind === "pglite" ? await openPglite(config.dataDir) : await openPostgres(config.url);
  const prisma = new PrismaClient({ adapter: backend.clientAdapter });
  return {
    kind: config.kind,
    label: backend.label,
    prisma,
    migrate: async (options) => {
      const result = await applyMigrations(backend, options);
      // The data half of a migration that SQL cannot do exactly (see nickname-keys.ts).
      await refoldNicknameKeys(prisma);
      // R35a: rows older versions logged in this database, or in a PGlite of the log's own,
      // move to the log's own database.
      if (backend.roomLog) {
        await moveLegacyRoomLog(prisma, backend.roomLog);
        if (backend.oldRoomLogFolder) {
          await moveOldPgliteRoomLog(backend.oldRoomLogFolder, backend.roomLog);
        }
      }
      return result;
    },
    afterWrite: backend.afterWrite,
    ...(backend.saveRoundInThread ? { saveRoundInThread: backend.saveRoundInThread } : {}),
    ...(backend.roomLog ? { roomLogStore: backend.roomLog } : {}),
    close: async () => {
      await prisma.$disconnect();
      await backend.close();
    },
  };
}

async function applyMigrations(
  backend: Backend,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const migrationsDir = options.migrationsDir ?? `${PRISMA_DIR}migrations`;
  const schema = await readFile(options.schemaPath ?? `${PRISMA_DIR}schema.prisma`, "utf8");
  const migrationsList = await readMigrations(migrationsDir);
  if (
    migrationsList.lockfile.content !== null &&
    !migrationsList.lockfile.content.includes('"postgresql"')
  ) {
    throw new Error(`${migrationsDir}/migration_lock.toml is not for PostgreSQL`);
  }
  const { factory, release } = backend.engineAdapter();
  const engine = await openSchemaEngine({ schema, adapter: factory });
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList,
      filters: NO_FILTERS,
    });
    await backend.afterWrite();
    return { applied: appliedMigrationNames };
  } catch (error) {
    throw new Error(`Migrating the database (${backend.label}) failed: ${describeError(error)}`);
  } finally {
    engine.free();
    await release();
  }
}

/** Options of {@link createMigration}. */
export interface CreateMigrationOptions {
  /** The migrations folder. @default prisma/migrations */
  readonly migrationsDir?: string;
  /** The schema file to migrate to. @default prisma/schema.prisma */
  readonly schemaPath?: string;
  /** The clock for the folder's timestamp. @default new Date() */
  readonly now?: Date;
}

/** What {@link createMigration} wrote, or null when the schema matches the migrations. */
export interface CreatedMigration {
  /** The folder name, `<UTC yyyyMMddHHmmss>_<name>`. */
  readonly name: string;
  /** The path of the new `migration.sql`. */
  readonly path: string;
  readonly sql: string;
}

/**
 * `npm run db:migration -- NAME`: diff the existing migrations (replayed into a throw-away
 * in-memory PGlite, the "shadow database") against the schema and write the difference as
 * `prisma/migrations/<timestamp>_<name>/migration.sql`, the way `prisma migrate dev --create-only`
 * does, with no server and no network. Writes `migration_lock.toml` when it is missing. Returns
 * null (and writes nothing) when there is no difference.
 */
export async function createMigration(
  name: string,
  options: CreateMigrationOptions = {},
): Promise<CreatedMigration | null> {
  if (!/^[a-z0-9_]{1,80}$/.test(name)) {
    throw new Error(`a migration name is 1 to 80 of a-z, 0-9 and _, got "${name}"`);
  }
  const migrationsDir = options.migrationsDir ?? `${PRISMA_DIR}migrations`;
  const schema = await readFile(options.schemaPath ?? `${PRISMA_DIR}schema.prisma`, "utf8");
  const found = await readMigrations(migrationsDir);
  const migrationsList = { ...found, lockfile: { ...found.lockfile, content: MIGRATION_LOCK } };
  // One scratch in-memory PGlite serves as the engine's database and as its shadow database
  // (diffing from migrations only replays them into the shadow): one start-up instead of two.
  const scratch = await PGlite.create();
  const adapter = pgliteAdapterFactory(scratch, async () => ({
    pg: scratch,
    close: async () => {},
  }));
  const engine = await openSchemaEngine({ schema, adapter });
  try {
    const { stdout } = await engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = stdout ?? "";
    if (!/^\s*[^-\s]/m.test(sql)) return null;
    const stamp = (options.now ?? new Date()).toISOString().replace(/\D/g, "").slice(0, 14);
    const folder = `${stamp}_${name}`;
    const path = join(migrationsDir, folder, "migration.sql");
    await mkdir(join(migrationsDir, folder), { recursive: true });
    await writeFile(path, sql);
    if (found.lockfile.content === null) {
      await writeFile(join(migrationsDir, "migration_lock.toml"), MIGRATION_LOCK);
    }
    return { name: folder, path, sql };
  } finally {
    engine.free();
    await scratch.close();
  }
}
