/**
 * The live rooms' log in the database (docs/SPEC.md R35–R39): every action a live room accepted,
 * in order, as JSON text. server/room-log.ts group-commits the appends of one event-loop tick;
 * at start the server reads every room's log back and replays it through lib/room's reducer.
 *
 * Where the rows live: on embedded PGlite in a folder (in its thread, the default), in the log's
 * own SQLite file (`db.roomLogStore`, server/db/room-log-database.ts, R35a); otherwise
 * (PostgreSQL, PGlite in memory, PGLITE_THREAD=main) in the main database's RoomLogEntry table,
 * through Prisma. Every function here serves both, so nothing else needs to know.
 */
import { Prisma } from "./generated/client";
import type { Database, RoomLogRow } from "./types";

export type { RoomLogRow } from "./types";

/**
 * Append rows (one statement, so all of them or none). A row whose (room, seq) exists already is
 * an error: two writers of one room (R36) never both succeed.
 */
export async function appendRoomLog(db: Database, rows: readonly RoomLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  // Embedded PGlite: one transaction in the log's own SQLite file, on this thread.
  if (db.roomLogStore) return db.roomLogStore.append(rows);
  // One parametrised multi-row INSERT: a few times cheaper than createMany, which Prisma plans on
  // this thread for every call (measured: 1.4 ms against 5.7 ms a write on PGlite).
  const values = rows.map((row) => Prisma.sql`(${row.roomCode}, ${row.seq}, ${row.action})`);
  await db.prisma
    .$executeRaw`INSERT INTO "RoomLogEntry" ("roomCode", "seq", "action") VALUES ${Prisma.join(values)}`;
}

/** Every live room's log, each in order of `seq`. */
export async function loadRoomLogs(db: Database): Promise<Map<string, RoomLogRow[]>> {
  const rows = db.roomLogStore
    ? await db.roomLogStore.rows()
    : await db.prisma.roomLogEntry.findMany({
        orderBy: [{ roomCode: "asc" }, { seq: "asc" }],
        select: { roomCode: true, seq: true, action: true },
      });
  const logs = new Map<string, RoomLogRow[]>();
  for (const row of rows) {
    const log = logs.get(row.roomCode) ?? [];
    log.push(row);
    logs.set(row.roomCode, log);
  }
  return logs;
}

/** One room's log in order of `seq` (R43: a node taking the room over), [] when it has none. */
export async function loadRoomLog(db: Database, roomCode: string): Promise<RoomLogRow[]> {
  if (db.roomLogStore) return db.roomLogStore.rows(roomCode);
  return db.prisma.roomLogEntry.findMany({
    where: { roomCode },
    orderBy: { seq: "asc" },
    select: { roomCode: true, seq: true, action: true },
  });
}

/** The codes of the rooms that have a log (the live rooms of every node, R43). */
export async function loggedRoomCodes(db: Database): Promise<string[]> {
  if (db.roomLogStore) return db.roomLogStore.codes();
  const rows = await db.prisma.roomLogEntry.findMany({
    where: { seq: 0 },
    select: { roomCode: true },
  });
  return rows.map((row) => row.roomCode);
}

/** Whether room `roomCode` has a log (a code a new room must not take, R40). */
export async function roomLogExists(db: Database, roomCode: string): Promise<boolean> {
  if (db.roomLogStore) return db.roomLogStore.exists(roomCode);
  const row = await db.prisma.roomLogEntry.findFirst({
    where: { roomCode },
    select: { seq: true },
  });
  return row !== null;
}

/** Delete a room's log (R39: the room closed and its rounds are stored). */
export async function deleteRoomLog(db: Database, roomCode: string): Promise<number> {
  if (db.roomLogStore) return db.roomLogStore.delete(roomCode);
  const { count } = await db.prisma.roomLogEntry.deleteMany({ where: { roomCode } });
  return count;
}

/**
 * Whether every row is stored already, with the same action: an append whose reply was lost
 * (the connection dropped after the commit) has succeeded, and its retry fails on the key.
 */
export async function roomLogRowsPresent(
  db: Database,
  rows: readonly RoomLogRow[],
): Promise<boolean> {
  if (rows.length === 0) return true;
  let found: RoomLogRow[];
  if (db.roomLogStore) {
    found = await db.roomLogStore.find(rows);
  } else {
    found = await db.prisma.roomLogEntry.findMany({
      where: { OR: rows.map((row) => ({ roomCode: row.roomCode, seq: row.seq })) },
      select: { roomCode: true, seq: true, action: true },
    });
  }
  const stored = new Map(found.map((row) => [`${row.roomCode} ${row.seq}`, row.action]));
  return rows.every((row) => stored.get(`${row.roomCode} ${row.seq}`) === row.action);
}
