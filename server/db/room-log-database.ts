/**
 * Embedded PGlite: the live rooms' log in a PGlite of its own (docs/SPEC.md R35a), in the folder
 * next to the main database's (`<dataDir>-room-log`) and in a thread of its own.
 *
 * Why: PGlite has one connection, and a round's save holds it for its whole transaction (10–80 ms
 * when many rounds finish together; its queries answer within microtasks, so the thread does not
 * even read its messages meanwhile). A move is acknowledged only once its log entry is durable
 * (R35), so with the log in the main database every move made during a save waited for that save.
 * A temporary trace of that thread (`npm run bench:rooms -- --clients 1000 --rooms 100
 * --standalone --repeat 1`, README Benchmarks) found an append itself 0.44 ms at p50 and 1.8 ms at
 * p99 there, and a save's transaction 13.6 ms and 75 ms.
 *
 * The two databases are never written in one transaction, and need not be: a room's log is
 * deleted (R39) only after its rounds are stored, and a log row only says what a live room
 * accepted. The main database keeps its RoomLogEntry table (PostgreSQL, PGlite in memory and
 * PGLITE_THREAD=main use it); rows an older version left there move here at start ({@link moveLegacyRoomLog}).
 */
import { everyNth, walCheckpointer } from "./checkpoints";
import type { PgliteSql } from "./checkpoints";
import { PGliteThread } from "./pglite-thread";
import type { PrismaClient } from "./generated/client";
import type { RoomLogRow, RoomLogSql } from "./types";

/** The log's folder is the main database's folder with this suffix. */
export const ROOM_LOG_FOLDER_SUFFIX = "-room-log";

/**
 * The log's one table, as prisma/migrations/20261203114719_room_log creates it in the main
 * database (prisma/schema.prisma's RoomLogEntry): the same columns and key, so that the same
 * queries serve both.
 */
const ROOM_LOG_TABLE = `CREATE TABLE IF NOT EXISTS "RoomLogEntry" (
  "roomCode" TEXT NOT NULL,
  "seq" INTEGER NOT NULL,
  "action" TEXT NOT NULL,
  "loggedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "RoomLogEntry_pkey" PRIMARY KEY ("roomCode", "seq")
)`;

/**
 * Appends between two WAL measurements: a log row is ~0.2–1 KB of WAL, so 256 appends of up to a
 * class each cannot overshoot the 64 MB checkpoint threshold by much.
 */
const MEASURE_EVERY_APPENDS = 256;

/** A {@link RoomLogSql} that also opens, checkpoints and closes its database. */
export interface RoomLogDatabase extends RoomLogSql {
  /** A CHECKPOINT when enough WAL was written (the main database's timer); nothing if unopened. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The room log's PGlite on `dataDir`, opened on first use (a server's start reads the live rooms'
 * logs, R37; a process that only reads leaderboards never starts its thread).
 * Its thread runs at the game thread's priority (niceness 0): an append is on the path of every
 * move's acknowledgement, unlike a save.
 */
export function roomLogDatabase(dataDir: string, label: string): RoomLogDatabase {
  let opening: Promise<PGliteThread> | null = null;
  let closed = false;
  const thread = (): Promise<PGliteThread> => {
    if (closed) return Promise.reject(new Error(`the database (${label}) is closed`));
    opening ??= (async () => {
      const opened = await PGliteThread.open(dataDir, label, { nice: 0 });
      try {
        await opened.exec(ROOM_LOG_TABLE);
      } catch (error) {
        await opened.close().catch(() => {});
        throw error;
      }
      return opened;
    })().catch((error: unknown) => {
      // A later call tries again (the group commit retries a failed write).
      opening = null;
      throw new Error(
        `Cannot open the database (${label}): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    });
    return opening;
  };
  const sql: PgliteSql = {
    rows: async (text) => (await thread()).query(text),
    exec: async (text) => (await thread()).exec(text),
  };
  const checkpoints = walCheckpointer(sql);
  const afterAppend = everyNth(checkpoints, MEASURE_EVERY_APPENDS);
  return {
    label,
    append: async (rows: readonly RoomLogRow[]) => {
      if (rows.length === 0) return;
      await (await thread()).appendRoomLog(rows);
      // Housekeeping never turns a durable append into an error.
      void afterAppend().catch(() => {});
    },
    query: async <R>(text: string, params: readonly unknown[] = []) =>
      (await thread()).query<R>(text, params),
    checkpoint: async () => {
      if (opening && !closed) await checkpoints();
    },
    close: async () => {
      closed = true;
      const open = opening;
      opening = null;
      if (open) await (await open.catch(() => null))?.close();
    },
  };
}

/**
 * Move the rows an older version left in the main database's RoomLogEntry table to the log's own
 * database: copied first (a row present already is skipped), then deleted, so that a crash in
 * between copies them again at the next start and loses none. Runs at start, before any room.
 * Returns the number of rows moved.
 */
export async function moveLegacyRoomLog(prisma: PrismaClient, store: RoomLogSql): Promise<number> {
  // Most starts: nothing to move, and the log's database is not opened for it.
  if ((await prisma.roomLogEntry.count()) === 0) return 0;
  const legacy = await prisma.roomLogEntry.findMany({
    orderBy: [{ roomCode: "asc" }, { seq: "asc" }],
    select: { roomCode: true, seq: true, action: true },
  });
  if (legacy.length === 0) return 0;
  for (let start = 0; start < legacy.length; start += 500) {
    const chunk = legacy.slice(start, start + 500);
    const params: unknown[] = [];
    const values = chunk.map((row, i) => {
      params.push(row.roomCode, row.seq, row.action);
      return `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`;
    });
    await store.query(
      `INSERT INTO "RoomLogEntry" ("roomCode", "seq", "action") VALUES ${values.join(", ")} ON CONFLICT DO NOTHING`,
      params,
    );
  }
  await prisma.roomLogEntry.deleteMany({});
  return legacy.length;
}
