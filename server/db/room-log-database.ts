/**
 * Embedded PGlite: the live rooms' log in a SQLite file of its own (docs/SPEC.md R35a), next to
 * the main database's folder (`<dataDir>-room-log.sqlite`), written on the game's thread.
 *
 * Why not in the main PGlite: PGlite has one connection, and a round's save holds it for its whole
 * transaction (10–80 ms when many rounds finish together). A move is acknowledged only once its
 * log entry is durable (R35), so with the log beside the rounds every move made during a save
 * waited for that save.
 *
 * Why SQLite and not a second PGlite (what this file held before): a PGlite append cost about
 * 0.5–0.7 ms of CPU in its own thread plus two messages between threads, a quarter of a core at
 * 1,000 players on two cores, and the second PGlite kept 250–310 MB resident. SQLite
 * (better-sqlite3) appends a group commit in a few tens of microseconds (a throw-away script:
 * 0.03 ms of CPU for a one-row transaction), synchronously, with no thread to wake, in a few MB;
 * README, Benchmarks, has bench:rooms' figures.
 *
 * Durability: WAL with `synchronous = OFF`. A commit is in the operating system's hands when the
 * call returns, so it survives the process dying (`kill -9`, a crash); a power cut or a kernel
 * crash may lose the last commits or damage the file. The embedded PGlite is no stronger (it runs
 * with `fsync = off`); PostgreSQL is for a log that survives the machine. (`NORMAL` would keep
 * the file whole, but fsyncs at each checkpoint on the game thread; a checkpointing connection in
 * another thread would allow it.)
 *
 * The two databases are never written in one transaction, and need not be: a room's log is
 * deleted (R39) only after its rounds are stored, and a log row only says what a live room
 * accepted. The main database keeps its RoomLogEntry table (PostgreSQL, PGlite in memory and
 * PGLITE_THREAD=main use it); rows an older version left there ({@link moveLegacyRoomLog}) or in
 * the older log's own PGlite folder ({@link moveOldPgliteRoomLog}) move here at start.
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { PrismaClient } from "./generated/client";
import { PGliteThread } from "./pglite-thread";
import type { EmbeddedRoomLog, RoomLogKey, RoomLogRow } from "./types";

/** The log's file is the main database's folder with this suffix (plus SQLite's -wal, -shm). */
export const ROOM_LOG_FILE_SUFFIX = "-room-log.sqlite";

/** Where an older version kept the log: a PGlite folder with this suffix (moved at start). */
export const OLD_ROOM_LOG_FOLDER_SUFFIX = "-room-log";

/**
 * The log's one table: the columns and key of prisma/schema.prisma's RoomLogEntry (R36: one
 * writer per room, `(roomCode, seq)` is the key). STRICT keeps every value of its declared type;
 * WITHOUT ROWID stores the rows in the key's order, so a room's log is one range.
 */
const ROOM_LOG_TABLE = `CREATE TABLE IF NOT EXISTS "RoomLogEntry" (
  "roomCode" TEXT NOT NULL,
  "seq" INTEGER NOT NULL,
  "action" TEXT NOT NULL,
  "loggedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY ("roomCode", "seq")
) STRICT, WITHOUT ROWID`;

const COLUMNS = `"roomCode", "seq", "action"`;

/** An {@link EmbeddedRoomLog} that also closes its file. */
export interface RoomLogDatabase extends EmbeddedRoomLog {
  close(): Promise<void>;
}

/** An append refused before it reaches the file (nothing written). */
function checkRows(rows: readonly RoomLogRow[]): void {
  for (const row of rows) {
    // PostgreSQL refuses a NUL in TEXT; the log refuses it on every store alike (JSON.stringify
    // never writes one: it escapes it).
    if (row.action.includes("\0") || row.roomCode.includes("\0")) {
      throw new Error(`room ${JSON.stringify(row.roomCode)} entry ${row.seq}: text with a NUL`);
    }
    if (!Number.isSafeInteger(row.seq) || row.seq < 0) {
      throw new Error(`room ${JSON.stringify(row.roomCode)}: entry number ${row.seq} is not one`);
    }
  }
}

/**
 * The room log's SQLite file, opened on first use (a server's start reads the live rooms' logs,
 * R37; a process that only reads leaderboards never opens it). Every call runs synchronously on
 * the calling thread and returns a settled promise, so callers treat it like any other store.
 */
export function roomLogDatabase(file: string, label: string): RoomLogDatabase {
  let db: BetterSqlite3.Database | null = null;
  let closed = false;
  let statements: ReturnType<typeof prepare> | null = null;

  function prepare(open: BetterSqlite3.Database) {
    const insert = open.prepare(`INSERT INTO "RoomLogEntry" (${COLUMNS}) VALUES (?, ?, ?)`);
    const insertMissing = open.prepare(
      `INSERT INTO "RoomLogEntry" (${COLUMNS}) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    return {
      // All rows or none: a key that exists already (R36) rolls the whole group back.
      append: open.transaction((rows: readonly RoomLogRow[]) => {
        for (const row of rows) insert.run(row.roomCode, row.seq, row.action);
      }),
      appendMissing: open.transaction((rows: readonly RoomLogRow[]) => {
        let added = 0;
        for (const row of rows)
          added += insertMissing.run(row.roomCode, row.seq, row.action).changes;
        return added;
      }),
      all: open.prepare(`SELECT ${COLUMNS} FROM "RoomLogEntry" ORDER BY "roomCode", "seq"`),
      ofRoom: open.prepare(
        `SELECT ${COLUMNS} FROM "RoomLogEntry" WHERE "roomCode" = ? ORDER BY "seq"`,
      ),
      one: open.prepare(`SELECT ${COLUMNS} FROM "RoomLogEntry" WHERE "roomCode" = ? AND "seq" = ?`),
      codes: open.prepare(`SELECT "roomCode" FROM "RoomLogEntry" WHERE "seq" = 0`).pluck(),
      exists: open.prepare(`SELECT 1 FROM "RoomLogEntry" WHERE "roomCode" = ? LIMIT 1`).pluck(),
      delete: open.prepare(`DELETE FROM "RoomLogEntry" WHERE "roomCode" = ?`),
    };
  }

  const open = () => {
    if (closed) throw new Error(`the database (${label}) is closed`);
    if (statements) return statements;
    let opened: BetterSqlite3.Database | null = null;
    try {
      opened = new BetterSqlite3(file);
      opened.pragma("journal_mode = WAL");
      // No fsync on the game thread: with NORMAL, SQLite's checkpoints fsync in the committing
      // call, about 10 ms every few hundred commits (a throw-away script, not committed: 113 of
      // 20,000 three-row commits over 5 ms with NORMAL, none with OFF).
      opened.pragma("synchronous = OFF");
      opened.pragma("busy_timeout = 5000");
      opened.exec(ROOM_LOG_TABLE);
      statements = prepare(opened);
      db = opened;
      return statements;
    } catch (error) {
      opened?.close();
      // A later call tries again (the group commit retries a failed write).
      throw new Error(
        `Cannot open the database (${label}): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  };
  /** `run` on the open file, its result (or its error) as a promise. */
  const call = <T>(run: (s: ReturnType<typeof prepare>) => T): Promise<T> => {
    try {
      return Promise.resolve(run(open()));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    label,
    append: (rows) =>
      call((s) => {
        if (rows.length === 0) return;
        checkRows(rows);
        s.append(rows);
      }),
    appendMissing: (rows) =>
      call((s) => {
        checkRows(rows);
        return s.appendMissing(rows);
      }),
    rows: (roomCode) =>
      call((s) => (roomCode === undefined ? s.all.all() : s.ofRoom.all(roomCode)) as RoomLogRow[]),
    find: (keys: readonly RoomLogKey[]) =>
      call((s) =>
        keys.flatMap((key) => {
          const row = s.one.get(key.roomCode, key.seq) as RoomLogRow | undefined;
          return row ? [row] : [];
        }),
      ),
    codes: () => call((s) => s.codes.all() as string[]),
    exists: (roomCode) => call((s) => s.exists.get(roomCode) !== undefined),
    delete: (roomCode) => call((s) => s.delete.run(roomCode).changes),
    close: async () => {
      closed = true;
      statements = null;
      const handle = db;
      db = null;
      handle?.close();
    },
  };
}

/**
 * Move the rows an older version left in the main database's RoomLogEntry table to the log's own
 * database: copied first (a row present already is skipped), then deleted, so that a crash in
 * between copies them again at the next start and loses none. Runs at start, before any room.
 * Returns the number of rows moved.
 */
export async function moveLegacyRoomLog(
  prisma: PrismaClient,
  store: EmbeddedRoomLog,
): Promise<number> {
  // Most starts: nothing to move, and the log's database is not opened for it.
  if ((await prisma.roomLogEntry.count()) === 0) return 0;
  const legacy = await prisma.roomLogEntry.findMany({
    orderBy: [{ roomCode: "asc" }, { seq: "asc" }],
    select: { roomCode: true, seq: true, action: true },
  });
  if (legacy.length === 0) return 0;
  await store.appendMissing(legacy);
  await prisma.roomLogEntry.deleteMany({});
  return legacy.length;
}

/**
 * Move the log an older version kept in a PGlite of its own (`folder`, `<dataDir>-room-log`) to
 * the log's SQLite file: every row copied (a row present already is skipped), then the folder
 * deleted, so that a crash in between copies them again at the next start and loses none.
 * Nothing to do (and no PGlite started) when the folder is not there. Returns the rows moved.
 */
export async function moveOldPgliteRoomLog(
  folder: string,
  store: EmbeddedRoomLog,
): Promise<number> {
  if (!existsSync(join(folder, "PG_VERSION"))) return 0;
  const thread = await PGliteThread.open(folder, `PGlite in ${folder}`, { nice: 0 });
  let rows: RoomLogRow[];
  try {
    const [table] = await thread.query<{ present: boolean }>(
      `SELECT to_regclass('"RoomLogEntry"') IS NOT NULL AS present`,
    );
    rows = table?.present
      ? await thread.query<RoomLogRow>(
          `SELECT ${COLUMNS} FROM "RoomLogEntry" ORDER BY "roomCode", "seq"`,
        )
      : [];
  } finally {
    await thread.close();
  }
  if (rows.length > 0) await store.appendMissing(rows);
  await rm(folder, { recursive: true, force: true });
  return rows.length;
}
