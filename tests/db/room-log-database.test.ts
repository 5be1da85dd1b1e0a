/**
 * R35a: on embedded PGlite in a folder the live rooms' log lives in a SQLite file of its own, next
 * to the main database's folder, so that an append never waits for a round's save; rows an older
 * version left in the main database, or in the log's older PGlite folder, move there at start,
 * none lost.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../server/db";
import type { Database } from "../../server/db";
import { appendRoomLog, loadRoomLog, loadRoomLogs } from "../../server/db/room-log";
import {
  OLD_ROOM_LOG_FOLDER_SUFFIX,
  ROOM_LOG_FILE_SUFFIX,
} from "../../server/db/room-log-database";
import { PGliteThread } from "../../server/db/pglite-thread";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "blind-descent-room-log-"));
  dirs.push(dir);
  return join(dir, "pglite");
}

async function open(dataDir: string): Promise<Database> {
  const db = await createDatabase({ kind: "pglite", dataDir });
  await db.migrate();
  return db;
}

const row = (roomCode: string, seq: number) => ({
  roomCode,
  seq,
  action: JSON.stringify({ type: "join", at: seq, nickname: `P${seq}` }),
});

describe("the room log's own SQLite file (R35a)", () => {
  it("keeps the rows in its own file, not in the main database's table, and across a reopen", async () => {
    const dataDir = await folder();
    const db = await open(dataDir);
    try {
      await appendRoomLog(db, [row("K7M2QX", 0), row("K7M2QX", 1)]);
      expect(await db.prisma.roomLogEntry.count()).toBe(0);
      expect(await loadRoomLog(db, "K7M2QX")).toEqual([row("K7M2QX", 0), row("K7M2QX", 1)]);
      expect(existsSync(`${dataDir}${ROOM_LOG_FILE_SUFFIX}`)).toBe(true);
      expect(db.roomLogStore?.label).toBe(`SQLite in ${dataDir}${ROOM_LOG_FILE_SUFFIX}`);
      // All or none: a group holding a key that exists already writes nothing (R36).
      await expect(appendRoomLog(db, [row("K7M2QX", 2), row("K7M2QX", 1)])).rejects.toThrow(
        /UNIQUE|PRIMARY/,
      );
      expect(await loadRoomLog(db, "K7M2QX")).toHaveLength(2);
    } finally {
      await db.close();
    }
    const again = await open(dataDir);
    try {
      expect(await loadRoomLog(again, "K7M2QX")).toEqual([row("K7M2QX", 0), row("K7M2QX", 1)]);
    } finally {
      await again.close();
    }
  });

  it("stores any text exactly (quotes, SQL, backslashes, emoji) and refuses a NUL, writing nothing", async () => {
    const dataDir = await folder();
    const db = await open(dataDir);
    try {
      const nasty = [
        `O'Brien`,
        `'); DROP TABLE "RoomLogEntry"; --`,
        String.raw`back\slash \' \x00 $1 $$ $q$`,
        "line\nbreak\ttab ☃ 🦊 \u0000 \ud800",
      ];
      const rows = nasty.map((nickname, seq) => ({
        roomCode: "K7M2QX",
        seq,
        action: JSON.stringify({ type: "rename", at: seq, nickname }),
      }));
      await appendRoomLog(db, rows);
      const loaded = await loadRoomLog(db, "K7M2QX");
      expect(loaded).toEqual(rows);
      expect(loaded.map((r) => (JSON.parse(r.action) as { nickname: string }).nickname)).toEqual(
        nasty,
      );
      // A NUL cannot be stored in TEXT: the append is refused and writes nothing.
      await expect(
        appendRoomLog(db, [{ roomCode: "K7M2QX", seq: 4, action: "a\0b" }]),
      ).rejects.toThrow();
      expect(await loadRoomLog(db, "K7M2QX")).toHaveLength(nasty.length);
    } finally {
      await db.close();
    }
  });

  it("an append is durable while a transaction holds the main database (it would wait behind it there)", async () => {
    const db = await open(await folder());
    try {
      const order: string[] = [];
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      // A save's transaction, held for 3 s by a statement that sleeps in PGlite's thread.
      const transaction = db.prisma
        .$transaction(
          async (tx) => {
            await tx.$executeRaw`SELECT 1`;
            holding();
            await tx.$executeRaw`SELECT pg_sleep(3)`;
          },
          { timeout: 20_000 },
        )
        .then(() => order.push("transaction"));
      await held;
      await appendRoomLog(db, [row("HJ4P9W", 0)]).then(() => order.push("append"));
      await transaction;
      expect(order).toEqual(["append", "transaction"]);
      expect(await loadRoomLog(db, "HJ4P9W")).toEqual([row("HJ4P9W", 0)]);
    } finally {
      await db.close();
    }
  });

  it("moves the rows an older version left in the main database at start, and refuses them twice after", async () => {
    const dataDir = await folder();
    const db = await open(dataDir);
    try {
      // An older version's rows, in the main database's table.
      await db.prisma.roomLogEntry.createMany({
        data: [row("K7M2QX", 0), row("K7M2QX", 1), row("HJ4P9W", 0)],
      });
      // A row copied already by a start that stopped before its delete: skipped, not an error.
      await appendRoomLog(db, [row("K7M2QX", 0)]);
    } finally {
      await db.close();
    }
    const again = await open(dataDir);
    try {
      expect(await again.prisma.roomLogEntry.count()).toBe(0);
      const logs = await loadRoomLogs(again);
      expect(logs.get("K7M2QX")).toEqual([row("K7M2QX", 0), row("K7M2QX", 1)]);
      expect(logs.get("HJ4P9W")).toEqual([row("HJ4P9W", 0)]);
      // R36 still holds in the log's database: entry 1 of K7M2QX is written.
      await expect(appendRoomLog(again, [row("K7M2QX", 1)])).rejects.toThrow();
    } finally {
      await again.close();
    }
  });

  it("moves the log an older version kept in a PGlite folder of its own at start, then deletes the folder", async () => {
    const dataDir = await folder();
    const oldFolder = `${dataDir}${OLD_ROOM_LOG_FOLDER_SUFFIX}`;
    // The older version's log: a PGlite folder with the same table, two rooms' rows.
    await PGliteThread.create(oldFolder, "old log");
    const old = await PGliteThread.open(oldFolder, "old log");
    try {
      await old.exec(
        `CREATE TABLE "RoomLogEntry" ("roomCode" TEXT NOT NULL, "seq" INTEGER NOT NULL, "action" TEXT NOT NULL, PRIMARY KEY ("roomCode", "seq"))`,
      );
      await old.query(
        `INSERT INTO "RoomLogEntry" VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)`,
        [
          ...Object.values(row("K7M2QX", 0)),
          ...Object.values(row("K7M2QX", 1)),
          ...Object.values(row("HJ4P9W", 0)),
        ],
      );
    } finally {
      await old.close();
    }
    const db = await open(dataDir);
    try {
      const logs = await loadRoomLogs(db);
      expect(logs.get("K7M2QX")).toEqual([row("K7M2QX", 0), row("K7M2QX", 1)]);
      expect(logs.get("HJ4P9W")).toEqual([row("HJ4P9W", 0)]);
      expect(existsSync(oldFolder)).toBe(false);
    } finally {
      await db.close();
    }
  });

  it("an in-memory database (tests, a scratch server) keeps its log in its own RoomLogEntry table", async () => {
    const db = await createDatabase({ kind: "pglite", dataDir: "memory://" });
    try {
      await db.migrate();
      expect(db.roomLogStore).toBeUndefined();
      await appendRoomLog(db, [row("K7M2QX", 0)]);
      expect(await loadRoomLog(db, "K7M2QX")).toEqual([row("K7M2QX", 0)]);
      expect(await db.prisma.roomLogEntry.count()).toBe(1);
    } finally {
      await db.close();
    }
  });
});
