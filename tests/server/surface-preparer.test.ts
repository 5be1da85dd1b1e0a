import { afterAll, describe, expect, it } from "vitest";
import { surfaceFingerprint, surfaceFromScratch } from "../../lib/surface-fingerprint.cases";
import { resolveSurface } from "../../lib/surface-ref";
import { prepareSurface } from "../../lib/surface-prep";
import type { PreparableRef, SurfacePreparation, SurfaceRef } from "../../lib/surface-ref";
import { SurfacePreparer, surfacePreparerFor } from "../../server/surface-preparer";
import { silentLogger } from "../../server/logger";
import type { PreparedJob } from "../../server/surface-preparer";
import { eventually, ok, openRoom, playRoom, startServer } from "./harness";

/**
 * docs/SPEC.md R31a: the next round's surface is picked ahead and computed on the surface thread
 * (server/surface-worker.mjs), so a round start on the game's thread is a lookup. Real threads,
 * real sockets.
 */

describe("R31a: the surface thread", () => {
  const preparer = new SurfacePreparer({ budgetMs: 20_000 });
  afterAll(() => preparer.close());

  it("prepares bit for bit the surface this thread would compute, and puts it in lib's cache", async () => {
    const refs: PreparableRef[] = [
      {
        kind: "procedural",
        seed: 920_001,
        difficulty: "medium",
        transform: { seed: 5, version: 2 },
      },
      {
        kind: "procedural",
        seed: 920_002,
        difficulty: "expert",
        transform: { seed: 6, version: 2 },
      },
      { kind: "catalog", id: "rosenbrock", transform: { seed: 920_003, version: 2 } },
    ];
    const surfaces = await Promise.all(refs.map((ref) => preparer.prepare(ref).surface));
    for (const [i, ref] of refs.entries()) {
      const surface = surfaces[i];
      expect(surface).not.toBeNull();
      expect(surfaceFingerprint(surface!)).toEqual(surfaceFingerprint(surfaceFromScratch(ref)));
      expect(resolveSurface(ref)).toBe(surface);
    }
    expect(preparer.counters.prepared).toBe(3);
    expect(preparer.counters.threadMs).toBeGreaterThan(0);
  });

  it("runs a hurried job next, drops a cancelled one, and refuses formulas", async () => {
    const order: number[] = [];
    const jobs: PreparedJob[] = [];
    for (let i = 0; i < 6; i++) {
      const job = preparer.prepare({ kind: "procedural", seed: 930_000 + i, difficulty: "hard" });
      void job.surface.then((s) => s && order.push(i));
      jobs.push(job);
    }
    jobs[5]!.hurry();
    jobs[3]!.cancel();
    const outcomes = await Promise.all(jobs.map((j) => j.surface));
    expect(outcomes[3]).toBeNull();
    expect(outcomes.filter((s) => s !== null)).toHaveLength(5);
    // Job 0 was already running when job 5 was hurried; job 5 came before 1, 2 and 4.
    expect(order.indexOf(5)).toBeLessThan(order.indexOf(1));
    expect(order).not.toContain(3);
    const formula = preparer.prepare({
      kind: "formula",
      text: "w^2 + b^2",
      box: { min: [-1, -1], max: [1, 1] },
    });
    expect(await formula.surface).toBeNull();
  });

  it("gives null for a job past its budget, and the next job gets a fresh thread", async () => {
    const tight = new SurfacePreparer({ budgetMs: 1 });
    try {
      // 1 ms cannot even load the thread: the job is given up (null), never waited for.
      expect(
        await tight.prepare({ kind: "catalog", id: "ackley", transform: { seed: 1 } }).surface,
      ).toBeNull();
      expect(tight.counters.failed).toBe(1);
    } finally {
      await tight.close();
    }
    const after = preparer.prepare({ kind: "catalog", id: "ackley", transform: { seed: 2 } });
    expect(await after.surface).not.toBeNull();
  });

  it("SURFACE_THREAD: on by default, off for the benchmark's comparison, anything else refused", async () => {
    expect(surfacePreparerFor(silentLogger, { SURFACE_THREAD: "off" })).toBe(false);
    const on = surfacePreparerFor(silentLogger, {});
    expect(on).toBeInstanceOf(SurfacePreparer);
    await (on as SurfacePreparer).close();
    expect(() => surfacePreparerFor(silentLogger, { SURFACE_THREAD: "maybe" })).toThrow(
      'SURFACE_THREAD must be "on" or "off", not "maybe"',
    );
  });

  it("gives null to every job once closed", async () => {
    const closing = new SurfacePreparer();
    const job = closing.prepare({ kind: "procedural", seed: 940_001, difficulty: "easy" });
    await closing.close();
    expect(await job.surface).toBeNull();
    expect(await closing.prepare({ kind: "catalog", id: "ackley" }).surface).toBeNull();
  });
});

describe("R31a: rooms play the surface prepared for them", () => {
  it("a start plays the prepared ref of its choice; a changed choice is prepared again", async () => {
    const prepared: SurfaceRef[] = [];
    // What each finished round is stored with: its surface's preparation when it was prepared.
    const stored: { ref: SurfaceRef; surface: SurfacePreparation | undefined }[] = [];
    const real = new SurfacePreparer();
    // The thread up first (a start does not wait for a thread that is still loading).
    expect(await real.prepare({ kind: "catalog", id: "ackley" }).surface).not.toBeNull();
    const server = await startServer({
      preparer: {
        prepare: (ref) => {
          prepared.push(ref);
          return real.prepare(ref);
        },
        close: () => real.close(),
      },
      onRoundFinished: (round, surface) => void stored.push({ ref: round.record.surface, surface }),
    });
    try {
      const room = await openRoom(
        server.url,
        { turns: 2, secondsPerTurn: 0, surface: { kind: "procedural", difficulty: "hard" } },
        ["Ann", "Bo"],
      );
      // Prepared at the room's creation, for its lobby settings.
      expect(prepared).toHaveLength(1);
      expect(prepared[0]).toMatchObject({ kind: "procedural", difficulty: "hard" });
      const reveal = await playRoom(room, 2, () => ({ angle: 0, eta: 0.5 }));
      const state = server.game.hub.room(room.code)!.state;
      // Round 1 played exactly the ref picked ahead (the same transform seed too).
      expect(state.round?.surface).toEqual(prepared[0]);
      expect(reveal[0]!.round?.reveal?.surface.id).toBe(
        `procedural-${(prepared[0] as { seed: number }).seed}-hard`,
      );
      // The save is handed what the thread prepared: the database's replay need not compute it.
      expect(stored).toHaveLength(1);
      expect(stored[0]!.ref).toEqual(prepared[0]);
      expect(stored[0]!.surface).toEqual(prepareSurface(prepared[0]!));
      const stats = server.game.stats();
      expect(stats.surfacesPrepared).toBe(1);
      expect(stats.surfacesAtStart).toBe(0);
      // Round 1's start prepared round 2's (the same choice, a new pick).
      expect(prepared).toHaveLength(2);
      expect(prepared[1]).not.toEqual(prepared[0]);
      // New settings: the prepared surface of the old choice is dropped, the new one prepared.
      ok(
        await room.host.request("room:settings", {
          code: room.code,
          hostToken: room.hostToken,
          settings: { turns: 2, secondsPerTurn: 0, surface: { kind: "catalog", id: "himmelblau" } },
        }),
      );
      expect(prepared).toHaveLength(3);
      expect(prepared[2]).toMatchObject({ kind: "catalog", id: "himmelblau" });
      await playRoom(room, 2, () => ({ angle: 90, eta: 0.5 }), 2);
      expect(server.game.hub.room(room.code)!.state.round?.surface).toEqual(prepared[2]);
      expect(server.game.stats().surfacesPrepared).toBe(2);
      expect(stored[1]!.surface).toEqual(prepareSurface(prepared[2]!));
      // A start with settings of another choice than the lobby's computes its own at the start.
      ok(
        await room.host.request("round:start", {
          code: room.code,
          hostToken: room.hostToken,
          settings: {
            turns: 2,
            secondsPerTurn: 0,
            surface: { kind: "procedural", difficulty: "easy" },
          },
        }),
      );
      await eventually(() => server.game.stats().roundsStarted === 3, "round 3 started");
      expect(server.game.stats().surfacesAtStart).toBe(1);
      const third = server.game.hub.room(room.code)!.state.round?.surface;
      expect(third).toMatchObject({ kind: "procedural", difficulty: "easy" });
      expect(prepared).not.toContainEqual(third);
    } finally {
      await server.close();
    }
  });

  it("without the thread, every start computes its own surface", async () => {
    const stored: (SurfacePreparation | undefined)[] = [];
    const server = await startServer({
      preparer: false,
      onRoundFinished: (_round, surface) => void stored.push(surface),
    });
    try {
      const room = await openRoom(server.url, { turns: 1, secondsPerTurn: 0 }, ["Ann"]);
      await playRoom(room, 1, () => ({ angle: 0, eta: 0.5 }));
      expect(server.game.stats()).toMatchObject({ surfacesPrepared: 0, surfacesAtStart: 1 });
      // Nothing prepared: the save computes the surface itself.
      expect(stored).toEqual([undefined]);
    } finally {
      await server.close();
    }
  });
});
