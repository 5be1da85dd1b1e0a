import { describe, expect, it } from "vitest";
import type { AckResponse, RoomSnapshot, ServerEventName } from "../../lib/protocol";
import { ManualClock } from "./manual-clock";
import type { Connection } from "../../server/connection";
import { GameHub } from "../../server/hub";
import type { GameHubOptions } from "../../server/hub";
import { silentLogger } from "../../server/logger";
import type { FinishedRound } from "../../server/room";

/**
 * The hub driven through an in-process connection (no sockets) and a manual clock: time-based
 * rules — turn deadlines, grace periods, empty rooms, a slow save before the reveal — tested
 * deterministically, without waiting.
 */

class PairConnection implements Connection {
  static count = 0;
  readonly id = `c${++PairConnection.count}`;
  readonly received: { event: ServerEventName; payload: unknown }[] = [];
  send<E extends ServerEventName>(event: E, payload: unknown): void {
    this.received.push({ event, payload: structuredClone(payload) });
  }
  disconnect(): void {}
  latest(): RoomSnapshot | undefined {
    return this.received.filter((r) => r.event === "room:state").at(-1)?.payload as
      RoomSnapshot | undefined;
  }
}

/** Let promise chains and the rooms' setImmediate flushes run. */
const tick = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

function setup(options: Partial<GameHubOptions> = {}) {
  const clock = new ManualClock();
  const hub = new GameHub({ clock, logger: silentLogger, ...options });
  const open = () => {
    const conn = new PairConnection();
    hub.connect(conn);
    return conn;
  };
  return { clock, hub, open };
}

/** A hub without a room log answers at once (R35 defers only with a log). */
function must<T extends object>(r: AckResponse<T> | Promise<AckResponse<T>>): T {
  if (r instanceof Promise) throw new Error("a hub without a room log answers synchronously");
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
}

describe("the hub in process, with a manual clock", () => {
  it("greets a connection with the protocol version and the server time", () => {
    const { open, clock } = setup();
    const c = open();
    expect(c.received[0]).toEqual({
      event: "server:hello",
      payload: { protocolVersion: 1, serverTime: clock.now() },
    });
  });

  it("closes a turn exactly at its deadline", async () => {
    const { hub, open, clock } = setup();
    const host = open();
    const created = must(
      hub.handle(host, "room:create", {
        mode: "room",
        hostPlays: true,
        nickname: "H",
        settings: { secondsPerTurn: 10, turns: 2, surface: { kind: "catalog", id: "booth" } },
      }),
    );
    must(hub.handle(host, "round:start", { code: created.code, hostToken: created.hostToken }));
    await tick();
    expect(host.latest()?.turnDeadline).toBe(clock.now() + 10_000);
    clock.advance(9_999);
    await tick();
    expect(host.latest()?.round?.turn).toBe(0);
    clock.advance(1);
    await tick();
    // The timer closed turn 0 without a move: the player stayed put.
    expect(host.latest()?.round?.turn).toBe(1);
    expect(host.latest()?.round?.you?.feedback[0]?.move).toBeNull();
    expect(hub.handle(host, "round:move", { turn: 0, angle: 0, eta: 0.1 })).toMatchObject({
      ok: false,
      error: { code: "WRONG_TURN" },
    });
    clock.advance(10_000);
    await tick();
    expect(host.latest()?.phase).toBe("revealed");
  });

  it("keeps a dropped seat for the grace period, then frees it", async () => {
    const { hub, open, clock } = setup({ limits: { seatGraceMs: 120_000, emptyRoomMs: 600_000 } });
    const host = open();
    const created = must(hub.handle(host, "room:create", { mode: "room" }));
    const player = open();
    const seat = must(hub.handle(player, "room:join", { code: created.code, nickname: "Pia" }));
    hub.disconnect(player);
    clock.advance(119_999);
    const back = open();
    expect(
      must(hub.handle(back, "room:resume", { code: created.code, seatToken: seat.seatToken }))
        .playerId,
    ).toBe(seat.playerId);
    hub.disconnect(back);
    clock.advance(120_000);
    await tick();
    expect(host.latest()?.members).toEqual([]);
    const late = open();
    expect(
      hub.handle(late, "room:resume", { code: created.code, seatToken: seat.seatToken }),
    ).toMatchObject({ ok: false, error: { code: "SEAT_NOT_FOUND" } });
  });

  it("closes a room left without any connection, clearing its timers", () => {
    const { hub, open, clock } = setup({ limits: { emptyRoomMs: 300_000 } });
    const host = open();
    const created = must(
      hub.handle(host, "room:create", { mode: "room", settings: { secondsPerTurn: 30 } }),
    );
    hub.disconnect(host);
    clock.advance(299_999);
    expect(hub.room(created.code)).toBeDefined();
    clock.advance(1);
    expect(hub.room(created.code)).toBeUndefined();
    expect(hub.stats().rooms).toBe(0);
  });

  it("sends the reveal only after onRoundFinished resolved", async () => {
    let release: () => void = () => {};
    const saved: FinishedRound[] = [];
    const { hub, open } = setup({
      onRoundFinished: (round) =>
        new Promise<void>((resolve) => {
          saved.push(round);
          release = resolve;
        }),
    });
    const me = open();
    const created = must(
      hub.handle(me, "room:create", { mode: "solo", nickname: "Me", settings: { turns: 1 } }),
    );
    must(hub.handle(me, "round:start", { code: created.code, hostToken: created.hostToken }));
    must(hub.handle(me, "round:move", { turn: 0, angle: 0, eta: 0.1 }));
    await tick();
    expect(saved).toHaveLength(1);
    expect(
      me.received.some(
        (r) => r.event === "room:state" && (r.payload as RoomSnapshot).phase === "revealed",
      ),
    ).toBe(false);
    expect(
      hub.handle(me, "round:start", { code: created.code, hostToken: created.hostToken }),
    ).toMatchObject({ ok: false, error: { code: "ROUND_IN_PROGRESS" } });
    release();
    // Stored, then revealed in a turn of the event loop of its own (rounds stored together are
    // revealed one room per turn).
    await tick();
    await tick();
    expect(me.latest()?.phase).toBe("revealed");
    expect(me.latest()?.round?.reveal?.results.ranking[0]?.nickname).toBe("Me");
  });

  it("reveals rounds stored together one room per turn of the event loop (issue 15)", async () => {
    // The system clock: its deferred work runs on the real event loop, whose turns are counted.
    const releases: (() => void)[] = [];
    const hub = new GameHub({
      logger: silentLogger,
      persistConcurrency: 3,
      onRoundFinished: () => new Promise<void>((resolve) => releases.push(resolve)),
    });
    let loopTurn = 0;
    let counting = true;
    const count = () => {
      loopTurn += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const revealedAt: number[] = [];
    const rooms = [0, 1, 2].map(() => {
      const conn = new PairConnection();
      const send = conn.send.bind(conn);
      conn.send = (event, payload) => {
        if (event === "room:state" && (payload as RoomSnapshot).phase === "revealed") {
          revealedAt.push(loopTurn);
        }
        send(event, payload);
      };
      hub.connect(conn);
      const created = must(
        hub.handle(conn, "room:create", { mode: "solo", nickname: "Me", settings: { turns: 1 } }),
      );
      must(hub.handle(conn, "round:start", { code: created.code, hostToken: created.hostToken }));
      must(hub.handle(conn, "round:move", { turn: 0, angle: 0, eta: 0.1 }));
      return conn;
    });
    try {
      await tick();
      expect(releases).toHaveLength(3);
      for (const release of releases) release(); // stored together, as a batch is
      for (let i = 0; i < 20 && revealedAt.length < 3; i++) await tick();
      expect(revealedAt).toHaveLength(3);
      // Each reveal in a turn of its own, in the order the rounds were stored.
      expect(new Set(revealedAt).size).toBe(3);
      for (const conn of rooms) expect(conn.latest()?.phase).toBe("revealed");
    } finally {
      counting = false;
      await hub.close();
    }
  });

  it("reveals anyway when saving takes longer than persistWaitMs (and keeps trying)", async () => {
    const { hub, open, clock } = setup({
      limits: { persistWaitMs: 5_000 },
      onRoundFinished: () => new Promise<void>(() => {}),
    });
    const me = open();
    const created = must(
      hub.handle(me, "room:create", { mode: "solo", nickname: "Me", settings: { turns: 1 } }),
    );
    must(hub.handle(me, "round:start", { code: created.code, hostToken: created.hostToken }));
    must(hub.handle(me, "round:move", { turn: 0, angle: 0, eta: 0.1 }));
    await tick();
    expect(me.latest()?.phase).toBe("playing");
    clock.advance(5_000);
    await tick();
    expect(me.latest()?.phase).toBe("revealed");
    expect(hub.stats().pendingSaves).toBe(1);
  });

  it("a handler that throws is acknowledged as INTERNAL_ERROR and changes nothing", () => {
    const { hub, open } = setup({ catalog: [{ id: "booth", difficulty: "easy" }] });
    const host = open();
    const created = must(
      hub.handle(host, "room:create", { mode: "room", hostPlays: true, nickname: "H" }),
    );
    const room = hub.room(created.code)!;
    const original = room.act.bind(room);
    room.act = () => {
      throw new Error("boom");
    };
    expect(
      hub.handle(host, "round:start", { code: created.code, hostToken: created.hostToken }),
    ).toMatchObject({ ok: false, error: { code: "INTERNAL_ERROR" } });
    room.act = original;
    expect(
      must(hub.handle(host, "round:start", { code: created.code, hostToken: created.hostToken }))
        .roundNumber,
    ).toBe(1);
  });

  it("sends a room:progress patch to everyone but a mover whose snapshot is of the room as it is", async () => {
    const { hub, open, clock } = setup({ limits: { progressIntervalMs: 500 } });
    const host = open();
    const created = must(
      hub.handle(host, "room:create", {
        mode: "room",
        settings: { secondsPerTurn: 60, turns: 2, surface: { kind: "catalog", id: "booth" } },
      }),
    );
    const players = [0, 1, 2].map((i) => {
      const c = open();
      must(hub.handle(c, "room:join", { code: created.code, nickname: `P${i}` }));
      return c;
    });
    must(hub.handle(host, "round:start", { code: created.code, hostToken: created.hostToken }));
    clock.advance(1_000);
    await tick();
    const count = (c: PairConnection, event: ServerEventName) =>
      c.received.filter((r) => r.event === event).length;
    const before = [host, ...players].map((c) => [
      count(c, "room:state"),
      count(c, "room:progress"),
    ]);
    // P0 moves: their own snapshot at once, the others a patch (due at once: none for 1 s).
    must(hub.handle(players[0]!, "round:move", { turn: 0, angle: 0, eta: 0.1 }));
    await tick();
    clock.advance(0);
    await tick();
    const after = [host, ...players].map((c) => [
      count(c, "room:state"),
      count(c, "room:progress"),
    ]);
    expect(after.map(([state], i) => state! - before[i]![0]!)).toEqual([0, 1, 0, 0]);
    expect(after.map(([, progress], i) => progress! - before[i]![1]!)).toEqual([1, 0, 1, 1]);
    expect(players[1]!.received.at(-1)).toMatchObject({
      event: "room:progress",
      payload: { turn: 0, moved: [0] },
    });
    // P1 moves: P0's snapshot is stale now, so P0 gets the next patch; P1 does not.
    must(hub.handle(players[1]!, "round:move", { turn: 0, angle: 1, eta: 0.1 }));
    await tick();
    clock.advance(500);
    await tick();
    const later = [host, ...players].map((c) => count(c, "room:progress"));
    expect(later.map((n, i) => n - after[i]![1]!)).toEqual([1, 1, 0, 1]);
    expect(players[0]!.received.at(-1)).toMatchObject({
      event: "room:progress",
      payload: { moved: [0, 1] },
    });
  });

  it("coalesces a wave of reconnections into one broadcast; each returning player gets theirs at once", async () => {
    const { hub, open, clock } = setup({ limits: { presenceIntervalMs: 500 } });
    const host = open();
    const created = must(hub.handle(host, "room:create", { mode: "room" }));
    const seats = [];
    for (let i = 0; i < 10; i++) {
      const c = open();
      seats.push({
        conn: c,
        seat: must(hub.handle(c, "room:join", { code: created.code, nickname: `P${i}` })),
      });
    }
    clock.advance(1_000);
    await tick();
    const before = host.received.filter((r) => r.event === "room:state").length;
    const returning = [];
    for (const { conn, seat } of seats) {
      hub.disconnect(conn);
      const back = open();
      must(hub.handle(back, "room:resume", { code: created.code, seatToken: seat.seatToken }));
      returning.push(back);
    }
    await tick();
    for (const back of returning) expect(back.latest()?.you.role).toBe("player");
    expect(host.received.filter((r) => r.event === "room:state").length).toBe(before);
    clock.advance(500);
    await tick();
    const after = host.received.filter((r) => r.event === "room:state");
    expect(after.length).toBe(before + 1);
    expect(host.latest()?.members.every((m) => m.connected)).toBe(true);
  });
});
