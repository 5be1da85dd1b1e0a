/**
 * Embedded PGlite in its worker thread (server/db/pglite-thread.ts), the default: what the
 * message-passing proxy must keep from the in-process adapter. Prisma errors keep their codes,
 * a failing interactive transaction rolls back, results keep their types, the data is on disk
 * after close and reopen, a closed database refuses queries instead of hanging, and the
 * in-process mode (PGLITE_THREAD=main) still works. `saveRoundInThread` (the whole of saveRound
 * in the database's thread, what server/main.ts uses) stores what saveRound stores and throws the
 * same errors.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { prepareSurface } from "../../lib/surface-prep";
import type { SurfaceRef } from "../../lib/surface-ref";
import { createDatabase, DataError, saveRound } from "../../server/db";
import type { Database } from "../../server/db";
import { playRound } from "./fixtures";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "blind-descent-thread-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, "pglite");
}

async function open(dataDir: string): Promise<Database> {
  const db = await createDatabase({ kind: "pglite", dataDir });
  await db.migrate();
  return db;
}

describe("PGlite in a worker thread", () => {
  it("keeps Prisma's error codes, rolls back failed transactions and keeps value types", async () => {
    const db = await open(await folder());
    cleanups.push(() => db.close());
    expect(db.label).not.toContain("main thread");
    const { input } = playRound(11, { players: 3, turns: 4 });
    expect((await saveRound(db, input)).status).toBe("saved");
    const round = await db.prisma.round.findFirstOrThrow();
    // A unique violation comes back as the same DriverAdapterError, so Prisma says P2002.
    await expect(
      db.prisma.round.create({ data: { ...round, settings: {}, record: {} } }),
    ).rejects.toMatchObject({ code: "P2002" });
    // An interactive transaction that throws leaves nothing behind.
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.round.update({ where: { id: round.id }, data: { hint: "changed" } });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const again = await db.prisma.round.findUniqueOrThrow({ where: { id: round.id } });
    expect(again.hint).toBe(round.hint);
    // Dates, numbers and JSON survive the trip between threads.
    expect(again.finishedAt).toBeInstanceOf(Date);
    expect(again.finishedAt.getTime()).toBe(round.finishedAt.getTime());
    expect(typeof again.startLoss).toBe("number");
    expect(again.record).toEqual(round.record);
  });

  it("keeps the data on disk across close and reopen, and refuses queries once closed", async () => {
    const dataDir = await folder();
    const first = await open(dataDir);
    const { input } = playRound(12, { players: 2, turns: 3 });
    await saveRound(first, input);
    await first.close();
    await expect(first.prisma.round.count()).rejects.toThrow();
    const second = await open(dataDir);
    cleanups.push(() => second.close());
    expect(await second.prisma.round.count()).toBe(1);
    expect((await saveRound(second, input)).status).toBe("duplicate");
  });

  it("saves a round in the database's thread as saveRound does, with the same errors", async () => {
    const db = await open(await folder());
    cleanups.push(() => db.close());
    const saveInThread = db.saveRoundInThread;
    expect(saveInThread).toBeDefined();
    const { input, state } = playRound(14, { players: 4, turns: 5 });
    const saved = await saveInThread!(input);
    expect(saved.status).toBe("saved");
    expect(await saveInThread!(input)).toEqual({ status: "duplicate", id: saved.id });
    expect(await saveRound(db, input)).toEqual({ status: "duplicate", id: saved.id });
    // What the main thread reads back is what the thread wrote: every player, the bot, every move.
    const participants = await db.prisma.participant.count({ where: { roundId: saved.id } });
    expect(participants).toBe(state.players.length + (state.bot ? 1 : 0));
    expect(await db.prisma.move.count({ where: { roundId: saved.id } })).toBe(
      state.players.length * 5,
    );
    // A malformed input is a DataError with its code, as from saveRound.
    const error = await saveInThread!({ ...input, finishedAt: Number.NaN }).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe("INVALID_INPUT");
    // Concurrent saves from both paths store each round once.
    const more = Array.from({ length: 6 }, (_, i) => playRound(20 + i, { players: 3, turns: 3 }));
    const results = await Promise.all(
      more.flatMap(({ input: each }) => [saveInThread!(each), saveRound(db, each)]),
    );
    expect(results.filter((r) => r.status === "saved")).toHaveLength(6);
    expect(await db.prisma.round.count()).toBe(7);
  });

  it("R31a: a save handed its round's surface as prepared ahead stores the round's exact results, using it", async () => {
    const db = await open(await folder());
    cleanups.push(() => db.close());
    const surface = (seed: number): SurfaceRef => ({
      kind: "procedural",
      seed: 960_000 + seed,
      difficulty: "medium",
      transform: { seed, version: 2 },
    });
    // One save with the preparation (through postMessage, as the hub's), one without it.
    const rounds = [1, 2].map((seed) =>
      playRound(40 + seed, { players: 3, turns: 4, surface: surface(seed) }),
    );
    const withPrep = await db.saveRoundInThread!(rounds[0]!.input, {
      surface: prepareSurface(surface(1)),
    });
    const without = await db.saveRoundInThread!(rounds[1]!.input);
    for (const [saved, played] of [
      [withPrep, rounds[0]!],
      [without, rounds[1]!],
    ] as const) {
      expect(saved.status).toBe("saved");
      const stored = await db.prisma.participant.findMany({
        where: { roundId: saved.id, isBot: false },
        orderBy: { seat: "asc" },
      });
      expect(stored.map((p) => [p.finalLoss, p.progress, p.score, p.rank])).toEqual(
        [...played.state.results!.ranking]
          .sort((a, b) => a.seat - b.seat)
          .map((r) => [r.finalLoss, r.progress, r.score, r.rank]),
      );
    }
    // The thread's replay uses the preparation it is handed, not a surface of its own: one whose
    // loss offset is moved by 1000 shows through in every stored loss (so only the server's own,
    // prepareSurface of the round's ref, may be passed; SaveRoundOptions.surface says so).
    const third = playRound(43, { players: 3, turns: 4, surface: surface(3) });
    const honest = prepareSurface(surface(3));
    const moved = await db.saveRoundInThread!(third.input, {
      surface: {
        ...honest,
        transform: { ...honest.transform!, lossOffset: honest.transform!.lossOffset + 1000 },
      },
    });
    const shifted = await db.prisma.participant.findMany({
      where: { roundId: moved.id, isBot: false },
      orderBy: { seat: "asc" },
    });
    const played = [...third.state.results!.ranking].sort((a, b) => a.seat - b.seat);
    expect(shifted).toHaveLength(played.length);
    for (const [i, p] of shifted.entries()) {
      expect(p.finalLoss - played[i]!.finalLoss).toBeCloseTo(1000, 6);
    }
  });

  it("runs in the main thread with PGLITE_THREAD=main", async () => {
    const previous = process.env.PGLITE_THREAD;
    process.env.PGLITE_THREAD = "main";
    try {
      const db = await open(await folder());
      cleanups.push(() => db.close());
      expect(db.label).toContain("main thread");
      expect(db.saveRoundInThread).toBeUndefined();
      expect((await saveRound(db, playRound(13, { players: 2, turns: 3 }).input)).status).toBe(
        "saved",
      );
    } finally {
      if (previous === undefined) delete process.env.PGLITE_THREAD;
      else process.env.PGLITE_THREAD = previous;
    }
  });
});
