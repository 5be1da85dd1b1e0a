/**
 * The room log's group commit (server/room-log.ts, docs/SPEC.md R35) on a real embedded PGlite:
 * one write per tick, retried in order until durable, and a retry of a write that did commit
 * (its reply lost) recognised as done instead of failing on the key for ever.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RoomAction } from "../../lib/room";
import { systemClock } from "../../server/clock";
import { createDatabase } from "../../server/db";
import type { Database } from "../../server/db";
import { appendRoomLog, loadRoomLogs, roomLogRowsPresent } from "../../server/db/room-log";
import type { RoomLogRow } from "../../server/db/room-log";
import type { Logger } from "../../server/logger";
import { GroupCommitLog, roomLogFor } from "../../server/room-log";
import type { RoomLogStore } from "../../server/room-log";
import { ManualClock } from "./manual-clock";

let db: Database;
beforeAll(async () => {
  db = await createDatabase({ kind: "pglite", dataDir: "memory://" });
  await db.migrate();
}, 120_000);
afterAll(async () => {
  await db?.close();
});

function recordingLogger(): Logger & { readonly errors: string[] } {
  const errors: string[] = [];
  return {
    info() {},
    warn() {},
    error: (message) => void errors.push(message),
    errors,
  };
}

const action = (at: number): RoomAction => ({ type: "timer", at, id: "turn" });
const realStore = (): RoomLogStore => ({
  append: (rows) => appendRoomLog(db, rows),
  delete: async () => {},
  present: (rows) => roomLogRowsPresent(db, rows),
});

describe("GroupCommitLog (R35)", () => {
  it("writes one tick's appends in one statement, in order", async () => {
    const log = new GroupCommitLog(realStore(), systemClock, recordingLogger());
    await Promise.all([0, 1, 2, 3, 4].map((seq) => log.append("AAAAAA", seq, action(seq))));
    expect(log.stats()).toMatchObject({ writes: 1, rows: 5, failures: 0 });
    const rows = (await loadRoomLogs(db)).get("AAAAAA")!;
    expect(rows.map((r) => [r.seq, JSON.parse(r.action).at])).toEqual(
      [0, 1, 2, 3, 4].map((s) => [s, s]),
    );
  });

  it("a write that committed but whose reply was lost is acknowledged after one retry, stored once", async () => {
    let calls = 0;
    const store: RoomLogStore = {
      ...realStore(),
      append: async (rows: readonly RoomLogRow[]) => {
        calls += 1;
        await appendRoomLog(db, rows);
        if (calls === 1) throw new Error("Connection terminated unexpectedly");
      },
    };
    const logger = recordingLogger();
    const log = new GroupCommitLog(store, systemClock, logger, { retryMs: 5 });
    await log.append("BBBBBB", 0, action(7));
    expect(calls).toBe(2);
    expect(log.stats()).toMatchObject({ writes: 1, rows: 1, failures: 1 });
    expect((await loadRoomLogs(db)).get("BBBBBB")!.map((r) => r.seq)).toEqual([0]);
    expect(logger.errors).toHaveLength(1);
  });

  it("an entry another writer holds (R36) is never acknowledged: it is retried and logged", async () => {
    await appendRoomLog(db, [{ roomCode: "CCCCCC", seq: 0, action: JSON.stringify(action(1)) }]);
    const logger = recordingLogger();
    const log = new GroupCommitLog(realStore(), systemClock, logger, { retryMs: 5, maxRetryMs: 5 });
    let acknowledged = false;
    void log.append("CCCCCC", 0, action(2)).then(() => (acknowledged = true));
    // Retried (not a fixed wait: on a loaded machine one PGlite write can take 300 ms)…
    await vi.waitFor(() => expect(log.stats().failures).toBeGreaterThan(2), {
      timeout: 20_000,
      interval: 20,
    });
    // …and never acknowledged.
    expect(acknowledged).toBe(false);
    expect(logger.errors[0]).toMatch(/writing the room log failed/);
    const rows = (await loadRoomLogs(db)).get("CCCCCC")!;
    expect(JSON.parse(rows[0]!.action).at).toBe(1);
  });

  it("times each write and each append until durable, an append made during a write waiting for it", async () => {
    const clock = new ManualClock();
    const writes: (() => void)[] = [];
    const store: RoomLogStore = {
      append: () => new Promise<void>((resolve) => writes.push(resolve)),
      delete: async () => {},
    };
    const log = new GroupCommitLog(store, clock, recordingLogger());
    const first = log.append("DDDDDD", 0, action(0));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    clock.advance(10);
    // Made while the first write is in flight: written after it, in a write of its own.
    const second = log.append("DDDDDD", 1, action(1));
    clock.advance(30);
    writes[0]!();
    await first;
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    clock.advance(20);
    writes[1]!();
    await second;
    const stats = log.stats();
    expect(stats).toMatchObject({ writes: 2, rows: 2, failures: 0 });
    // The writes took 40 and 20 ms; the appends were durable after 40 and 50 ms.
    expect(stats.write).toMatchObject({ count: 2, maxMs: 40, meanMs: 30 });
    expect(stats.durable).toMatchObject({ count: 2, maxMs: 50, meanMs: 45 });
    // The p50 is the 40 ms one's, reported within 9% above it.
    expect(stats.durable.p50Ms).toBeGreaterThanOrEqual(40);
    expect(stats.durable.p50Ms).toBeLessThan(40 * 1.091);
  });

  it("the embedded log's SQLite file (R35a) is written when the task ends, before pending I/O; the main database's table after it", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "blind-descent-group-commit-"));
    const folder = await createDatabase({ kind: "pglite", dataDir });
    try {
      await folder.migrate();
      // The real wiring (roomLogFor): the folder's log is its SQLite file, db (in memory) Prisma's.
      for (const [store, expected] of [
        [folder, ["task ends", "acknowledged", "immediate"]],
        [db, ["task ends", "immediate", "acknowledged"]],
      ] as const) {
        const log = roomLogFor(store, systemClock, recordingLogger(), {})!;
        const events: string[] = [];
        const code = store === folder ? "EEEEEE" : "FFFFFF";
        setImmediate(() => events.push("immediate"));
        const done = [0, 1, 2].map((seq) => log.append(code, seq, action(seq)));
        events.push("task ends");
        await Promise.all(done);
        events.push("acknowledged");
        await new Promise<void>((resolve) => setImmediate(resolve));
        expect(events).toEqual(expected);
        // The task's three appends in one write, stored.
        expect(log.stats()).toMatchObject({ writes: 1, rows: 3, failures: 0 });
        expect((await loadRoomLogs(store)).get(code)!.map((r) => r.seq)).toEqual([0, 1, 2]);
      }
    } finally {
      await folder.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
